from __future__ import annotations

import pytest
from sqlite_utils import Database

from db import audit_trail
from db.store import SqliteOperators
from tests.conftest import FakeClock
from workstation.errors import AccountLocked, AuthenticationFailed, StorageError
from workstation.login import log_in


def test_login_success_and_failure_are_audited(demo_db: Database, clock: FakeClock) -> None:
    operators = SqliteOperators(demo_db, clock)
    policy = operators.load_policy()
    assert log_in(operators, clock, policy, "inspector", "sekisho-demo").operator_id == "inspector"
    with pytest.raises(AuthenticationFailed) as failure:
        log_in(operators, clock, policy, "inspector", "wrong")
    assert failure.value.remaining_attempts == policy.max_failed_logins - 1
    actions = [e.action for e in audit_trail.entries(demo_db) if e.action.startswith("login")]
    assert actions == ["login.success", "login.failure"]


def test_unknown_operator_looks_like_a_wrong_password(demo_db: Database, clock: FakeClock) -> None:
    operators = SqliteOperators(demo_db, clock)
    with pytest.raises(AuthenticationFailed):
        log_in(operators, clock, operators.load_policy(), "nobody", "x")


def test_lockout_after_five_failures_survives_restart(demo_db: Database, clock: FakeClock) -> None:
    operators = SqliteOperators(demo_db, clock)
    policy = operators.load_policy()
    for _ in range(policy.max_failed_logins - 1):
        with pytest.raises(AuthenticationFailed):
            log_in(operators, clock, policy, "inspector", "wrong")
    with pytest.raises(AccountLocked):
        log_in(operators, clock, policy, "inspector", "wrong")
    fresh = SqliteOperators(demo_db, clock)  # the state is stored, not held in memory
    with pytest.raises(AccountLocked):
        log_in(fresh, clock, policy, "inspector", "sekisho-demo")
    clock.advance(minutes=policy.lockout_minutes)
    assert log_in(fresh, clock, policy, "inspector", "sekisho-demo")


def test_operator_add_command_then_login(tmp_path, monkeypatch, capsys, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    import io

    from db.database import open_database
    from db.vault import unlock
    from ui.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-secret\n"))
    args = ["--home", str(tmp_path), "operator", "add", "chief", "--name", "Chief Admin"]
    assert main([*args, "--role", "administrator", "--password-stdin"]) == 0
    # The first account created the encrypted database; more need an administrator.
    monkeypatch.setenv("SEKISHO_OPERATOR", "chief")
    monkeypatch.setenv("SEKISHO_PASSWORD", "long-enough-secret")
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-secret\n"))
    assert main([*args, "--role", "inspector", "--password-stdin"]) == 2  # exists already
    with pytest.raises(StorageError):
        open_database(tmp_path / "sekisho.db")
    db = unlock(tmp_path / "sekisho.db", "chief", "long-enough-secret", clock)
    operators = SqliteOperators(db, clock)
    operator = log_in(operators, clock, operators.load_policy(), "chief", "long-enough-secret")
    assert operator.display_name == "Chief Admin"
    db.close()
