"""Full e-passport reads in process (no PC/SC): every profile, policy and verdict."""

from __future__ import annotations

import io
import threading
from dataclasses import replace
from typing import Any

import pytest
from PIL import Image

from devices.emrtd.errors import AccessDenied, BacNotAllowed, CanNeedsPace
from devices.emrtd.reader import PassportReader
from devices.emulators import passport as pe
from devices.emulators import passport_files as pf
from devices.emulators.direct import DirectReader
from workstation.documents import CanAccessKey, CardNumberAccessKey, DataSource, MrzAccessKey
from workstation.errors import CaptureCancelled, ChipAuthenticationFailed, DocumentUnreadable
from workstation.passport import AccessMethod, CheckName, CheckStatus, Verdict

PROFILE = pf.PassportProfile()
KEY = MrzAccessKey(PROFILE.document_number, PROFILE.birth_date, PROFILE.expiry_date)


def _reader(
    pki: dict[str, Any], profile: pf.PassportProfile = PROFILE, **kw: Any
) -> PassportReader:
    chain = pki["untrusted"] if kw.pop("untrusted", False) else pki["pki"]
    card = pe.emulator(profile, chain, frozenset(kw.pop("faults", ())))
    return PassportReader(DirectReader(card), pki["trust"], **kw)


@pytest.mark.parametrize(
    ("profile", "method"),
    [
        (PROFILE, AccessMethod.PACE),
        (replace(PROFILE, pace=False, aa="rsa", ca_suite=pf.SmCipher.DES3), AccessMethod.BAC),
        (replace(PROFILE, pace_suite=pf.SmCipher.DES3, pace_parameter_id=12), AccessMethod.PACE),
        (replace(PROFILE, pace_suite=pf.SmCipher.AES192, pace_parameter_id=15), AccessMethod.PACE),
        (
            replace(PROFILE, pace_suite=pf.SmCipher.AES256, pace_parameter_id=16, bac=False),
            AccessMethod.PACE,
        ),
        (replace(PROFILE, mrz_kind=pf.MrzKind.TD1, face_format="jp2"), AccessMethod.PACE),
        (replace(PROFILE, aa=None, ca=False, dg11=False, dg12=False), AccessMethod.PACE),
    ],
)
def test_genuine_documents(passport_pki, profile: pf.PassportProfile, method: AccessMethod) -> None:
    report = _reader(passport_pki, profile).inspect(KEY)
    assert report.verdict is Verdict.GENUINE, report.checks
    assert report.access_method is method
    document = report.document
    assert document is not None and document.source is DataSource.CHIP
    assert (document.surname, document.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert document.document_number == "L898902C3" and document.issuing_state == "UTO"
    assert document.birth_date is not None and document.birth_date.isoformat() == "1974-08-12"
    image = Image.open(io.BytesIO(document.portrait or b""))
    assert image.size == (60, 80)
    assert image.format == ("JPEG2000" if profile.face_format == "jp2" else "JPEG")
    aa = report.check(CheckName.ACTIVE_AUTHENTICATION)
    ca = report.check(CheckName.CHIP_AUTHENTICATION)
    assert aa is not None and ca is not None
    assert aa.status is (CheckStatus.PASSED if profile.aa else CheckStatus.NOT_PRESENT)
    assert ca.status is (CheckStatus.PASSED if profile.ca else CheckStatus.NOT_PRESENT)
    details = report.details
    if profile.dg11:
        assert details.dg11.full_date_of_birth == "19740812"
        assert details.dg12.issuing_authority == "UTOPIA PASSPORT OFFICE"


def test_can_access(passport_pki) -> None:
    report = _reader(passport_pki).inspect(CanAccessKey("123456"))
    assert report.verdict is Verdict.GENUINE
    assert report.check(CheckName.MRZ_MATCH).status is CheckStatus.NOT_RUN
    denied = _reader(passport_pki).inspect(CanAccessKey("654321"))
    assert denied.verdict is Verdict.ACCESS_DENIED


@pytest.mark.parametrize(
    ("kwargs", "verdict", "failed"),
    [
        (
            {"profile": replace(PROFILE, tampered=True)},
            Verdict.DATA_GROUP_HASH_MISMATCH,
            CheckName.DATA_GROUP_HASHES,
        ),
        ({"untrusted": True}, Verdict.UNTRUSTED_CERTIFICATE, CheckName.CERTIFICATE),
        ({"faults": {pe.Fault.AA_FAILS}}, Verdict.CLONE_SUSPECTED, CheckName.ACTIVE_AUTHENTICATION),
        ({"faults": {pe.Fault.CA_FAILS}}, Verdict.CLONE_SUSPECTED, CheckName.CHIP_AUTHENTICATION),
        ({"faults": {pe.Fault.WRONG_MAC}}, Verdict.UNREADABLE, CheckName.READ),
        ({"faults": {pe.Fault.REMOVED_MID_READ}}, Verdict.UNREADABLE, CheckName.READ),
    ],
)
def test_faults(passport_pki, kwargs: dict[str, Any], verdict: Verdict, failed: CheckName) -> None:
    profile = kwargs.pop("profile", PROFILE)
    report = _reader(passport_pki, profile, **kwargs).inspect(KEY)
    assert report.verdict is verdict
    assert report.check(failed).status is CheckStatus.FAILED


def test_extended_length_refused_falls_back_to_short_reads(passport_pki) -> None:
    normal = _reader(passport_pki)
    assert normal.inspect(KEY).verdict is Verdict.GENUINE
    short = _reader(passport_pki, faults={pe.Fault.EXTENDED_REFUSED})
    assert short.inspect(KEY).verdict is Verdict.GENUINE
    assert short.last_apdu_count > normal.last_apdu_count


def test_wrong_mrz_is_access_denied(passport_pki) -> None:
    wrong = replace(KEY, expiry_date="340416")
    for profile in (PROFILE, replace(PROFILE, pace=False)):
        report = _reader(passport_pki, profile).inspect(wrong)
        assert report.verdict is Verdict.ACCESS_DENIED
        assert report.check(CheckName.ACCESS).detail == AccessDenied.code
        with pytest.raises(AccessDenied):
            _reader(passport_pki, profile).read(wrong)


def test_policy_without_bac(passport_pki) -> None:
    bac_only = replace(PROFILE, pace=False)
    report = _reader(passport_pki, bac_only, bac_allowed=False).inspect(KEY)
    assert report.verdict is Verdict.ACCESS_DENIED
    assert report.check(CheckName.ACCESS).detail == BacNotAllowed.code
    assert _reader(passport_pki, bac_allowed=False).inspect(KEY).verdict is Verdict.GENUINE
    with pytest.raises(CanNeedsPace):
        _reader(passport_pki, bac_only).read(CanAccessKey("123456"))


def test_dg1_differing_from_the_accepted_mrz_is_a_clone_sign(passport_pki) -> None:
    # The chip's BAC/PACE keys come from the profile, its DG1 from another document.
    image = pf.build_image(replace(PROFILE, document_number="X12345678"), passport_pki["pki"].dsc)
    image.profile = PROFILE
    card = pe.PassportEmulator(image)
    report = PassportReader(DirectReader(card), passport_pki["trust"]).inspect(KEY)
    assert report.check(CheckName.MRZ_MATCH).status is CheckStatus.FAILED
    assert report.verdict is Verdict.CLONE_SUSPECTED


def test_port_read_and_its_errors(passport_pki) -> None:
    reader = _reader(passport_pki)
    document = reader.read(KEY)
    assert document.source is DataSource.CHIP and document.portrait
    with pytest.raises(ChipAuthenticationFailed):
        reader.read(CardNumberAccessKey("AA12345678BB"))
    with pytest.raises(ChipAuthenticationFailed):
        reader.read(None)
    with pytest.raises(DocumentUnreadable):
        _reader(passport_pki, faults={pe.Fault.WRONG_MAC}).read(KEY)


def test_progress_and_cancel(passport_pki) -> None:
    steps: list[str] = []
    _reader(passport_pki).inspect(KEY, progress=lambda code, _f: steps.append(code))
    assert steps[0] == "chip.access" and steps[-1] == "chip.done"
    assert "chip.read.DG2" in steps
    stop = threading.Event()

    def cancel(code: str, _fraction: float) -> None:
        if code == "chip.read.DG2":
            stop.set()

    with pytest.raises(CaptureCancelled):
        _reader(passport_pki).inspect(KEY, stop=stop, progress=cancel)
