"""Accounts, keys and the lock: who may open the encrypted database, and how."""
