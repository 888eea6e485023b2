import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import text

from tests.conftest import frozen_clock
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.ops.demo_data import AREAS, build_demo
from wijkwerk_tui.queries import overview
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import ladders


def _dump(db: Database) -> list[tuple]:
    with db.reading() as session:
        return [
            tuple(r)
            for r in session.execute(
                text(
                    "SELECT id, given_name, family_name, birth_year, participation_step, support_step FROM resident ORDER BY pk"
                )
            )
        ]


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        db = open_database(tmp_path / name, frozen_clock)
        build_demo(db, residents=40, seed=11)
        dumps.append(_dump(db))
        db.close()
    assert dumps[0] == dumps[1] and len(dumps[0]) == 40
    db = open_database(tmp_path / "c.db", frozen_clock)
    build_demo(db, residents=40, seed=12)
    assert _dump(db) != dumps[0]
    db.close()


def test_demo_content(demo_db: Database) -> None:
    with demo_db.reading() as session:
        categories = {r[0] for r in session.execute(text("SELECT DISTINCT category FROM signal"))}
        areas = session.execute(text("SELECT COUNT(*) FROM area")).scalar()
        workers = session.execute(text("SELECT COUNT(*) FROM worker")).scalar()
        contacts = session.execute(text("SELECT COUNT(*) FROM contact")).scalar()
        goals = session.execute(text("SELECT COUNT(*) FROM goal")).scalar()
        activities = session.execute(text("SELECT COUNT(*) FROM groupactivity")).scalar()
    assert categories == set(signal_rules.CATEGORIES)
    assert areas == len(AREAS) == 10 and workers == 8
    assert contacts > 80 and goals > 0 and activities > 0
    overdue = overview.awaiting_feedback_rows(demo_db, due_before=demo_db.today())
    assert overdue and all(r.feedback_due_on < demo_db.today() for r in overdue)
    someone = search_residents(demo_db, "", limit=1)[0]
    for ladder in Ladder:
        history = ladders.history(demo_db, someone.id, ladder)
        assert len(history) >= 2  # at least a year of history, a placement every 4-8 months
        assert (history[-1].measured_on - history[0].measured_on).days >= 120
        assert getattr(someone, f"{ladder.value}_step") == history[-1].step
    names = Counter(r.name for r in search_residents(demo_db, "", limit=1000))
    assert len(names) > 40  # varied, not one name repeated


def test_cli_demo_no_run_prints_a_filled_database(tmp_path: Path) -> None:
    target = tmp_path / "cli-demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "wijkwerk_tui", "--db", str(target), "demo", "--no-run", "--residents", "500"],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path == target and path.exists()
    from wijkwerk_tui.security.demo import DEMO_PASSPHRASE
    from wijkwerk_tui.security.keyfile import KeyFile, keyfile_path

    keyfile = KeyFile.load(keyfile_path(path))
    assert keyfile.is_demo and keyfile.demo_user
    db = open_database(path, key=keyfile.find_by_name(keyfile.demo_user).open(DEMO_PASSPHRASE))
    try:
        with db.reading() as session:
            assert session.execute(text("SELECT COUNT(*) FROM resident")).scalar() >= 500
            with_history = session.execute(
                text("SELECT COUNT(DISTINCT resident_id) FROM ladderstep WHERE ladder = 'participation'")
            ).scalar()
        assert with_history >= 500
    finally:
        db.close()
    # A second call reuses the file instead of building again.
    again = subprocess.run(
        [sys.executable, "-m", "wijkwerk_tui", "--db", str(target), "demo", "--no-run"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert again.returncode == 0 and again.stdout.strip() == str(target)


def test_cli_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wijkwerk_tui", "--help"], capture_output=True, text=True, timeout=60
    )
    for command in ("run", "demo", "check", "backup", "restore", "inzage"):
        assert command in result.stdout
