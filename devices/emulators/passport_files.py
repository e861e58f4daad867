"""Synthetic eMRTD contents for the passport emulator: MRZ, data groups, EF.SOD, keys.

NOTE: test and training use only. Everything is generated: specimen-style names from
ICAO's fictitious state "Utopia" (UTO), a drawn face, and test PKI made at run time.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from enum import Enum, unique
from pathlib import Path

from asn1crypto import core
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from PIL import Image, ImageDraw

from devices.emrtd import ecc, lds
from devices.emrtd.crypto import SmCipher
from devices.emrtd.pa import OID_LDS_SECURITY_OBJECT, LdsSecurityObject
from devices.emrtd.security_infos import ID_AA, ID_CA, ID_PACE, ID_PK_ECDH, oid_value
from devices.emulators import testpki
from devices.smartcard import tlv
from workstation.documents import check_digit

_SUITE_DIGIT = {SmCipher.DES3: 1, SmCipher.AES128: 2, SmCipher.AES192: 3, SmCipher.AES256: 4}


@unique
class MrzKind(Enum):
    TD3 = "TD3"
    TD1 = "TD1"


@dataclass(frozen=True)
class PassportProfile:
    """What the emulated chip holds and offers.

    :param pace: offer PACE in EF.CardAccess; ``False`` makes a BAC-only chip.
    :param bac: accept BAC (a PACE-only chip answers BAC with 69 85).
    :param pace_parameter_id: standardized domain parameters (12 P-256, 13 BP-256, 15 P-384,
        16 BP-384, ...).
    :param aa: Active Authentication key: ``"ec"`` (P-256, plain ECDSA SHA-256), ``"rsa"``
        (1024-bit, ISO 9796-2 scheme 1) or ``None``.
    :param ca: offer Chip Authentication (ECDH on ``ca_curve``) in DG14.
    :param ca_suite: cipher of the CA protocol (3DES uses MSE:Set KAT).
    :param tampered: change DG1's name field after EF.SOD was signed.
    """

    surname: str = "ERIKSSON"
    given_names: str = "ANNA MARIA"
    document_number: str = "L898902C3"
    nationality: str = "UTO"
    issuing_state: str = "UTO"
    birth_date: str = "740812"
    sex: str = "F"
    expiry_date: str = "340415"
    can: str = "123456"
    mrz_kind: MrzKind = MrzKind.TD3
    pace: bool = True
    bac: bool = True
    pace_suite: SmCipher = SmCipher.AES128
    pace_parameter_id: int = 13
    aa: str | None = "ec"
    ca: bool = True
    ca_curve: ecc.Curve = ecc.P256
    ca_suite: SmCipher = SmCipher.AES128
    dg11: bool = True
    dg12: bool = True
    face_format: str = "jpeg"
    tampered: bool = False


def _field(text: str, width: int) -> str:
    return text.upper().replace(" ", "<")[:width].ljust(width, "<")


def mrz_lines(p: PassportProfile) -> tuple[str, ...]:
    """The MRZ with correct check digits (TD3 passport or TD1 identity card)."""
    number = _field(p.document_number, 9)
    names = f"{p.surname}<<{p.given_names}".replace(" ", "<")
    if p.mrz_kind is MrzKind.TD1:
        l1 = f"I<{p.issuing_state}{number}{check_digit(number)}".ljust(30, "<")
        l2 = (
            f"{p.birth_date}{check_digit(p.birth_date)}{p.sex}"
            f"{p.expiry_date}{check_digit(p.expiry_date)}{p.nationality}"
        ).ljust(29, "<")
        composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
        return l1, l2 + check_digit(composite), _field(names, 30)
    l1 = _field(f"P<{p.issuing_state}{names}", 44)
    personal = "<" * 14
    l2 = (
        f"{number}{check_digit(number)}{p.nationality}{p.birth_date}{check_digit(p.birth_date)}"
        f"{p.sex}{p.expiry_date}{check_digit(p.expiry_date)}{personal}<"
    )
    composite = l2[0:10] + l2[13:20] + l2[21:43]
    return l1, l2 + check_digit(composite)


def _face_image(form: str) -> tuple[bytes, int, int]:
    width, height = 60, 80
    image = Image.new("RGB", (width, height), (205, 215, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 10, width - 12, height - 14), fill=(225, 185, 150))
    draw.ellipse((22, 32, 28, 38), fill=(40, 40, 40))
    draw.ellipse((width - 28, 32, width - 22, 38), fill=(40, 40, 40))
    draw.line((24, 56, width - 24, 56), fill=(150, 60, 60), width=2)
    buffer = io.BytesIO()
    if form == "jp2":
        image.save(buffer, format="JPEG2000", quality_mode="rates", quality_layers=[40])
    else:
        image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue(), width, height


def face_record(form: str = "jpeg") -> bytes:
    """An ISO/IEC 19794-5 facial record with one frontal image and no feature points."""
    image, width, height = _face_image(form)
    info = (0).to_bytes(2, "big") + bytes((2, 1, 1)) + bytes(3) + bytes(2) + bytes(3) + bytes(3)
    image_info = bytes((1, 1 if form == "jp2" else 0))
    image_info += width.to_bytes(2, "big") + height.to_bytes(2, "big") + bytes((1, 2))
    image_info += bytes(2) + bytes(2)
    block = info + image_info + image
    block = (4 + len(block)).to_bytes(4, "big") + block
    header_length = 14 + len(block)
    return b"FAC\x00010\x00" + header_length.to_bytes(4, "big") + (1).to_bytes(2, "big") + block


def dg2(form: str = "jpeg") -> bytes:
    header = tlv.encode(0xA1, tlv.encode(0x87, b"\x01\x01") + tlv.encode(0x88, b"\x00\x08"))
    template = tlv.encode(0x7F60, header + tlv.encode(0x5F2E, face_record(form)))
    return tlv.encode(0x75, tlv.encode(0x7F61, tlv.encode(0x02, b"\x01") + template))


def _security_info(protocol: str, *values: bytes) -> bytes:
    body = tlv.encode(0x06, oid_value(protocol)) + b"".join(values)
    return tlv.encode(0x30, body)


def _der_int(value: int) -> bytes:
    return core.Integer(value).dump()


@dataclass
class ChipKeys:
    """The chip's private keys (AA and CA) and the keys a clone would use instead."""

    aa: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    ca: int | None = None
    ca_curve: ecc.Curve | None = None


