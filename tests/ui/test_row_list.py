"""The light row list: column widths, drawing only what fits, keys, clicks, literal text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult

from wijkwerk_tui.ui.widgets.row_list import PAD, Column, RowList


class ListApp(App[None]):
    def __init__(self, rows: list[tuple], height: int = 6) -> None:
        super().__init__()
        self.rows, self.height = rows, height
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield RowList(Column("Naam", flex=True), "Jaar", id="list")

    def on_mount(self) -> None:
        rows_list = self.query_one(RowList)
        rows_list.styles.height = self.height
        rows_list.set_rows(self.rows, [f"k{i}" for i in range(len(self.rows))])
        rows_list.focus()

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        self.selected.append(event.key)


def _line(widget: RowList, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


async def test_draws_header_and_visible_rows_and_says_which_are_shown() -> None:
    rows = [(f"Naam {i:02d}", 1950 + i) for i in range(20)]
    app = ListApp(rows, height=6)
    async with app.run_test(size=(40, 10)) as pilot:
        widget = app.query_one(RowList)
        await pilot.pause()
        assert "Naam" in _line(widget, 0) and "1-5/20" in _line(widget, 0)
        assert _line(widget, 1).strip().startswith("Naam 00")
        await pilot.press("pagedown")
        assert widget.cursor_row == 5 and "2-6/20" in _line(widget, 0)
        await pilot.press("end")
        assert widget.cursor_row == 19 and "16-20/20" in _line(widget, 0)
        assert _line(widget, 5).strip().startswith("Naam 19")
        await pilot.press("home", "down", "enter")
        assert app.selected == ["k1"]


async def test_click_selects_the_row_under_the_mouse() -> None:
    app = ListApp([("Anna", 1960), ("Bert", 1970), ("Cor", 1980)])
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.click(RowList, offset=(3, 2))  # header is line 0: line 2 is "Bert"
        assert app.selected == ["k1"]


async def test_text_is_never_markup() -> None:
    app = ListApp([("[b]Piet[/b]", "[@click=app.quit]"), (Text("Jan", style="bold"), None)])
    async with app.run_test(size=(60, 10)) as pilot:
        widget = app.query_one(RowList)
        await pilot.pause()
        assert "[b]Piet[/b]" in _line(widget, 1) and "[@click=app.quit]" in _line(widget, 1)
        assert widget.rows == [["[b]Piet[/b]", "[@click=app.quit]"], ["Jan", ""]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=6), st.integers(0, 5), st.integers(10, 120))
def test_widths_fill_the_line_exactly_when_they_can(contents: list[int], flex: int, width: int) -> None:
    """Whatever the contents, the columns (with padding) fill the width exactly, unless even
    one cell per column does not fit; no column is ever negative."""
    flex = flex % len(contents)
    columns = [Column(f"c{i}", flex=i == flex) for i in range(len(contents))]
    widget = RowList(*columns)
    widget.set_rows([tuple("x" * n for n in contents)])
    widths = widget._widths(width)
    natural = [max(n, len(f"c{i}")) for i, n in enumerate(contents)]
    total = sum(widths) + 2 * PAD * len(widths)
    if width >= len(contents) * (3 + 2 * PAD):  # room for every column's floor
        assert total == width
    if total != width:  # too narrow: never too short, and every column at its floor
        assert total > width
        assert widths[flex] == 1
        assert all(w == min(3, natural[i]) for i, w in enumerate(widths) if i != flex)
    assert all(1 <= w <= max(natural[i], width) for i, w in enumerate(widths))
