"""The organisation's hub: PostgreSQL behind a small HTTP API that decides merges (DESIGN.md §7).

Installed with the `hub` extra. Keeps no state outside PostgreSQL, so several hub processes
can serve one organisation.
"""
