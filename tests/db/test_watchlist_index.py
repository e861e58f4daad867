"""The packed name index: codes and ranges, keys shipped or computed, deltas keeping the
index equal to a rebuild, the m008 carry-over, and candidate ranking."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from db import name_index
from db.database import open_database
from db.migrations import MIGRATIONS
from db.store import SqliteWatchlist
from db.watchlist_rows import READER_PROCESS_MIN, READERS, Rows, snapshot_batches
from db.watchlist_sync import apply_bundle, current_version
from tests.conftest import FakeClock
from ui.cli_watchlist import synthetic_records
from workstation.documents import DataSource, DocumentData, DocumentKind
from workstation.errors import WatchlistSourceInvalid
from workstation.names import person_keys
from workstation.policy import Policy
from workstation.watchlist import screen
from workstation.watchlist_source import encode_delta, encode_snapshot, read_bundle

NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def _doc(surname: str, given: str, birth: dt.date | None) -> DocumentData:
    return DocumentData(
        DocumentKind.PASSPORT, "NOPE", surname, given, "UTO", birth, "M",
        dt.date(2030, 1, 1), "UTO", DataSource.MANUAL,
    )  # fmt: skip


def _entries(db: Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT entry FROM watchlist_name_index ORDER BY entry")]


def _rebuilt(db: Database) -> list[int]:
    """The index as a rebuild from the stored names gives it (rolled back afterwards)."""
    db.conn.execute("BEGIN")
    try:
        name_index.rebuild(db)
        return _entries(db)
    finally:
        db.conn.rollback()


def _rewrite(bundle: bytes, header: dict[str, object], keys: str | None) -> bytes:
    """The bundle with header fields replaced and each person's shipped keys set to
    ``keys`` (``None``: removed, as in a revision-1 bundle)."""
    lines = gzip.decompress(bundle).decode().splitlines()
    head = json.loads(lines[0]) | header
    records = []
    for line in lines[1:]:
        record = json.loads(line)
        record.pop("n", None)
        if keys is not None and record["t"] == "person":
            record["n"] = keys
        records.append(json.dumps(record))
    return gzip.compress("\n".join([json.dumps(head), *records]).encode() + b"\n")


def test_key_codes_are_distinct_and_malformed_keys_refused() -> None:
    keys = ["p:AAA", "p:ZZZ", "s:AAA", "t:AB", "t:ABA", "t:ZZZ", "p:KAR", "s:KAR"]
    codes = [name_index.key_code(k) for k in keys]
    assert len(set(codes)) == len(codes) and all(0 <= c < 1 << 16 for c in codes)
    for bad in ("p:AB", "t:A", "x:ABC", "p:abc", "p:ABCD", ""):
        with pytest.raises(WatchlistSourceInvalid):
            name_index.key_code(bad)
    with pytest.raises(WatchlistSourceInvalid):
        name_index.entries("p:KAR", None, 1 << 31)


def test_birth_codes_keep_order_and_ranges_select_the_window() -> None:
    dates = [dt.date(1, 1, 1), dt.date(1875, 1, 1), dt.date(1970, 1, 1), dt.date(2054, 12, 31)]
    codes = [name_index.birth_code(d) for d in dates]
    assert codes == sorted(codes) and name_index.birth_code(None) == 0 and codes[0] >= 1
    inside = name_index.entries("p:KAR", "1970-06-01", 7)[0]
    unknown = name_index.entries("p:KAR", None, 8)[0]
    outside = name_index.entries("p:KAR", "1975-01-01", 9)[0]
    other_key = name_index.entries("p:KAS", "1970-06-01", 10)[0]
    ranges = name_index.ranges(["p:KAR"], dt.date(1970, 1, 1), dt.date(1971, 1, 1))

    def selected(entry: int) -> bool:
        return any(low <= entry <= high for low, high in ranges)

    assert [selected(e) for e in (inside, unknown, outside, other_key)] == [
        True, True, False, False,
    ]  # fmt: skip
    assert name_index.rowid_of(inside) == 7 and name_index.birth_of(unknown) == 0
    every = name_index.ranges(["p:KAR"], None, None)
    assert all(any(lo <= e <= hi for lo, hi in every) for e in (inside, unknown, outside))


@pytest.mark.parametrize(
    ("header", "keys"),
    [
        ({"revision": 1, "name_keys": 0}, None),  # an older publisher: no keys shipped
        ({"name_keys": 1}, "t:WRONG p:WRO"),  # keys of another scheme: not used
    ],
)
def test_keys_are_computed_when_not_shipped_for_this_scheme(
    tmp_path: Path, header: dict[str, object], keys: str | None
) -> None:
    records = synthetic_records(300)
    shipped = open_database(tmp_path / "a.db")
    apply_bundle(shipped, encode_snapshot(1, NOW, records), FakeClock(), "t")
    computed = open_database(tmp_path / "b.db")
    bundle = _rewrite(encode_snapshot(1, NOW, records), header, keys)
    assert apply_bundle(computed, bundle, FakeClock(), "t").counts["person"] == 300
    assert _entries(computed) == _entries(shipped) == _rebuilt(computed)
    d = records[("person", "S00000005")]["d"]
    stored = computed.execute(
        "SELECT name_keys FROM watchlist_persons WHERE entry_id = 'S00000005'"
    ).fetchone()[0]
    assert stored == person_keys(d["surname"], d["given_names"])
    shipped.close()
    computed.close()


def test_malformed_shipped_keys_leave_the_previous_version(tmp_path: Path) -> None:
    db = open_database(tmp_path / "w.db")
    records = synthetic_records(200)
    apply_bundle(db, encode_snapshot(1, NOW, records), FakeClock(), "t")
    before = _entries(db)
    bad = _rewrite(encode_snapshot(2, NOW, records), {}, "p:KAR t:!!")
    with pytest.raises(WatchlistSourceInvalid, match="name search key"):
        apply_bundle(db, bad, FakeClock(), "t")
    assert current_version(db) == 1 and _entries(db) == before
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name LIKE '%shadow%'").fetchall()
    db.close()


def test_bundles_ship_keys_and_snapshot_records_drop_them() -> None:
    records = synthetic_records(20)
    header, stream = read_bundle(encode_snapshot(1, NOW, records))
    assert (header.revision, header.name_keys) == (2, 2)
    first = next(stream)
    d = first["d"]
    assert first["n"] == person_keys(d["surname"], d["given_names"])


def test_delta_keeps_the_index_equal_to_a_rebuild(tmp_path: Path) -> None:
    db = open_database(tmp_path / "w.db")
    clock = FakeClock()
    records = synthetic_records(400)
    apply_bundle(db, encode_snapshot(1, NOW, records), clock, "t")
    changed = dict(records)
    del changed[("person", "S00000003")]
    renamed = dict(records[("person", "S00000004")])
    renamed["d"] = dict(renamed["d"], surname="OKONKWO", birth_date="1966-01-30")
    changed[("person", "S00000004")] = renamed
    changed |= {k: v for k, v in synthetic_records(403, seed=9).items() if k[1] >= "S00000400"}
    apply_bundle(db, encode_delta(2, 1, NOW, records, changed), clock, "t")
    assert _entries(db) == _rebuilt(db)
    watchlist = SqliteWatchlist(db, clock)
    doc = _doc("OKONKWQ", renamed["d"]["given_names"], dt.date(1966, 1, 30))
    hits = screen(doc, *watchlist.candidates(doc, Policy()), Policy())
    assert [h.entry_id for h in hits] == ["S00000004"]
    persons = db.execute("SELECT count(*) FROM watchlist_persons").fetchone()[0]
    indexed = db.execute(
        "SELECT count(DISTINCT entry & ?) FROM watchlist_name_index", [name_index.MAX_ROWID]
    ).fetchone()[0]
    assert persons == indexed == 402
    db.close()


def test_candidates_sharing_most_keys_come_first(tmp_path: Path) -> None:
    class FewCandidates(SqliteWatchlist):
        MAX_CANDIDATES = 3

    db = open_database(tmp_path / "w.db")
    people = {
        "A1": ("KARIMOTO", "TANEKO"),  # the one searched for: shares every key
        "A2": ("KARIMOTO", "SUZUKI"),  # shares the surname's keys
        "A3": ("KARLSSON", "ELSA"),  # shares one prefix only
        "A4": ("KARPOV", "ANNA"),
        "A5": ("KARENINA", "ANNA"),
        "A6": ("KARAJAN", "HERBERT"),
    }
    records = {
        ("person", k): {
            "t": "person",
            "k": k,
            "d": {
                "surname": s, "given_names": g, "native_surname": "", "native_given_names": "",
                "birth_date": "1970-01-01", "nationality": "UTO", "category": "x",
                "severity": 1, "action": "notify", "document_numbers": [],
            },
        }
        for k, (s, g) in people.items()
    }  # fmt: skip
    apply_bundle(db, encode_snapshot(1, NOW, records), FakeClock(), "t")
    doc = _doc("KARIMOTO", "TANEKO", dt.date(1970, 2, 1))
    persons, _ = FewCandidates(db, FakeClock()).candidates(doc, Policy())
    assert {p.entry_id for p in persons} >= {"A1", "A2"} and len(persons) == 3
    everyone, _ = SqliteWatchlist(db, FakeClock()).candidates(doc, Policy())
    assert {p.entry_id for p in everyone} == set(people)
    far = _doc("KARIMOTO", "TANEKO", dt.date(1990, 1, 1))
    assert SqliteWatchlist(db, FakeClock()).candidates(far, Policy())[0] == []
    undated = _doc("KARIMOTO", "TANEKO", None)
    assert len(SqliteWatchlist(db, FakeClock()).candidates(undated, Policy())[0]) == 6
    db.close()


def test_m008_indexes_the_persons_it_carries_over(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "old.db"))
    MIGRATIONS.apply(db, stop_before="m008_watchlist_name_index")
    db.execute(
        "INSERT INTO watchlist_persons (entry_id, surname, given_names, native_surname, "
        "native_given_names, birth_date, nationality, category, severity, action) VALUES "
        "('P1', 'YAMADA', 'TAROU', '山田', '太郎', '1990-07-21', 'JPN', 'x', 1, 'notify'), "
        "('P2', 'OKONKWO', 'CHIDI', '', '', NULL, 'UTO', 'x', 4, 'refuse')"
    )
    db.execute("INSERT INTO watchlist_name_keys VALUES ('t:YAMADA', 'P1')")
    # An applied snapshot leaves its indexes renamed with the version.
    db.execute("DROP INDEX wlidx_persons_birth_date")
    db.execute("CREATE INDEX wlidx_persons_birth_date__g3 ON watchlist_persons (birth_date)")
    db.conn.commit()
    MIGRATIONS.apply(db)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "watchlist_name_keys" not in names
    assert not {n for n in names if n.startswith("wlidx_persons_birth_date")}
    assert len(_entries(db)) == len(_rebuilt(db)) > 0
    watchlist = SqliteWatchlist(db, FakeClock())
    native = _doc("やまだ", "たろう", dt.date(1990, 7, 21))
    assert [p.entry_id for p in watchlist.candidates(native, Policy())[0]] == ["P1"]
    typo = _doc("OKONKWA", "CHIDI", dt.date(1950, 1, 1))  # unknown listed birth date
    assert [p.entry_id for p in watchlist.candidates(typo, Policy())[0]] == ["P2"]
    db.close()


def _decoded(batches: list[Rows]) -> tuple[list[list[object]], list[list[object]], set[tuple]]:
    """Rows of the batches without rowids: persons, documents, and index entries as
    (key and birth bits, entry ID)."""
    persons = [row for rows in batches for row in rows.pending["person"]]
    entry_of = {row[0]: row[1] for row in persons}
    index = {(e >> 31, entry_of[name_index.rowid_of(e)]) for rows in batches for e in rows.index}
    docs = sorted(row for rows in batches for row in rows.pending["doc"])
    return sorted(row[1:] for row in persons), docs, index


def test_reader_processes_build_the_same_rows() -> None:
    records = synthetic_records(READER_PROCESS_MIN + 2_345, seed=3)
    data = encode_snapshot(1, NOW, records)
    _, stream = read_bundle(data)
    here = list(snapshot_batches(data, stream, 0, True))  # below the threshold: in process
    _, stream = read_bundle(data)
    forked = list(snapshot_batches(data, stream, len(records), True))
    assert len(forked) > len(here) >= 1
    assert _decoded(forked) == _decoded(here)
    assert len(_decoded(here)[0]) == len(records)


def test_a_malformed_record_read_by_a_reader_process_is_refused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "w.db")
    records = synthetic_records(READER_PROCESS_MIN + 10)
    apply_bundle(db, encode_snapshot(1, NOW, synthetic_records(50)), FakeClock(), "t")
    lines = gzip.decompress(encode_snapshot(2, NOW, records)).decode().splitlines()
    victim = next(i for i, line in enumerate(lines) if '"k":"S00020003"' in line)
    record = json.loads(lines[victim])
    del record["d"]["surname"]
    lines[victim] = json.dumps(record)
    broken = gzip.compress(("\n".join(lines) + "\n").encode())
    with pytest.raises(WatchlistSourceInvalid, match="malformed"):
        apply_bundle(db, broken, FakeClock(), "t")
    assert current_version(db) == 1
    assert db.execute("SELECT count(*) FROM watchlist_persons").fetchone()[0] == 50
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name LIKE '%shadow%'").fetchall()
    db.close()


_BIG_APPLY = """
import sys
from db.database import open_database
from db.watchlist_sync import apply_bundle
from ui.cli_watchlist import synthetic_records
from workstation.ports import SystemClock
from workstation.watchlist_source import encode_snapshot

data = encode_snapshot(2, SystemClock().now(), synthetic_records(60_000, seed=2))
db = open_database(sys.argv[1], migrate=False)
print("applying", flush=True)
apply_bundle(db, data, SystemClock(), "t")
"""


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_sigkill_during_a_read_by_reader_processes(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import REPO

    path = tmp_path / "w.db"
    db = open_database(path)
    apply_bundle(db, encode_snapshot(1, NOW, synthetic_records(100)), FakeClock(), "t")
    db.close()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _BIG_APPLY, str(path)], cwd=REPO, stdout=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdout.readline() == b"applying\n"
    deadline = time.monotonic() + 60
    while len(readers := _children(process.pid)) < READERS and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(readers) == READERS, "the apply did not start its reader processes"
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 30
    while any(_running(r) for r in readers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(r) for r in readers), "reader processes outlived the apply"
    db = open_database(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert current_version(db) == 1
    assert db.execute("SELECT count(*) FROM watchlist_persons").fetchone()[0] == 100
    assert _entries(db) == _rebuilt(db)
    db.close()