@dataclass
class PassportImage:
    """Everything the chip holds: files by name (``EF.COM``, ``DG1``, ``EF.SOD``...),
    EF.CardAccess, keys, and the MRZ for BAC/PACE."""

    profile: PassportProfile
    files: dict[str, bytes]
    card_access: bytes | None
    keys: ChipKeys
    mrz: tuple[str, ...]
    sod_signer: testpki.IcaoIssued | None = field(default=None, repr=False)


def build_image(profile: PassportProfile, dsc: testpki.IcaoIssued) -> PassportImage:
    """Build the chip contents and sign EF.SOD with ``dsc``."""
    lines = mrz_lines(profile)
    files: dict[str, bytes] = {}
    files["DG1"] = tlv.encode(0x61, tlv.encode(0x5F1F, "".join(lines).encode("ascii")))
    files["DG2"] = dg2(profile.face_format)
    if profile.dg11:
        born = ("19" if int(profile.birth_date[:2]) > 30 else "20") + profile.birth_date
        body = tlv.encode(0x5C, b"\x5f\x0e\x5f\x2b\x5f\x11")
        body += tlv.encode(0x5F0E, f"{profile.surname}<<{profile.given_names}".encode())
        body += tlv.encode(0x5F2B, born.encode()) + tlv.encode(0x5F11, b"ZENITH,UTOPIA")
        files["DG11"] = tlv.encode(0x6B, body)
    if profile.dg12:
        body = tlv.encode(0x5C, b"\x5f\x19\x5f\x26")
        body += tlv.encode(0x5F19, b"UTOPIA PASSPORT OFFICE") + tlv.encode(0x5F26, b"20240415")
        files["DG12"] = tlv.encode(0x6C, body)
    keys = ChipKeys()
    infos: list[bytes] = []
    if profile.ca:
        curve = profile.ca_curve
        keys.ca, keys.ca_curve = curve.new_private_key(), curve
        named = testpki.public_key_info(
            ec.derive_private_key(keys.ca, _cryptography_curve(curve)), explicit=False
        )
        ca_protocol = f"{ID_CA}.2.{_SUITE_DIGIT[profile.ca_suite]}"
        version = 1 if profile.ca_suite is SmCipher.DES3 else 2
        infos.append(_security_info(ca_protocol, _der_int(version)))
        infos.append(_security_info(ID_PK_ECDH, named.dump()))
    if profile.aa == "ec":
        keys.aa = ec.generate_private_key(ec.SECP256R1())
        infos.append(
            _security_info(
                ID_AA, _der_int(1), tlv.encode(0x06, oid_value("0.4.0.127.0.7.1.1.4.1.3"))
            )
        )
    elif profile.aa == "rsa":
        keys.aa = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505  (AA keys on real chips are often 1024-bit)
    if infos:
        files["DG14"] = tlv.encode(0x6E, tlv.encode(0x31, b"".join(sorted(infos))))
    if keys.aa is not None:
        files["DG15"] = tlv.encode(0x6F, testpki.public_key_info(keys.aa).dump())
    tags = [lds.data_group(int(n[2:])).tag for n in sorted(files, key=lambda n: int(n[2:]))]
    files["EF.COM"] = tlv.encode(
        0x60,
        tlv.encode(0x5F01, b"0107") + tlv.encode(0x5F36, b"040000") + tlv.encode(0x5C, bytes(tags)),
    )
    files["EF.SOD"] = build_sod(files, dsc)
    if profile.tampered:
        # One letter of the holder's name changes after signing; check digits do not cover it.
        dg1 = bytearray(files["DG1"])
        position = dg1.index(b"<<") - 1
        dg1[position] = ord("Z") if dg1[position] != ord("Z") else ord("Y")
        files["DG1"] = bytes(dg1)
    card_access = None
    if profile.pace:
        protocol = f"{ID_PACE}.2.{_SUITE_DIGIT[profile.pace_suite]}"
        pace_info = _security_info(protocol, _der_int(2), _der_int(profile.pace_parameter_id))
        card_access = tlv.encode(0x31, pace_info)
    return PassportImage(profile, files, card_access, keys, lines, dsc)


