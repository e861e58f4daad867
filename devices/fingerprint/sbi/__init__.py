"""MOSIP SBI (Secure Biometric Interface) finger devices: client, version adapters, scanner."""

from __future__ import annotations

from devices.fingerprint.sbi.base import SbiCapture, SbiDevice, SbiRecord
from devices.fingerprint.sbi.client import SbiClient, SbiTimeouts, SbiTrust
from devices.fingerprint.sbi.scanner import SbiFingerprintScanner

__all__ = [
    "SbiCapture",
    "SbiClient",
    "SbiDevice",
    "SbiFingerprintScanner",
    "SbiRecord",
    "SbiTimeouts",
    "SbiTrust",
]
