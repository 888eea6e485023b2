"""Finding 15: exports are plaintext by design, so they are private (0600 in a 0700 folder),
land in the app's own data folder unless a coordinator chooses another, and the full export
leaves out what is no data about residents: passphrase hashes and intake drafts."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest

from wijkwerk_tui import config
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain import report_build
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.report import Period
from wijkwerk_tui.exchange import full_export, inzage_document, report_files
from wijkwerk_tui.queries import inzage, report_data
from wijkwerk_tui.store import drafts, residents, workers


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _office(db: Database) -> tuple:
    boss = workers.add_worker(db, None, "Anke", "coordinator", passphrase_hash="$argon2id$v=19$geheim")
    someone = residents.add_resident(db, boss.id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    return boss.id, someone.id


def test_hardening_15_report_exports_are_private_in_a_private_folder(db: Database, tmp_path: Path) -> None:
    boss, _ = _office(db)
    built = report_build.build(report_data.load(db, boss, Period(date(2026, 1, 1), date(2026, 12, 31))))
    folder = tmp_path / "nieuw"
    for fmt in report_files.FORMATS:
        written = report_files.write(built, fmt, folder / report_files.default_name(built, fmt))
        assert _mode(written) == 0o600, fmt
    assert _mode(folder) == 0o700


def test_hardening_15_inzage_goes_into_a_private_folder(db: Database, tmp_path: Path) -> None:
    boss, someone = _office(db)
    folder = tmp_path / "inzage"
    for path in inzage_document.write(inzage.collect(db, boss, someone), folder):
        assert _mode(path) == 0o600
    assert _mode(folder) == 0o700


def test_hardening_15_the_default_export_folder_is_the_apps_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(config.EXPORT_ENV, raising=False)
    monkeypatch.setattr(config, "data_dir", lambda: tmp_path / "data")
    assert config.export_dir() == tmp_path / "data" / "exports"  # not Documents (often synced to a cloud)


def test_hardening_15_full_export_leaves_out_passphrase_hashes_and_drafts(db: Database, tmp_path: Path) -> None:
    boss, _ = _office(db)
    drafts.save(db, boss, "intake", {"name": "Half getypte Naam"})
    written = full_export.write(db, boss, "jsonl", tmp_path / "alles")
    names = {p.name for p in written}
    assert "draft.jsonl" not in names and "worker.jsonl" in names
    everything = "".join(p.read_text() for p in written)
    assert "argon2" not in everything and "passphrase_hash" not in everything
    # nor what a passphrase guessed offline would open (key pairs read confidential text)
    assert "wrapped_key" not in everything and '"org_key"' not in everything
    assert "Half getypte Naam" not in everything
    assert [json.loads(line)["name"] for line in (tmp_path / "alles" / "worker.jsonl").read_text().splitlines()] == [
        "Anke"
    ]
    assert all(_mode(p) == 0o600 for p in written) and _mode(tmp_path / "alles") == 0o700
