"""The `sekisho` command: selftest, bench and version, as an operator's script would run them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.cli import main


def test_selftest_passes_on_demo_with_simulated_devices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(tmp_path), "selftest", "--demo", "--simulate-devices"]) == 0
    out = capsys.readouterr().out
    assert "0 failed" in out and "simulated (training mode)" in out


def test_selftest_fails_without_operators_or_devices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An encrypted home whose database holds no operator account (its keyring does).
    from db.database import open_database
    from db.vault import create_home

    key = create_home(tmp_path / "sekisho.db", [("ghost", "long-enough-secret")], n=2**10)
    open_database(tmp_path / "sekisho.db", key=key).close()
    monkeypatch.setenv("SEKISHO_OPERATOR", "ghost")
    monkeypatch.setenv("SEKISHO_PASSWORD", "long-enough-secret")
    monkeypatch.setattr("ui.app.discover_devices", _no_devices)
    assert main(["--home", str(tmp_path), "selftest"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] operators & policy" in out
    assert "[FAIL] devices" in out


def test_selftest_on_a_new_home_names_the_first_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(tmp_path), "selftest"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] database" in out and "sekisho operator add" in out
    assert not (tmp_path / "sekisho.db").exists()  # nothing written unencrypted


def _no_devices(options: object, bac_allowed: bool = True) -> object:
    from ui.app import Devices

    return Devices(reader=None, camera=None, scanner=None, training=False)


def test_bench_store_prints_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path), "bench", "--quick", "--only", "store"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:2] == ["measure", "sekisho"]
    assert any(line.startswith("decision + audit + outbox stored (fsync), p99") for line in lines)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("sekisho ")
