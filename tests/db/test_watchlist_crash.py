"""Kill -9 during watchlist applies and outbox pushes, at random moments: nothing lost,
nothing applied twice, the database opens cleanly."""

from __future__ import annotations

import base64
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from db import audit_trail, name_index
from db.database import open_database
from db.demo import ensure_demo
from db.hub.server import HubServer, register
from db.outbox import enqueue, status_counts
from db.watchlist_sync import current_version
from tests.conftest import REPO, FakeClock
from tests.db.crash_sync_worker import size_of
from tests.db.pg_server import postgres_server

KILLS = 20
pytestmark = pytest.mark.slow


def _run_and_kill(args: list[str], delay: float, wait_first: bool = False) -> list[str]:
    """Start the worker; with ``wait_first``, once it has acknowledged one step (so it is
    in steady state), let it run ``delay`` more seconds; then SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.db.crash_sync_worker", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert process.stdout is not None
    first = process.stdout.readline() if wait_first else b""
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    out, _ = process.communicate()
    return (first + out).decode().split()


def test_sigkill_during_watchlist_apply(tmp_path: Path) -> None:
    path = tmp_path / "wl.db"
    open_database(path).close()
    rng = random.Random(4)  # noqa: S311 - reproducible kill moments
    acknowledged: list[int] = []
    for _ in range(KILLS):
        acknowledged += [
            int(v) for v in _run_and_kill(["apply", str(path)], rng.uniform(0.0, 1.0), True)
        ]
    db = open_database(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    version = current_version(db)
    assert acknowledged and max(acknowledged) <= version  # nothing acknowledged was lost
    versions = [r[0] for r in db.execute("SELECT version FROM watchlist_versions ORDER BY version")]
    assert versions == list(range(1, version + 1))  # each applied exactly once, in order
    persons = db.execute("SELECT count(*) FROM watchlist_persons").fetchone()[0]
    assert persons == size_of(version)  # the live tables are exactly the last version
    keys = db.execute(
        "SELECT count(DISTINCT entry & ?) FROM watchlist_name_index", [name_index.MAX_ROWID]
    ).fetchone()[0]
    assert keys == persons  # every person of the last version indexed, nobody else
    assert audit_trail.verify(db).ok
    db.close()


@pytest.fixture(scope="module")
def hub() -> Iterator[tuple[HubServer, str]]:
    with postgres_server() as dsn:
        server = HubServer(dsn, port=0)
        server.start_background()
        yield server, dsn
        server.shutdown()
        server.server_close()


def test_sigkill_during_outbox_push(tmp_path: Path, hub: tuple[HubServer, str]) -> None:
    server, dsn = hub
    path = tmp_path / "out.db"
    db = open_database(path)
    ensure_demo(db, FakeClock())
    with db.atomic():
        for i in range(400):
            enqueue(db, FakeClock(), "encounter", f"E{i:04d}", {"n": i})
    ((key_id, public),) = audit_trail.public_keys(db).items()
    register(dsn, key_id, base64.b64encode(public).decode())
    db.close()
    rng = random.Random(9)  # noqa: S311
    for _ in range(KILLS):
        _run_and_kill(["push", str(path), server.url], rng.uniform(0.5, 1.2))
    assert "done" in _run_and_kill(["push", str(path), server.url], 15.0)
    db = open_database(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert status_counts(db) == {"queued": 0, "sent": 0, "acknowledged": 400, "rejected": 0}
    db.close()
    with psycopg.connect(dsn) as conn:
        assert conn.execute(
            "SELECT count(*), count(DISTINCT item_id) FROM hub_items"
        ).fetchone() == (400, 400)
