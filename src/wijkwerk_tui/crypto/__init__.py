"""Key primitives below every data layer: passphrase-derived keys (Argon2id) and the
organisation's signing key (Ed25519). Pure computation: no database, no files."""
