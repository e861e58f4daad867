"""Appending to and verifying the hash-chained, signed audit log.

Each entry's hash is also signed with the workstation's Ed25519 key (table
``workstation_keys``, created by migration m007, inside the encrypted database), in the
same transaction as the entry. The chain shows that nothing was changed, inserted or
reordered; the signatures show the chain was written by this workstation, so an export can
be checked by someone who holds only the public key.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlite_utils import Database

from db.codec import iso
from db.database import DB_ERRORS
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
    signer = _signing_key(db)
    if signer is not None:
        key_id, private = signer
        db.execute(
            "INSERT INTO audit_signatures (seq, key_id, signature) VALUES (?, ?, ?)",
            [entry.seq, key_id, base64.b64encode(private.sign(entry.entry_hash.encode())).decode()],
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


def _signing_key(db: Database) -> tuple[str, Ed25519PrivateKey] | None:
    try:
        row = db.execute(
            "SELECT key_id, private_key FROM workstation_keys ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
    except DB_ERRORS:  # a database before m007 has no key table
        return None
    if row is None:
        return None
    return row[0], Ed25519PrivateKey.from_private_bytes(base64.b64decode(row[1]))


def public_keys(db: Database) -> dict[str, bytes]:
    """The workstation's public keys by key ID (raw 32-byte Ed25519)."""
    return {
        key_id: base64.b64decode(public)
        for key_id, public in db.execute("SELECT key_id, public_key FROM workstation_keys")
    }


@dataclass(frozen=True)
class SignatureReport:
    """Result of :func:`verify_signatures`. ``first_bad_seq`` names the first failure."""

    ok: bool
    checked: int
    unsigned: int
    first_bad_seq: int | None = None


def verify_signatures(db: Database) -> SignatureReport:
    """Check every entry's signature over its hash with the workstation's public key.

    Entries written before signing existed (no signature row) are counted as unsigned;
    a signature that does not verify, or a signature for an entry that is gone, fails.
    """
    keys = {k: Ed25519PublicKey.from_public_bytes(v) for k, v in public_keys(db).items()}
    signatures = {
        seq: (key_id, base64.b64decode(signature))
        for seq, key_id, signature in db.execute(
            "SELECT seq, key_id, signature FROM audit_signatures"
        )
    }
    checked = unsigned = 0
    for seq, entry_hash in db.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq"):
        found = signatures.pop(seq, None)
        if found is None:
            unsigned += 1
            continue
        key = keys.get(found[0])
        try:
            if key is None:
                raise InvalidSignature
            key.verify(found[1], entry_hash.encode())
        except InvalidSignature:
            return SignatureReport(False, checked, unsigned, seq)
        checked += 1
    if signatures:
        return SignatureReport(False, checked, unsigned, min(signatures))
    return SignatureReport(True, checked, unsigned)


def export(db: Database) -> Iterator[dict[str, Any]]:
    """The audit log for oversight, grouped by case: a header with the public keys and
    the head, then each case's entries in order (entries without a case last), each with
    its hash, previous hash and signature, so the chain and signatures can be re-checked
    without the workstation."""
    head = db.execute("SELECT seq, entry_hash FROM audit_head WHERE id = 1").fetchone()
    yield {
        "type": "header",
        "format": "sekisho-audit-export/1",
        "public_keys": {k: base64.b64encode(v).decode() for k, v in public_keys(db).items()},
        "head": {"seq": head[0], "entry_hash": head[1]} if head else None,
        "algorithm": "Ed25519 over the UTF-8 hex entry hash",
    }
    signatures = dict(db.execute("SELECT seq, signature FROM audit_signatures").fetchall())
    rows = db.execute(
        "SELECT seq, at, operator_id, case_id, action, payload, prev_hash, entry_hash "
        "FROM audit_log ORDER BY case_id IS NULL, case_id, seq"
    )
    for seq, at, operator_id, case_id, action, payload, prev_hash, entry_hash in rows:
        yield {
            "type": "entry",
            "case_id": case_id,
            "seq": seq,
            "at": at,
            "operator_id": operator_id,
            "action": action,
            "payload": json.loads(payload),
            "payload_text": payload,
            "prev_hash": prev_hash,
            "entry_hash": entry_hash,
            "signature": signatures.get(seq),
        }
