"""`sekisho bench`: our figures beside a reference measured in the same process."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ui.benchmarks import BenchRow


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_decision_store(quick: bool) -> list[BenchRow]:
    """Whole landing cases through the real workflow and store; the decision write is timed.

    Reference: a bare sqlite3 INSERT + COMMIT of one row in the same WAL/FULL configuration,
    i.e. the cost of one fsync'd transaction on this disk.
    """
    from db.database import open_database
    from db.demo import ensure_demo
    from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
    from devices.documents.fake import SimulatedDocumentReader
    from devices.fingerprint.fake import SimulatedFingerprintScanner
    from workstation.captures import FaceCapture
    from workstation.decisions import Decision, DecisionKind
    from workstation.landing import LandingExamination
    from workstation.ports import SystemClock

    runs = 40 if quick else 200
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        ensure_demo(db, clock)
        operators = SqliteOperators(db, clock)
        found = operators.find("inspector")
        if found is None:
            raise RuntimeError("demo operator missing")
        store, watchlist = SqliteInspectionStore(db, clock), SqliteWatchlist(db, clock)
        reader, scanner = SimulatedDocumentReader(), SimulatedFingerprintScanner()
        face = FaceCapture(b"\x89PNG" + bytes(40_000), "image/png", 640, 480, clock.now())
        policy = operators.load_policy()
        decision = Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D")
        timings: list[float] = []
        case_times: list[float] = []
        for _ in range(runs):
            reader.select(4)  # the clean specimen
            started = time.perf_counter()
            exam = LandingExamination.start(
                store, watchlist, clock, policy, found[0], training=True
            )
            exam.read_document(reader)
            exam.record_face(face)
            exam.capture_fingerprints(scanner)
            exam.run_checks()
            t0 = time.perf_counter()
            exam.decide(decision)
            t1 = time.perf_counter()
            timings.append(t1 - t0)
            case_times.append(t1 - started)
        db.close()

        ref_path = Path(tmp) / "reference.db"
        conn = sqlite3.connect(ref_path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        conn.commit()
        reference: list[float] = []
        for i in range(runs):
            t0 = time.perf_counter()
            conn.execute("INSERT INTO t (v) VALUES (?)", [str(i)])
            conn.commit()
            reference.append(time.perf_counter() - t0)
        conn.close()
    return [
        BenchRow(
            "decision + audit + outbox stored (fsync), p50",
            _ms(statistics.median(timings)),
            _ms(statistics.median(reference)) + " (bare fsync'd insert)",
        ),
        BenchRow(
            "decision + audit + outbox stored (fsync), p99",
            _ms(_percentile(timings, 0.99)),
            _ms(_percentile(reference, 0.99)) + " (bare fsync'd insert)",
            "<= 20 ms",
        ),
        BenchRow(
            "landing case, system time (simulated devices, no delay), p50",
            _ms(statistics.median(case_times)),
            "",
            "<= 1500 ms",
        ),
    ]


def bench_landing_with_face(quick: bool) -> list[BenchRow]:
    """A whole landing case including face 1:1 against the chip photo (dlib, 2 encodings).

    Reference: the same case without the face check, in the same run.
    """
    from db.database import open_database
    from db.demo import ensure_demo
    from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
    from devices.camera.fake import SimulatedCamera
    from devices.documents.fake import SimulatedDocumentReader
    from devices.fingerprint.fake import SimulatedFingerprintScanner
    from ui.app import build_face_verifier
    from ui.landing import encode_png
    from workstation.captures import FaceCapture
    from workstation.decisions import Decision, DecisionKind
    from workstation.face.verification import FaceVerifier
    from workstation.landing import LandingExamination
    from workstation.ports import SystemClock

    runs = 3 if quick else 10
    clock = SystemClock()
    frame = SimulatedCamera().capture()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        ensure_demo(db, clock)
        operators = SqliteOperators(db, clock)
        found = operators.find("inspector")
        if found is None:
            raise RuntimeError("demo operator missing")
        policy = operators.load_policy()
        verifier = build_face_verifier(policy)
        if verifier is None:
            return [BenchRow("landing case with face 1:1", "skipped: dlib not installed")]
        store, watchlist = SqliteInspectionStore(db, clock), SqliteWatchlist(db, clock)
        reader, scanner = SimulatedDocumentReader(), SimulatedFingerprintScanner()
        decision = Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D")
        verifier.verify(encode_png(frame), reader.document(0).portrait)  # load the models

        def case(face: FaceVerifier | None) -> float:
            reader.select(0)
            if face is not None:
                face.forget()  # every traveller brings a new face and a new chip photo
            started = time.perf_counter()
            capture = FaceCapture(
                encode_png(frame), "image/png", frame.width, frame.height, clock.now()
            )
            exam = LandingExamination.start(
                store,
                watchlist,
                clock,
                policy,
                found[0],
                training=True,
                face=face,
            )
            exam.read_document(reader)
            exam.record_face(capture)
            exam.capture_fingerprints(scanner)
            exam.run_checks()
            exam.decide(decision)
            return time.perf_counter() - started

        with_face = [case(verifier) for _ in range(runs)]
        without = [case(None) for _ in range(runs)]
        db.close()
    return [
        BenchRow(
            "landing case incl. face 1:1 (1280x960 live vs chip photo), p50",
            _ms(statistics.median(with_face)),
            _ms(statistics.median(without)) + " (same case, no face check)",
            "<= 1500 ms",
        )
    ]


def bench_startup(quick: bool) -> list[BenchRow]:
    """Process start to the login screen shown (offscreen), as a child process."""
    runs = 2 if quick else 5
    times: list[float] = []
    ref: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SEKISHO_HOME=tmp, QT_QPA_PLATFORM="offscreen")
        command = [sys.executable, "-m", "ui", "run", "--demo", "--simulate-devices"]
        if getattr(sys, "frozen", False):
            command = [sys.executable, "run", "--demo", "--simulate-devices"]
        for i in range(runs + 1):
            t0 = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own interpreter and arguments
                [*command, "--startup-probe"], env=env, check=True, capture_output=True
            )
            if i:  # the first run creates the database
                times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            ref.append(time.perf_counter() - t0)
    return [
        BenchRow(
            "start-up to login screen (offscreen)",
            _ms(statistics.median(times)),
            _ms(statistics.median(ref)) + " (bare interpreter start)",
            "<= 3000 ms",
        )
    ]


def _extension_groups(quick: bool) -> dict[str, Callable[[], list[BenchRow]]]:
    groups: dict[str, Callable[[], list[BenchRow]]] = {}
    for name, module in (
        ("face", "ui.cli_face"),
        ("finger", "ui.cli_finger"),
        ("documents", "ui.cli_documents"),
        ("watchlist", "ui.cli_watchlist"),
        ("outbox", "ui.cli_outbox"),
    ):
        try:
            rows = __import__(module, fromlist=["bench_rows"]).bench_rows
        except ImportError:
            continue
        if "quick" in inspect.signature(rows).parameters:
            groups[name] = functools.partial(rows, quick=quick)
        else:
            groups[name] = rows
    return groups


def run_benchmarks(quick: bool = False, only: str | None = None) -> list[BenchRow]:
    groups: dict[str, Callable[[], list[BenchRow]]] = {
        "store": lambda: bench_decision_store(quick),
        "landing": lambda: bench_landing_with_face(quick),
        "startup": lambda: bench_startup(quick),
        **_extension_groups(quick),
    }
    if only is not None and only not in groups:
        raise SystemExit(f"unknown benchmark group {only!r}; one of {', '.join(groups)}")
    rows: list[BenchRow] = []
    for name, group in groups.items():
        if only is None or name == only:
            rows.extend(group())
    return rows


def print_table(rows: list[BenchRow]) -> None:
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    headers = ("measure", "sekisho", "reference (same run)", "target")
    table = [headers, *((r.measure, r.ours, r.reference, r.target) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    print(f"sekisho bench  {stamp}  {os.cpu_count()} cores")
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
