"""The command line logs in like the app: env vars or a prompt; a refusal exits non-zero and is audited."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import PASS
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.keyfile import RECOVERY_SLOT
from wijkwerk_tui.store import audit, residents, workers


def _run(
    *args: str, user: str | None = "Sanne Kuiper", passphrase: str | None = PASS
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKWERK_")}
    if user is not None:
        env["WIJKWERK_USER"] = user
    if passphrase is not None:
        env["WIJKWERK_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-m", "wijkwerk_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def office(setup_db):
    session, _code, path = setup_db
    resident = residents.add_resident(
        session.db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True
    )
    session.db.close()
    return path, resident.id


def test_check_with_env_login(office) -> None:
    path, _ = office
    result = _run("--db", str(path), "check")
    assert result.returncode == 0, result.stderr
    assert "Integriteit: in orde" in result.stdout and "Audit-keten" in result.stdout


def test_wrong_passphrase_exits_non_zero_in_dutch_and_is_audited(office, clock) -> None:
    path, _ = office
    result = _run("--db", str(path), "check", passphrase="niet het wachtwoord")
    assert result.returncode == 1
    assert "onjuist wachtwoord" in result.stderr and "Traceback" not in result.stderr
    no_pass = _run("--db", str(path), "check", passphrase=None)
    assert no_pass.returncode == 1 and "WIJKWERK_PASSPHRASE" in no_pass.stderr
    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    with session.db.reading() as s:
        failed = s.execute(text("SELECT count(*) FROM auditevent WHERE action = 'login.failed'")).scalar()
    assert failed == 1
    session.db.close()


def test_check_finds_an_audit_row_edited_behind_the_apps_back(office, clock) -> None:
    path, _ = office
    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    assert audit.verify_chain(session.db).ok
    with session.db.transaction() as s:
        s.execute(text("UPDATE auditevent SET worker_id = NULL WHERE seq = 2"))
    session.db.close()
    result = _run("--db", str(path), "check")
    assert result.returncode == 1 and "VERBROKEN bij regel 2" in result.stdout


def test_backup_then_restore_with_confirmation_flag(office, clock) -> None:
    path, _ = office
    made = _run("--db", str(path), "backup")
    assert made.returncode == 0, made.stderr
    file = Path(made.stdout.strip())
    assert file.exists() and not file.read_bytes().startswith(b"SQLite format 3")
    unconfirmed = _run("--db", str(path), "restore", str(file))
    assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    residents.add_resident(session.db, session.worker_id, PersonalData("Later", "", "Toegevoegd", 1960), None, True)
    session.db.close()
    restored = _run("--db", str(path), "restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    assert residents.count_residents(session.db) == 1  # the later one is not in the backup
    assert list(path.parent.glob("wijkwerk.db.voor-herstel-*"))
    session.db.close()
    assert backup.list_backups(path)


def test_inzage_writes_markdown_and_json(office, tmp_path: Path) -> None:
    path, resident_id = office
    out = tmp_path / "inzage"
    result = _run("--db", str(path), "inzage", str(resident_id), "--output", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.iterdir())
    assert [f.suffix for f in files] == [".json", ".md"]
    assert "Hoekstra" in files[1].read_text()
    assert "Hoekstra" not in result.stderr


def test_demo_database_accepts_its_demo_coordinator(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    built = _run("--db", str(path), "demo", "--no-run", "--residents", "20", user=None, passphrase=None)
    assert built.returncode == 0, built.stderr
    result = _run("--db", str(path), "check", user=None, passphrase=None)
    assert result.returncode == 0, result.stderr


def test_report_csv_to_stdout_and_xlsx_to_a_file(office, tmp_path: Path) -> None:
    import csv
    import io

    path, _ = office
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wijkwerk_tui",
            "--db",
            str(path),
            "report",
            "--from",
            "1-1-2026",
            "--to",
            "31-12-2026",
            "--format",
            "csv",
        ],
        capture_output=True,
        timeout=120,
        env={**os.environ, "WIJKWERK_USER": "Sanne Kuiper", "WIJKWERK_PASSPHRASE": PASS},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    text = result.stdout.decode("utf-8-sig")
    assert text.startswith("organisatie;")  # the header block, then the values
    rows = list(csv.DictReader(io.StringIO(text[text.index("sectie;") :]), delimiter=";"))
    assert rows and set(rows[0]) == {"sectie", "rij", "subrij", "kenmerk", "waarde"}
    assert b"Hoekstra" not in result.stdout
    xlsx = tmp_path / "r.xlsx"
    made = _run(
        "--db",
        str(path),
        "report",
        "--from",
        "1-1-2026",
        "--to",
        "31-12-2026",
        "--area",
        "ruinen",
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
    )
    assert made.returncode == 0, made.stderr
    from openpyxl import load_workbook

    assert load_workbook(xlsx)["Over"]["B3"].value == "Ruinen"
    bad = _run("--db", str(path), "report", "--from", "31-02-2026", "--to", "1-3-2026")
    assert bad.returncode == 1 and "bestaat niet" in bad.stderr
    unknown = _run("--db", str(path), "report", "--from", "1-1-2026", "--to", "2-1-2026", "--area", "Nergens")
    assert unknown.returncode == 1 and "gebied" in unknown.stderr


def test_issue15_02_freeze_list_and_compare_from_the_command_line(office) -> None:
    path, _ = office
    html = _run("--db", str(path), "report", "--from", "1-1-2026", "--to", "31-12-2026", "--format", "html", "--freeze")
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("<!DOCTYPE html>") and "Hoekstra" not in html.stdout
    kenmerk = html.stderr.split("kenmerk ")[1].split()[0]
    listed = _run("--db", str(path), "frozen")
    assert listed.returncode == 0 and listed.stdout.startswith(kenmerk) and "01-01-2026 t/m 31-12-2026" in listed.stdout
    same = _run("--db", str(path), "frozen", kenmerk)
    assert same.returncode == 0, same.stderr
    assert "Vingerafdruk klopt." in same.stdout and "Geen verschillen" in same.stdout
    wrong = _run("--db", str(path), "frozen", "zzzz")
    assert wrong.returncode == 1 and "geen vastgestelde rapportage" in wrong.stderr
    # Nothing written, nothing frozen: an output path under a file fails in Dutch first.
    blocker = path.parent / "een-bestand"
    blocker.write_text("x")
    failed = _run(
        "--db", str(path), "report", "--from", "1-1-2026", "--to", "31-12-2026",
        "--output", str(blocker / "r.md"), "--freeze",
    )  # fmt: skip
    assert failed.returncode == 1 and "kon niet worden geschreven" in failed.stderr
    assert "Vastgesteld" not in failed.stderr and "NotADirectoryError" not in failed.stderr
    assert _run("--db", str(path), "frozen").stdout.count("01-01-2026 t/m 31-12-2026") == 1


def test_issue15_09_flagged_stories_stay_out_unless_confirmed(office, clock) -> None:
    from datetime import date

    from wijkwerk_tui.store import contacts
    from wijkwerk_tui.store.contacts import ContactData

    path, resident_id = office
    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    story = "Meneer Hoekstra (75) kwam weer naar de soos."
    clean = "Een buurman helpt nu mee bij de koffieochtend."
    for text_ in (story, clean):
        contacts.add_contact(
            session.db,
            session.worker_id,
            resident_id,
            ContactData(date(2026, 3, 3), "walk_in", is_story=True, story=text_),
        )
    session.db.close()
    period = ("--from", "1-1-2026", "--to", "31-10-2026")
    left_out = _run("--db", str(path), "report", *period)
    assert left_out.returncode == 0, left_out.stderr
    assert story not in left_out.stdout and clean in left_out.stdout
    assert "weggelaten: leeftijd, naam" in left_out.stderr and "Hoekstra" not in left_out.stderr
    confirmed = _run("--db", str(path), "report", *period, "--confirm-stories")
    assert story in confirmed.stdout and "weggelaten" not in confirmed.stderr


def test_full_export_is_for_coordinators_and_marks_deleted_rows(office, clock, tmp_path: Path) -> None:
    import json

    path, resident_id = office
    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    vault.add_account(session, "Piet", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    residents.delete_resident(session.db, session.worker_id, resident_id)
    session.db.close()
    refused = _run(
        "--db", str(path), "export", "--output", str(tmp_path / "x"), user="Piet", passphrase="groene-piet-op-de-fiets"
    )
    assert refused.returncode == 1 and "coördinator" in refused.stderr
    done = _run("--db", str(path), "export", "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "out" / "resident.jsonl").read_text().splitlines()
    row = json.loads(lines[0])
    assert row["family_name"] == "Hoekstra" and row["verwijderd"] is True
    assert (tmp_path / "out" / "auditevent.jsonl").exists()
    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    with session.db.reading() as s:
        assert s.execute(text("SELECT count(*) FROM auditevent WHERE action = 'export.full'")).scalar() == 1
    session.db.close()
    xlsx = _run("--db", str(path), "export", "--format", "xlsx", "--output", str(tmp_path / "xl"))
    assert xlsx.returncode == 0, xlsx.stderr
    from openpyxl import load_workbook

    assert "resident" in load_workbook(tmp_path / "xl" / "wijkwerk-export.xlsx").sheetnames


def test_hardening_18_passphrase_from_a_file(office, tmp_path: Path) -> None:
    path, _resident = office
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(PASS + "\n")
    secret.chmod(0o600)
    done = _run("--db", str(path), "check", "--passphrase-file", str(secret), passphrase=None)
    assert done.returncode == 0, done.stderr
    missing = _run("--db", str(path), "check", "--passphrase-file", str(tmp_path / "weg.txt"), passphrase=None)
    assert missing.returncode == 1 and "wachtwoordbestand" in missing.stderr


def test_hardening_01_demo_never_replaces_a_real_database(office, clock) -> None:
    path, _resident = office
    keys = path.with_name(path.name + ".keys")
    before = (path.read_bytes(), keys.read_bytes())
    refused = _run("--db", str(path), "demo", "--no-run", "--residents", "5")
    assert refused.returncode == 1 and "demo" in refused.stderr and "Traceback" not in refused.stderr
    assert (path.read_bytes(), keys.read_bytes()) == before
    vault.login(path, "Sanne Kuiper", PASS, clock).db.close()  # still opens
    # Without its key file the database is not the demo's to take either: nothing is deleted.
    keys.rename(keys.with_name("elders.keys"))
    database = path.read_bytes()
    again = _run("--db", str(path), "demo", "--no-run", "--residents", "5")
    assert again.returncode == 1 and path.read_bytes() == database and not keys.exists()


def test_hardening_02_each_backup_carries_its_key_file(office, clock) -> None:
    path, _resident = office
    made = _run("--db", str(path), "backup")
    assert made.returncode == 0, made.stderr
    newest = backup.list_backups(path)[0]
    keys = newest.with_name(newest.name + ".keys")
    assert keys.read_bytes() == path.with_name(path.name + ".keys").read_bytes()
    assert oct(keys.stat().st_mode)[-3:] == "600" and b"Hoekstra" not in keys.read_bytes()


def test_hardening_02_restore_works_where_the_key_file_is_gone(office, clock) -> None:
    path, resident_id = office
    assert _run("--db", str(path), "backup").returncode == 0
    newest = backup.list_backups(path)[0]
    path.with_name(path.name + ".keys").unlink()  # lost, with the database damaged
    path.write_bytes(b"\xff" * 8192)
    restored = _run("--db", str(path), "restore", str(newest), "--yes")
    assert restored.returncode == 0, restored.stderr
    opened = vault.login(path, "Sanne Kuiper", PASS, clock)
    try:
        assert residents.get_resident(opened.db, opened.worker_id, resident_id, audited=False).family_name == "Hoekstra"
    finally:
        opened.db.close()


def test_hardening_02_restore_with_the_recovery_code_of_that_time(setup_db, clock) -> None:
    session, code, path = setup_db
    made = backup.make_backup(session.db, session.worker_id)
    session.db.close()
    path.with_name(path.name + ".keys").unlink()
    env_code = {"WIJKWERK_RECOVERY_CODE": code}
    restored = subprocess.run(
        [sys.executable, "-m", "wijkwerk_tui", "--db", str(path), "restore", str(made), "--yes", "--recovery-code"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("WIJKWERK_")}, **env_code},
    )
    assert restored.returncode == 0, restored.stderr
    vault.login(path, "Sanne Kuiper", PASS, clock).db.close()


def test_hardening_02_restore_puts_the_key_file_of_that_time_back(setup_db, clock) -> None:
    session, _code, path = setup_db
    made = backup.make_backup(session.db, session.worker_id)
    at_backup = made.with_name(made.name + ".keys").read_bytes()
    vault.set_passphrase(session, session.worker_id, "een heel ander wachtwoord", "een heel ander wachtwoord", PASS)
    session.db.close()
    vault.restore(path, made, "Sanne Kuiper", "een heel ander wachtwoord", clock).db.close()
    import json

    assert json.loads(path.with_name(path.name + ".keys").read_text())["slots"] == json.loads(at_backup)["slots"]
    vault.login(path, "Sanne Kuiper", PASS, clock).db.close()  # the passphrase of that time


def test_hardening_02_a_wrong_recovery_code_changes_nothing(setup_db, clock) -> None:
    session, code, path = setup_db
    made = backup.make_backup(session.db, session.worker_id)
    session.db.close()
    before = path.read_bytes()
    wrong = "A" * len(code)
    with pytest.raises(vault.LoginError) as refused:
        vault.restore_with_recovery_code(path, made, wrong, clock)
    assert refused.value.field == "code"
    assert vault.load_keyfile(path).failure_count(RECOVERY_SLOT) == 1  # counted, and delayed like a login
    assert path.read_bytes() == before and not list(path.parent.glob("*.voor-herstel-*"))


def test_hardening_02_pruned_backups_take_their_key_files_along(setup_db, clock) -> None:
    session, _code, path = setup_db
    backup.daily_backup(session.db)
    for _ in range(40):
        clock.advance(days=1)
        backup.daily_backup(session.db)
    session.db.close()
    kept = backup.list_backups(path)
    keys = sorted(backup.backup_dir(path).glob("*.keys"))
    assert 0 < len(kept) < 41 and [k.name for k in keys] == sorted(b.name + ".keys" for b in kept)


def _without_root_powers() -> list[str]:
    """Root may write anywhere, whatever the mode: as root, run without that capability."""
    if os.geteuid() != 0:
        return []
    dropped = "-dac_override,-dac_read_search,-fowner"
    return ["setpriv", f"--inh-caps={dropped}", f"--bounding-set={dropped}", "--"]


def test_hardening_05_a_read_only_folder_is_named_not_called_damaged(office) -> None:
    path, _resident = office
    folder = path.parent
    folder.chmod(0o500)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKWERK_")}
    env |= {"WIJKWERK_USER": "Sanne Kuiper", "WIJKWERK_KDF": "fast", "HOME": str(folder)}
    try:
        for passphrase in (PASS, "niet het wachtwoord"):
            done = subprocess.run(
                [*_without_root_powers(), sys.executable, "-m", "wijkwerk_tui", "--db", str(path), "check"],
                capture_output=True,
                text=True,
                timeout=120,
                stdin=subprocess.DEVNULL,
                env=env | {"WIJKWERK_PASSPHRASE": passphrase},
            )
            assert done.returncode == 1
            assert "kan niet worden geschreven" in done.stderr, done.stderr
            assert "beschadigd" not in done.stderr and "OSError" not in done.stderr
    finally:
        folder.chmod(0o700)


def test_hardening_05_the_login_delay_holds_when_the_key_file_cannot_be_written(office, clock, monkeypatch) -> None:
    import errno

    from wijkwerk_tui.domain.accounts import FREE_TRIES
    from wijkwerk_tui.security.keyfile import KeyFile

    path, _resident = office

    def disk_full(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(KeyFile, "save", disk_full)
    for _ in range(FREE_TRIES):
        with pytest.raises(vault.LoginError):
            vault.login(path, "Sanne Kuiper", "niet het wachtwoord", clock)
    with pytest.raises(vault.LoginError) as waiting:
        vault.login(path, "Sanne Kuiper", PASS, clock)  # even the right one waits
    assert waiting.value.wait_s > 0 and "Probeer het over" in waiting.value.message
    monkeypatch.undo()
    clock.advance(minutes=10)
    vault.login(path, "Sanne Kuiper", PASS, clock).db.close()
    assert not vault._unsaved_failures


def test_hardening_02_a_backup_of_another_database_is_not_restored(setup_db, clock, tmp_path) -> None:
    session, _code, _path = setup_db
    made = backup.make_backup(session.db, session.worker_id)
    session.db.close()
    other = tmp_path / "elders" / "wijkwerk.db"
    other.parent.mkdir()
    other.write_bytes(b"\x01" * 4096)  # some other database
    with pytest.raises(vault.LoginError) as refused:
        vault.restore(other, made, "Sanne Kuiper", PASS, clock)
    assert "hoort niet bij" in refused.value.message and other.read_bytes() == b"\x01" * 4096


def test_hardening_02_a_deactivated_coordinator_cannot_restore_with_a_backups_old_slot(setup_db, clock) -> None:
    session, _code, path = setup_db
    leaving = "Piet Vertrekt"
    vault.add_account(session, leaving, "coordinator", "paarse-fietspomp-in-de-regen", "paarse-fietspomp-in-de-regen")
    made = backup.make_backup(session.db, session.worker_id)  # its key file still has Piet's slot
    piet = next(w for w in workers.list_workers(session.db) if w.name == leaving)
    vault.set_active(session, piet.id, False)
    session.db.close()
    before = path.read_bytes()
    with pytest.raises(vault.LoginError):
        vault.restore(path, made, leaving, "paarse-fietspomp-in-de-regen", clock)
    assert path.read_bytes() == before and not list(path.parent.glob("*.voor-herstel-*"))


def test_hardening_02_wrong_tries_leave_the_backups_key_file_as_it_was(setup_db, clock) -> None:
    session, _code, path = setup_db
    made = backup.make_backup(session.db, session.worker_id)
    session.db.close()
    path.with_name(path.name + ".keys").unlink()  # lost: the backup's copy is all there is
    copy = made.with_name(made.name + ".keys")
    before = copy.read_bytes()
    for _ in range(7):
        with pytest.raises(vault.LoginError):
            vault.restore(path, made, "Sanne Kuiper", "niet het wachtwoord", clock)
    assert copy.read_bytes() == before
    with pytest.raises(vault.LoginError) as waiting:  # the delay holds all the same
        vault.restore(path, made, "Sanne Kuiper", PASS, clock)
    assert "Probeer het over" in waiting.value.message
    clock.advance(minutes=10)
    vault.restore(path, made, "Sanne Kuiper", PASS, clock).db.close()


# Issue 14, item 13: `--demo` runs any command on the default demo, and the README's demo
# examples run as they stand.

README = Path(__file__).resolve().parents[1] / "README.md"
SMALL_DEMO = 40


@pytest.fixture
def demo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of the test's own (never the real home), a small default demo, a fresh
    working folder, and none of the WIJKWERK_ variables of whoever runs the tests."""
    import platformdirs

    from wijkwerk_tui import cli

    data = tmp_path / "data"
    monkeypatch.setattr(platformdirs, "user_data_path", lambda *args, **kwargs: data)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "share"))
    for name in [n for n in os.environ if n.startswith("WIJKWERK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr(cli, "DEMO_RESIDENTS", SMALL_DEMO)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return data


def _demo_file(data: Path) -> Path:
    return data / "demo" / f"demo-{SMALL_DEMO}-2026.db"


def _readme_demo_examples() -> list[str]:
    """Every `wijkwerk --demo ...` in the README, in code blocks and inline code, except the
    synopsis (`wijkwerk --demo OPDRACHT ...`)."""
    import re

    readme = README.read_text(encoding="utf-8")
    lines = [line.strip() for line in readme.splitlines() if line.startswith("wijkwerk --demo ")]
    inline = [" ".join(m.split()) for m in re.findall(r"`(wijkwerk --demo [^`]*)`", readme)]
    return [e for e in dict.fromkeys(lines + inline) if "..." not in e]


def test_readme_demo_examples_run_as_they_stand(demo_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shlex

    from openpyxl import load_workbook

    from wijkwerk_tui.cli import main

    examples = _readme_demo_examples()
    assert {shlex.split(e)[2] for e in examples} >= {"check", "report", "export", "backup"}
    for number, example in enumerate(examples):
        words = shlex.split(example)
        assert main(words[1:]) == 0, f"{example}: {capsys.readouterr().err}"
        out, err = capsys.readouterr()
        # Only the first one builds the demo; the others reuse it.
        assert ("Demodatabase voorbereiden" in err) == (number == 0), f"{example}: {err}"
        output = Path(words[words.index("--output") + 1]) if "--output" in words else None
        command = words[2]
        if command == "check":
            assert "Integriteit: in orde" in out and "Audit-keten" in out
        elif command == "report" and output is None:
            assert "Participatieladder" in out
            if "--area" in words:
                assert f"Gebied: {words[words.index('--area') + 1]}" in out
        elif command == "report":
            assert output.is_file() and out.strip().endswith(output.name), example
            if output.suffix == ".xlsx":
                assert "Over" in load_workbook(output).sheetnames
            else:
                assert "sectie;rij;subrij;kenmerk;waarde" in output.read_text(encoding="utf-8-sig")
        elif command == "export":
            assert output is not None and output.is_dir(), example
            written = [Path(line) for line in out.split()]
            assert written and all(p.is_file() and p.parent == output for p in written)
            if words[words.index("--format") + 1] == "xlsx":
                assert len(list(load_workbook(written[0], read_only=True)["resident"].rows)) > SMALL_DEMO
            else:
                assert len((output / "resident.jsonl").read_text(encoding="utf-8").splitlines()) >= SMALL_DEMO
        elif command == "backup":
            assert Path(out.strip()).is_file() and Path(out.strip()).parent.parent == _demo_file(demo_home).parent
        else:
            pytest.fail(f"no check for the README example {example!r}")
    # All of it on the default demo, none on the real database.
    assert _demo_file(demo_home).is_file() and not (demo_home / "wijkwerk.db").exists()


def test_demo_option_is_the_demo_that_wijkwerk_demo_opens(
    demo_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkwerk_tui import cli

    opened: list[Path] = []
    monkeypatch.setattr(cli, "_run", lambda path: opened.append(path) or 0)
    assert cli.main(["demo"]) == 0
    assert cli.main(["--demo"]) == 0
    assert cli.main(["--demo", "run"]) == 0
    assert opened == [_demo_file(demo_home)] * 3
    assert capsys.readouterr().err.count("Demodatabase voorbereiden") == 1


def test_demo_option_passes_the_real_databases_variables_by(
    demo_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkwerk_tui.cli import main

    real = tmp_path / "echt.db"
    monkeypatch.setenv("WIJKWERK_DB", str(real))
    monkeypatch.setenv("WIJKWERK_USER", "Iemand Anders")
    monkeypatch.setenv("WIJKWERK_PASSPHRASE", "niet het demowachtwoord")
    assert main(["--demo", "check"]) == 0, capsys.readouterr().err
    # Another demo worker by name, without a passphrase; the option may follow the command too.
    assert main(["check", "--demo", "--user", "Ineke Oosting"]) == 0, capsys.readouterr().err
    assert "Integriteit: in orde" in capsys.readouterr().out
    assert not real.exists()
    # Without --demo the same variables point at the real database, which is not set up.
    assert main(["check"]) == 1
    assert "nog niet ingericht" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["--demo", "--db", "x.db", "check"], ["check", "--demo", "--db", "x.db"], ["--db", "x.db", "report", "--demo"]],
)
def test_demo_option_with_db_is_refused_in_dutch(
    demo_home: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from wijkwerk_tui.cli import main

    if "report" in argv:
        argv = [*argv, "--from", "1-1-2026", "--to", "31-12-2026"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "kies --demo of --db, niet allebei" in err and "Traceback" not in err
    assert not Path("x.db").exists() and not demo_home.exists()  # nothing built, nothing opened


def test_demo_option_with_the_demo_command_is_refused(demo_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wijkwerk_tui.cli import main

    assert main(["--demo", "demo", "--no-run"]) == 2
    assert "opent de demo al" in capsys.readouterr().err and not demo_home.exists()


def test_readme_report_timing_example_runs_on_a_demo_built_with_db(
    demo_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`wijkwerk --db PATH demo --no-run ...` then `time wijkwerk --db PATH report ...`, smaller."""
    import json
    import re
    import shlex

    from wijkwerk_tui.cli import main

    readme = " ".join(README.read_text(encoding="utf-8").split())
    build = re.search(r"`(wijkwerk --db PATH demo --no-run [^`]*)`", readme)
    report = re.search(r"`time (wijkwerk --db PATH report [^`]*)`", readme)
    assert build and report
    path, result = tmp_path / "d.db", tmp_path / "r.json"

    def argv(example: str) -> list[str]:
        words = [w.replace("PATH", str(path)).replace("/tmp/r.json", str(result)) for w in shlex.split(example)]
        if "--residents" in words:
            words[words.index("--residents") + 1] = "30"
        return words[1:]

    assert main(argv(build.group(1))) == 0 and capsys.readouterr().out.strip() == str(path)
    assert main(argv(report.group(1))) == 0, capsys.readouterr().err
    assert json.loads(result.read_text(encoding="utf-8"))
