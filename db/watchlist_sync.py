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
"""

from __future__ import annotations

import base64
import json
import logging
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from db import audit_trail
from db.codec import iso
from db.database import DB_ERRORS
from workstation.audit import AuditEvent
from workstation.errors import (
    WatchlistApplyFailed,
    WatchlistSourceInvalid,
    WatchlistUntrusted,
)
from workstation.names import search_keys, tokens
from workstation.ports import Clock
from workstation.watchlist_source import BundleHeader, Record, read_bundle

logger = logging.getLogger(__name__)

WATCHLIST_TABLES = (
    "watchlist_persons",
    "watchlist_person_documents",
    "watchlist_name_keys",
    "watchlist_biometrics",
    "lost_documents",
    "watchlist_invalidated_cards",
    "watchlist_deferments",
    "watchlist_policy_lists",
)
BATCH = 20_000

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


# Rows from records


def _person_rows(record: Record) -> tuple[list[Any], list[list[str]], list[list[str]]]:
    d, entry_id = record["d"], record["k"]
    row = [
        entry_id,
        d["surname"],
        d["given_names"],
        d.get("native_surname", ""),
        d.get("native_given_names", ""),
        d.get("birth_date"),
        d["nationality"],
        d["category"],
        int(d["severity"]),
        d["action"],
    ]
    docs = [[n, entry_id] for n in d.get("document_numbers", [])]
    name_tokens = tokens(d["surname"], d["given_names"])
    if d.get("native_surname") or d.get("native_given_names"):
        name_tokens += tokens(d.get("native_surname", ""), d.get("native_given_names", ""))
    keys = [[k, entry_id] for k in search_keys(name_tokens)]
    return row, docs, keys


def _bio_row(record: Record) -> list[Any]:
    d = record["d"]
    template = d.get("template")
    return [
        d["entry_id"],
        d["modality"],
        int(d["position"]),
        d["media_type"],
        base64.b64decode(d["image"]) if d.get("image") else None,
        base64.b64decode(template) if template else None,
    ]


def _simple_row(record: Record) -> list[Any]:
    d, t = record["d"], record["t"]
    if t == "lost":
        return [d["document_number"], d["issuing_state"], d["reason"]]
    if t == "card":
        return [record["k"], d["reason"]]
    if t == "defer":
        return [
            record["k"],
            d["surname"],
            d["given_names"],
            d.get("native_surname", ""),
            d.get("native_given_names", ""),
            d.get("birth_date"),
            d["nationality"],
            d.get("document_number", ""),
            d["reason"],
        ]
    return [d["list"], d["code"], d["action"], d.get("note", "")]


_INSERT = {
    "person": "INSERT OR REPLACE INTO watchlist_persons{s} (entry_id, surname, given_names, "
    "native_surname, native_given_names, birth_date, nationality, category, severity, action) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "doc": "INSERT OR IGNORE INTO watchlist_person_documents{s} (document_number, entry_id) "
    "VALUES (?, ?)",
    "key": "INSERT OR IGNORE INTO watchlist_name_keys{s} (key, entry_id) VALUES (?, ?)",
    "bio": "INSERT OR REPLACE INTO watchlist_biometrics{s} (entry_id, modality, position, "
    "media_type, image, template) VALUES (?, ?, ?, ?, ?, ?)",
    "lost": "INSERT OR REPLACE INTO lost_documents{s} (document_number, issuing_state, reason) "
    "VALUES (?, ?, ?)",
    "card": "INSERT OR REPLACE INTO watchlist_invalidated_cards{s} (card_number, reason) "
    "VALUES (?, ?)",
    "defer": "INSERT OR REPLACE INTO watchlist_deferments{s} (entry_id, surname, given_names, "
    "native_surname, native_given_names, birth_date, nationality, document_number, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "policy": "INSERT OR REPLACE INTO watchlist_policy_lists{s} (list, code, action, note) "
    "VALUES (?, ?, ?, ?)",
}


class _Rows:
    """Rows grouped by statement, flushed with executemany."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self.pending: dict[str, list[list[Any]]] = {k: [] for k in _INSERT}
        self.size = 0

    def add(self, record: Record) -> None:
        t = record["t"]
        if t == "person":
            row, docs, keys = _person_rows(record)
            self.pending["person"].append(row)
            self.pending["doc"].extend(docs)
            self.pending["key"].extend(keys)
        elif t == "bio":
            self.pending["bio"].append(_bio_row(record))
        else:
            self.pending[t].append(_simple_row(record))
        self.size += 1

    def flush(self, db: Database) -> None:
        for name, rows in self.pending.items():
            if rows:
                db.conn.executemany(_INSERT[name].format(s=self.suffix), rows)
                rows.clear()
        self.size = 0


def _delete(db: Database, record: Record) -> None:
    t, key = record["t"], record["k"]
    if t == "person":
        for table in ("watchlist_person_documents", "watchlist_name_keys", "watchlist_persons"):
            db.execute(f"DELETE FROM {table} WHERE entry_id = ?", [key])  # noqa: S608
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
        "counts, name_keys) VALUES (?, ?, ?, ?, ?, ?, 1)",
        [
            header.version,
            iso(header.published_at),
            iso(now),
            source,
            header.kind,
            json.dumps(counts),
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
    db: Database, clock: Clock, header: BundleHeader, records: Iterable[Record], source: str
) -> dict[str, int]:
    try:
        return _build_and_swap(db, clock, header, records, source)
    except BaseException:
        if not db.conn.in_transaction:
            cleanup(db)  # a kill -9 skips this; the next apply drops the leftovers
        raise


def _build_and_swap(
    db: Database, clock: Clock, header: BundleHeader, records: Iterable[Record], source: str
) -> dict[str, int]:
    cleanup(db)
    tables, indexes = _shadow_ddl(db, header.version)
    with _immediate(db):
        for statement in tables:
            db.execute(statement)
    rows = _Rows("__shadow")
    pending = iter(records)
    while True:
        with _immediate(db):
            for record in pending:
                rows.add(record)
                if rows.size >= BATCH:
                    break
            done = rows.size == 0
            rows.flush(db)
        if done:
            break
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
    with _immediate(db):
        if current_version(db) != header.base:
            raise WatchlistApplyFailed("delta does not start from the applied version")
        rows = _Rows("")
        for record in records:
            if record.get("op") == "del":
                _delete(db, record)
                continue
            if record.get("op") != "put":
                raise WatchlistSourceInvalid("delta operation must be put or del")
            if record["t"] == "person":
                # Replacing a person replaces their documents and name keys too.
                for table in ("watchlist_person_documents", "watchlist_name_keys"):
                    db.execute(f"DELETE FROM {table} WHERE entry_id = ?", [record["k"]])  # noqa: S608
            rows.add(record)
            if rows.size >= BATCH:
                rows.flush(db)
        rows.flush(db)
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
            counts = _apply_snapshot(db, clock, header, records, source)
        else:
            counts = _apply_delta(db, clock, header, records, source)
    except DB_ERRORS as e:
        raise WatchlistApplyFailed(f"storage failed during apply: {type(e).__name__}") from e
    except sqlite3.Error as e:  # pragma: no cover - DB_ERRORS normally includes it
        raise WatchlistApplyFailed(f"storage failed during apply: {type(e).__name__}") from e
    seconds = time.perf_counter() - started
    logger.info("watchlist v%s (%s) applied in %.2f s", header.version, header.kind, seconds)
    return ApplyResult(header.version, header.kind, counts, seconds)
