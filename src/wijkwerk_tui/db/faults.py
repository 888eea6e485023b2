"""Storage faults told apart: a full disk, a folder that cannot be written, a damaged file.

SQLite, SQLCipher, SQLAlchemy and the OS each raise their own classes for these, so they are
recognised by errno and by SQLite's fixed English messages, anywhere in the exception's chain.
Each gets a Dutch message that says what to do; none repeats the error's own text.
"""

from __future__ import annotations

import errno

FULL, READ_ONLY, DAMAGED = "full", "read_only", "damaged"

_ERRNOS = {
    errno.ENOSPC: FULL,
    errno.EDQUOT: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
}
_SQLITE = (
    ("database or disk is full", FULL),
    ("attempt to write a readonly database", READ_ONLY),
    ("readonly database", READ_ONLY),
    ("unable to open database file", READ_ONLY),
    ("database disk image is malformed", DAMAGED),
    ("file is not a database", DAMAGED),
    ("vtable constructor failed", DAMAGED),  # the search index's own tables unreadable
)

MESSAGES = {
    FULL: (
        "De schijf is vol: dit is niet opgeslagen. Wat u typte staat er nog; maak ruimte vrij en probeer het opnieuw."
    ),
    READ_ONLY: (
        "Er kan niet worden geschreven in de map van Wijkwerk (alleen-lezen of geen rechten): dit is niet "
        "opgeslagen. Wat u typte staat er nog; vraag uw beheerder om de map schrijfbaar te maken."
    ),
    DAMAGED: (
        "Dit deel van de database is beschadigd en kon niet worden gelezen. Er is niets veranderd. "
        "Voer de controle uit (Database controleren, of wijkwerk check)."
    ),
}


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return seen


def kind(error: BaseException | None) -> str | None:
    """FULL, READ_ONLY, DAMAGED, or None for anything else."""
    if error is None:
        return None
    for link in _chain(error):
        if isinstance(link, OSError) and link.errno in _ERRNOS:
            return _ERRNOS[link.errno]
        text = str(link.args[0]).lower() if link.args and isinstance(link.args[0], str) else ""
        for needle, found in _SQLITE:
            if needle in text:
                return found
    return None


def explain(error: BaseException | None) -> str | None:
    """The Dutch message for a storage fault, or None when `error` is not one."""
    found = kind(error)
    return MESSAGES[found] if found else None
