"""The database encrypted at rest: no plaintext names or document numbers in any file, the
key unwrapped only with an operator's password, lockout before unlock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.database import open_database
from db.demo import ensure_demo
from db.keyring import Keyring, keyring_path, new_database_key
from db.store import SqliteWatchlist
from db.watchlist_sync import apply_bundle
from tests.conftest import REPO, FakeClock
from workstation.errors import AccountLocked, AuthenticationFailed, StorageError
from workstation.policy import Policy
from workstation.watchlist_source import encode_snapshot, load_source

NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def test_no_plaintext_in_database_files(tmp_path: Path) -> None:
    path = tmp_path / "sekisho.db"
    key = new_database_key()
    db = open_database(path, key=key)
    ensure_demo(db, FakeClock())
    records = load_source(REPO / "examples" / "watchlist")
    apply_bundle(db, encode_snapshot(9, NOW, records), FakeClock(), "t")
    assert SqliteWatchlist(db, FakeClock()).counts()["persons"] == 5
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # db, -wal, -shm
    db.close()
    raw += path.read_bytes()
    for secret in ("KOWALSKI", "MORGENSTERN", "X0000001", "L01234567", "山田", "TZ0000001"):
        assert secret.encode() not in raw, secret
    assert not raw.startswith(b"SQLite format 3")
    with pytest.raises(StorageError):
        open_database(path)  # without the key
    with pytest.raises(StorageError):
        open_database(path, key=new_database_key())
    reopened = open_database(path, key=key)
    assert SqliteWatchlist(reopened, FakeClock()).current_version().version == 9
    reopened.close()


def test_keyring_unwrap_per_operator_and_lockout(tmp_path: Path) -> None:
    keyring = Keyring(keyring_path(tmp_path / "sekisho.db"), n=2**10)
    keyring.create(Policy(max_failed_logins=3, lockout_minutes=15))
    key = new_database_key()
    keyring.wrap("inspector", "correct horse", key)
    keyring.wrap("supervisor", "other secret", key)
    assert keyring.unlock("inspector", "correct horse", NOW) == key
    assert keyring.unlock("supervisor", "other secret", NOW) == key
    text = keyring.path.read_text()
    assert key.hex() not in text and "correct horse" not in text
    with pytest.raises(AuthenticationFailed):
        keyring.unlock("nobody", "x", NOW)
    with pytest.raises(AuthenticationFailed) as failed:
        keyring.unlock("inspector", "wrong", NOW)
    assert failed.value.remaining_attempts == 2
    with pytest.raises(AuthenticationFailed):
        keyring.unlock("inspector", "wrong", NOW)
    with pytest.raises(AccountLocked):
        keyring.unlock("inspector", "wrong", NOW)
    with pytest.raises(AccountLocked):  # locked even with the right password
        keyring.unlock("inspector", "correct horse", NOW + dt.timedelta(minutes=1))
    assert keyring.unlock("inspector", "correct horse", NOW + dt.timedelta(minutes=16)) == key
    pending = keyring.take_pending_failures()
    assert [p.locked for p in pending] == [False, False, True]
    assert keyring.take_pending_failures() == []


def test_cli_opens_encrypted_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.cli import main

    key = new_database_key()
    db = open_database(tmp_path / "sekisho.db", key=key)
    ensure_demo(db, FakeClock())
    db.close()
    keyring = Keyring(keyring_path(tmp_path / "sekisho.db"), n=2**10)
    keyring.create()
    keyring.wrap("admin", "pw", key)
    monkeypatch.setenv("SEKISHO_OPERATOR", "admin")
    monkeypatch.setenv("SEKISHO_PASSWORD", "pw")
    assert main(["--home", str(tmp_path), "audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    monkeypatch.setenv("SEKISHO_PASSWORD", "wrong")
    assert main(["--home", str(tmp_path), "audit", "verify"]) == 3
    assert "AUTH-FAILED" in capsys.readouterr().err
