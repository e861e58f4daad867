"""A workstation home's encrypted database together with its keyring.

The steps that touch both files: telling what state a home is in, creating an encrypted
home, opening the database with a key just unwrapped (writing the failed unlocks queued in
the keyring to the audit log, copying the lockout rule into the keyring), giving an
operator access, and encrypting a database written by a release that did not encrypt.
The key itself is only passed through: nothing here keeps it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import Enum, unique
from pathlib import Path

from sqlite_utils import Database

from db import audit_trail
from db.database import (
    DB_ERRORS,
    export_encrypted,
    fsync_directory,
    is_plain_database,
    open_database,
)
from db.keyring import SCRYPT_N, FailedUnlock, Keyring, keyring_path, new_database_key
from db.store import SqliteOperators
from workstation.audit import AuditEvent, canonical_json
from workstation.errors import PermissionDenied, StorageError
from workstation.login import log_in
from workstation.operators import Operator, Role, verify_password
from workstation.policy import Policy
from workstation.ports import Clock

logger = logging.getLogger(__name__)

Account = tuple[str, str]
"""An operator ID and that operator's password."""


@unique
class HomeState(Enum):
    NEW = "new"
    """Neither database nor keyring: nothing to open yet."""
    ENCRYPTED = "encrypted"
    """A keyring (the database is encrypted, or created encrypted on first unlock)."""
    PLAIN = "plain"
    """An unencrypted database from an earlier release: ``sekisho db encrypt``."""
    INTERRUPTED = "interrupted"
    """A keyring beside a plain database: an encryption stopped before the switch."""
    KEYRING_MISSING = "keyring_missing"
    """An encrypted database whose keyring is gone: only a backup of it helps."""


def home_state(database_path: Path) -> HomeState:
    """What the data folder holds (file checks only; never opens the database)."""
    has_keyring = keyring_path(database_path).exists()
    has_database = database_path.exists() and database_path.stat().st_size > 0
    if not has_database:
        return HomeState.ENCRYPTED if has_keyring else HomeState.NEW
    if is_plain_database(database_path):
        return HomeState.INTERRUPTED if has_keyring else HomeState.PLAIN
    return HomeState.ENCRYPTED if has_keyring else HomeState.KEYRING_MISSING


def create_home(
    database_path: Path,
    accounts: Sequence[Account],
    policy: Policy | None = None,
    *,
    n: int = SCRYPT_N,
) -> bytes:
    """Start a keyring with a new database key wrapped for each account; the database is
    created encrypted when it is first opened with the returned key.

    :raises KeyringError: a keyring exists already.
    """
    keyring = Keyring(keyring_path(database_path), n=n)
    key = new_database_key()
    keyring.create(policy)
    for operator_id, password in accounts:
        keyring.wrap(operator_id, password, key)
    return key


def open_unlocked(database_path: Path, keyring: Keyring, key: bytes, clock: Clock) -> Database:
    """Open the database with a key just unwrapped: write the failed unlocks queued in the
    keyring to the audit log, and copy the stored lockout rule into the keyring.

    :raises StorageError: the database cannot be opened with this key.
    """
    db = open_database(database_path, key=key)
    try:
        audit_failed_unlocks(db, keyring, clock)
        keyring.set_lockout(SqliteOperators(db, clock).load_policy())
    except BaseException:
        db.close()
        raise
    return db


def unlock(database_path: Path, operator_id: str, password: str, clock: Clock) -> Database:
    """Unwrap the key with the operator's password and open the database with it.

    :raises AuthenticationFailed: unknown operator or wrong password (queued for the audit).
    :raises AccountLocked: too many failures; the keyring's lockout rule applies.
    """
    keyring = Keyring(keyring_path(database_path))
    key = keyring.unlock(operator_id, password, clock.now())
    return open_unlocked(database_path, keyring, key, clock)


def _failure_event(failure: FailedUnlock) -> AuditEvent:
    return AuditEvent(
        "login.failure",
        {
            "locked": failure.locked,
            "at": failure.at,
            "attempt": failure.attempt,
            "before_unlock": True,
        },
    )


def audit_failed_unlocks(db: Database, keyring: Keyring, clock: Clock) -> int:
    """Write the failed unlocks queued in the keyring to the audit log, then drop them from
    the keyring. A failure already in the log (a crash between the two steps) is not
    written twice: each carries a random attempt ID. Returns how many entries were added."""
    pending = keyring.pending_failures()
    if not pending:
        return 0
    added = 0
    try:
        with db.atomic():
            for failure in pending:
                event = _failure_event(failure)
                if not failure.attempt or not _in_log(db, failure.operator_id, event):
                    audit_trail.append(db, clock, failure.operator_id, None, event)
                    added += 1
    except DB_ERRORS as e:
        raise StorageError(f"write failed: {type(e).__name__}") from e
    keyring.discard_pending_failures(pending)
    return added