def _cryptography_curve(curve: ecc.Curve) -> ec.EllipticCurve:
    from devices.emrtd.crypto import cryptography_curve

    named = cryptography_curve(curve)
    if named is None:
        raise ValueError(f"{curve.name} cannot hold a CA key in this emulator")
    return named


def build_sod(files: dict[str, bytes], dsc: testpki.IcaoIssued) -> bytes:
    """EF.SOD: SHA-256 of every data group in an LDSSecurityObject signed by ``dsc``."""
    groups = sorted(int(name[2:]) for name in files if name.startswith("DG"))
    lso = LdsSecurityObject(
        {
            "version": 0,
            "hash_algorithm": {"algorithm": "sha256"},
            "hashes": [
                {"number": n, "hash": hashlib.sha256(files[f"DG{n}"]).digest()} for n in groups
            ],
        }
    )
    return tlv.encode(0x77, testpki.sign_cms(dsc, OID_LDS_SECURITY_OBJECT, lso.dump()))


@dataclass(frozen=True)
class PassportPki:
    """A trusted CSCA, the DSC that signs (issued by ``signing_csca``), and extras."""

    csca: testpki.IcaoIssued
    signing_csca: testpki.IcaoIssued
    dsc: testpki.IcaoIssued

    @property
    def trusted(self) -> bool:
        return self.csca is self.signing_csca


def make_pki(kind: str = "bp256", *, explicit: bool = True, untrusted: bool = False) -> PassportPki:
    """A test CSCA and DSC; with ``untrusted`` the DSC comes from a rogue CSCA of the same
    name that is never written to a trust folder."""
    csca = testpki.make_csca("Test CSCA Utopia", kind, explicit=explicit)
    signing = testpki.make_csca("Test CSCA Utopia", kind, explicit=explicit) if untrusted else csca
    dsc = testpki.issue_icao(signing, "Test DS Utopia", kind, explicit=explicit, days=365 * 11)
    return PassportPki(csca, signing, dsc)


def write_trust_folder(
    path: Path, pki: PassportPki, *, master_list: bool = False, crl: bool = False
) -> Path:
    """Write the trusted CSCA as ``.crt``, or inside a signed ``.ml`` master list, plus a CRL."""
    path.mkdir(parents=True, exist_ok=True)
    if master_list:
        signer = testpki.issue_icao(pki.csca, "Test ML signer", pki.csca.kind)
        (path / "utopia.ml").write_bytes(testpki.make_master_list(signer, [pki.csca]))
    else:
        (path / "csca-utopia.crt").write_bytes(pki.csca.der)
    if crl:
        (path / "csca-utopia.crl").write_bytes(testpki.make_crl(pki.csca))
    return path
