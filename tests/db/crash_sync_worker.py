"""Applies watchlist snapshots or pushes the outbox in a loop, for the SIGKILL tests.

``apply PATH``: applies snapshot after snapshot (version n's content is seeded by n) and
prints each version once it is committed. ``push PATH URL``: pushes in small batches.
"""

from __future__ import annotations

import sys
from pathlib import Path

from db.database import open_database
from db.outbox import push
from db.watchlist_sync import apply_bundle, cleanup, current_version
from ui.cli_watchlist import synthetic_records
from workstation.ports import SystemClock
from workstation.watchlist_source import encode_delta, encode_snapshot


def size_of(version: int) -> int:
    return 600 + (version * 37) % 400


def main(mode: str, path: str, url: str = "") -> None:
    clock = SystemClock()
    db = open_database(Path(path))
    if mode == "push":
        while push(db, clock, url, batch_size=5, retries=1).remaining:
            pass
        print("done", flush=True)
        return
    cleanup(db)
    while True:
        version = current_version(db) + 1
        records = synthetic_records(size_of(version), seed=version)
        if version % 3 == 0:
            before = synthetic_records(size_of(version - 1), seed=version - 1)
            bundle = encode_delta(version, version - 1, clock.now(), before, records)
        else:
            bundle = encode_snapshot(version, clock.now(), records)
        apply_bundle(db, bundle, clock, "crash")
        print(version, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
