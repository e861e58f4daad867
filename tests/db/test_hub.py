"""Store and forward into a real PostgreSQL hub: signed batches, idempotent uploads,
per-item status, hub down, unknown key; and the signed audit export."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlite_utils import Database

from db import audit_trail
from db.database import open_database
from db.demo import ensure_demo
from db.hub.server import HubServer, register
from db.outbox import enqueue, push, status_counts
from tests.conftest import FakeClock
from tests.db.pg_server import postgres_server
from ui.cli import main
from workstation.errors import HubRejected


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    with postgres_server() as value:
        yield value


@pytest.fixture
def hub(dsn: str) -> Iterator[HubServer]:
    server = HubServer(dsn, port=0)
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()
    with psycopg.connect(dsn) as conn:
        conn.execute("TRUNCATE hub_items, hub_workstations")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "sekisho.db")
    ensure_demo(database, FakeClock())
    clock = FakeClock()
    with database.atomic():
        for i in range(25):
            enqueue(database, clock, "encounter", f"E{i:03d}", {"n": i})
        enqueue(database, clock, "bogus", "B1", {})
    yield database
    database.close()


def _register(db: Database, dsn: str) -> None:
    ((key_id, public),) = audit_trail.public_keys(db).items()
    register(dsn, key_id, base64.b64encode(public).decode(), "booth 1")


def test_push_is_idempotent_with_per_item_status(db: Database, hub: HubServer, dsn: str) -> None:
    _register(db, dsn)
    report = push(db, FakeClock(), hub.url, batch_size=10)
    assert (report.batches, report.acknowledged, report.rejected, report.remaining) == (3, 25, 1, 0)
    assert status_counts(db) == {"queued": 0, "sent": 0, "acknowledged": 25, "rejected": 1}
    # A lost answer: items marked sent again are re-uploaded and stored once.
    db.execute("UPDATE outbox SET status = 'sent' WHERE item_type = 'encounter'")
    db.conn.commit()
    assert push(db, FakeClock(), hub.url).acknowledged == 25
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM hub_items").fetchone()[0] == 25
        record = conn.execute("SELECT record FROM hub_items WHERE item_id = 'E007'").fetchone()[0]
    assert record == {"queued": {"n": 7}}


def test_hub_down_keeps_items_queued(db: Database) -> None:
    slept: list[float] = []
    report = push(db, FakeClock(), "http://127.0.0.1:9", retries=3, sleep=slept.append)
    assert report.acknowledged == 0 and report.remaining == 26 and len(report.errors) == 3
    assert slept == [0.5, 1.0]
    assert status_counts(db)["acknowledged"] == 0


def test_unregistered_workstation_refused(db: Database, hub: HubServer) -> None:
    with pytest.raises(HubRejected, match="401"):
        push(db, FakeClock(), hub.url)
    assert status_counts(db)["acknowledged"] == 0


def test_forged_signature_refused(db: Database, hub: HubServer, dsn: str) -> None:
    import urllib.error
    import urllib.request

    _register(db, dsn)
    ((key_id, _),) = audit_trail.public_keys(db).items()
    body = json.dumps({"workstation": key_id, "batch_id": "x", "items": []}).encode()
    request = urllib.request.Request(  # noqa: S310 - our loopback hub
        hub.url + "/batches",
        data=body,
        headers={
            "X-Sekisho-Key-Id": key_id,
            "X-Sekisho-Signature": base64.b64encode(bytes(64)).decode(),
        },
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)  # noqa: S310
    assert refused.value.code == 403


def test_audit_signatures_and_export(
    tmp_path: Path, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    report = audit_trail.verify_signatures(db)
    assert report.ok and report.checked > 0 and report.unsigned == 0
    db.close()
    home = tmp_path
    assert main(["--home", str(home), "audit", "verify"]) == 0
    assert "signatures valid" in capsys.readouterr().out
    out = tmp_path / "audit.jsonl"
    assert main(["--home", str(home), "audit", "export", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    header, entries = lines[0], lines[1:]
    (public,) = header["public_keys"].values()
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public))
    for entry in entries:
        key.verify(base64.b64decode(entry["signature"]), entry["entry_hash"].encode())
    # A forged signature row is caught by verify.
    attacker = open_database(home / "sekisho.db")
    attacker.execute("DROP TRIGGER audit_signatures_no_update")
    with attacker.conn:
        attacker.execute(
            "UPDATE audit_signatures SET signature = ? WHERE seq = 2",
            [base64.b64encode(bytes(64)).decode()],
        )
    attacker.close()
    assert main(["--home", str(home), "audit", "verify"]) == 2
    assert "signature INVALID at entry 2" in capsys.readouterr().out
