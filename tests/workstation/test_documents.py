from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.documents import (
    DataSource,
    DocumentData,
    DocumentKind,
    Mrz,
    MrzAccessKey,
    MrzFormat,
    check_digit,
)
from workstation.errors import InvalidMrz

# ICAO 9303 specimens (Part 4 Appendix A, Part 5 Appendix A, Part 6 Appendix A).
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"


@pytest.mark.parametrize(
    ("field", "digit"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("D23145890", "7"), ("<<<", "0")],
)
def test_check_digit(field: str, digit: str) -> None:
    assert check_digit(field) == digit


@pytest.mark.parametrize(
    ("text", "fmt", "number"),
    [
        (TD3, MrzFormat.TD3, "L898902C3"),
        (TD1, MrzFormat.TD1, "D23145890"),
        (TD2, MrzFormat.TD2, "D23145890"),
    ],
)
def test_parse_specimens(text: str, fmt: MrzFormat, number: str) -> None:
    mrz = Mrz.parse(text)
    assert mrz.format is fmt
    assert mrz.document_number == number
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.birth_date == dt.date(1974, 8, 12)
    assert mrz.expiry_date == dt.date(2012, 4, 15)
    assert mrz.sex == "F"
    assert mrz.issuing_state == "UTO"


def test_td1_long_document_number() -> None:
    # ICAO 9303-5 §4.2.2: a 12-character number continues into the optional data.
    number = "D23145890123"
    cd = check_digit(number)
    line1 = f"I<UTO{number[:9]}<{number[9:]}{cd}".ljust(30, "<")
    line2_core = "7408122F1204159UTO" + "<" * 11
    composite = check_digit(line1[5:30] + line2_core[0:7] + line2_core[8:15] + line2_core[18:29])
    text = "\n".join([line1, line2_core + composite, "ERIKSSON<<ANNA<MARIA".ljust(30, "<")])
    assert Mrz.parse(text).document_number == number


def _with_char(text: str, line: int, pos: int, char: str) -> str:
    lines = text.split("\n")
    lines[line] = lines[line][:pos] + char + lines[line][pos + 1 :]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("line", "pos", "field"),
    [
        (1, 9, "document number"),
        (1, 19, "date of birth"),
        (1, 27, "date of expiry"),
        (1, 42, "personal number"),
        (1, 43, "composite"),
    ],
)
def test_td3_each_check_digit_is_verified(line: int, pos: int, field: str) -> None:
    original = TD3.split("\n")[line][pos]
    wrong = "0" if original != "0" else "1"
    with pytest.raises(InvalidMrz, match=field):
        Mrz.parse(_with_char(TD3, line, pos, wrong))


@pytest.mark.parametrize(
    "text", ["", "P<UTO", TD3.replace("\n", ""), TD3.lower().replace("p<uto", "P<UTO") + "é"]
)
def test_malformed(text: str) -> None:
    with pytest.raises(InvalidMrz):
        Mrz.parse(text)


@given(st.text(alphabet="ABCXYZ0123456789<\n", max_size=140))
def test_parse_never_fails_otherwise(text: str) -> None:
    try:
        Mrz.parse(text)
    except InvalidMrz:
        pass


def test_document_from_mrz_and_access_key() -> None:
    mrz = Mrz.parse(TD3)
    doc = DocumentData.from_mrz(mrz, DataSource.MANUAL)
    assert doc.kind is DocumentKind.PASSPORT
    assert doc.full_name == "ERIKSSON, ANNA MARIA"
    assert doc.is_expired(dt.date(2012, 4, 16))
    assert not doc.is_expired(dt.date(2012, 4, 15))
    assert MrzAccessKey.from_mrz(mrz) == MrzAccessKey("L898902C3", "740812", "120415")
    assert MrzAccessKey.from_mrz(Mrz.parse(TD1)) == MrzAccessKey("D23145890", "740812", "120415")
