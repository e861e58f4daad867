"""Opening the workstation database: one SQLite file, WAL, foreign keys, full fsync."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.migrations import MIGRATIONS
from workstation.errors import StorageError

logger = logging.getLogger(__name__)


def open_database(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database and apply pending migrations.

    The connection may be used from any one thread at a time (``check_same_thread`` is
    off because the UI hands it to a single-thread pool whose thread can be recycled);
    callers serialise access. ``synchronous=FULL`` makes each commit durable in WAL mode.

    :raises StorageError: the file cannot be opened, is not a database, or fails to migrate.
    """
    try:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=10.0, check_same_thread=False)
        db = Database(conn, strict=True)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA busy_timeout = 10000")
        if migrate:
            MIGRATIONS.apply(db)
        quick = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise StorageError(f"cannot open database: {type(e).__name__}") from e
    if quick != "ok":
        raise StorageError("database integrity check failed")
    logger.info("database open, schema %s", schema_version(db))
    return db


def schema_version(db: Database) -> str:
    """The name of the newest applied migration, or ``"empty"``."""
    applied = MIGRATIONS.applied(db)
    return applied[-1].name if applied else "empty"
