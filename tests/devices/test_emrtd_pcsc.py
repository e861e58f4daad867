"""E-passports end to end over a real pcscd, vsmartcard's vpcd and the passport emulator."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("smartcard")

from devices.emrtd.reader import PassportReader  # noqa: E402
from devices.emulators import passport as pe  # noqa: E402
from devices.emulators import passport_files as pf  # noqa: E402
from devices.smartcard import pcsc  # noqa: E402
from workstation.documents import CanAccessKey, MrzAccessKey  # noqa: E402
from workstation.passport import AccessMethod, CheckName, CheckStatus, Verdict  # noqa: E402

pytestmark = pytest.mark.pcsc

PROFILE = pf.PassportProfile()
KEY = MrzAccessKey(PROFILE.document_number, PROFILE.birth_date, PROFILE.expiry_date)
VPCD_READER = "Virtual PCD 00 00"


def _inspect(virtual_card, pki: dict[str, Any], profile=PROFILE, faults=(), slot=0, **kw):
    chain = pki["untrusted"] if kw.pop("untrusted", False) else pki["pki"]
    reader = virtual_card(pe.emulator(profile, chain, frozenset(faults)), slot=slot)
    passport = PassportReader(reader, pki["trust"], **kw)
    return passport.inspect(KEY), passport


@pytest.mark.parametrize(
    ("profile", "method"),
    [
        (PROFILE, AccessMethod.PACE),
        (replace(PROFILE, pace=False, aa="rsa", ca_suite=pf.SmCipher.DES3), AccessMethod.BAC),
    ],
    ids=["pace", "bac-only"],
)
def test_genuine_over_pcscd(virtual_card, passport_pki, profile, method) -> None:
    report, reader = _inspect(virtual_card, passport_pki, profile)
    assert report.verdict is Verdict.GENUINE, report.checks
    assert report.access_method is method
    assert report.document is not None and report.document.portrait
    assert reader.last_apdu_count == (19 if method is AccessMethod.PACE else 15)


@pytest.mark.parametrize(
    ("kwargs", "verdict", "failed"),
    [
        (
            {"profile": replace(PROFILE, tampered=True)},
            Verdict.DATA_GROUP_HASH_MISMATCH,
            CheckName.DATA_GROUP_HASHES,
        ),
        ({"untrusted": True}, Verdict.UNTRUSTED_CERTIFICATE, CheckName.CERTIFICATE),
        ({"faults": [pe.Fault.WRONG_MAC]}, Verdict.UNREADABLE, CheckName.READ),
        ({"faults": [pe.Fault.AA_FAILS]}, Verdict.CLONE_SUSPECTED, CheckName.ACTIVE_AUTHENTICATION),
        ({"faults": [pe.Fault.CA_FAILS]}, Verdict.CLONE_SUSPECTED, CheckName.CHIP_AUTHENTICATION),
    ],
    ids=["tampered", "untrusted", "wrong-mac", "aa-fails", "ca-fails"],
)
def test_faults_over_pcscd(virtual_card, passport_pki, kwargs, verdict, failed) -> None:
    report, _reader = _inspect(virtual_card, passport_pki, **kwargs)
    assert report.verdict is verdict
    assert report.check(failed).status is CheckStatus.FAILED


def test_extended_refused_over_pcscd(virtual_card, passport_pki) -> None:
    report, reader = _inspect(virtual_card, passport_pki, faults=[pe.Fault.EXTENDED_REFUSED])
    assert report.verdict is Verdict.GENUINE
    assert reader.last_apdu_count > 19


def test_no_pace_and_policy_over_pcscd(virtual_card, passport_pki) -> None:
    bac_only = replace(PROFILE, pace=False)
    report, _ = _inspect(virtual_card, passport_pki, bac_only, bac_allowed=False)
    assert report.verdict is Verdict.ACCESS_DENIED
    assert report.check(CheckName.ACCESS).detail == "DOC-EMRTD-BAC-NOT-ALLOWED"


def test_can_and_wrong_mrz_over_pcscd(virtual_card, passport_pki) -> None:
    reader = virtual_card(pe.emulator(PROFILE, passport_pki["pki"]))
    passport = PassportReader(reader, passport_pki["trust"])
    assert passport.inspect(CanAccessKey("123456")).verdict is Verdict.GENUINE
    wrong = replace(KEY, birth_date="740813")
    assert passport.inspect(wrong).verdict is Verdict.ACCESS_DENIED


def test_removed_mid_read_over_pcscd(virtual_card, passport_pki) -> None:
    # Slot 1: vpcd 3.3 accepts no new card on a slot whose card vanished mid-transmit.
    report, _ = _inspect(virtual_card, passport_pki, faults=[pe.Fault.REMOVED_MID_READ], slot=1)
    assert report.verdict is Verdict.UNREADABLE
    # pcsc.py says "removed" once pcscd has noticed the card is gone; if the next transmit
    # comes first, an empty answer is reported as a communication error instead.
    assert report.check(CheckName.READ).detail in ("DOC-CARD-REMOVED", "DOC-CARD-IO")


def _wait(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def passport_process(pcscd, tmp_path: Path):
    """The emulator as a separate program (PACE chip, its CSCA written as a master list)."""
    trust = tmp_path / "trust"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devices.emulators.passport",
            "--trust-out",
            str(trust),
            "--master-list",
        ],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    reader = pcsc.PcscCardReader(VPCD_READER)
    try:
        if not _wait(reader.has_card, 20):
            pytest.fail("passport emulator did not present its chip")
        assert process.stdout is not None
        access = process.stdout.readline().split()
        yield trust, access
    finally:
        process.terminate()
        process.wait(10)
        _wait(lambda: not reader.has_card(), 5)


def _run_cli(argv: list[str]) -> int:
    from ui.cli_documents import register

    parser = argparse.ArgumentParser(prog="sekisho")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_read_passport_against_emulator_program(passport_process, capsys) -> None:
    trust, access = passport_process
    assert access[:2] == ["--doc-number", PROFILE.document_number]
    mrz = access[:6]
    assert _run_cli(["read-passport", *mrz, "--trust", str(trust), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "genuine" and out["access_method"] == "PACE"
    assert out["warnings"] == []
    document = out["document"]
    assert document["document_number"] == "L898902C3" and document["surname"] == "ERIKSSON"
    assert document["given_names"] == "ANNA MARIA" and document["issuing_state"] == "UTO"
    assert document["birth_date"] == "1974-08-12" and document["sex"] == "F"
    assert document["expiry_date"] == "2034-04-15" and document["nationality"] == "UTO"
    assert document["portrait"]["format"] == "JPEG"
    assert [c["name"] for c in out["checks"]] == [
        "access_control",
        "read_data_groups",
        "active_authentication",
        "chip_authentication",
        "sod_signature",
        "certificate_chain",
        "data_group_hashes",
        "dg1_matches_access_key",
    ]
    assert all(c["result"] == "passed" for c in out["checks"])
    assert _run_cli(["read-passport", "--can", "123456", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "untrusted_certificate"
    wrong = [*mrz[:4], "--expiry", "340416", "--json"]
    assert _run_cli(["read-passport", *wrong]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "access_denied"
    assert _run_cli(["read-passport", "--can", "1", "--reader", "Virtual PCD 00 01"]) == 3
    assert "DOC-CARD-ABSENT" in capsys.readouterr().err


def test_bench_rows_include_passports(pcscd) -> None:
    from ui.cli_documents import _passport_bench_rows

    slot = pcsc.PcscCardReader(VPCD_READER)
    rows = _passport_bench_rows(2, slot)
    assert [row.measure.split(",")[0] for row in rows] == ["e-passport BAC", "e-passport PACE"]
    assert all("APDUs" in row.ours and "over pcscd" in row.ours for row in rows), rows
