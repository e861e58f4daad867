"""Tampering with the audit log in the file is found by `sekisho audit verify`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from db.database import open_database
from db.store import SqliteOperators
from tests.conftest import FakeClock
from ui.cli import main
from workstation.login import log_in


@pytest.fixture
def home(tmp_path: Path, clock: FakeClock) -> Path:
    from db.demo import ensure_demo

    db = open_database(tmp_path / "sekisho.db")
    ensure_demo(db, clock)
    operators = SqliteOperators(db, clock)
    for _ in range(3):
        log_in(operators, clock, operators.load_policy(), "inspector", "sekisho-demo")
    db.close()
    return tmp_path


def _attacker(home: Path) -> Database:
    """Raw file access: the append-only triggers are dropped first, as an attacker would."""
    db = open_database(home / "sekisho.db")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    return db


def _verify(home: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--home", str(home), "audit", "verify"])
    return code, capsys.readouterr().out


def test_intact(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(home, capsys)
    assert code == 0 and "intact" in out


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ("UPDATE audit_log SET payload = '{\"locked\":false}' WHERE seq = 5", 5),
        ("DELETE FROM audit_log WHERE seq = 4", 4),
        ("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)", None),
        ("UPDATE audit_log SET at = '2020-01-01T00:00:00+00:00' WHERE seq = 2", 2),
    ],
)
def test_tampering_found(
    home: Path, capsys: pytest.CaptureFixture[str], sql: str, broken: int | None
) -> None:
    db = _attacker(home)
    last = db.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    with db.conn:
        db.execute(sql)
    db.close()
    code, out = _verify(home, capsys)
    assert code == 2
    assert f"BROKEN at entry {broken or last}" in out


def test_reordering_found(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _attacker(home)
    with db.conn:
        db.execute("UPDATE audit_log SET seq = 1000 WHERE seq = 3")
        db.execute("UPDATE audit_log SET seq = 3 WHERE seq = 4")
        db.execute("UPDATE audit_log SET seq = 4 WHERE seq = 1000")
    db.close()
    code, out = _verify(home, capsys)
    assert code == 2 and "BROKEN at entry 3" in out
