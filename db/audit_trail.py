"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

from db.codec import iso
from workstation.audit import AuditEntry, AuditEvent, ChainReport, next_entry, verify_chain
from workstation.ports import Clock


def append(
    db: Database, clock: Clock, operator_id: str, case_id: str | None, event: AuditEvent
) -> AuditEntry:
    """Append one entry and move the head; call inside the caller's ``db.atomic()``."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit entries are written inside the use-case transaction")
    row = db.execute(
        "SELECT seq, at, operator_id, case_id, action, payload, prev_hash, entry_hash "
        "FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    previous = AuditEntry(*row) if row else None
    entry = next_entry(previous, iso(clock.now()), operator_id, case_id, event)
    db.execute(
        "INSERT INTO audit_log (seq, at, operator_id, case_id, action, payload, prev_hash, "
        "entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entry.seq,
            entry.at,
            entry.operator_id,
            entry.case_id,
            entry.action,
            entry.payload,
            entry.prev_hash,
            entry.entry_hash,
        ],
    )
    db.execute(
        "INSERT INTO audit_head (id, seq, entry_hash) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, entry_hash = excluded.entry_hash",
        [entry.seq, entry.entry_hash],
    )
    return entry


def entries(db: Database, case_id: str | None = None) -> Iterator[AuditEntry]:
    """Audit entries in sequence order, optionally of one case."""
    sql = (
        "SELECT seq, at, operator_id, case_id, action, payload, prev_hash, entry_hash "
        "FROM audit_log"
    )
    params: list[str] = []
    if case_id is not None:
        sql += " WHERE case_id = ?"
        params.append(case_id)
    for row in db.execute(sql + " ORDER BY seq", params):
        yield AuditEntry(*row)


def verify(db: Database) -> ChainReport:
    """Walk the whole chain against the stored head."""
    head = db.execute("SELECT seq, entry_hash FROM audit_head WHERE id = 1").fetchone()
    return verify_chain(entries(db), (head[0], head[1]) if head else None)
