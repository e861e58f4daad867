"""LDS parsers on hand-built data groups: TD1/TD2/TD3 DG1, both DG2 record formats,
DG11, DG12 and EF.COM."""

from __future__ import annotations

import pytest

from devices.emrtd import lds
from devices.emrtd.errors import LdsError
from devices.emulators import passport_files as pf
from devices.smartcard import tlv
from workstation.documents import MrzFormat, check_digit


def _dg1(text: str) -> bytes:
    return tlv.encode(0x61, tlv.encode(0x5F1F, text.encode()))


def _td2() -> str:
    l1 = "I<UTOERIKSSON<<ANNA<MARIA".ljust(36, "<")
    number, birth, expiry = "D23145890", "740812", "120415"
    l2 = (
        f"{number}{check_digit(number)}UTO{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}"
    )
    l2 = l2.ljust(35, "<")
    return l1 + l2 + check_digit(l2[0:10] + l2[13:20] + l2[21:35])


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("".join(pf.mrz_lines(pf.PassportProfile())), MrzFormat.TD3),
        ("".join(pf.mrz_lines(pf.PassportProfile(mrz_kind=pf.MrzKind.TD1))), MrzFormat.TD1),
        (_td2(), MrzFormat.TD2),
    ],
)
def test_dg1_formats(text: str, form: MrzFormat) -> None:
    mrz = lds.parse_dg1(_dg1(text))
    assert mrz.format is form and mrz.surname == "ERIKSSON" and mrz.given_names == "ANNA MARIA"


def test_dg1_errors() -> None:
    text = "".join(pf.mrz_lines(pf.PassportProfile()))
    with pytest.raises(LdsError):
        lds.parse_dg1(_dg1(text[:-1] + ("0" if text[-1] != "0" else "1")))  # composite digit
    with pytest.raises(LdsError):
        lds.parse_dg1(_dg1(text[:80]))
    with pytest.raises(LdsError):
        lds.parse_dg1(tlv.encode(0x75, b""))


@pytest.mark.parametrize("form", ["jpeg", "jp2"])
def test_dg2_iso19794_5(form: str) -> None:
    face = lds.parse_dg2(pf.dg2(form))
    assert face.record_format == "ISO 19794-5" and (face.width, face.height) == (60, 80)
    assert face.format is (lds.ImageFormat.JPEG2000 if form == "jp2" else lds.ImageFormat.JPEG)


def test_dg2_iso39794_5() -> None:
    image = pf.face_record("jpeg")
    jpeg = image[image.index(b"\xff\xd8\xff") :]
    # A nested BER structure with context tags around the image octets.
    record = tlv.encode(0xA1, tlv.encode(0x80, b"\x01") + tlv.encode(0xA2, tlv.encode(0x80, jpeg)))
    template = tlv.encode(0x7F60, tlv.encode(0xA1, b"") + tlv.encode(0x7F2E, record))
    face = lds.parse_dg2(tlv.encode(0x75, tlv.encode(0x7F61, tlv.encode(0x02, b"\x01") + template)))
    assert face.record_format == "ISO 39794-5" and face.format is lds.ImageFormat.JPEG
    assert face.data == jpeg


def test_dg11_dg12_and_com() -> None:
    dg11 = tlv.encode(
        0x6B,
        tlv.encode(0x5C, b"\x5f\x0e\x5f\x2b")
        + tlv.encode(0x5F0E, b"ERIKSSON<<ANNA<MARIA")
        + tlv.encode(0x5F2B, b"19740812")
        + tlv.encode(0xA0, tlv.encode(0x02, b"\x01") + tlv.encode(0x5F0F, b"ERIKSDOTTIR<<ANNA")),
    )
    details = lds.parse_dg11(dg11)
    assert details.full_name == "ERIKSSON  ANNA MARIA" and details.full_date_of_birth == "19740812"
    assert details.other_names == ("ERIKSDOTTIR  ANNA",)
    dg12 = tlv.encode(0x6C, tlv.encode(0x5F19, b"UTOPIA") + tlv.encode(0x5F26, b"20240415"))
    assert lds.parse_dg12(dg12).date_of_issue == "20240415"
    com = tlv.encode(
        0x60,
        tlv.encode(0x5F01, b"0107")
        + tlv.encode(0x5F36, b"040000")
        + tlv.encode(0x5C, b"\x61\x75\x6f\x77"),
    )
    parsed = lds.parse_com(com)
    assert parsed.data_groups == (1, 2, 15) and parsed.lds_version == "0107"
    assert lds.data_group(14).tag == 0x6E and lds.dg_number_for_tag(0x7F61) is None
