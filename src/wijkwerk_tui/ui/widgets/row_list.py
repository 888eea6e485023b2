"""A light list of rows in columns, for the screens opened and refilled most often.

A DataTable measures and renders every cell through Rich each time it is filled, which
made search-as-you-type and opening a resident with a long history slow at 100 000
residents. This list keeps the rows as plain strings, sizes the columns once per fill
and draws only the lines on screen (Textual's line API). Text is never parsed as
markup: a name like `[b]Piet[/b]` shows as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

Cell = str | Text | int | None
PAD = 1  # spaces either side of a cell, as in a DataTable


@dataclass(frozen=True)
class Column:
    label: str
    flex: bool = False  # takes the room that is left, or gives it up first when narrow
    max_width: int = 40


def _plain(cell: Cell) -> tuple[str, str]:
    """(text, style) of a cell; a Text keeps only its base style."""
    if isinstance(cell, Text):
        return cell.plain, str(cell.style or "")
    return ("" if cell is None else str(cell)), ""


def _fit(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


def _exact(segments: list[Segment], width: int, style: Style) -> Strip:
    """One Strip of exactly `width` cells (padded, or cropped when the columns do not fit)."""
    length = sum(segment.cell_length for segment in segments)
    if length < width:
        segments.append(Segment(" " * (width - length), style))
    elif length > width:
        return Strip(segments, length).crop(0, width)
    return Strip(segments, width)


class RowList(Widget, can_focus=True):
    """Rows of plain text with a header line and a row cursor; Enter or a click selects."""

    DEFAULT_CSS = """
    RowList {
        height: auto;
        max-height: 100%;
        background: $surface;
        color: $foreground;
        &:focus { background-tint: $foreground 5%; }
        & > .row-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .row-list--even { background: $surface-lighten-1 50%; }
        & > .row-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .row-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"row-list--header", "row-list--even", "row-list--cursor"}
    BINDINGS = [
        Binding("enter", "select", "Openen", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "move(-1000000000)", show=False),
        Binding("end", "move(1000000000)", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, layout=False)

    class Selected(Message):
        """Enter or a click on a row."""

        def __init__(self, row_list: RowList, key: str | None, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.key = key
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(
        self, *columns: Column | str, zebra: bool = False, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = [c if isinstance(c, Column) else Column(c) for c in columns]
        self.zebra = zebra
        self._cells: list[list[tuple[str, str]]] = []
        self._keys: list[str | None] = []
        self._natural: list[int] = [cell_len(c.label) for c in self.columns]
        self._content: list[int] = [0] * len(self.columns)  # widest cell, without the label
        self._top = 0
        self._styles: dict[str, Style] = {}
        self._sized: tuple[int, list[int]] | None = None  # (width, column widths) of this fill

    # -- data ----------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Sequence[Cell]], keys: Sequence[str | None] | None = None) -> None:
        """Replace every row (and put the cursor on the first)."""
        self._cells = [[_plain(cell) for cell in row] for row in rows]
        self._keys = list(keys) if keys is not None else [None] * len(self._cells)
        content = [0] * len(self.columns)
        for row in self._cells:
            for i, (text, _style) in enumerate(row):
                width = cell_len(text)
                if width > content[i]:
                    content[i] = width
        self._content = content
        self._natural = [
            min(max(n, cell_len(c.label)), c.max_width) for n, c in zip(content, self.columns, strict=True)
        ]
        self._sized = None
        self._top = 0
        self.cursor_row = 0
        # A list whose size the screen sets (`height: 1fr`) only needs painting again; a full
        # layout of the screen took as long as the search itself in the residents list.
        self.refresh(layout=self.styles.auto_dimensions)

    @property
    def row_count(self) -> int:
        return len(self._cells)

    @property
    def rows(self) -> list[list[str]]:
        """The rows as shown, as plain strings (tests and screen readers of the data)."""
        return [[text for text, _style in row] for row in self._cells]

    def key_at(self, index: int) -> str | None:
        return self._keys[index] if 0 <= index < len(self._keys) else None

    # -- layout --------------------------------------------------------------------
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._cells) + 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(self._natural) + 2 * PAD * len(self.columns)

    def _widths(self, width: int) -> list[int]:
        """Natural widths; the flex column takes what is left, or when narrow gives up room
        first (down to 8, or to its widest cell), then the widest others (down to 3), then
        the flex column again."""
        widths = list(self._natural)
        spare = width - sum(widths) - 2 * PAD * len(widths)
        flex = [i for i, c in enumerate(self.columns) if c.flex] or [len(widths) - 1]
        if spare >= 0:
            widths[flex[0]] += spare
            return widths
        others = sorted((i for i in range(len(widths)) if i not in flex), key=lambda i: -widths[i])
        steps = (
            [(i, max(1, min(8, self._content[i]))) for i in flex] + [(i, 3) for i in others] + [(i, 1) for i in flex]
        )
        for i, floor in steps:
            take = min(-spare, max(0, widths[i] - floor))
            widths[i] -= take
            spare += take
            if spare >= 0:
                break
        return widths

    @property
    def _visible(self) -> int:
        return max(1, self.size.height - 1)

    def _scroll_to_cursor(self) -> None:
        if self.cursor_row < self._top:
            self._top = self.cursor_row
        elif self.cursor_row >= self._top + self._visible:
            self._top = self.cursor_row - self._visible + 1
        self._top = max(0, min(self._top, max(0, len(self._cells) - self._visible)))

    def watch_cursor_row(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    # -- drawing -------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self._sized is None or self._sized[0] != width:  # once per fill and width, not per line
            self._sized = (width, self._widths(width))
        widths = self._sized[1]
        if y == 0:
            header = base + self._style("row-list--header")
            labels = [c.label for c in self.columns]
            # Where not every row fits, say which are shown, at the right of the widest column.
            more, room = self._more(), max(range(len(widths)), key=lambda i: widths[i] - cell_len(labels[i]))
            if more and widths[room] - cell_len(labels[room]) > cell_len(more):
                labels[room] = set_cell_size(labels[room], widths[room] - cell_len(more)) + more
            line = "".join(" " * PAD + _fit(label, w) + " " * PAD for label, w in zip(labels, widths, strict=True))
            return _exact([Segment(line, header)], width, header)
        index = self._top + y - 1
        if index >= len(self._cells):
            return Strip.blank(width, base)
        row_style = base
        if self.zebra and index % 2:
            row_style = base + self._style("row-list--even")
        if index == self.cursor_row:
            row_style = base + self._style("row-list--cursor")
        # One segment per run of cells in the row's own style: fewer segments, one Strip.
        segments: list[Segment] = []
        plain_run = ""
        for (text, style), w in zip(self._cells[index], widths, strict=False):
            cell = _fit(text, w)
            if style:
                segments += [Segment(plain_run + " " * PAD, row_style), Segment(cell, row_style + self._parsed(style))]
                plain_run = " " * PAD
            else:
                plain_run += " " * PAD + cell + " " * PAD
        segments.append(Segment(plain_run, row_style))
        return _exact(segments, width, row_style)

    def _parsed(self, style: str) -> Style:
        parsed = self._styles.get(style)
        if parsed is None:
            parsed = self._styles[style] = Style.parse(style)
        return parsed

    def _more(self) -> str:
        """'3-12/90' in the header when not every row fits."""
        count = len(self._cells)
        if count <= self._visible:
            return ""
        last = min(count, self._top + self._visible)
        return f"{self._top + 1}-{last}/{count}"

    # -- keys and mouse --------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        if self._cells:
            self.cursor_row = max(0, min(len(self._cells) - 1, self.cursor_row + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._visible)

    def action_select(self) -> None:
        if self._cells:
            self.post_message(self.Selected(self, self.key_at(self.cursor_row), self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        index = self._top + event.y - 1
        if event.y >= 1 and 0 <= index < len(self._cells):
            self.focus()
            self.cursor_row = index
            self.action_select()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll(3)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll(-3)
        event.stop()

    def _scroll(self, delta: int) -> None:
        top = max(0, min(self._top + delta, max(0, len(self._cells) - self._visible)))
        if top != self._top:
            self._top = top
            self.cursor_row = max(top, min(self.cursor_row, top + self._visible - 1))
