"""The retention period is applied at the hub, by every laptop's contacts: a resident who has
not come to this village hall for years but still comes to another one is kept."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from wijkwerk_tui.cli import main
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import report, retention
from wijkwerk_tui.services import privacy, sync
from wijkwerk_tui.store import contacts, residents, settings


def test_issue17_the_hub_anonymises_by_every_laptops_contacts_and_the_laptops_follow(
    tmp_path: Path, hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock(datetime.now(UTC))
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, clock)
    settings.save_organisation_settings(a.db, a.worker_id, organisation="W", lock_minutes=10, retention_years=3)
    gone = residents.add_resident(a.db, a.worker_id, PersonalData("Geert", "", "Oud", 1930), None)
    seen = residents.add_resident(a.db, a.worker_id, PersonalData("Kees", "", "Wolters", 1940), None)
    for person in (gone, seen):
        contacts.add_contact(a.db, a.worker_id, person.id, contacts.ContactData(date(2019, 3, 4)))
    sync.sync(a.db)
    sync.sync(b.db)
    # Kees still comes to the other village hall; its coordinator shortens the term there.
    contacts.add_contact(b.db, b.worker_id, seen.id, contacts.ContactData(date(2026, 10, 1)))
    settings.save_organisation_settings(b.db, b.worker_id, organisation="W", lock_minutes=10, retention_years=2)
    sync.sync(b.db)
    with pytest.raises(privacy.DecidedAtHub):
        privacy.retention_sweep(a.db, a.worker_id)  # laptop a alone would have taken Kees too

    laptops.joined(tmp_path, "c", hub.url, hub.database, clock)  # joined, never synced: its contacts unknown

    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    assert main(["hub", "retention", "--user", "Sanne Kuiper"]) == 0
    said = capsys.readouterr().out
    assert "1 inwoner heeft langer dan 2 jaar geen contact" in said
    assert "ingesteld door Sanne Kuiper op laptop b" in said  # the operator sees who set the period
    assert "1 gekoppelde laptop synchroniseerde al meer dan twee weken niet" in said
    assert residents.get_resident(a.db, None, gone.id, audited=False).anonymised_at is None  # only counted
    yes = ["hub", "retention", "--user", "Sanne Kuiper", "--yes"]
    assert main(["hub", "retention", "--user", "Niemand", "--yes", "--jaar", "2"]) == 1
    assert "mag de bewaartermijn toepassen" in capsys.readouterr().err
    for wrong in ([], ["--jaar", "7"]):  # the period is confirmed, not assumed
        assert main([*yes, *wrong]) == 2
        assert "Bevestig met --jaar 2" in capsys.readouterr().err
    assert main([*yes, "--jaar", "2"]) == 1  # laptop c may hold contacts the hub has not seen
    said = capsys.readouterr().err
    assert "laatst gezien: nog nooit" in said
    assert "laat zijn oude id achter" in said  # (what to do after a restore)
    hub_db = report.hub_database(hub.database)
    try:  # the term changed by a push between the count and the sweep: nothing happens
        with pytest.raises(DomainError, match="net veranderd"):
            retention.sweep(hub_db, report.coordinator(hub_db, "Sanne Kuiper"), datetime.now(UTC), 3)
    finally:
        hub_db.close()
    assert residents.get_resident(a.db, None, gone.id, audited=False).anonymised_at is None
    sync.sync(a.db)  # (nothing was erased yet: nothing comes)
    assert residents.get_resident(a.db, None, gone.id, audited=False).anonymised_at is None
    assert main([*yes, "--jaar", "2", "--negeer-stille-laptops"]) == 0
    assert "1 inwoner geanonimiseerd" in capsys.readouterr().out
    for laptop in (a, b):
        sync.sync(laptop.db)
        erased = residents.get_resident(laptop.db, None, gone.id, audited=False)
        assert erased.anonymised_at is not None and "Oud" not in (erased.family_name, erased.given_name)
        kept = residents.get_resident(laptop.db, None, seen.id, audited=False)
        assert (kept.anonymised_at, kept.family_name) == (None, "Wolters")
