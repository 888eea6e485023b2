"""`wijkwerk import`: a dry run that writes nothing, --confirm, a second run, --list, --undo."""

from __future__ import annotations

from tests.conftest import PASS
from tests.importing.make_fixtures import villages_layout
from tests.test_cli import _run
from wijkwerk_tui.security import vault
from wijkwerk_tui.store import residents


def test_issue16_cli_dry_run_then_confirm_then_undo(setup_db, tmp_path) -> None:
    session, _code, path = setup_db
    session.db.close()
    sheet = tmp_path / "dorpen.xlsx"
    expected = villages_layout(sheet)

    dry = _run("--db", str(path), "import", str(sheet))
    assert dry.returncode == 0, dry.stderr
    assert "proefrun: er is niets opgeslagen" in dry.stdout
    assert "Blad Ruinen (kopregel 1, 6 rijen)" in dry.stdout and "-> Geboortejaar" in dry.stdout
    assert sum(1 for line in dry.stdout.splitlines() if " nieuw  " in line) == expected.residents
    assert _residents(path) == 0  # (the login itself is audited: the file's bytes do change)

    done = _run("--db", str(path), "import", str(sheet), "--confirm")
    assert done.returncode == 0, done.stderr
    assert f"Geïmporteerd: {expected.residents} nieuwe inwoners" in done.stdout
    again = _run("--db", str(path), "import", str(sheet), "--confirm")
    assert "Niets te importeren" in again.stdout

    listed = _run("--db", str(path), "import", "--list")
    batch = listed.stdout.split()[0]
    assert "dorpen.xlsx" in listed.stdout and f"{expected.residents} nieuw" in listed.stdout
    undone = _run("--db", str(path), "import", "--undo", batch)
    assert undone.returncode == 0, undone.stderr
    assert "Import ongedaan gemaakt" in undone.stdout
    assert _residents(path) == 0


def _residents(path) -> int:
    opened = vault.login(path, "Sanne Kuiper", PASS)
    try:
        return residents.count_residents(opened.db)
    finally:
        opened.db.close()


def test_issue16_cli_map_option_and_errors_in_dutch(setup_db, tmp_path) -> None:
    session, _code, path = setup_db
    session.db.close()
    sheet = tmp_path / "lijst.csv"
    sheet.write_text("Wie;Geb;PL 2025\nBakker, Gerrit;1944;2\n", encoding="utf-8")
    plain = _run("--db", str(path), "import", str(sheet))
    assert "Wie                      -> ? (onbekend" in plain.stdout
    mapped = _run("--db", str(path), "import", str(sheet), "--map", "Wie=naam", "--map", "Geb=geboortejaar")
    assert "Gerrit Bakker (1944): nieuwe inwoner: PL 2 op" in mapped.stdout, mapped.stdout
    wrong = _run("--db", str(path), "import", str(sheet), "--map", "Wie=schoenmaat")
    assert wrong.returncode == 1 and "onbekende betekenis 'schoenmaat'" in wrong.stderr
    missing = _run("--db", str(path), "import", str(tmp_path / "weg.xlsx"))
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr and "Traceback" not in missing.stderr
