"""Persistence: SQLModel tables, the engine, migrations and the functions the UI calls.

The only package that talks to the database.
"""
