"""`sekisho outbox push|status|key`: store and forward to the hub."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

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
