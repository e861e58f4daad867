"""Full reads of emulated residence cards in process: every profile, fault and verdict."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from devices.emulators import residence_card as rc
from devices.emulators.direct import DirectReader
from devices.residence_card import files
from devices.residence_card.reader import ResidenceCardReader
from workstation.documents import CanAccessKey, CardNumberAccessKey, DocumentKind
from workstation.errors import ChipAuthenticationFailed, DocumentUnreadable
from workstation.residence_card import (
    CardType,
    CheckName,
    CheckStatus,
    InvalidCardNumber,
    Verdict,
)

NUMBER = "AA12345678BB"


def _reader(pki: dict[str, Any], profile: rc.CardProfile, **kw: Any) -> ResidenceCardReader:
    generation = profile.card_type.generation
    signer = kw.pop("signer", pki[f"signer{generation}"])
    faults = frozenset(kw.pop("faults", ()))
    card = rc.emulator(profile, signer, faults)
    return ResidenceCardReader(DirectReader(card), [pki["ca1"].certificate, pki["ca2"].certificate])


@pytest.mark.parametrize(
    ("card_type", "form"),
    [
        (CardType.RESIDENCE_CARD, "digest_info"),
        (CardType.RESIDENCE_CARD, "bare"),
        (CardType.SPECIAL_PERMANENT_RESIDENT, "digest_info"),
        (CardType.RESIDENCE_CARD_GEN2, "raw"),
        (CardType.RESIDENCE_CARD_GEN2, "der"),
        (CardType.SPECIAL_PERMANENT_RESIDENT_GEN2, "raw"),
    ],
)
def test_genuine_cards(residence_pki, card_type: CardType, form: str) -> None:
    profile = rc.CardProfile(card_type=card_type, signature_form=form)
    report = _reader(residence_pki, profile).inspect(" aa12345678bb ")
    assert report.verdict is Verdict.GENUINE
    assert [c.status for c in report.checks] == [CheckStatus.PASSED] * 4
    data = report.data
    assert data is not None and data.card_type is card_type
    assert Image.open(io.BytesIO(data.face_image or b"")).size == (60, 80)  # JPEG 2000
    if card_type.generation == 1:
        assert Image.open(io.BytesIO(data.front_image or b"")).format == "TIFF"
        assert data.address == profile.address
        assert data.municipality_code == "131016"
    else:
        assert data.card_number == NUMBER
        assert data.birth_date is not None and data.birth_date.year == 1990
        assert Image.open(io.BytesIO(data.name_image or b"")).format == "TIFF"
        assert data.address_image is not None
    if card_type.is_residence_card and card_type.generation == 1:
        assert data.comprehensive_permission == profile.comprehensive_permission
        assert data.application_status == "0"
    if not card_type.is_residence_card:
        assert data.comprehensive_permission is None and data.work_permission is None


def test_permission_none_is_an_all_zero_file(residence_pki) -> None:
    profile = rc.CardProfile(permission_none=True)
    report = _reader(residence_pki, profile).inspect(NUMBER)
    assert report.verdict is Verdict.GENUINE
    assert report.data is not None and report.data.comprehensive_permission == ""
    assert report.data.individual_permission == profile.individual_permission


@pytest.mark.parametrize("card_type", [CardType.RESIDENCE_CARD, CardType.RESIDENCE_CARD_GEN2])
def test_under_16_has_no_signature_and_is_not_forged(residence_pki, card_type) -> None:
    profile = rc.CardProfile(card_type=card_type, under_16=True)
    report = _reader(residence_pki, profile, signer=None).inspect(NUMBER)
    assert report.verdict is Verdict.NO_SIGNATURE
    assert report.data is not None and report.data.face_image is None
    assert report.check(CheckName.SIGNATURE).status is CheckStatus.NOT_PRESENT


@pytest.mark.parametrize("card_type", [CardType.RESIDENCE_CARD, CardType.RESIDENCE_CARD_GEN2])
def test_tampered_after_signing(residence_pki, card_type) -> None:
    profile = rc.CardProfile(card_type=card_type, tampered=True)
    assert _reader(residence_pki, profile).inspect(NUMBER).verdict is Verdict.SIGNATURE_INVALID


@pytest.mark.parametrize("generation", [1, 2])
def test_untrusted_ca(residence_pki, generation) -> None:
    card_type = CardType.RESIDENCE_CARD if generation == 1 else CardType.RESIDENCE_CARD_GEN2
    profile = rc.CardProfile(card_type=card_type)
    signer = residence_pki[f"rogue_signer{generation}"]
    report = _reader(residence_pki, profile, signer=signer).inspect(NUMBER)
    assert report.verdict is Verdict.UNTRUSTED_CERTIFICATE
    assert report.check(CheckName.SIGNATURE).status is CheckStatus.PASSED


def test_empty_trust_store_is_untrusted(residence_pki) -> None:
    card = rc.emulator(rc.CardProfile(), residence_pki["signer1"])
    report = ResidenceCardReader(DirectReader(card), []).inspect(NUMBER)
    assert report.verdict is Verdict.UNTRUSTED_CERTIFICATE


@pytest.mark.parametrize("card_type", [CardType.RESIDENCE_CARD, CardType.RESIDENCE_CARD_GEN2])
def test_wrong_card_number(residence_pki, card_type) -> None:
    reader = _reader(residence_pki, rc.CardProfile(card_type=card_type))
    report = reader.inspect("AA12345678BC")
    assert report.verdict is Verdict.WRONG_CARD_NUMBER
    assert report.check(CheckName.CARD_NUMBER).detail == "DOC-CARD-NUMBER-REJECTED"
    assert report.data is None
    with pytest.raises(ChipAuthenticationFailed):
        reader.read(CardNumberAccessKey("AA12345678BC"))


def test_wrong_mac_from_card(residence_pki) -> None:
    reader = _reader(residence_pki, rc.CardProfile(), faults={rc.Fault.WRONG_MAC})
    report = reader.inspect(NUMBER)
    assert report.verdict is Verdict.WRONG_CARD_NUMBER
    assert report.check(CheckName.CARD_NUMBER).detail == "DOC-CARD-AUTH-RESPONSE"


def test_removed_mid_read(residence_pki) -> None:
    reader = _reader(residence_pki, rc.CardProfile(), faults={rc.Fault.REMOVED_MID_READ})
    report = reader.inspect(NUMBER)
    assert report.verdict is Verdict.UNREADABLE
    assert report.check(CheckName.READ).detail == "DOC-CARD-REMOVED"
    with pytest.raises(DocumentUnreadable):
        _reader(residence_pki, rc.CardProfile(), faults={rc.Fault.REMOVED_MID_READ}).read(
            CardNumberAccessKey(NUMBER)
        )


@pytest.mark.parametrize("card_type", [CardType.RESIDENCE_CARD, CardType.RESIDENCE_CARD_GEN2])
def test_extended_length_refused_falls_back(residence_pki, card_type) -> None:
    profile = rc.CardProfile(card_type=card_type)
    reader = _reader(residence_pki, profile, faults={rc.Fault.EXTENDED_REFUSED})
    assert reader.inspect(NUMBER).verdict is Verdict.GENUINE
    assert reader.last_apdu_count > 40  # the 7000-byte image alone takes 32 short reads


def test_invalid_number_sends_nothing(residence_pki) -> None:
    card = rc.emulator(rc.CardProfile(), residence_pki["signer1"])
    direct = DirectReader(card)
    with pytest.raises(InvalidCardNumber):
        ResidenceCardReader(direct).inspect("AA1234567BB")
    assert direct.connections == []


def test_port_read_returns_document(residence_pki) -> None:
    reader = _reader(residence_pki, rc.CardProfile(card_type=CardType.RESIDENCE_CARD_GEN2))
    document = reader.read(CardNumberAccessKey(NUMBER))
    assert document.kind is DocumentKind.RESIDENCE_CARD
    assert document.document_number == NUMBER and document.sex == "F"
    with pytest.raises(ChipAuthenticationFailed):
        reader.read(CanAccessKey("123456"))


def test_unknown_card_type_is_unreadable(residence_pki) -> None:
    card = rc.emulator(rc.CardProfile(), residence_pki["signer1"])
    card.files[(None, 0x0A)] = bytes.fromhex("c1023037")  # 07: combined My Number card
    report = ResidenceCardReader(DirectReader(card)).inspect(NUMBER)
    assert report.verdict is Verdict.UNREADABLE
    assert report.check(CheckName.READ).detail == "DOC-CARD-DATA"


def test_gen2_type_byte_with_gen1_profile_fails_authentication(residence_pki) -> None:
    # A generation 1 chip whose type file claims "05": AES against 3DES gives 63 00.
    card = rc.emulator(rc.CardProfile(), residence_pki["signer1"])
    card.files[(None, 0x0A)] = bytes.fromhex("c1023035")
    report = ResidenceCardReader(DirectReader(card)).inspect(NUMBER)
    assert report.verdict is Verdict.WRONG_CARD_NUMBER


@given(st.binary(max_size=80))
def test_objects_parser_fuzz(data: bytes) -> None:
    try:
        found = files.objects(data)
    except files.CardDataError:
        return
    assert all(len(v) <= len(data) for v in found.values())


@given(st.binary(max_size=120), st.sampled_from([1, 2]))
def test_signature_file_fuzz(data: bytes, generation: int) -> None:
    try:
        parsed = files.parse_signature_file(data, generation)
    except files.CardDataError:
        return
    assert len(parsed.certificate) <= len(data)


def test_two_byte_tag_and_zero_permission() -> None:
    assert files.objects(bytes.fromhex("dfd1020102") + bytes(3)) == {0xDFD1: b"\x01\x02"}
    assert files.objects(bytes(122)) == {}
    assert files.text(b"\xe6\x9d\xb1\x00\x00") == "東"
    with pytest.raises(files.CardDataError):
        files.text(b"\xff\xfe")
    assert files.date(b"20240230") is None
    assert replace(rc.CardProfile(), under_16=True).under_16
