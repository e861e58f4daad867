"""Device discovery in the composition root, against the project's SBI device double."""

from __future__ import annotations

from pathlib import Path

from devices.fingerprint.sbi_double import SbiDeviceDouble
from ui.app import discover_sbi_scanner
from ui.context import Options
from workstation.captures import Finger


def test_no_trust_roots_means_no_scanner(tmp_path: Path) -> None:
    assert discover_sbi_scanner(Options(home=tmp_path)) is None


def test_trusted_sbi_device_is_found_and_captures(tmp_path: Path) -> None:
    with SbiDeviceDouble() as double:
        trust = tmp_path / "trust" / "sbi"
        trust.mkdir(parents=True)
        (trust / "provider.pem").write_bytes(double.trust_root_pem)
        scanner = discover_sbi_scanner(Options(home=tmp_path))
        assert scanner is not None and not scanner.simulated
        captures = scanner.capture((Finger.RIGHT_INDEX, Finger.LEFT_INDEX))
    assert [c.finger for c in captures] == [Finger.RIGHT_INDEX, Finger.LEFT_INDEX]
    assert all(c.image for c in captures)


def test_untrusted_sbi_device_is_not_used(tmp_path: Path) -> None:
    another_provider = SbiDeviceDouble()  # never started: only its CA is used
    with SbiDeviceDouble():
        trust = tmp_path / "trust" / "sbi"
        trust.mkdir(parents=True)
        (trust / "someone-else.pem").write_bytes(another_provider.trust_root_pem)
        assert discover_sbi_scanner(Options(home=tmp_path)) is None
