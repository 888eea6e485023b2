"""What the app needs before anyone logs in: which gate to show, and the key file's names.

Deliberately light (no database layer, no crypto): the login screen is on screen before
the rest of the app has loaded.
"""

from __future__ import annotations

from pathlib import Path

from wijkwerk_tui.security.keyfile import keyfile_path


def state(db_path: Path) -> str:
    """ "new" (first run: set up), "ready" (log in), "unprotected" (a plain SQLite file, refused)
    or "keys_missing" (an encrypted file without the key file beside it)."""
    if keyfile_path(db_path).exists():
        return "ready"
    if db_path.exists() and db_path.stat().st_size > 0:
        return "unprotected" if database_salt(db_path) == PLAIN_HEADER else "keys_missing"
    return "new"


PLAIN_HEADER = b"SQLite format 3\x00".hex()


def database_salt(db_path: Path) -> str:
    """The first 16 bytes of the file, as hex: SQLCipher keeps its random salt there, unencrypted,
    so a key file can tell whether it belongs to this database without any key. (A plain
    SQLite file has its well-known header there instead.)"""
    try:
        with db_path.open("rb") as handle:
            return handle.read(16).hex()
    except OSError:
        return ""


def keys_missing_message(db_path: Path) -> str:
    keys = keyfile_path(db_path).name
    return (
        f"Het sleutelbestand {keys} naast de database ontbreekt; zonder dat bestand opent de database "
        f"niet. Zet {keys} terug naast {db_path.name} (uit een kopie) en start Wijkwerk opnieuw, of laat "
        "een coördinator een back-up terugzetten: elke back-up heeft zijn eigen sleutelbestand "
        "(wijkwerk restore BESTAND, met het wachtwoord of de herstelcode van toen). Er is niets veranderd."
    )
