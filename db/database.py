"""Opening the workstation database: one SQLite file, WAL, foreign keys, full fsync.

With a key the file is a SQLCipher database (AES-256, page-level, through the
``sqlcipher3`` package): sqlite-utils works on it unchanged. The key comes from
:mod:`db.keyring`, unwrapped when an operator logs in; it is never written in clear.
"""

from __future__ import annotations

import logging
import os
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
_PLAIN_HEADER = b"SQLite format 3\x00"


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


def is_plain_database(path: Path) -> bool:
    """Whether ``path`` is an unencrypted SQLite file (SQLCipher files start with random
    bytes, plain ones with the SQLite header)."""
    try:
        with path.open("rb") as f:
            return f.read(len(_PLAIN_HEADER)) == _PLAIN_HEADER
    except FileNotFoundError:
        return False


def fsync_directory(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def export_encrypted(source: Path, target: Path, key: bytes) -> dict[str, int]:
    """Copy the plain database ``source`` into a new SQLCipher file ``target`` under ``key``
    (``sqlcipher_export``: schema, triggers and rows), in WAL mode like every database here.

    The copy is checked before this returns: every table holds as many rows as in the
    source. ``source`` is not changed.

    :returns: rows per table.
    :raises StorageError: SQLCipher missing, ``target`` exists, or the copy differs.
    """
    if _sqlcipher is None:
        raise StorageError("database encryption needs the sqlcipher3 package")
    if len(key) != KEY_BYTES:
        raise StorageError("database key must be 32 bytes")
    if target.exists():
        raise StorageError("the encrypted copy exists already")
    conn = _sqlcipher.connect(str(source), timeout=10.0)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("ATTACH DATABASE ? AS encrypted KEY ?", [str(target), f"x'{key.hex()}'"])
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("PRAGMA encrypted.journal_mode = WAL")
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts: dict[str, int] = {}
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            mine = conn.execute(f"SELECT count(*) FROM main.{quoted}").fetchone()[0]  # noqa: S608
            theirs = conn.execute(f"SELECT count(*) FROM encrypted.{quoted}").fetchone()[0]  # noqa: S608
            if mine != theirs:
                raise StorageError(f"encrypted copy differs in table {table}")
            counts[table] = mine
        conn.execute("DETACH DATABASE encrypted")
    except DB_ERRORS as e:
        raise StorageError(f"cannot encrypt database: {type(e).__name__}") from e
    finally:
        conn.close()
    return counts
