"""`sekisho outbox push|status|key`: store and forward to the hub."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from ui.benchmarks import BenchRow
from ui.context import Options, data_home
from workstation.ports import SystemClock


def _options(args: argparse.Namespace) -> Options:
    return Options(home=Path(args.home) if args.home else data_home())


def _cmd_push(args: argparse.Namespace) -> int:
    from db.outbox import push
    from ui.cli_db import open_for_command

    db = open_for_command(_options(args))
    try:
        report = push(db, SystemClock(), args.url, batch_size=args.batch, retries=args.retries)
    finally:
        db.close()
    print(
        f"{report.batches} batches: {report.acknowledged} acknowledged, "
        f"{report.rejected} rejected, {report.remaining} still to send"
    )
    for error in report.errors[-3:]:
        print(f"  {error}")
    return 0 if report.remaining == 0 else 1


def _cmd_status(args: argparse.Namespace) -> int:
    from db.outbox import items, status_counts
    from ui.cli_db import open_for_command

    db = open_for_command(_options(args))
    try:
        counts, recent = status_counts(db), items(db, limit=args.limit)
    finally:
        db.close()
    if args.json:
        print(json.dumps({"counts": counts, "items": recent}, indent=2))
        return 0
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    for item in recent:
        print(
            f"{item['id']:>6}  {item['item_type']:<10} {item['item_id']}  {item['status']:<12} "
            f"attempts {item['attempts']}  {item['detail'] or ''}".rstrip()
        )
    return 0


def _cmd_key(args: argparse.Namespace) -> int:
    from db.audit_trail import public_keys
    from ui.cli_db import open_for_command

    db = open_for_command(_options(args))
    try:
        keys = public_keys(db)
    finally:
        db.close()
    import base64

    for key_id, public in keys.items():
        print(f"{key_id} {base64.b64encode(public).decode()}")
    return 0


def _cmd_purge(args: argparse.Namespace) -> int:
    from db.retention import purge_closed_cases
    from db.store import SqliteOperators
    from ui.cli_db import open_for_command

    db = open_for_command(_options(args))
    try:
        clock = SystemClock()
        policy = SqliteOperators(db, clock).load_policy()
        count = purge_closed_cases(db, clock, policy, "admin")
    finally:
        db.close()
    print(f"{count} closed cases older than {policy.retention_days} days purged")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("outbox", help="store and forward to the hub")
    sub = parser.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    push = sub.add_parser("push", help="upload queued items in signed batches")
    push.add_argument("url", help="hub URL, e.g. http://hub.example:8470")
    push.add_argument("--batch", type=int, default=100)
    push.add_argument("--retries", type=int, default=3)
    push.set_defaults(func=_cmd_push)
    status = sub.add_parser("status", help="counts per status and the newest items")
    status.add_argument("--limit", type=int, default=20)
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_cmd_status)
    key = sub.add_parser("key", help="print this workstation's key ID and public key")
    key.set_defaults(func=_cmd_key)
    retention = subparsers.add_parser("retention", help="records retention")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    purge = retention_sub.add_parser("purge", help="purge closed cases past the policy period")
    purge.set_defaults(func=_cmd_purge)


# Benchmarks


def _sekisho(*args: str) -> list[str]:
    """The command line of this ``sekisho``, frozen or not."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "ui", *args]


def _wait_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the hub exited at start")
        try:
            with urllib.request.urlopen(url + "/health", timeout=1.0):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the hub did not answer")


def _bench_payload(i: int) -> dict[str, Any]:
    """An invented record the size of a landing decision (about 700 bytes); no real data."""
    return {
        "case_id": f"BENCH-{i:08d}",
        "kind": "permit_landing",
        "status_code": "TEMPORARY_VISITOR",
        "period": "P90D",
        "operator_id": "inspector",
        "decided_at": "2026-04-01T09:00:00+00:00",
        "watchlist_version": 12,
        "watchlist_age_seconds": 3600,
        "document": {
            "kind": "passport", "document_number": f"B{i:08d}", "surname": "SPECIMEN",
            "given_names": "BENCH", "nationality": "UTO", "birth_date": "1980-01-01",
            "sex": "F", "expiry_date": "2030-01-01", "issuing_state": "UTO", "source": "chip",
        },
        "checks": [{"code": c, "outcome": "pass"} for c in (
            "mrz_check_digits", "chip_passive_auth", "chip_active_auth", "document_expiry",
            "face_1to1", "fingerprint_1to1", "watchlist_biographic", "watchlist_biometric",
        )],
    }  # fmt: skip


def bench_rows(quick: bool = False) -> list[BenchRow]:
    """Outbox throughput into the hub: ``sekisho outbox push`` of queued records into a
    ``sekisho hub`` backed by a fresh PostgreSQL on loopback, both run as their own
    processes, as in the field.

    Reference: the same records inserted into the same server by one psycopg
    ``executemany`` (PostgreSQL's own ceiling for this row shape here).
    """
    from ui.cli_hub import PostgresUnavailable, loopback_postgres

    count = 2_000 if quick else 20_000
    measure = f"outbox throughput into the hub ({count:,} records, batches of 100)"
    try:
        with loopback_postgres() as dsn:
            ours, reference = _push_throughput(dsn, count)
    except PostgresUnavailable as e:
        return [BenchRow(measure, f"skipped: {e}")]
    return [
        BenchRow(
            measure,
            f"{ours:,.0f} records/s",
            f"{reference:,.0f} records/s (bare psycopg executemany)",
        )
    ]


def _push_throughput(dsn: str, count: int) -> tuple[float, float]:
    """Records per second through push + hub, and through a bare insert."""
    import base64

    import psycopg
    from psycopg.types.json import Jsonb

    from db.audit_trail import public_keys
    from db.database import open_database
    from db.hub.server import register
    from db.outbox import enqueue
    from ui.cli_hub import free_port

    clock = SystemClock()
    with tempfile.TemporaryDirectory() as tmp:
        options = Options(home=Path(tmp))
        db = open_database(options.database_path)
        try:
            with db.atomic():
                for i in range(count):
                    enqueue(db, clock, "encounter", f"BENCH-{i:08d}", _bench_payload(i))
            ((key_id, public),) = public_keys(db).items()
        finally:
            db.close()
        register(dsn, key_id, base64.b64encode(public).decode(), "bench")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        hub = subprocess.Popen(  # noqa: S603 - our own command
            _sekisho("hub", "--db", dsn, "--port", str(port)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_healthy(url, hub)
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own command
                _sekisho("--home", tmp, "outbox", "push", url, "--batch", "100"),
                check=True,
                capture_output=True,
            )
            seconds = time.perf_counter() - started
        finally:
            hub.terminate()
            hub.wait(10)
        with psycopg.connect(dsn) as conn:
            stored = conn.execute("SELECT count(*) FROM hub_items").fetchone()
            if stored is None or stored[0] != count:
                raise RuntimeError("the hub did not store every pushed record")
            conn.execute(
                "CREATE TABLE bench_items (key_id TEXT, item_type TEXT, item_id TEXT, "
                "batch_id TEXT, record JSONB, PRIMARY KEY (key_id, item_type, item_id))"
            )
            rows = [
                (key_id, "encounter", f"BENCH-{i:08d}", "ref", Jsonb({"queued": _bench_payload(i)}))
                for i in range(count)
            ]
            started = time.perf_counter()
            with conn.cursor() as cursor, conn.transaction():
                cursor.executemany("INSERT INTO bench_items VALUES (%s, %s, %s, %s, %s)", rows)
            reference = time.perf_counter() - started
    return count / seconds, count / reference
