from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.documents import DocumentKind
from workstation.residence_card import (
    CardType,
    Check,
    CheckName,
    CheckStatus,
    InvalidCardNumber,
    ResidenceCardData,
    ResidenceCardReport,
    Verdict,
    judge,
    parse_card_number,
)

P, F, N, X = CheckStatus.PASSED, CheckStatus.FAILED, CheckStatus.NOT_PRESENT, CheckStatus.NOT_RUN


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("AB12345678CD", "AB12345678CD"),
        ("ab 1234 5678 cd", "AB12345678CD"),
        ("AB-12345678-CD", "AB12345678CD"),
    ],
)
def test_card_number_normalised(text: str, number: str) -> None:
    assert parse_card_number(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "",
        "AB1234567CD",
        "AB123456789CD",
        "1B12345678CD",
        "AB12345678C1",
        "ＡＢ12345678CD",
        "AB12345678CDE",
    ],
)
def test_card_number_rejected(text: str) -> None:
    with pytest.raises(InvalidCardNumber) as info:
        parse_card_number(text)
    assert info.value.code == "DOC-CARD-NUMBER-INVALID"
    assert text not in info.value.detail or not text


@given(st.text(max_size=20))
def test_card_number_fuzz(text: str) -> None:
    try:
        number = parse_card_number(text)
    except InvalidCardNumber:
        return
    assert len(number) == 12 and number[2:10].isdigit()


def _checks(*statuses: CheckStatus) -> list[Check]:
    return [Check(name, status) for name, status in zip(CheckName, statuses, strict=False)]


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        ((P, P, P, P), Verdict.GENUINE),
        ((P, P, F, F), Verdict.SIGNATURE_INVALID),
        ((P, P, P, F), Verdict.UNTRUSTED_CERTIFICATE),
        ((P, P, N, X), Verdict.NO_SIGNATURE),
        ((F,), Verdict.WRONG_CARD_NUMBER),
        ((X, F), Verdict.UNREADABLE),
        ((P, F), Verdict.UNREADABLE),
        ((), Verdict.UNREADABLE),
    ],
)
def test_judge(statuses: tuple[CheckStatus, ...], verdict: Verdict) -> None:
    assert judge(_checks(*statuses)) is verdict
    assert ResidenceCardReport(tuple(_checks(*statuses))).verdict is verdict


def test_card_types() -> None:
    assert CardType("1").generation == 1 and CardType("05").generation == 2
    assert not CardType.SPECIAL_PERMANENT_RESIDENT_GEN2.is_residence_card


def test_to_document() -> None:
    data = ResidenceCardData(
        card_type=CardType.SPECIAL_PERMANENT_RESIDENT_GEN2,
        spec_version="0002",
        birth_date=dt.date(1990, 1, 1),
        sex="3",
        face_image=b"jp2",
    )
    doc = data.to_document("AB12345678CD")
    assert doc.kind is DocumentKind.SPECIAL_PERMANENT_RESIDENT_CERTIFICATE
    assert (doc.document_number, doc.sex, doc.issuing_state, doc.portrait) == (
        "AB12345678CD",
        "X",
        "JPN",
        b"jp2",
    )
