"""Applying verified watchlist bundles to the database, atomically.

A **delta** is applied in place in one ``BEGIN IMMEDIATE`` transaction together with its
version row and audit entry: readers (WAL) see the old version until the commit and the new
one after it, never a mixture.

A **snapshot** is built into shadow tables (``<table>__shadow``) in batches of committed
transactions, so the write lock is released between batches and decisions keep being
stored while a million entries load; searches keep reading the live tables. The shadow
tables are then counted against the bundle header and swapped in by renaming, in one short
transaction that also writes the version row and the audit entry. A crash or error before
that commit leaves the previous version whole (leftover shadow tables are dropped by the
next apply); a crash after it leaves only ``<table>__old`` tables to drop.

The version row is the only record of what was applied: a bundle whose version is not newer
is refused (older) or skipped (equal), so nothing is applied twice.

Speed (the target is a million persons within a minute): the publisher ships each
person's name search keys, so the workstation does not transliterate (it computes them only
for bundles without keys of its scheme); a reader process parses the bundle while this one
writes (:mod:`db.watchlist_rows`); the name index (:mod:`db.name_index`) is collected as
integers, sorted once and appended in key order instead of scattered into a B-tree;
secondary indexes are built after the rows; and the shadow batches commit without waiting
for the disk (see :func:`_bulk_pragmas`).
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from db import audit_trail, name_index
from db.codec import iso
from db.database import DB_ERRORS
from db.watchlist_rows import BATCH, Rows, insert_index, snapshot_batches
from workstation.audit import AuditEvent
from workstation.errors import (
    WatchlistApplyFailed,
    WatchlistSourceInvalid,
    WatchlistUntrusted,
)
from workstation.names import KEY_SCHEME
from workstation.ports import Clock
from workstation.watchlist_source import BundleHeader, Record, read_bundle

logger = logging.getLogger(__name__)

WATCHLIST_TABLES = (
    "watchlist_persons",
    "watchlist_person_documents",
    "watchlist_name_index",
    "watchlist_biometrics",
    "lost_documents",
    "watchlist_invalidated_cards",
    "watchlist_deferments",
    "watchlist_policy_lists",
)
INDEX_BATCH = 500_000
# The apply connection's page cache while a snapshot is built: the shadow tables' upper
# B-tree pages stay in memory (SQLite's default is 2 MB).
APPLY_CACHE_KIB = 128 * 1024

_COUNT_SQL = {
    "person": "SELECT count(*) FROM watchlist_persons{s}",
    "bio": "SELECT count(*) FROM watchlist_biometrics{s}",
    "lost": "SELECT count(*) FROM lost_documents{s}",
    "card": "SELECT count(*) FROM watchlist_invalidated_cards{s}",
    "defer": "SELECT count(*) FROM watchlist_deferments{s}",
    "policy": "SELECT count(*) FROM watchlist_policy_lists{s}",
}


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did. ``skipped`` is true when that version was already applied."""

    version: int
    kind: str
    counts: dict[str, int]
    seconds: float
    skipped: bool = False


@contextmanager
def _immediate(db: Database) -> Iterator[Database]:
    """One write transaction that takes the write lock at once (no upgrade deadlock)."""
    if db.conn.in_transaction:
        raise RuntimeError("watchlist apply needs its own transaction")
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.conn.commit()


def current_version(db: Database) -> int:
    """The newest applied watchlist version, 0 if none."""
    row = db.execute("SELECT max(version) FROM watchlist_versions").fetchone()
    return int(row[0] or 0)


def cleanup(db: Database) -> None:
    """Drop shadow and old tables a crashed apply left behind (each in its own commit)."""
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND (name LIKE '%\\_\\_shadow' ESCAPE '\\' OR name LIKE '%\\_\\_old' ESCAPE '\\')"
        )
    ]
    for name in names:
        if name.split("__")[0] in WATCHLIST_TABLES:
            with _immediate(db):
                db.execute(f"DROP TABLE IF EXISTS [{name}]")


def _forget_person(db: Database, entry_id: str) -> int | None:
    """Delete a live person with their documents and index entries; their rowid or None."""
    db.execute("DELETE FROM watchlist_person_documents WHERE entry_id = ?", [entry_id])
    row = db.execute(
        "SELECT rowid, birth_date, name_keys FROM watchlist_persons WHERE entry_id = ?",
        [entry_id],
    ).fetchone()
    if row is None:
        return None
    rowid, birth, keys = row
    db.conn.executemany(
        "DELETE FROM watchlist_name_index WHERE entry = ?",
        [(e,) for e in name_index.entries(keys, birth, rowid)],
    )
    db.execute("DELETE FROM watchlist_persons WHERE rowid = ?", [rowid])
    return int(rowid)