def _in_log(db: Database, operator_id: str, event: AuditEvent) -> bool:
    row = db.execute(
        "SELECT 1 FROM audit_log WHERE action = ? AND operator_id = ? AND payload = ?",
        [event.action, operator_id, canonical_json(event.payload)],
    ).fetchone()
    return row is not None


def grant(
    db: Database,
    keyring: Keyring,
    key: bytes,
    clock: Clock,
    by: str,
    operator_id: str,
    password_hash: str,
    password: str,
) -> None:
    """Set an existing operator's password: the key wrapped for it in the keyring, the
    hash and a cleared lockout in the database, audited as ``operator.password_set``."""
    keyring.wrap(operator_id, password, key)
    try:
        with db.atomic():
            db.execute(
                "UPDATE operators SET password_hash = ?, failed_attempts = 0, "
                "locked_until = NULL WHERE operator_id = ?",
                [password_hash, operator_id],
            )
            audit_trail.append(
                db, clock, by, None, AuditEvent("operator.password_set", {"operator": operator_id})
            )
    except DB_ERRORS as e:
        raise StorageError(f"write failed: {type(e).__name__}") from e


def administrator(db: Database, clock: Clock, operator_id: str) -> Operator:
    """The active administrator ``operator_id``.

    :raises PermissionDenied: not an active administrator of this workstation.
    """
    found = SqliteOperators(db, clock).find(operator_id)
    if found is None or not found[0].active or not found[0].has(Role.ADMINISTRATOR):
        raise PermissionDenied(f"operator {operator_id} is not an active administrator")
    return found[0]


def log_in_administrator(
    database_path: Path, operator_id: str, password: str, clock: Clock
) -> None:
    """Check an administrator's password against a plain database (the usual audited
    login, with its lockout) before encrypting it.

    :raises AuthenticationFailed, AccountLocked, PermissionDenied: as the names say.
    """
    db = open_database(database_path)
    try:
        operators = SqliteOperators(db, clock)
        log_in(operators, clock, operators.load_policy(), operator_id, password)
        administrator(db, clock, operator_id)
    finally:
        db.close()


def verified_accounts(database_path: Path, accounts: Sequence[Account]) -> list[Account]:
    """The accounts whose password matches the plain database's stored hash (no audit)."""
    db = open_database(database_path)
    try:
        verified = []
        for operator_id, password in accounts:
            row = db.execute(
                "SELECT password_hash FROM operators WHERE operator_id = ? AND active = 1",
                [operator_id],
            ).fetchone()
            if row is not None and verify_password(password, row[0]):
                verified.append((operator_id, password))
        return verified
    finally:
        db.close()


def encrypt_home(
    database_path: Path,
    accounts: Sequence[Account],
    clock: Clock,
    *,
    by: str,
    n: int = SCRYPT_N,
) -> dict[str, int]:
    """Encrypt a plain database in place, with the key wrapped for ``accounts`` (whose
    passwords the caller has checked). Run with the workstation and its commands closed.

    The encrypted copy is written beside the database and checked row by row, the
    ``database.encrypted`` audit entry (by ``by``) goes into it, then the keyring is
    written, and last the copy replaces the plain file. A crash before that last rename
    leaves the plain database whole (state ``INTERRUPTED``, and this function starts over).
    The plain file is replaced, not overwritten: its old blocks may stay on the disk until
    reused.

    :returns: rows per table in the encrypted database.
    :raises StorageError: not a plain database, in use, or the copy failed.
    """
    state = home_state(database_path)
    if state not in (HomeState.PLAIN, HomeState.INTERRUPTED):
        raise StorageError(f"no unencrypted database to encrypt (state {state.value})")
    if not accounts:
        raise StorageError("the key must be wrapped for at least one operator")
    keyring = Keyring(keyring_path(database_path), n=n)
    if state is HomeState.INTERRUPTED:
        logger.warning("resuming an interrupted encryption: the unused keyring is replaced")
        keyring.path.unlink()
    wal = database_path.with_name(database_path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StorageError("the database is in use: close the workstation and its commands")
    copy = database_path.with_name(database_path.name + ".encrypting")
    copy.unlink(missing_ok=True)
    key = new_database_key()
    try:
        counts = export_encrypted(database_path, copy, key)
        encrypted = open_database(copy, key=key)
        try:
            with encrypted.atomic():
                audit_trail.append(encrypted, clock, by, None, AuditEvent("database.encrypted", {}))
        finally:
            encrypted.close()
        policy = _stored_policy(copy, key, clock)
        keyring.create(policy)
        for operator_id, password in accounts:
            keyring.wrap(operator_id, password, key)
    except BaseException:
        copy.unlink(missing_ok=True)
        keyring.path.unlink(missing_ok=True)
        raise
    for leftover in (wal, database_path.with_name(database_path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    copy.replace(database_path)
    fsync_directory(database_path.parent)
    logger.info("database encrypted (%d tables)", len(counts))
    return counts


def _stored_policy(path: Path, key: bytes, clock: Clock) -> Policy:
    db = open_database(path, key=key, migrate=False)
    try:
        return SqliteOperators(db, clock).load_policy()
    finally:
        db.close()
