"""Full garbage collections run in the worker's pauses: once per pause, never while typing."""

from __future__ import annotations

from wijkwerk_tui.ui.memory import QUIET_S, QuietCollector


def test_collects_once_after_a_quiet_moment_and_never_while_keys_come() -> None:
    now = [100.0]
    collected: list[float] = []
    collector = QuietCollector(now=lambda: now[0], collect=lambda: collected.append(now[0]))
    assert not collector.tick()  # nothing happened yet: nothing to collect
    for _ in range(10):  # typing: a key every 0.3 s
        collector.touched()
        now[0] += 0.3
        assert not collector.tick()
    now[0] += QUIET_S
    assert collector.tick() and collected == [now[0]]
    now[0] += 10
    assert not collector.tick() and len(collected) == 1  # once per pause
    collector.touched()
    now[0] += QUIET_S
    assert collector.tick() and len(collected) == 2
