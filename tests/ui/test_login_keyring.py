"""Logging in through the keyring: wrong passwords count and lock the account before the
database is even open, and are written to the audit log by the next successful login."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import audit_trail
from db.demo import ensure_demo_home
from db.keyring import Keyring, keyring_path
from tests.conftest import FakeClock
from tests.ui.conftest import TEST_SCRYPT_N, log_in
from ui.app import Services, build_services
from ui.context import DATABASE_NAME, Options
from ui.main_window import MainWindow

TIMEOUT = 40_000


@pytest.fixture
def services(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    """The demo home on a clock the test moves (to outlast the lockout)."""
    ensure_demo_home(tmp_path / DATABASE_NAME, clock, n=TEST_SCRYPT_N)
    built = build_services(Options(home=tmp_path, demo=True, simulate_devices=True), clock)
    yield built
    built.close()


def _attempt(qtbot, window: MainWindow, password: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, window, password=password)
    qtbot.waitUntil(
        lambda: window.login.submit.isEnabled() and expected in window.login.error.text(),
        timeout=TIMEOUT,
    )


def test_wrong_passwords_lock_the_account_and_are_audited_after_the_next_login(
    qtbot, window: MainWindow, services: Services, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    window.set_language("en")
    keyring = Keyring(keyring_path(services.options.database_path))
    for left in (4, 3, 2, 1):
        _attempt(qtbot, window, "wrong-password", f"{left} attempts left")
        assert not services.unlocked  # the database stays closed
    _attempt(qtbot, window, "wrong-password", "account is locked")
    clock.advance(minutes=5)
    _attempt(qtbot, window, "sekisho-demo", "account is locked")  # even the right one
    assert not services.unlocked
    assert [f.locked for f in keyring.pending_failures()] == [False] * 4 + [True]

    clock.advance(minutes=11)  # the policy's 15 minutes are over
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    entries = [
        e
        for e in audit_trail.entries(services.db)
        if e.action in ("login.failure", "login.success")
    ]
    assert [(e.action, e.operator_id) for e in entries] == [
        *[("login.failure", "inspector")] * 5,
        ("login.success", "inspector"),
    ]
    payloads = [json.loads(e.payload) for e in entries[:5]]
    assert [p["locked"] for p in payloads] == [False] * 4 + [True]
    assert all(p["before_unlock"] for p in payloads)
    assert keyring.pending_failures() == []
    assert audit_trail.verify(services.db).ok


def test_unknown_operator_is_refused_like_a_wrong_password(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    window.set_language("en")
    log_in(qtbot, window, operator="nobody")
    qtbot.waitUntil(
        lambda: window.login.error.text() == "Wrong operator ID or password.", timeout=TIMEOUT
    )
    assert not services.unlocked
