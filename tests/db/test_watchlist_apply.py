"""Applying bundles: atomic versions, failures leave the previous version, search works
from another connection while a snapshot loads, candidates use the name keys."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
from pathlib import Path

import pytest

from db.database import open_database
from db.store import SqliteWatchlist
from db.watchlist_sync import apply_bundle, current_version
from tests.conftest import FakeClock
from ui.cli_watchlist import synthetic_records
from workstation.documents import DataSource, DocumentData, DocumentKind
from workstation.errors import WatchlistApplyFailed, WatchlistSourceInvalid, WatchlistUntrusted
from workstation.policy import Policy
from workstation.watchlist import HitKind, screen
from workstation.watchlist_source import encode_delta, encode_snapshot

NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def _doc(surname: str, given: str, number: str, birth: dt.date) -> DocumentData:
    return DocumentData(
        DocumentKind.PASSPORT, number, surname, given, "UTO", birth, "M",
        dt.date(2030, 1, 1), "UTO", DataSource.MANUAL,
    )  # fmt: skip


def test_snapshot_delta_and_replay(tmp_path: Path) -> None:
    db = open_database(tmp_path / "w.db")
    clock = FakeClock()
    records = synthetic_records(500)
    assert apply_bundle(db, encode_snapshot(1, NOW, records), clock, "t").counts["person"] == 500
    changed = dict(records)
    del changed[("person", "S00000001")]
    delta = encode_delta(2, 1, NOW, records, changed)
    assert apply_bundle(db, delta, clock, "t").counts["person"] == 499
    assert apply_bundle(db, delta, clock, "t").skipped  # applied once only
    with pytest.raises(WatchlistUntrusted):
        apply_bundle(db, encode_snapshot(1, NOW, records), clock, "t")
    with pytest.raises(WatchlistApplyFailed):  # a delta from a base we do not have
        apply_bundle(db, encode_delta(9, 7, NOW, records, changed), clock, "t")
    assert current_version(db) == 2
    assert (
        db.execute("SELECT count(*) FROM audit_log WHERE action = 'watchlist.applied'").fetchone()[
            0
        ]
        == 2
    )
    db.close()


def test_failed_apply_leaves_previous_version_whole(tmp_path: Path) -> None:
    db = open_database(tmp_path / "w.db")
    clock = FakeClock()
    records = synthetic_records(300)
    apply_bundle(db, encode_snapshot(1, NOW, records), clock, "t")
    # A corrupt (truncated) snapshot: the gzip stream ends early.
    bad = encode_snapshot(2, NOW, synthetic_records(3000, seed=2))
    with pytest.raises(WatchlistSourceInvalid):
        apply_bundle(db, bad[: len(bad) // 2], clock, "t")
    # A delta whose header counts do not add up is rolled back whole.
    lines = gzip.decompress(encode_delta(2, 1, NOW, records, records)).split(b"\n")
    lines[0] = lines[0].replace(b'"person":300', b'"person":301')
    with pytest.raises(WatchlistApplyFailed):
        apply_bundle(db, gzip.compress(b"\n".join(lines)), clock, "t")
    assert current_version(db) == 1
    watchlist = SqliteWatchlist(db, clock)
    assert watchlist.counts()["persons"] == 300
    assert not [r for r in db.execute("SELECT name FROM sqlite_master WHERE name LIKE '%shadow%'")]
    db.close()


def test_search_answers_during_snapshot_apply(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    db = open_database(path)
    clock = FakeClock()
    first = synthetic_records(2000)
    apply_bundle(db, encode_snapshot(1, NOW, first), clock, "t")
    target = first[("person", "S00000042")]["d"]
    doc = _doc(
        target["surname"],
        target["given_names"],
        "NOPE",  # type: ignore[index]
        dt.date.fromisoformat(target["birth_date"]),  # type: ignore[index]
    )
    second = encode_snapshot(
        2,
        NOW,
        synthetic_records(30_000, seed=5)
        | {("person", "S00000042"): first[("person", "S00000042")]},
    )
    reader = SqliteWatchlist(open_database(path, migrate=False), clock)
    done, seen = threading.Event(), []

    def apply() -> None:
        writer = open_database(path, migrate=False)
        apply_bundle(writer, second, clock, "t")
        writer.close()
        done.set()

    thread = threading.Thread(target=apply)
    thread.start()
    while not done.is_set():
        persons, lost = reader.candidates(doc, Policy())
        hits = screen(doc, persons, lost, Policy())
        seen.append(
            (reader.current_version().version, any(h.entry_id == "S00000042" for h in hits))
        )
    thread.join()
    assert seen and all(found for _, found in seen)  # every search answered, and found it
    assert {v for v, _ in seen} <= {1, 2}
    assert reader.current_version().version == 2
    reader.db.close()
    db.close()


def test_candidates_by_number_name_key_and_birth_window(tmp_path: Path) -> None:
    from db.demo import ensure_demo

    db = open_database(tmp_path / "d.db")
    ensure_demo(db, FakeClock())
    watchlist = SqliteWatchlist(db, FakeClock())
    doc = _doc("KOWALSKY", "WIKTOR", "P1", dt.date(1971, 3, 14))
    persons, _ = watchlist.candidates(doc, Policy())
    assert [p.entry_id for p in persons] == ["WL-0001"]
    far = _doc("KOWALSKI", "VIKTOR", "P1", dt.date(1990, 1, 1))
    assert watchlist.candidates(far, Policy())[0] == []
    by_number = _doc("OTHER", "NAME", "X0000001", dt.date(2000, 1, 1))
    assert [p.entry_id for p in watchlist.candidates(by_number, Policy())[0]] == ["WL-0001"]
    card = _doc("A", "B", "AB00000000CD", dt.date(2000, 1, 1))
    (lost,) = watchlist.candidates(card, Policy())[1]
    assert lost.reason == "invalidated"
    cards, deferments, rules = watchlist.lists(_doc("A", "B", "TZ0000001", dt.date(2000, 1, 1)))
    assert len(deferments) == 1 and cards == [] and rules == []
    native = _doc("たなか", "はると", "P2", dt.date(1990, 7, 21))
    hits = screen(native, *watchlist.candidates(native, Policy()), Policy())
    assert [h.kind for h in hits] == [HitKind.BIOGRAPHIC]
    assert watchlist.counts() == {
        "persons": 4, "lost_documents": 2, "biometrics": 0,
        "invalidated_cards": 1, "deferments": 1, "policy_lists": 1,
    }  # fmt: skip
    db.close()
