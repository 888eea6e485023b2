"""Select options from the domain's code -> Dutch label tables, as literal text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.widgets import Select


def options(table: Mapping[str, str]) -> list[tuple[Text, str]]:
    return [(Text(label), code) for code, label in table.items()]


def select(
    table: Mapping[str, str] | Iterable[tuple[Text, object]],
    value: object = Select.NULL,
    *,
    id: str,
    prompt: str = "Kies…",
    allow_blank: bool = True,
) -> Select:
    items = options(table) if isinstance(table, Mapping) else list(table)
    return Select(items, value=value, id=id, prompt=prompt, allow_blank=allow_blank, compact=True)


YES_NO: dict[str, str] = {"yes": "ja", "no": "nee"}