def _delete(db: Database, record: Record) -> None:
    t, key = record["t"], record["k"]
    if t == "person":
        _forget_person(db, key)
    elif t == "bio":
        entry_id, modality, position = key.rsplit("/", 2)
        db.execute(
            "DELETE FROM watchlist_biometrics WHERE entry_id = ? AND modality = ? AND position = ?",
            [entry_id, modality, int(position)],
        )
    elif t == "lost":
        number, state = key.rsplit("/", 1)
        db.execute(
            "DELETE FROM lost_documents WHERE document_number = ? AND issuing_state = ?",
            [number, state],
        )
    elif t == "card":
        db.execute("DELETE FROM watchlist_invalidated_cards WHERE card_number = ?", [key])
    elif t == "defer":
        db.execute("DELETE FROM watchlist_deferments WHERE entry_id = ?", [key])
    else:
        list_name, code = key.split("/", 1)
        db.execute(
            "DELETE FROM watchlist_policy_lists WHERE list = ? AND code = ?", [list_name, code]
        )


def _counts(db: Database, suffix: str = "") -> dict[str, int]:
    return {t: int(db.execute(sql.format(s=suffix)).fetchone()[0]) for t, sql in _COUNT_SQL.items()}


def _check_counts(header: BundleHeader, counts: dict[str, int]) -> None:
    expected = {t: int(header.counts.get(t, 0)) for t in _COUNT_SQL}
    if counts != expected:
        raise WatchlistApplyFailed("entry counts after apply differ from the bundle header")


def _record_version(
    db: Database, clock: Clock, header: BundleHeader, source: str, counts: dict[str, int]
) -> None:
    now = clock.now()
    db.execute(
        "INSERT INTO watchlist_versions (version, published_at, applied_at, source, kind, "
        "counts, name_keys) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            header.version,
            iso(header.published_at),
            iso(now),
            source,
            header.kind,
            json.dumps(counts),
            KEY_SCHEME,
        ],
    )
    audit_trail.append(
        db,
        clock,
        "system",
        None,
        AuditEvent(
            "watchlist.applied",
            {"version": header.version, "kind": header.kind, "base": header.base, "counts": counts},
        ),
    )


_TABLE_RE = re.compile(r'^CREATE TABLE\s+["\[]?(\w+)["\]]?', re.IGNORECASE)
_INDEX_RE = re.compile(
    r'^CREATE (UNIQUE )?INDEX\s+["\[]?(\w+)["\]]?\s+ON\s+["\[]?(\w+)["\]]?', re.IGNORECASE
)


def _shadow_ddl(db: Database, version: int) -> tuple[list[str], list[str]]:
    """CREATE statements for the shadow tables and, separately, their indexes (built after
    the rows are in, which is much faster than maintaining them row by row)."""
    tables, indexes = [], []
    for name in WATCHLIST_TABLES:
        sql = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()[0]
        tables.append(_TABLE_RE.sub(f"CREATE TABLE [{name}__shadow]", sql, count=1))
        for (index_sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            [name],
        ):
            match = _INDEX_RE.match(index_sql)
            if match is None:
                raise WatchlistApplyFailed("unexpected index definition")
            base = re.sub(r"__g\d+$", "", match.group(2))
            unique = match.group(1) or ""
            indexes.append(
                f"CREATE {unique}INDEX [{base}__g{version}] ON [{name}__shadow]"
                + index_sql[match.end() :]
            )
    return tables, indexes


def _apply_snapshot(
    db: Database,
    clock: Clock,
    header: BundleHeader,
    data: bytes,
    records: Iterable[Record],
    source: str,
) -> dict[str, int]:
    try:
        return _build_and_swap(db, clock, header, data, records, source)
    except BaseException:
        if not db.conn.in_transaction:
            cleanup(db)  # a kill -9 skips this; the next apply drops the leftovers
        raise


@contextmanager
def _bulk_pragmas(db: Database, *, shadow: bool) -> Iterator[None]:
    """Settings of the applying connection for a bulk load: a large page cache (the upper
    B-tree pages of a million-row table stay in memory) and temporary data in memory.

    With ``shadow`` also ``synchronous = NORMAL``: a shadow batch need not be on disk when
    its commit returns (a crash or power cut before the swap discards the shadow tables
    anyway); the swap itself commits under ``FULL``, which syncs the WAL with every frame
    before it. Other connections (decisions) keep their own ``FULL``.
    """
    synchronous = db.execute("PRAGMA synchronous").fetchone()[0]
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    temp_store = db.execute("PRAGMA temp_store").fetchone()[0]
    if shadow:
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA cache_size = -{APPLY_CACHE_KIB}")
    db.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        db.execute(f"PRAGMA synchronous = {int(synchronous)}")
        db.execute(f"PRAGMA cache_size = {int(cache)}")
        db.execute(f"PRAGMA temp_store = {int(temp_store)}")


