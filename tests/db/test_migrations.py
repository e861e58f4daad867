from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.database import open_database, schema_version
from db.migrations import MIGRATIONS
from workstation.errors import StorageError


def test_from_empty_file(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db")
    assert MIGRATIONS.pending(db) == []
    assert schema_version(db) == MIGRATIONS._migrations[-1].name
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for name in db.table_names():
        if not name.startswith("_"):
            assert db.table(name).strict, name
    db.close()


@pytest.mark.parametrize("index", range(1, len(MIGRATIONS._migrations)))
def test_each_migration_from_previous_schema(tmp_path: Path, index: int) -> None:
    names = [m.name for m in MIGRATIONS._migrations]
    db = Database(sqlite3.connect(tmp_path / "step.db"))
    MIGRATIONS.apply(db, stop_before=names[index])
    assert [m.name for m in MIGRATIONS.applied(db)] == names[:index]
    MIGRATIONS.apply(db)
    assert MIGRATIONS.pending(db) == []
    db.close()


def test_reopen_is_idempotent(tmp_path: Path) -> None:
    open_database(tmp_path / "a.db").close()
    db = open_database(tmp_path / "a.db")
    assert len(MIGRATIONS.applied(db)) == len(MIGRATIONS._migrations)
    db.close()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        open_database(path)


def test_audit_rows_are_append_only(memory_db: Database) -> None:
    memory_db.execute("INSERT INTO audit_log VALUES (1, 'now', 'op', NULL, 'x', '{}', 'p', 'h')")
    for sql in ("UPDATE audit_log SET action = 'y'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            memory_db.execute(sql)


def test_unexpected_column_fails_loudly(memory_db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError):
        memory_db.execute("INSERT INTO cases (case_id, nope) VALUES ('a', 1)")
