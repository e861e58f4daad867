"""The encrypted home: states, encrypting a database from an unencrypted release, failed
unlocks audited exactly once, the lockout rule copied into the keyring, and the operator
and `db encrypt` commands that need an administrator."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from db import audit_trail
from db.database import open_database
from db.demo import ensure_demo
from db.keyring import Keyring, keyring_path
from db.store import SqliteOperators
from db.vault import (
    HomeState,
    create_home,
    encrypt_home,
    home_state,
    log_in_administrator,
    unlock,
)
from devices.documents.fake import SimulatedDocumentReader
from tests.conftest import FakeClock
from tests.db.conftest import start_landing
from ui.cli import main
from workstation.errors import (
    AccountLocked,
    AuthenticationFailed,
    PermissionDenied,
    StorageError,
)
from workstation.login import log_in
from workstation.policy import Policy

N = 2**10  # scrypt cost of test keyrings
PASSWORD = "long-enough-secret"  # noqa: S105 - a test account


def _plain_home_with_a_case(home: Path, clock: FakeClock) -> Path:
    path = home / "sekisho.db"
    db = open_database(path)
    ensure_demo(db, clock)
    exam = start_landing(db, clock)
    exam.read_document(SimulatedDocumentReader())  # specimen 0: ERIKSSON, L898902C3
    db.close()
    return path


def _all_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.iterdir() if p.is_file())


def test_states_of_a_home(tmp_path: Path) -> None:
    path = tmp_path / "sekisho.db"
    assert home_state(path) is HomeState.NEW
    open_database(path).close()
    assert home_state(path) is HomeState.PLAIN
    create_home(path, [("admin", PASSWORD)], n=N)
    assert home_state(path) is HomeState.INTERRUPTED  # keyring beside a plain file
    path.unlink()
    assert home_state(path) is HomeState.ENCRYPTED  # created encrypted on first unlock
    db = unlock(path, "admin", PASSWORD, FakeClock())
    db.close()
    assert home_state(path) is HomeState.ENCRYPTED
    keyring_path(path).unlink()
    assert home_state(path) is HomeState.KEYRING_MISSING


def test_encrypting_a_plain_home(tmp_path: Path, clock: FakeClock) -> None:
    path = _plain_home_with_a_case(tmp_path, clock)
    assert b"ERIKSSON" in path.read_bytes() + _all_bytes(tmp_path)  # plain before
    with pytest.raises(AuthenticationFailed):
        log_in_administrator(path, "admin", "wrong", clock)
    with pytest.raises(PermissionDenied):
        log_in_administrator(path, "inspector", "sekisho-demo", clock)
    log_in_administrator(path, "admin", "sekisho-demo", clock)
    counts = encrypt_home(path, [("admin", "sekisho-demo")], clock, by="admin", n=N)
    assert counts["cases"] == 1 and counts["operators"] == 3

    assert home_state(path) is HomeState.ENCRYPTED
    raw = _all_bytes(tmp_path)
    for secret in (b"ERIKSSON", b"L898902C3", b"KOWALSKI", b"X0000001"):
        assert secret not in raw, secret
    assert not (tmp_path / "sekisho.db.encrypting").exists()
    with pytest.raises(StorageError):
        open_database(path)
    with pytest.raises(AuthenticationFailed):  # only the administrator's key so far
        unlock(path, "inspector", "sekisho-demo", clock)
    db = unlock(path, "admin", "sekisho-demo", clock)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
        assert audit_trail.verify(db).ok and audit_trail.verify_signatures(db).ok
        actions = [e.action for e in audit_trail.entries(db)]
        assert actions[-1] == "database.encrypted" and "login.failure" in actions
        with pytest.raises(Exception, match="append-only|audit"):  # triggers came along
            db.execute("UPDATE audit_log SET action = 'x' WHERE seq = 1")
    finally:
        db.close()


def test_an_interrupted_encryption_starts_over(tmp_path: Path, clock: FakeClock) -> None:
    path = _plain_home_with_a_case(tmp_path, clock)
    create_home(path, [("admin", "sekisho-demo")], n=N)  # stopped before the switch
    (tmp_path / "sekisho.db.encrypting").write_bytes(b"half a copy")
    assert home_state(path) is HomeState.INTERRUPTED
    encrypt_home(path, [("admin", "sekisho-demo")], clock, by="admin", n=N)
    db = unlock(path, "admin", "sekisho-demo", clock)
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    db.close()


def test_failed_unlocks_are_audited_once(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "sekisho.db"
    key = create_home(path, [("inspector", PASSWORD)], n=N)
    db = open_database(path, key=key)
    ensure_demo(db, clock)
    db.close()
    keyring = Keyring(keyring_path(path))
    for _ in range(2):  # the same instant: still two failures
        with pytest.raises(AuthenticationFailed):
            unlock(path, "inspector", "wrong", clock)
    attempts = {f.attempt for f in keyring.pending_failures()}
    assert len(attempts) == 2
    saved = keyring.path.read_bytes()
    db = unlock(path, "inspector", PASSWORD, clock)
    db.close()
    # As if the process had stopped after the audit commit, before the keyring write.
    keyring.path.write_bytes(saved)
    db = unlock(path, "inspector", PASSWORD, clock)
    failures = [e for e in audit_trail.entries(db) if e.action == "login.failure"]
    db.close()
    assert {json.loads(e.payload)["attempt"] for e in failures} == attempts
    assert len(failures) == 2  # not written again
    assert keyring.pending_failures() == []


def test_lockout_rule_follows_the_stored_policy(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "sekisho.db"
    key = create_home(path, [("admin", PASSWORD)], Policy(max_failed_logins=5), n=N)
    db = open_database(path, key=key)
    ensure_demo(db, clock, Policy(max_failed_logins=2))
    db.close()
    unlock(path, "admin", PASSWORD, clock).close()  # copies the rule into the keyring
    with pytest.raises(AuthenticationFailed):
        unlock(path, "admin", "wrong", clock)
    with pytest.raises(AccountLocked):
        unlock(path, "admin", "wrong", clock)


def _add(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str, password: str = PASSWORD) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["--home", str(home), "operator", *args, "--password-stdin"])


def test_operator_commands_need_an_administrator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sekisho.db"
    assert _add(tmp_path, monkeypatch, "add", "ins", "--name", "I", "--role", "inspector") == 2
    assert "must be an administrator" in capsys.readouterr().err
    assert home_state(path) is HomeState.NEW
    assert (
        _add(tmp_path, monkeypatch, "add", "chief", "--name", "C", "--role", "administrator") == 0
    )
    assert home_state(path) is HomeState.ENCRYPTED and not path.read_bytes().startswith(b"SQLite")

    monkeypatch.setenv("SEKISHO_OPERATOR", "chief")
    monkeypatch.setenv("SEKISHO_PASSWORD", PASSWORD)
    assert _add(tmp_path, monkeypatch, "add", "ins", "--name", "I", "--role", "inspector") == 0
    assert Keyring(keyring_path(path)).operators() == ["chief", "ins"]
    unlock(path, "ins", PASSWORD, FakeClock()).close()

    monkeypatch.setenv("SEKISHO_OPERATOR", "ins")  # not an administrator
    assert _add(tmp_path, monkeypatch, "add", "x", "--name", "X", "--role", "inspector") == 3
    assert "AUTH-ROLE" in capsys.readouterr().err
    assert Keyring(keyring_path(path)).operators() == ["chief", "ins"]

    monkeypatch.setenv("SEKISHO_OPERATOR", "chief")
    assert _add(tmp_path, monkeypatch, "password", "ins", password="a-new-long-secret") == 0
    with pytest.raises(AuthenticationFailed):
        unlock(path, "ins", PASSWORD, FakeClock())
    db = unlock(path, "ins", "a-new-long-secret", FakeClock())
    operators = SqliteOperators(db, FakeClock())
    assert log_in(operators, FakeClock(), operators.load_policy(), "ins", "a-new-long-secret")
    actions = [(e.operator_id, e.action) for e in audit_trail.entries(db)]
    db.close()
    assert ("chief", "operator.password_set") in actions


def test_db_encrypt_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clock: FakeClock,
) -> None:
    path = _plain_home_with_a_case(tmp_path, clock)
    # A plain home: adding operators is refused until it is encrypted.
    monkeypatch.setenv("SEKISHO_OPERATOR", "admin")
    monkeypatch.setenv("SEKISHO_PASSWORD", "sekisho-demo")
    assert _add(tmp_path, monkeypatch, "add", "x", "--name", "X", "--role", "inspector") == 2
    assert "sekisho db encrypt" in capsys.readouterr().err
    assert main(["--home", str(tmp_path), "db", "encrypt"]) == 0
    assert "key is wrapped for admin" in capsys.readouterr().out
    assert home_state(path) is HomeState.ENCRYPTED
    assert main(["--home", str(tmp_path), "db", "encrypt"]) == 0
    assert "encrypted already" in capsys.readouterr().out
    assert main(["--home", str(tmp_path), "audit", "verify"]) == 0  # unlocks as admin