def _build_and_swap(
    db: Database,
    clock: Clock,
    header: BundleHeader,
    data: bytes,
    records: Iterable[Record],
    source: str,
) -> dict[str, int]:
    cleanup(db)
    tables, indexes = _shadow_ddl(db, header.version)
    with _bulk_pragmas(db, shadow=True):
        with _immediate(db):
            for statement in tables:
                db.execute(statement)
        index = array("q")
        batches = snapshot_batches(
            data, iter(records), sum(header.counts.values()), header.name_keys == KEY_SCHEME
        )
        written = 0
        try:
            for rows in batches:
                if not db.conn.in_transaction:
                    db.conn.execute("BEGIN IMMEDIATE")
                written += rows.size
                rows.flush(db, with_index=False)
                index.extend(rows.index)
                if written >= BATCH:
                    db.conn.commit()  # releases the write lock: decisions keep being stored
                    written = 0
        except BaseException:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise
        if db.conn.in_transaction:
            db.conn.commit()
        # All name-index entries at once, sorted: appended to the B-tree in key order
        # instead of scattered into it, in committed batches like the rows.
        entries = np.sort(np.frombuffer(index, dtype=np.int64))
        del index
        for start in range(0, len(entries), INDEX_BATCH):
            with _immediate(db):
                insert_index(db, "__shadow", entries[start : start + INDEX_BATCH].tolist())
        del entries
        for statement in indexes:
            with _immediate(db):
                db.execute(statement)
        counts = _counts(db, "__shadow")
    _check_counts(header, counts)
    with _immediate(db):
        if current_version(db) >= header.version:
            raise WatchlistApplyFailed("another apply stored this version first")
        for name in WATCHLIST_TABLES:
            db.execute(f"ALTER TABLE [{name}] RENAME TO [{name}__old]")
            db.execute(f"ALTER TABLE [{name}__shadow] RENAME TO [{name}]")
        _record_version(db, clock, header, source, counts)
    cleanup(db)
    return counts


def _apply_delta(
    db: Database, clock: Clock, header: BundleHeader, records: Iterable[Record], source: str
) -> dict[str, int]:
    with _bulk_pragmas(db, shadow=False), _immediate(db):
        if current_version(db) != header.base:
            raise WatchlistApplyFailed("delta does not start from the applied version")
        top = db.execute("SELECT max(rowid) FROM watchlist_persons").fetchone()[0]
        rows = Rows("", header.name_keys == KEY_SCHEME, int(top or 0) + 1)
        for record in records:
            op = record.get("op")
            if op not in ("put", "del"):
                raise WatchlistSourceInvalid("delta operation must be put or del")
            if record["t"] == "person":
                # Replacing a person replaces their documents and index entries too; they
                # keep their rowid.
                rowid = _forget_person(db, record["k"])
                if op == "put":
                    rows.add(record, rowid)
            elif op == "del":
                _delete(db, record)
            else:
                rows.add(record)
            if rows.size >= BATCH:
                rows.flush(db, with_index=True)
        rows.flush(db, with_index=True)
        counts = _counts(db)
        _check_counts(header, counts)
        _record_version(db, clock, header, source, counts)
    return counts


def apply_bundle(db: Database, data: bytes, clock: Clock, source: str) -> ApplyResult:
    """Apply a verified bundle (snapshot or delta) atomically.

    :param source: where it came from, recorded with the version (a URL or folder).
    :raises WatchlistUntrusted: the bundle is older than the applied version (rollback).
    :raises WatchlistApplyFailed: a delta for another base, counts that do not add up, or
        a storage failure; the previous version is untouched.
    :raises WatchlistSourceInvalid: the bundle is malformed.
    """
    started = time.perf_counter()
    header, records = read_bundle(data)
    applied = current_version(db)
    if header.version < applied:
        raise WatchlistUntrusted(f"bundle version {header.version} is older than {applied}")
    if header.version == applied:
        return ApplyResult(header.version, header.kind, _counts(db), 0.0, skipped=True)
    try:
        if header.kind == "snapshot":
            counts = _apply_snapshot(db, clock, header, data, records, source)
        else:
            counts = _apply_delta(db, clock, header, records, source)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise WatchlistSourceInvalid(f"bundle record malformed: {type(e).__name__}") from e
    except DB_ERRORS as e:
        raise WatchlistApplyFailed(f"storage failed during apply: {type(e).__name__}") from e
    except sqlite3.Error as e:  # pragma: no cover - DB_ERRORS normally includes it
        raise WatchlistApplyFailed(f"storage failed during apply: {type(e).__name__}") from e
    seconds = time.perf_counter() - started
    logger.info("watchlist v%s (%s) applied in %.2f s", header.version, header.kind, seconds)
    return ApplyResult(header.version, header.kind, counts, seconds)
