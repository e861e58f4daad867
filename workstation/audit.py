"""The audit log's hash chain (pure): each entry carries the SHA-256 of the one before it.

The store appends entries and keeps the head (last sequence number and hash) beside them,
so editing, deleting, inserting or reordering rows — including removing the newest ones —
breaks verification. Payloads carry codes and identifiers, never personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(payload: Mapping[str, Any]) -> str:
    """The one serialisation hashed: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class AuditEvent:
    """What a workflow asks to be audited; the store adds time, operator and chain."""

    action: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class AuditEntry:
    """One stored audit row. ``payload`` is the canonical JSON text."""

    seq: int
    at: str
    operator_id: str
    case_id: str | None
    action: str
    payload: str
    prev_hash: str
    entry_hash: str


def compute_hash(
    seq: int, at: str, operator_id: str, case_id: str | None, action: str, payload: str, prev: str
) -> str:
    """SHA-256 over the entry's fields and the previous hash, unambiguously framed."""
    material = canonical_json(
        {
            "seq": seq,
            "at": at,
            "operator": operator_id,
            "case": case_id,
            "action": action,
            "payload": payload,
            "prev": prev,
        }
    )
    return hashlib.sha256(material.encode()).hexdigest()


def next_entry(
    previous: AuditEntry | None,
    at: str,
    operator_id: str,
    case_id: str | None,
    event: AuditEvent,
) -> AuditEntry:
    """The entry that follows ``previous`` (or starts the chain)."""
    seq = previous.seq + 1 if previous else 1
    prev = previous.entry_hash if previous else GENESIS_HASH
    payload = canonical_json(event.payload)
    digest = compute_hash(seq, at, operator_id, case_id, event.action, payload, prev)
    return AuditEntry(seq, at, operator_id, case_id, event.action, payload, prev, digest)


@dataclass(frozen=True)
class ChainReport:
    """Result of :func:`verify_chain`. ``first_broken_seq`` names the first bad entry."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""


def verify_chain(entries: Iterable[AuditEntry], head: tuple[int, str] | None) -> ChainReport:
    """Walk the chain in sequence order.

    :param entries: rows in ascending ``seq`` order as stored.
    :param head: the stored (last seq, last hash), or ``None`` for an empty log.
    """
    expected_seq, prev, checked = 1, GENESIS_HASH, 0
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, "sequence gap or reordering")
        if entry.prev_hash != prev:
            return ChainReport(False, checked, entry.seq, "previous-hash link broken")
        digest = compute_hash(
            entry.seq, entry.at, entry.operator_id, entry.case_id, entry.action, entry.payload, prev
        )
        if digest != entry.entry_hash:
            return ChainReport(False, checked, entry.seq, "entry content changed")
        prev, expected_seq, checked = digest, expected_seq + 1, checked + 1
    if head is None:
        if checked:
            return ChainReport(False, checked, 1, "head record missing")
        return ChainReport(True, 0)
    head_seq, head_hash = head
    if head_seq != checked or head_hash != prev:
        return ChainReport(
            False, checked, min(head_seq, checked) + 1, "head does not match the last entry"
        )
    return ChainReport(True, checked)
