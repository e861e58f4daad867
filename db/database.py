"""Opening the workstation database: one SQLite file, WAL, foreign keys, full fsync.

With a key the file is a SQLCipher database (AES-256, page-level, through the
``sqlcipher3`` package): sqlite-utils works on it unchanged. The key comes from
:mod:`db.keyring`, unwrapped when an operator logs in; it is never written in clear.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.migrations import MIGRATIONS
from workstation.errors import StorageError

logger = logging.getLogger(__name__)

try:
    import sqlcipher3.dbapi2 as _sqlcipher  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - encryption unavailable in this installation
    _sqlcipher = None

DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,) + (
    (_sqlcipher.Error,) if _sqlcipher is not None else ()
)
"""Every driver error a database call may raise (sqlite3's and SQLCipher's)."""

KEY_BYTES = 32


def encryption_available() -> bool:
    """Whether SQLCipher (``sqlcipher3``) is installed."""
    return _sqlcipher is not None


def _connect(path: Path | str, key: bytes | None) -> sqlite3.Connection:
    if key is None:
        return sqlite3.connect(str(path), timeout=10.0, check_same_thread=False)
    if _sqlcipher is None:
        raise StorageError("database encryption needs the sqlcipher3 package")
    if len(key) != KEY_BYTES:
        raise StorageError("database key must be 32 bytes")
    conn = _sqlcipher.connect(str(path), timeout=10.0, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    # A raw key (x'...') skips SQLCipher's own PBKDF2: ours is already random.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def open_database(path: Path | str, *, migrate: bool = True, key: bytes | None = None) -> Database:
    """Open (creating if needed) the database and apply pending migrations.

    The connection may be used from any one thread at a time (``check_same_thread`` is
    off because the UI hands it to a single-thread pool whose thread can be recycled);
    callers serialise access. ``synchronous=FULL`` makes each commit durable in WAL mode.

    :param key: the 32-byte SQLCipher key of an encrypted database, or ``None``.
    :raises StorageError: the file cannot be opened, is not a database (or the key is
        wrong), or fails to migrate.
    """
    try:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(path, key)
        db = Database(conn, strict=True)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA busy_timeout = 10000")
        if migrate:
            MIGRATIONS.apply(db)
        quick = db.execute("PRAGMA quick_check").fetchone()[0]
    except DB_ERRORS as e:
        raise StorageError(f"cannot open database: {type(e).__name__}") from e
    if quick != "ok":
        raise StorageError("database integrity check failed")
    logger.info("database open, schema %s", schema_version(db))
    return db


def schema_version(db: Database) -> str:
    """The name of the newest applied migration, or ``"empty"``."""
    applied = MIGRATIONS.applied(db)
    return applied[-1].name if applied else "empty"
