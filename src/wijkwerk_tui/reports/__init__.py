"""Aggregations and exporters: documents and files made from what the store returns."""
