"""Watchlist distribution end to end: publish with TUF, sync from a folder and over real
HTTP on loopback, and every tampered, replayed, rolled-back or frozen repository refused."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from db.database import open_database
from db.store import SqliteWatchlist
from db.watchlist_repo import Expiry, init_keys, publish, rotate_key, sync
from tests.conftest import REPO, FakeClock
from ui.cli import main
from workstation.errors import (
    WatchlistExpired,
    WatchlistNotBootstrapped,
    WatchlistUnavailable,
    WatchlistUntrusted,
)

EXAMPLE = REPO / "examples" / "watchlist"
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    init_keys(tmp_path / "keys", NOW)
    return tmp_path / "keys"


@pytest.fixture
def repo(tmp_path: Path, keys: Path) -> Path:
    publish(EXAMPLE, tmp_path / "repo", keys, NOW)
    return tmp_path / "repo"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def http_repo(repo: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(repo)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _sync(home: Path, source: str, root: Path | None = None):  # type: ignore[no-untyped-def]
    db = open_database(home / "sekisho.db")
    try:
        return sync(db, FakeClock(NOW), source, home / "trust", root.read_bytes() if root else None)
    finally:
        db.close()


def _version(home: Path) -> int:
    db = open_database(home / "sekisho.db")
    try:
        return SqliteWatchlist(db, FakeClock()).current_version().version
    finally:
        db.close()


def test_folder_snapshot_then_delta(tmp_path: Path, repo: Path, keys: Path) -> None:
    home = tmp_path / "ws"
    with pytest.raises(WatchlistNotBootstrapped):
        _sync(home, str(repo))
    first = _sync(home, str(repo), keys / "root.json")
    assert first is not None and (first.version, first.kind) == (1, "snapshot")
    assert first.counts == {"person": 5, "bio": 2, "lost": 2, "card": 2, "defer": 1, "policy": 2}
    assert _sync(home, str(repo)) is None  # already current, stored root used
    publish(EXAMPLE, repo, keys, NOW)
    second = _sync(home, str(repo))
    assert second is not None and (second.version, second.kind) == (2, "delta")
    assert _version(home) == 2


def test_http_sync_and_status_command(
    tmp_path: Path,
    http_repo: str,
    keys: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    home = tmp_path / "ws"
    # A new workstation: the first administrator creates the encrypted database.
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-secret\n"))
    admin = ["operator", "add", "admin", "--name", "Admin", "--role", "administrator"]
    assert main(["--home", str(home), *admin, "--password-stdin"]) == 0
    monkeypatch.setenv("SEKISHO_OPERATOR", "admin")
    monkeypatch.setenv("SEKISHO_PASSWORD", "long-enough-secret")
    args = ["--home", str(home), "watchlist"]
    assert main([*args, "sync", http_repo, "--root", str(keys / "root.json")]) == 0
    assert "v1 applied (snapshot" in capsys.readouterr().out
    assert main([*args, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["version"] == 1 and status["freshness"] == "current"
    assert status["counts"]["persons"] == 5 and status["counts"]["deferments"] == 1
    assert status["age_seconds"] >= 0


def test_hub_down_is_unavailable(tmp_path: Path, keys: Path) -> None:
    with pytest.raises(WatchlistUnavailable):
        _sync(tmp_path / "ws", "http://127.0.0.1:9", keys / "root.json")
    with pytest.raises(WatchlistUnavailable):
        _sync(tmp_path / "ws", str(tmp_path / "no-such-folder"), keys / "root.json")


def test_tampered_target_refused(tmp_path: Path, repo: Path, keys: Path) -> None:
    (bundle,) = (repo / "targets" / "watchlist").glob("*.snapshot-1.jsonl.gz")
    data = bytearray(bundle.read_bytes())
    data[-10] ^= 0xFF
    bundle.write_bytes(bytes(data))
    with pytest.raises(WatchlistUntrusted, match="LengthOrHashMismatch"):
        _sync(tmp_path / "ws", str(repo), keys / "root.json")
    assert _version(tmp_path / "ws") == 0


def test_tampered_metadata_refused(tmp_path: Path, repo: Path, keys: Path) -> None:
    path = repo / "metadata" / "1.targets.json"
    document = json.loads(path.read_text())
    document["signed"]["expires"] = "2099-01-01T00:00:00Z"
    path.write_text(json.dumps(document))
    with pytest.raises(WatchlistUntrusted):
        _sync(tmp_path / "ws", str(repo), keys / "root.json")


def test_wrong_root_refused(tmp_path: Path, repo: Path) -> None:
    other = init_keys(tmp_path / "other-keys", NOW)
    with pytest.raises(WatchlistUntrusted):
        _sync(tmp_path / "ws", str(repo), other)


def test_replayed_timestamp_refused(tmp_path: Path, repo: Path, keys: Path) -> None:
    old_timestamp = (repo / "metadata" / "timestamp.json").read_bytes()
    publish(EXAMPLE, repo, keys, NOW)
    home = tmp_path / "ws"
    _sync(home, str(repo), keys / "root.json")
    (repo / "metadata" / "timestamp.json").write_bytes(old_timestamp)
    with pytest.raises(WatchlistUntrusted, match="BadVersionNumber"):
        _sync(home, str(repo))
    assert _version(home) == 2


def test_rolled_back_repository_refused(tmp_path: Path, repo: Path, keys: Path) -> None:
    snapshot_of_v1 = tmp_path / "repo-v1"
    shutil.copytree(repo, snapshot_of_v1)
    publish(EXAMPLE, repo, keys, NOW)
    home = tmp_path / "ws"
    _sync(home, str(repo), keys / "root.json")
    with pytest.raises(WatchlistUntrusted):
        _sync(home, str(snapshot_of_v1))
    assert _version(home) == 2


def test_frozen_repository_refused(tmp_path: Path, keys: Path) -> None:
    repo = tmp_path / "frozen"
    publish(EXAMPLE, repo, keys, NOW - dt.timedelta(days=3), expiry=Expiry())
    with pytest.raises(WatchlistExpired):
        _sync(tmp_path / "ws", str(repo), keys / "root.json")


def test_mix_and_match_refused(tmp_path: Path, repo: Path, keys: Path) -> None:
    publish(EXAMPLE, repo, keys, NOW)
    # A mirror serving version 2's timestamp and snapshot with version 1's targets.
    (repo / "metadata" / "2.targets.json").write_bytes(
        (repo / "metadata" / "1.targets.json").read_bytes()
    )
    with pytest.raises(WatchlistUntrusted):
        _sync(tmp_path / "ws", str(repo), keys / "root.json")


def test_key_rotation_followed(tmp_path: Path, repo: Path, keys: Path) -> None:
    home = tmp_path / "ws"
    initial_root = tmp_path / "initial-root.json"
    shutil.copy(keys / "root.json", initial_root)
    _sync(home, str(repo), initial_root)
    old_timestamp = (repo / "metadata" / "timestamp.json").read_bytes()
    assert rotate_key(keys, "timestamp", NOW) == 2
    assert rotate_key(keys, "root", NOW) == 3
    publish(EXAMPLE, repo, keys, NOW)
    result = _sync(home, str(repo))
    assert result is not None and result.version == 2
    assert (home / "trust" / "root_history" / "3.root.json").exists()
    # A fresh workstation given the old root also walks the rotation chain.
    assert _sync(tmp_path / "ws2", str(repo), initial_root) is not None
    # Metadata signed with the revoked timestamp key is refused.
    publish(EXAMPLE, repo, keys, NOW)
    (repo / "metadata" / "timestamp.json").write_bytes(old_timestamp)
    with pytest.raises(WatchlistUntrusted):
        _sync(home, str(repo))
