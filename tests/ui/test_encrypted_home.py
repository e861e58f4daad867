"""The desktop application on an encrypted home: a landing case recorded through the
screens leaves no readable name or document number in any file; the demo home is
encrypted; logging out closes the database; a home nobody can unlock says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from db import audit_trail
from db.database import open_database
from db.keyring import Keyring, keyring_path, new_database_key
from db.vault import HomeState, home_state, unlock
from tests.conftest import FakeClock
from tests.ui.conftest import log_in
from tests.ui.test_landing_e2e import TIMEOUT, _drive_to_decision
from ui.app import Services, build_services
from ui.context import DATABASE_NAME, Options
from ui.main_window import MainWindow
from ui.qt_main import build_window, create_application
from ui.settings import Settings
from workstation.errors import DatabaseLocked, StorageError


def _files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in home.iterdir() if p.is_file()}


def test_landing_case_leaves_no_plaintext(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert not services.unlocked  # nothing is open before someone logs in
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    assert services.unlocked
    _drive_to_decision(qtbot, window, specimen=0)
    landing = window.landing
    landing.record_button.click()
    qtbot.waitUntil(landing.next_button.isVisible, timeout=TIMEOUT)
    assert landing._exam is not None and landing._exam.case.document is not None
    case_id = landing._exam.case.case_id
    document = landing._exam.case.document
    secrets = {document.surname, document.given_names, document.document_number}
    assert secrets == {"ERIKSSON", "ANNA MARIA", "L898902C3"}
    # The case is stored, with the traveller's name (read through the key).
    stored = services.db.execute(
        "SELECT document FROM cases WHERE case_id = ?", [case_id]
    ).fetchone()[0]
    assert all(secret in stored for secret in secrets)
    secrets |= {"KOWALSKI", "X0000001"}  # and the demo watchlist's
    while_open = _files(tmp_path)
    assert len(while_open.get(DATABASE_NAME + "-wal", b"")) > 0, "the WAL holds the case"

    window.log_out()
    qtbot.waitUntil(lambda: not services.unlocked, timeout=TIMEOUT)
    window.close()
    after = _files(tmp_path)
    for files in (while_open, after):
        for name, content in files.items():
            for secret in secrets:
                assert secret.encode() not in content, (name, secret)
                assert secret.encode("utf-16-le") not in content, (name, secret)
        assert not files[DATABASE_NAME].startswith(b"SQLite format 3")
    with pytest.raises(StorageError):
        open_database(tmp_path / DATABASE_NAME)  # without the key
    with pytest.raises(StorageError):
        open_database(tmp_path / DATABASE_NAME, key=new_database_key())
    db = unlock(tmp_path / DATABASE_NAME, "inspector", "sekisho-demo", services.clock)
    try:
        assert audit_trail.verify(db).ok
        actions = [e.action for e in audit_trail.entries(db, case_id)]
        assert actions[-1] == "decision.recorded"
    finally:
        db.close()


def test_demo_home_is_encrypted(tmp_path: Path) -> None:
    """`sekisho run --demo` on a new home: the shipped scrypt cost, a wrap per account."""
    services = build_services(Options(home=tmp_path, demo=True, simulate_devices=True))
    try:
        path = tmp_path / DATABASE_NAME
        assert home_state(path) is HomeState.ENCRYPTED
        assert Keyring(keyring_path(path)).operators() == ["admin", "inspector", "supervisor"]
        assert not path.read_bytes().startswith(b"SQLite format 3")
        for secret in (b"KOWALSKI", b"X0000001", b"Demo Inspector", b"sekisho-demo"):
            for content in _files(tmp_path).values():
                assert secret not in content
        with pytest.raises(DatabaseLocked):
            services.db  # noqa: B018 - closed until someone logs in
        services.unlock("supervisor", "sekisho-demo")
        assert services.watchlist.counts()["persons"] == 4
    finally:
        services.close()
    assert not services.unlocked


def test_plain_demo_home_is_encrypted_at_start(tmp_path: Path) -> None:
    """A demo home from a release that did not encrypt is encrypted when the demo starts."""
    from db.demo import ensure_demo

    plain = open_database(tmp_path / DATABASE_NAME)
    ensure_demo(plain, FakeClock())
    plain.close()
    assert home_state(tmp_path / DATABASE_NAME) is HomeState.PLAIN
    services = build_services(Options(home=tmp_path, demo=True, simulate_devices=True))
    try:
        assert home_state(tmp_path / DATABASE_NAME) is HomeState.ENCRYPTED
        for content in _files(tmp_path).values():
            assert b"KOWALSKI" not in content
        services.unlock("admin", "sekisho-demo")
        actions = [e.action for e in audit_trail.entries(services.db)]
        assert "database.encrypted" in actions and audit_trail.verify(services.db).ok
    finally:
        services.close()


def test_logout_closes_the_database_and_another_operator_logs_in(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    window.set_language("en")
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    assert window.operator_label.text() == "Operator: Demo Inspector"
    window.log_out()
    qtbot.waitUntil(lambda: not services.unlocked, timeout=TIMEOUT)
    assert window.stack.currentWidget() is window.login
    log_in(qtbot, window, "supervisor")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    assert window.operator_label.text() == "Operator: Demo Supervisor"
    logins = [
        e.operator_id for e in audit_trail.entries(services.db) if e.action == "login.success"
    ]
    assert logins == ["inspector", "supervisor"]


def test_lock_screen_verifies_the_password_against_the_keyring(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    window.set_language("en")
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    window.lock()
    log_in(qtbot, window, password="not-my-password")
    qtbot.waitUntil(lambda: "4 attempts left" in window.login.error.text(), timeout=TIMEOUT)
    assert window.stack.currentWidget() is window.login and services.unlocked
    # The database is open: the failed unlock is in the audit log at once.
    failures = [e for e in audit_trail.entries(services.db) if e.action == "login.failure"]
    assert [e.operator_id for e in failures] == ["inspector"]
    assert '"before_unlock":true' in failures[0].payload
    assert Keyring(keyring_path(services.options.database_path)).pending_failures() == []
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)


@pytest.mark.parametrize(
    ("prepare", "words"),
    [
        (lambda home: None, "sekisho operator add"),
        (lambda home: open_database(home / DATABASE_NAME).close(), "sekisho db encrypt"),
    ],
    ids=["new", "plain"],
)
def test_login_screen_says_why_nobody_can_log_in(
    qtbot, tmp_path: Path, prepare, words: str
) -> None:  # type: ignore[no-untyped-def]
    prepare(tmp_path)
    services = build_services(Options(home=tmp_path, simulate_devices=True, language="en"))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = build_window(services, create_application(), settings)
    qtbot.addWidget(win)
    win.show()
    assert words in win.login.notice.text() and win.login.notice.isVisible()
    assert not win.login.submit.isEnabled() and not win.login.password.isEnabled()
    assert not services.unlocked
    # Nothing unencrypted is created for a new home.
    assert (tmp_path / DATABASE_NAME).exists() == (words == "sekisho db encrypt")
    win.close()
    assert win.workers.wait(5000)


def test_operators_added_by_command_log_in_through_the_screen(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import io

    from ui.cli import main

    def add(operator_id: str, role: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-secret\n"))
        args = ["operator", "add", operator_id, "--name", operator_id.title(), "--role", role]
        return main(["--home", str(tmp_path), *args, "--password-stdin"])

    assert add("chief", "administrator") == 0  # creates the encrypted database
    monkeypatch.setenv("SEKISHO_OPERATOR", "chief")
    monkeypatch.setenv("SEKISHO_PASSWORD", "long-enough-secret")
    assert add("booth1", "inspector") == 0

    services = build_services(Options(home=tmp_path, simulate_devices=True, language="en"))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = build_window(services, create_application(), settings)
    qtbot.addWidget(win)
    win.show()
    try:
        assert win.login.submit.isEnabled() and not win.login.notice.isVisible()
        log_in(qtbot, win, "booth1", "long-enough-secret")
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.home, timeout=TIMEOUT)
        assert win.operator is not None and win.operator.display_name == "Booth1"
    finally:
        win.close()
        assert win.workers.wait(5000)
        services.close()
