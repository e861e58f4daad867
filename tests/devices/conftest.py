"""Fixtures for device tests: a scripted connection and a real pcscd with vpcd.

The ``pcscd`` fixture reuses a running pcscd, or starts ``pcscd --foreground`` as a child
process and stops it at the end of the session. Tests that use it are marked ``pcsc`` and
skip with the reason when pcscd, vsmartcard-vpcd or pyscard are missing.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pytest

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
VPCD_READER = "Virtual PCD 00 00"
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")


class ScriptedConnection:
    """A CardConnection that expects exact APDUs and replays scripted answers.

    :param script: ``(expected_apdu, response_data, sw)`` triples, as bytes or hex strings.
    """

    atr = bytes.fromhex("3B8080010101")

    def __init__(self, script: list[tuple[bytes | str, bytes | str, int]]) -> None:
        def b(v: bytes | str) -> bytes:
            return bytes.fromhex(v) if isinstance(v, str) else v

        self.script = [(b(a), b(r), sw) for a, r, sw in script]
        self.closed = False

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        assert self.script, f"unexpected extra APDU {apdu.hex()}"
        expected, response, sw = self.script.pop(0)
        assert apdu.hex() == expected.hex(), "APDU differs from the script"
        return response, sw

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def assert_done(self) -> None:
        assert not self.script, f"{len(self.script)} scripted APDUs were not sent"


@pytest.fixture
def scripted() -> type[ScriptedConnection]:
    return ScriptedConnection


def _missing() -> str | None:
    if shutil.which("pcscd") is None:
        return "pcscd is not installed (apt-get install pcscd)"
    if not VPCD_DRIVER.exists():
        return "vsmartcard-vpcd is not installed (apt-get install vsmartcard-vpcd)"
    if importlib.util.find_spec("smartcard") is None:
        return "pyscard is not installed"
    return None


def _virtual_readers() -> list[Any]:
    from devices.smartcard.pcsc import list_readers

    return [r for r in list_readers() if r.name.startswith("Virtual PCD")]


@pytest.fixture(scope="session")
def pcscd() -> Iterator[None]:
    """A pcscd that serves vpcd's virtual readers, for the whole test session."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    if _virtual_readers():
        yield  # someone else's pcscd with vpcd: use it, never stop it
        return
    if PCSCD_SOCKET.exists():
        pytest.skip("a pcscd is running without the vpcd reader; restart it after installing")
    process = subprocess.Popen(
        ["pcscd", "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 5
        while not _virtual_readers():
            if process.poll() is not None:
                stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
                pytest.skip(f"pcscd exited at start ({process.returncode}): {stderr[-200:]}")
            if time.monotonic() > deadline:
                pytest.skip("pcscd started but lists no Virtual PCD reader")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def virtual_card(pcscd: None) -> Iterator[Callable[..., Any]]:
    """``present(card, slot=0)`` puts an emulator in ``Virtual PCD 00 0<slot>`` and returns
    that reader. The card is taken away at the end of the test.

    NOTE: vpcd 3.3 accepts no new card on a slot whose card vanished in the middle of a
    transmit, so tests that remove a card mid-read use slot 1 and nothing else does.
    """
    from devices.emulators.vpcd import VPCD_PORT, serve_in_thread
    from devices.smartcard.pcsc import PcscCardReader

    started: list[tuple[threading.Thread, threading.Event, PcscCardReader]] = []

    def present(card: Any, slot: int = 0) -> PcscCardReader:
        reader = PcscCardReader(f"Virtual PCD 00 0{slot}")
        assert wait_for(lambda: not reader.has_card()), f"slot {slot} is still occupied"
        thread, stop = serve_in_thread(card, port=VPCD_PORT + slot)
        started.append((thread, stop, reader))
        assert wait_for(reader.has_card), "the virtual card did not appear"
        return reader

    yield present
    for thread, stop, reader in started:
        stop.set()
        thread.join(5)
        wait_for(lambda r=reader: not r.has_card(), 5)


@pytest.fixture(scope="session")
def residence_pki() -> dict[str, Any]:
    """Test ZairyuCard CAs (RSA for generation 1, P-384 for generation 2), card signers,
    and rogue CAs that are in no trust store."""
    from devices.emulators import testpki

    pki: dict[str, Any] = {}
    for generation, kind in ((1, "rsa"), (2, "p384")):
        ca = testpki.make_ca(f"Test ZairyuCard CA{generation}", kind)
        rogue = testpki.make_ca(f"Test ZairyuCard CA{generation}", kind)
        pki[f"ca{generation}"] = ca
        pki[f"signer{generation}"] = testpki.issue(ca, "card", kind)
        pki[f"rogue_signer{generation}"] = testpki.issue(rogue, "card", kind)
    return pki


@pytest.fixture(scope="session")
def passport_pki() -> dict[str, Any]:
    """Test CSCAs and DSCs for e-passports: explicit-parameter Brainpool P-256 (the default
    emulator chain), an untrusted chain with a CSCA of the same name, and the trust store."""
    from devices.emrtd.pa import TrustStore
    from devices.emulators import passport_files as pf

    trusted = pf.make_pki("bp256", explicit=True)
    rogue = pf.make_pki("bp256", explicit=True, untrusted=True)
    return {
        "pki": trusted,
        "untrusted": rogue,
        "trust": TrustStore.from_der([trusted.csca.der]),
    }
