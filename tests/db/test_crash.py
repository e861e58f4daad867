"""Kill -9 while decisions are being recorded: nothing acknowledged is lost, nothing corrupt."""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

from db import audit_trail
from db.database import open_database
from db.demo import ensure_demo
from tests.conftest import REPO
from workstation.ports import SystemClock

KILLS = 50


def _run_and_kill(db_path: Path, delay: float) -> list[str]:
    """Start the writer; once it has acknowledged its first decision (so it is writing in
    steady state), let it run ``delay`` more seconds, then SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.db.crash_writer", str(db_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    assert process.stdout is not None
    buffer = b""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 30
    while b"\n" not in buffer and time.monotonic() < deadline:
        if selector.select(1.0):
            buffer += os.read(process.stdout.fileno(), 65536)
    deadline = time.monotonic() + delay
    while (remaining := deadline - time.monotonic()) > 0:
        if selector.select(remaining):
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Lines printed before the kill are acknowledged even if we had not read them yet.
    buffer += process.stdout.read()
    selector.close()
    return [line for line in buffer.decode().split("\n") if line]


def test_sigkill_loses_no_acknowledged_decision(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.db"
    db = open_database(db_path)
    ensure_demo(db, SystemClock())
    db.close()
    rng = random.Random(20261122)  # noqa: S311 - reproducible kill moments, not security
    acknowledged: list[str] = []
    for _ in range(KILLS):
        acknowledged += _run_and_kill(db_path, rng.uniform(0.0, 0.25))
    assert len(acknowledged) >= KILLS  # every run acknowledged at least one decision

    db = open_database(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in db.execute("SELECT case_id FROM decisions")}
    missing = [case_id for case_id in acknowledged if case_id not in stored]
    assert missing == []
    outbox = {r[0] for r in db.execute("SELECT item_id FROM outbox WHERE item_type = 'decision'")}
    assert stored == outbox  # a decision and its outbox item are one transaction
    report = audit_trail.verify(db)
    assert report.ok, report
    db.close()
