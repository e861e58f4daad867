"""`sekisho watchlist ...`: keys, publishing, TUF-verified sync and status; bench rows."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from ui.benchmarks import BenchRow
from ui.context import Options, data_home
from workstation.errors import StorageError
from workstation.ports import SystemClock

TRUST_DIR = "watchlist-trust"


def _options(args: argparse.Namespace) -> Options:
    return Options(home=Path(args.home) if args.home else data_home())


def _cmd_init_keys(args: argparse.Namespace) -> int:
    from db.watchlist_repo import init_keys

    root = init_keys(Path(args.dir), SystemClock().now())
    print(f"keys and trusted root written: {root}")
    print("hand root.json to each workstation for its first sync; keep root.ed25519.pem offline")
    return 0


def _template_maker(args: argparse.Namespace) -> Any:
    """``records -> report``: face and finger templates for the bundle, with the encoders
    the workstations use; ``None`` with ``--no-templates``."""
    if args.no_templates:
        return None
    from devices.biometrics.dlib_encoder import DlibFaceEncoder
    from devices.fingerprint.nbis_backend import NbisMinutiaeExtractor
    from workstation.watchlist_biometrics import add_templates

    face, finger = DlibFaceEncoder(), NbisMinutiaeExtractor()

    def make(records: dict[Any, Any]) -> None:
        report = add_templates(records, face.encode, finger.extract)
        print(f"templates computed: {report.faces} face, {report.fingers} finger")
        for key in report.unsearchable:
            print(f"no template for {key}: no face or finger found; it cannot be searched")

    return make


def _cmd_publish(args: argparse.Namespace) -> int:
    from db.watchlist_repo import publish

    result = publish(
        Path(args.source),
        Path(args.repo),
        Path(args.keys),
        SystemClock().now(),
        enrich=_template_maker(args),
    )
    deltas = ", ".join(f"from v{b}" for b in sorted(result.deltas)) or "none"
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    print(f"published watchlist v{result.version}: {counts}; deltas {deltas}")
    return 0


def _cmd_rotate(args: argparse.Namespace) -> int:
    from db.watchlist_repo import rotate_key

    version = rotate_key(Path(args.keys), args.role, SystemClock().now())
    print(f"{args.role} key replaced; root v{version} written; publish to distribute it")
    return 0


def _cmd_sync(args: argparse.Namespace) -> int:
    from db.watchlist_repo import sync
    from ui.cli_db import open_for_command

    options = _options(args)
    root = Path(args.root).read_bytes() if args.root else None
    db = open_for_command(options)
    try:
        result = sync(db, SystemClock(), args.source, options.home / TRUST_DIR, root)
    finally:
        db.close()
    if result is None:
        print("watchlist already current")
    else:
        print(
            f"watchlist v{result.version} applied ({result.kind}, {result.seconds:.2f} s): "
            f"{result.counts.get('person', 0)} persons"
        )
    return 0


def status(options: Options) -> dict[str, object]:
    """Version, publication time, age and counts of the local watchlist."""
    from db.store import SqliteOperators, SqliteWatchlist
    from ui.cli_db import open_for_command
    from workstation.watchlist import freshness

    clock = SystemClock()
    db = open_for_command(options)
    try:
        watchlist = SqliteWatchlist(db, clock)
        version = watchlist.current_version()
        counts = watchlist.counts()
        policy = SqliteOperators(db, clock).load_policy()
        source = db.execute(
            "SELECT source, applied_at FROM watchlist_versions ORDER BY version DESC LIMIT 1"
        ).fetchone()
    finally:
        db.close()
    now = clock.now()
    return {
        "version": version.version,
        "published_at": version.published_at.isoformat() if version.version else None,
        "age_seconds": int(version.age(now).total_seconds()) if version.version else None,
        "freshness": freshness(version, now, policy).value,
        "warn_hours": policy.watchlist_warn_hours,
        "block_hours": policy.watchlist_block_hours,
        "source": source[0] if source else None,
        "applied_at": source[1] if source else None,
        "counts": counts,
    }


def _cmd_status(args: argparse.Namespace) -> int:
    report = status(_options(args))
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 0
    if not report["version"]:
        print("no watchlist applied")
        return 1
    age = dt.timedelta(seconds=int(report["age_seconds"] or 0))  # type: ignore[call-overload]
    print(f"watchlist v{report['version']}, published {report['published_at']}")
    print(
        f"age {age} ({report['freshness']}; warns after {report['warn_hours']} h, "
        f"blocks decisions after {report['block_hours']} h)"
    )
    counts = report["counts"]
    assert isinstance(counts, dict)  # noqa: S101 - built above
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("watchlist", help="signed watchlist distribution")
    sub = parser.add_subparsers(dest="watchlist_command", metavar="ACTION", required=True)

    init = sub.add_parser("init-keys", help="create TUF role keys and the trusted root.json")
    init.add_argument("dir")
    init.set_defaults(func=_cmd_init_keys)

    pub = sub.add_parser("publish", help="sign the next version (snapshot and deltas)")
    pub.add_argument("source", help="source folder (CSV + images) or JSON file")
    pub.add_argument("--repo", required=True, help="repository folder to publish into")
    pub.add_argument("--keys", required=True, help="keys folder from init-keys")
    pub.add_argument(
        "--no-templates",
        action="store_true",
        help="ship images only; workstations then encode the references when loading them",
    )
    pub.set_defaults(func=_cmd_publish)

    rot = sub.add_parser("rotate-key", help="replace a role's key through a new root version")
    rot.add_argument("role", choices=("root", "targets", "snapshot", "timestamp"))
    rot.add_argument("--keys", required=True)
    rot.set_defaults(func=_cmd_rotate)

    syn = sub.add_parser("sync", help="fetch, verify (TUF) and apply the newest watchlist")
    syn.add_argument("source", metavar="URL_OR_DIR")
    syn.add_argument("--root", help="trusted root.json (first sync only)")
    syn.set_defaults(func=_cmd_sync)

    st = sub.add_parser("status", help="version, age and counts of the local watchlist")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=_cmd_status)


# Benchmarks


def synthetic_records(count: int, seed: int = 1) -> dict[tuple[str, str], dict[str, Any]]:
    """``count`` invented persons (Latin names, dates, one document each); no real data."""
    import random

    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    syllables = ["ka", "ri", "mo", "ta", "ne", "su", "lo", "vi", "an", "el", "or", "ga", "be"]
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for i in range(count):
        surname = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).upper()
        given = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).upper()
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 25_000))
        entry_id = f"S{i:08d}"
        records[("person", entry_id)] = {
            "t": "person",
            "k": entry_id,
            "d": {
                "surname": surname,
                "given_names": given,
                "native_surname": "",
                "native_given_names": "",
                "birth_date": birth.isoformat(),
                "nationality": "UTO",
                "category": "interest",
                "severity": 1 + i % 5,
                "action": ("refuse", "refer", "notify")[i % 3],
                "document_numbers": [f"D{i:08d}"],
            },
        }
    return records


def _apply_file(database: str, bundle: str, started: Any, result: Any) -> None:
    """Child process of the bench: apply a bundle file as ``sekisho watchlist sync`` would,
    in a process of its own."""
    from db.database import open_database
    from db.watchlist_sync import apply_bundle

    data = Path(bundle).read_bytes()
    db = open_database(database, migrate=False)
    try:
        started.set()
        result.put(apply_bundle(db, data, SystemClock(), "bench").seconds)
    finally:
        db.close()


def _probes(records: dict[tuple[str, str], dict[str, Any]], count: int) -> list[tuple[str, Any]]:
    """Documents of listed persons with one letter of the surname changed (the search must
    still find them), spread over the list."""
    from workstation.documents import DataSource, DocumentData, DocumentKind

    persons = [r for r in records.values() if r["t"] == "person"]
    probes = []
    for i in range(count):
        person = persons[(i * 7919) % len(persons)]
        d = person["d"]
        surname = d["surname"]
        middle = len(surname) // 2
        typo = surname[:middle] + ("X" if surname[middle] != "X" else "Q") + surname[middle + 1 :]
        probes.append(
            (
                person["k"],
                DocumentData(
                    DocumentKind.PASSPORT,
                    f"N{i:08d}",
                    typo,
                    d["given_names"],
                    "UTO",
                    dt.date.fromisoformat(d["birth_date"]),
                    "M",
                    dt.date(2030, 1, 1),
                    "UTO",
                    DataSource.MANUAL,
                ),
            )
        )
    return probes


def bench_rows(quick: bool = False) -> list[BenchRow]:
    """Snapshot apply (1M), delta apply (10k), biographic search idle and while another
    process applies a snapshot (as ``sekisho watchlist sync`` does beside the desktop app)."""
    import multiprocessing

    from db.database import open_database
    from db.store import SqliteWatchlist
    from db.watchlist_sync import apply_bundle
    from workstation.policy import Policy
    from workstation.watchlist import screen
    from workstation.watchlist_source import encode_delta, encode_snapshot, read_bundle

    size = 100_000 if quick else 1_000_000
    clock = SystemClock()
    records = synthetic_records(size)
    now = clock.now()
    snapshot = encode_snapshot(1, now, records)
    changed = dict(records)
    for i in range(0, 20_000, 2):  # 10k changes: 5k persons updated, 5k removed
        key = ("person", f"S{i:08d}")
        if i % 4 == 0:
            del changed[key]
        else:
            record = dict(changed[key])
            record["d"] = dict(record["d"], severity=5)
            changed[key] = record
    delta = encode_delta(2, 1, now, records, changed)
    second = encode_snapshot(3, now, changed)
    probes = _probes(changed, 50)
    del records, changed
    policy = Policy()
    rows: list[BenchRow] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = open_database(path)
        t0 = time.perf_counter()
        for _ in read_bundle(snapshot)[1]:
            pass
        parse_only = time.perf_counter() - t0
        result = apply_bundle(db, snapshot, clock, "bench")
        rows.append(
            BenchRow(
                f"watchlist snapshot apply, {size:,} persons",
                f"{result.seconds:.1f} s",
                f"{parse_only:.1f} s (bundle only decompressed and parsed, one process)",
                "<= 60 s (1M)",
            )
        )
        result = apply_bundle(db, delta, clock, "bench")
        rows.append(
            BenchRow(
                "watchlist delta apply, 10,000 changes", f"{result.seconds:.2f} s", "", "<= 2 s"
            )
        )
        db.close()
        bundle = Path(tmp) / "second.jsonl.gz"
        bundle.write_bytes(second)
        del snapshot, delta, second
        reader = open_database(path, migrate=False)
        watchlist = SqliteWatchlist(reader, clock)
        found = 0

        def search(i: int) -> float:
            nonlocal found
            entry_id, probe = probes[i % len(probes)]
            t0 = time.perf_counter()
            persons, lost = watchlist.candidates(probe, policy)
            hits = screen(probe, persons, lost, policy)
            elapsed = time.perf_counter() - t0
            found += any(h.entry_id == entry_id for h in hits)
            return elapsed

        idle = [search(i) for i in range(200)]
        idle_found, found = found, 0
        lookups = []  # one indexed point lookup per probe: what the disk and SQLite cost
        for _, probe in probes * 4:
            t0 = time.perf_counter()
            reader.execute(
                "SELECT entry_id FROM watchlist_person_documents WHERE document_number = ?",
                [probe.document_number],
            ).fetchall()
            lookups.append(time.perf_counter() - t0)
        context = multiprocessing.get_context("spawn")
        started, answer = context.Event(), context.Queue()
        child = context.Process(target=_apply_file, args=(str(path), str(bundle), started, answer))
        child.start()
        started.wait(120)
        during: list[float] = []
        failed = 0
        versions: set[int] = set()
        while child.is_alive():
            try:
                during.append(search(len(during)))
                versions.add(watchlist.current_version().version)
            except StorageError:
                failed += 1
        child.join()
        applied = answer.get(timeout=10) if child.exitcode == 0 else None
        reader.close()
    rows.append(
        BenchRow(
            f"biographic search p50 / p99, idle ({size:,} persons; "
            f"{idle_found} of {len(idle)} one-typo probes found)",
            f"{statistics.median(idle) * 1000:.1f} / {_p99(idle) * 1000:.1f} ms",
            f"{statistics.median(lookups) * 1000:.2f} ms (document-number lookup)",
        )
    )
    switched = "switched to the new version" if len(versions) > 1 else "no version switch seen"
    rows.append(
        BenchRow(
            "biographic search p50 / p99 while another process applies a snapshot "
            f"({len(during)} answered, {failed} failed; {switched})",
            f"{statistics.median(during) * 1000:.1f} / {_p99(during) * 1000:.1f} ms"
            if during
            else "no search ran",
            f"that apply: {applied:.1f} s" if applied is not None else "that apply failed",
            "answered throughout",
        )
    )
    return rows


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
