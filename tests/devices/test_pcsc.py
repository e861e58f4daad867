"""The PC/SC backend end to end: real pcscd, vsmartcard's vpcd, and our emulators."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("smartcard")

from smartcard import scard  # noqa: E402

from devices.emulators import residence_card as rc  # noqa: E402
from devices.residence_card.reader import ResidenceCardReader  # noqa: E402
from devices.smartcard import pcsc  # noqa: E402
from devices.smartcard.base import (  # noqa: E402
    CardEvent,
    CardRemoved,
    NoCard,
    ReaderBusy,
    ReaderServiceUnavailable,
    ReaderUnavailable,
)
from workstation.errors import DeviceBusy, DeviceUnavailable, NoDocument  # noqa: E402
from workstation.residence_card import CardType, CheckName, Verdict  # noqa: E402

NUMBER = "AA12345678BB"
VPCD_READER = "Virtual PCD 00 00"


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.mark.parametrize(
    ("hr", "error", "core"),
    [
        (scard.SCARD_E_NO_SERVICE, ReaderServiceUnavailable, DeviceUnavailable),
        (scard.SCARD_E_UNKNOWN_READER, ReaderUnavailable, DeviceUnavailable),
        (scard.SCARD_E_NO_SMARTCARD, NoCard, NoDocument),
        (scard.SCARD_W_REMOVED_CARD, CardRemoved, CardRemoved),
        (scard.SCARD_E_SHARING_VIOLATION, ReaderBusy, DeviceBusy),
    ],
)
def test_error_mapping(hr: int, error: type, core: type) -> None:
    mapped = pcsc._map_error(hr, "connect")
    assert type(mapped) is error and isinstance(mapped, core)
    assert "0x8010" in mapped.detail


pytestmark = pytest.mark.pcsc


def test_lists_virtual_readers(pcscd) -> None:
    names = [r.name for r in pcsc.list_readers()]
    assert VPCD_READER in names and "Virtual PCD 00 01" in names


def test_reader_lookup_errors(pcscd) -> None:
    with pytest.raises(ReaderUnavailable):
        pcsc.find_reader("No such reader")
    with pytest.raises(NoCard):
        pcsc.find_reader("Virtual PCD 00 01").connect()


@pytest.mark.parametrize("card_type", [CardType.RESIDENCE_CARD, CardType.RESIDENCE_CARD_GEN2])
def test_full_read_over_pcscd(virtual_card, residence_pki, card_type) -> None:
    generation = card_type.generation
    form = "digest_info" if generation == 1 else "der"
    profile = rc.CardProfile(card_type=card_type, signature_form=form)
    card = rc.emulator(profile, residence_pki[f"signer{generation}"])
    reader = virtual_card(card)
    assert pcsc.find_reader().name == VPCD_READER  # the first reader holding a card
    anchors = [residence_pki["ca1"].certificate, residence_pki["ca2"].certificate]
    report = ResidenceCardReader(reader, anchors).inspect(NUMBER)
    assert report.verdict is Verdict.GENUINE
    with reader.connect() as connection:
        assert connection.atr[:4] == bytes.fromhex("3b888001")


def test_removed_mid_read_over_pcscd(virtual_card, residence_pki) -> None:
    card = rc.emulator(rc.CardProfile(), residence_pki["signer1"], {rc.Fault.REMOVED_MID_READ})
    reader = virtual_card(card, slot=1)
    report = ResidenceCardReader(reader, []).inspect(NUMBER)
    assert report.verdict is Verdict.UNREADABLE
    assert report.check(CheckName.READ).detail == "DOC-CARD-REMOVED"


def test_extended_refused_over_pcscd(virtual_card, residence_pki) -> None:
    card = rc.emulator(rc.CardProfile(), residence_pki["signer1"], {rc.Fault.EXTENDED_REFUSED})
    reader = virtual_card(card)
    report = ResidenceCardReader(reader, [residence_pki["ca1"].certificate]).inspect(NUMBER)
    assert report.verdict is Verdict.GENUINE


def test_exclusive_then_busy_and_shared_fallback(virtual_card, residence_pki) -> None:
    reader = virtual_card(rc.emulator(rc.CardProfile(), residence_pki["signer1"]))
    with reader.connect() as first:
        assert first.shared is False
        with pytest.raises(ReaderBusy):
            pcsc.PcscCardReader(VPCD_READER).connect()
    # Another program holding a shared connection: we fall back to shared.
    hr, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hr == scard.SCARD_S_SUCCESS
    hr, handle, _protocol = scard.SCardConnect(
        context, VPCD_READER, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T1
    )
    assert hr == scard.SCARD_S_SUCCESS
    try:
        with reader.connect() as second:
            assert second.shared is True
            assert second.transmit(bytes.fromhex("00a40000023f00")) == (b"", 0x9000)
    finally:
        scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
        scard.SCardReleaseContext(context)


def test_monitor_reports_insert_and_remove(pcscd, residence_pki) -> None:
    from devices.emulators.vpcd import serve_in_thread

    events: list[CardEvent] = []
    lock = threading.Lock()

    def on_event(event: CardEvent) -> None:
        with lock:
            events.append(event)

    def seen(present: bool) -> bool:
        with lock:
            return any(e.reader == VPCD_READER and e.present is present for e in events)

    with pcsc.PcscCardMonitor(on_event, poll_ms=50):
        thread, stop = serve_in_thread(rc.emulator(rc.CardProfile(), residence_pki["signer1"]))
        try:
            assert wait_for(lambda: seen(True)), "no insertion event"
        finally:
            stop.set()
            thread.join(5)
        assert wait_for(lambda: seen(False)), "no removal event"
    inserted = next(e for e in events if e.present)
    assert inserted.atr.startswith(bytes.fromhex("3b888001"))


@pytest.fixture
def emulator_process(pcscd, tmp_path: Path):
    """The emulator as a separate program, the way training mode and CI run it."""
    trust = tmp_path / "trust"
    process = subprocess.Popen(
        [sys.executable, "-m", "devices.emulators.residence_card", "--trust-out", str(trust)],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    reader = pcsc.PcscCardReader(VPCD_READER)
    try:
        if not wait_for(reader.has_card, 20):
            pytest.fail("emulator process did not present its card")
        yield trust
    finally:
        process.terminate()
        process.wait(10)
        wait_for(lambda: not reader.has_card(), 5)


def _run_cli(argv: list[str]) -> int:
    from ui.cli_documents import register

    parser = argparse.ArgumentParser(prog="sekisho")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_against_emulator_program(emulator_process: Path, capsys) -> None:
    assert (
        _run_cli(["read-card", "--card-number", NUMBER, "--trust", str(emulator_process), "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "genuine" and out["access_method"] == "card_number"
    assert out["document"]["document_number"] == NUMBER
    assert out["document"]["issuing_state"] == "JPN"
    assert out["document"]["images"]["face_image"]["format"] == "JPEG2000"
    assert out["document"]["images"]["front_image"]["format"] == "TIFF"
    assert {c["name"]: c["result"] for c in out["checks"]} == {
        "card_number_authentication": "passed",
        "read_all_files": "passed",
        "check_code_signature": "passed",
        "certificate_chain": "passed",
    }
    assert _run_cli(["read-card", "--card-number", NUMBER, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "untrusted_certificate"
    assert _run_cli(["read-card", "--card-number", "AA12345678BC", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "wrong_card_number"
    assert _run_cli(["read-card", "--card-number", NUMBER, "--reader", "Virtual PCD 00 01"]) == 3
    assert "DOC-CARD-ABSENT" in capsys.readouterr().err


def test_bench_rows(pcscd) -> None:
    from ui.cli_documents import bench_rows

    rows = bench_rows(rounds=2)
    assert len(rows) == 4  # residence card gen 1 and 2, e-passport BAC and PACE
    assert all("APDUs" in row.ours for row in rows), rows
