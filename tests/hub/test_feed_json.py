"""The pull answer is JSON the hub puts together from stored text (issue 17: a joining laptop
pulls 1.3 million changes, and parsing and re-encoding each change's fields took most of the
hub's time). Whatever the stored strings hold, the answer must read back as the same values."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from wijkwerk_tui.db.sync_tables import HubChange, core
from wijkwerk_tui.hub import api, feed
from wijkwerk_tui.hub.serve import hub_engine

_CHANGE = core(HubChange)
# What a laptop could put into the strings the hub keeps: quotes, backslashes, control and
# format characters, any letter (no lone surrogates: PostgreSQL's text cannot hold them).
_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=36)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    device=_TEXT,
    hlc=_TEXT,
    note=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
    worker=st.none() | st.uuids(),
)
def test_issue17_the_pulled_page_reads_back_as_the_stored_values(
    pg_url: str, device: str, hlc: str, note: str, worker: uuid.UUID | None
) -> None:
    engine = hub_engine(pg_url)
    try:
        fields = {"note": note, "step": 3, "deleted_at": None}
        stored = json.dumps(fields, ensure_ascii=False, sort_keys=True)  # as `changes.log_row` writes them
        change_id, row_id = uuid.uuid4(), uuid.uuid4()
        with engine.begin() as connection:
            connection.execute(delete(_CHANGE))
            connection.execute(
                insert(_CHANGE).values(
                    change_id=change_id,
                    device_id=device,
                    worker_id=worker,
                    table_name="ladderstep",
                    row_id=row_id,
                    kind="insert",
                    fields=stored,
                    version=2,
                    hlc=hlc,
                    received_at=datetime.now(UTC),
                )
            )
        text, count, more, _last = feed.changes_after(engine, 0)
        [change] = json.loads(text)
        assert (count, more) == (1, False)
        assert change == {
            "seq": change["seq"],
            "id": str(change_id),
            "table": "ladderstep",
            "row": str(row_id),
            "kind": "insert",
            "fields": fields,
            "version": 2,
            "hlc": hlc,
            "device": device,
            "worker": str(worker) if worker else None,
        }
        # And as the API answers it: the page spliced into the rest of the answer.
        body = api._respond({"changes": api.Spliced(text), "more": more, "klok": hlc}).body
        assert json.loads(body) == {"changes": [change], "more": False, "klok": hlc}
    finally:
        engine.dispose()


def test_issue17_an_answer_without_a_page_is_plain_json() -> None:
    assert json.loads(api._respond({"fout": 'een "fout"', "code": ""}).body) == {"fout": 'een "fout"', "code": ""}
    assert json.loads(api._respond({"changes": api.Spliced("[]")}).body) == {"changes": []}
