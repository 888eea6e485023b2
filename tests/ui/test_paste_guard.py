"""Hardening 7 at the terminal's input: an ESC inside a bracketed paste starts no key.

Textual's input parser turned what follows an ESC inside a paste into key presses (a pasted
`Jan<ESC><Ctrl+Q>` quit the app in a real terminal); `PasteGuard` defuses it first."""

from __future__ import annotations

import inspect

from hypothesis import given
from hypothesis import strategies as st
from textual import events
from textual.drivers import linux_driver

from wijkwerk_tui.ui.paste_guard import DEFUSED, END, ESC, START, PasteGuard
from wijkwerk_tui.ui.textual_private import guard_pastes

pieces = st.lists(st.sampled_from(["\x1b", "[", "2", "0", "1", "~", "a", "J", "\x11", "\x13", "\n", "é"]), max_size=40)


def _chunked(guard: PasteGuard, data: str, cuts: list[int]) -> str:
    points = sorted({c % (len(data) + 1) for c in cuts})
    parts = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    return "".join(guard.filter(p) for p in parts)


@given(pieces, st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_hardening_07_every_esc_inside_a_paste_is_defused_however_it_arrives(chars, cuts) -> None:
    inside = "".join(chars).replace(END, "")  # a terminal never sends the end marker inside
    out = _chunked(PasteGuard(), START + inside + END + "\x1bx", cuts)
    expected_inside = inside.replace(ESC, DEFUSED)
    assert out == START + expected_inside + END + "\x1bx"  # after the paste an ESC is a key again


@given(pieces, st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_keys_outside_a_paste_pass_unchanged(chars, cuts) -> None:
    data = "".join(chars).replace("\x1b[200~", "")
    assert _chunked(PasteGuard(), data, cuts) == data


def test_hardening_07_the_parser_gives_one_paste_and_no_key() -> None:
    guard_pastes()
    parser = linux_driver.XTermParser(False)
    tokens = list(parser.feed(START + "Jan\x1b\x11Piet\x1b\x13" + END))
    assert [type(t) for t in tokens] == [events.Paste]
    assert tokens[0].text == "Jan\x7f\x11Piet\x7f\x13"


def test_the_drivers_still_build_their_parser_from_the_module_name() -> None:
    """What guard_pastes relies on: if Textual builds its parser another way, this fails."""
    assert "parser = XTermParser(" in inspect.getsource(linux_driver.LinuxDriver.run_input_thread)
    assert "feed(unicode_data)" in inspect.getsource(linux_driver.LinuxDriver.run_input_thread)
    guard_pastes()
    assert getattr(linux_driver.XTermParser, "guards_pastes", False)
