"""A residence-card emulator (generations 1 and 2) for vpcd, with fault switches.

Run it against a local pcscd with vsmartcard-vpcd::

    python -m devices.emulators.residence_card --card-number AA12345678BB --trust-out /tmp/t

It writes its freshly generated test CA to ``--trust-out`` and presents the card in
``Virtual PCD 00 00`` until interrupted. NOTE: test and training use only.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum, unique
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.emulators import images, testpki
from devices.emulators.vpcd import VPCD_PORT, CardYanked, serve_until_signalled
from devices.residence_card.files import AID_DF1, AID_DF2, AID_DF3
from devices.residence_card.session import base_key, cipher_for, session_key
from devices.smartcard import tlv
from devices.smartcard.apdu import EXTENDED_MAX, CommandApdu, parse_command
from devices.smartcard.base import SW
from devices.smartcard.ciphers import pad, unpad
from workstation.residence_card import CardType

logger = logging.getLogger(__name__)

# PC/SC form of a contactless Type B ATR: 3B 88 80 01, ATQB application data (AFI etc. 00),
# protocol info, one more byte, TCK. Readers must not depend on the exact bytes.
_ATR_BODY = bytes.fromhex("88800100000000718100")


def _atr() -> bytes:
    tck = 0
    for b in _ATR_BODY:
        tck ^= b
    return b"\x3b" + _ATR_BODY + bytes((tck,))


ATR = _atr()


@unique
class Fault(Enum):
    """Runtime faults (data faults such as tampering are built into the files)."""

    WRONG_MAC = "wrong-mac"
    """M_ICC is corrupted, as if the chip used different keys."""
    REMOVED_MID_READ = "removed-mid-read"
    """The card leaves the field after answering the first READ BINARY that follows VERIFY."""
    EXTENDED_REFUSED = "extended-refused"
    """Extended-length APDUs get 67 00, as on short-only readers."""


@dataclass(frozen=True)
class CardProfile:
    """What the emulated card holds. Build files with :func:`build_files`."""

    card_number: str = "AA12345678BB"
    card_type: CardType = CardType.RESIDENCE_CARD
    under_16: bool = False
    permission_none: bool = False
    tampered: bool = False
    signature_form: str = "digest_info"
    """Generation 1: ``digest_info`` or ``bare``; generation 2: ``raw`` or ``der``."""
    address: str = "東京都千代田区霞が関１－１－１"
    municipality_code: str = "131016"
    address_date: str = "20240401"
    comprehensive_permission: str = "在留資格に基づく就労活動のみ可"
    individual_permission: str = "許可：原則週２８時間以内・風俗営業等の従事を除く"
    birth_date: str = "19900101"
    expiry_date: str = "20300101"


def _fixed(tag: int, value: bytes, size: int) -> bytes:
    """A fixed-length data object: value NUL-padded to ``size``."""
    return tlv.encode(tag, value.ljust(size, b"\x00"))


def _rsa_sign_raw(key: rsa.RSAPrivateKey, digest: bytes, digest_info: bool) -> bytes:
    size = (key.key_size + 7) // 8
    t = (bytes.fromhex("3031300d060960864801650304020105000420") if digest_info else b"") + digest
    em = b"\x00\x01" + b"\xff" * (size - 3 - len(t)) + b"\x00" + t
    numbers = key.private_numbers()
    m = int.from_bytes(em, "big")
    return pow(m, numbers.d, numbers.public_numbers.n).to_bytes(size, "big")


def _ecdsa_sign(key: ec.EllipticCurvePrivateKey, data: bytes, form: str) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    der = key.sign(data, ec.ECDSA(hashes.SHA256()))
    if form == "der":
        return der
    r, s = decode_dss_signature(der)
    return r.to_bytes(48, "big") + s.to_bytes(48, "big")


Files = dict[tuple[bytes | None, int], bytes]


def build_files(profile: CardProfile, signer: testpki.Issued | None) -> Files:
    """The card's files keyed by ``(DF AID or None for the MF, SFI)``.

    :param signer: the card key and certificate; ``None`` is allowed for under-16 cards.
    """
    if profile.card_type.generation == 1:
        return _build_gen1(profile, signer)
    return _build_gen2(profile, signer)


def _build_gen1(p: CardProfile, signer: testpki.Issued | None) -> Files:
    residence = p.card_type.is_residence_card
    front = images.front_image_tiff().ljust(7000, b"\x00")
    face = b"" if p.under_16 else images.face_image_jp2().ljust(3000, b"\x00")
    files: Files = {
        (None, 0x0B): tlv.encode(0xC0, b"0001"),
        (None, 0x0A): tlv.encode(0xC1, p.card_type.value.encode()),
        (AID_DF1, 0x05): tlv.encode(0xD0, front),
        (AID_DF1, 0x06): tlv.encode(0xD1, face) if face else bytes(3004),
        (AID_DF2, 0x01): tlv.encode(0xD2, p.address_date.encode())
        + tlv.encode(0xD3, p.municipality_code.encode())
        + _fixed(0xD4, p.address.encode(), 320),
    }
    if residence:
        files[(AID_DF2, 0x02)] = (
            bytes(122)
            if p.permission_none
            else _fixed(0xD5, p.comprehensive_permission.encode(), 120)
        )
        files[(AID_DF2, 0x03)] = _fixed(0xD6, p.individual_permission.encode(), 120)
        files[(AID_DF2, 0x04)] = tlv.encode(0xD7, b"0")
    if p.under_16 or signer is None:
        files[(AID_DF3, 0x02)] = b"\xda\x00".ljust(1464, b"\x00")
    else:
        assert isinstance(signer.key, rsa.RSAPrivateKey)  # noqa: S101
        digest = hashlib.sha256(front + face.ljust(3000, b"\x00")).digest()
        sig = _rsa_sign_raw(signer.key, digest, p.signature_form == "digest_info")
        files[(AID_DF3, 0x02)] = tlv.encode(0xDA, sig) + _fixed(0xDB, signer.der, 1200)
    if p.tampered:
        # Change one pixel byte of the front image after signing.
        d0 = bytearray(files[(AID_DF1, 0x05)])
        d0[100] ^= 0x01
        files[(AID_DF1, 0x05)] = bytes(d0)
    return files


def _printed_entries(p: CardProfile) -> list[tuple[int, bytes]]:
    common = [
        (0xC5, p.expiry_date.encode()),
        (0xC6, p.birth_date.encode()),
        (0xC7, b"2"),
        (0xC8, b"VNM"),
    ]
    if not p.card_type.is_residence_card:
        return [*common, (0xCA, b"01"), (0xCB, b"20240401")]
    return [
        *common,
        (0xC9, b"0000000016"),
        (0xCE, b"0300"),
        (0xCA, b"02"),
        (0xCB, b"20240401"),
        (0xCC, b"2"),
        (0xCD, b"20270401"),
    ]


def _build_gen2(p: CardProfile, signer: testpki.Issued | None) -> Files:
    residence = p.card_type.is_residence_card
    name_image = images.front_image_tiff(300, 60).ljust(2500, b"\x00")
    face = b"" if p.under_16 else images.face_image_jp2().ljust(3000, b"\x00")
    entries = _printed_entries(p)
    files: Files = {
        (None, 0x0B): tlv.encode(0xC0, b"0002"),
        (None, 0x0A): tlv.encode(0xC1, p.card_type.value.encode()),
        (AID_DF1, 0x01): tlv.encode(0xC2, p.card_number.encode()),
        (AID_DF1, 0x03): b"".join(tlv.encode(t, v) for t, v in entries),
        (AID_DF1, 0x04): tlv.encode(0xD0, name_image) + tlv.encode(0xD1, face or bytes(3000)),
        (AID_DF1, 0x06): b"\xdf\xd1" + tlv.encode_length(2500) + name_image,
        (AID_DF2, 0x03): tlv.encode(0xD9, b"0") + _fixed(0xDE, b"", 200),
    }
    if residence:
        files[(AID_DF2, 0x01)] = (
            tlv.encode(0xD5, b"1") + tlv.encode(0xD6, b"20270401") + tlv.encode(0xD7, b"0")
        ).ljust(22, b"\x00")
        files[(AID_DF2, 0x02)] = tlv.encode(0xD8, b"0")
    if p.under_16 or signer is None:
        files[(AID_DF3, 0x02)] = b"\xdc\x00".ljust(704, b"\x00")
    else:
        assert isinstance(signer.key, ec.EllipticCurvePrivateKey)  # noqa: S101
        signed = (
            b"".join(v for _t, v in entries).ljust(53, b"\x00")
            + face.ljust(3000, b"\x00")
            + name_image
        )
        sig = _ecdsa_sign(signer.key, signed, p.signature_form)
        body = tlv.encode(0xDC, sig) + _fixed(0xDD, signer.der, 602)
        files[(AID_DF3, 0x02)] = body.ljust(704, b"\x00")
    if p.tampered:
        d1 = bytearray(files[(AID_DF1, 0x04)])
        d1[200] ^= 0x01
        files[(AID_DF1, 0x04)] = bytes(d1)
    return files


def _sw(sw: int, data: bytes = b"") -> bytes:
    return data + sw.to_bytes(2, "big")


@dataclass
class _State:
    df: bytes | None = None
    ef: tuple[bytes | None, int] | None = None
    challenge: bytes | None = None
    ks_enc: bytes | None = None
    authenticated: bool = False
    reads: int = 0


@dataclass
class ResidenceCardEmulator:
    """The card side of the residence-card protocol (see ``docs/documents.md``).

    :param profile: the card's data and key number.
    :param files: from :func:`build_files`.
    :param faults: runtime faults to inject.
    :param random: card-side randomness; tests inject the published RND.ICC and K.ICC.
    """

    profile: CardProfile
    files: Files
    faults: frozenset[Fault] = frozenset()
    random: Callable[[int], bytes] = os.urandom
    atr: bytes = ATR
    state: _State = field(default_factory=_State)

    def power_on(self) -> None:
        self.state = _State()

    def power_off(self) -> None:
        self.state = _State()

    def reset(self) -> None:
        self.state = _State()

    @property
    def generation(self) -> int:
        return self.profile.card_type.generation

    def execute(self, apdu: bytes) -> bytes:
        try:
            command = parse_command(apdu)
        except ValueError:
            return _sw(SW.WRONG_LENGTH)
        if command.extended and Fault.EXTENDED_REFUSED in self.faults:
            return _sw(SW.WRONG_LENGTH)
        if command.cla not in (0x00, 0x08):
            return _sw(SW.CLA_NOT_SUPPORTED)
        challenge = self.state.challenge
        self.state.challenge = None  # any command but MUTUAL AUTHENTICATE consumes it
        handler = {
            0xA4: self._select,
            0x84: self._get_challenge,
            0x82: lambda c: self._mutual_authenticate(c, challenge),
            0x20: self._verify,
            0xB0: self._read_binary,
        }.get(command.ins)
        if handler is None:
            return _sw(SW.INS_NOT_SUPPORTED)
        return handler(command)

    def _select(self, c: CommandApdu) -> bytes:
        if (c.p1, c.p2) == (0x00, 0x00) and c.data == b"\x3f\x00":
            self.state.df, self.state.ef = None, None
            return _sw(SW.OK)
        if (c.p1, c.p2) != (0x04, 0x0C):
            return _sw(SW.INCORRECT_P1P2)
        if c.data not in (AID_DF1, AID_DF2, AID_DF3):
            return _sw(SW.FILE_NOT_FOUND)
        self.state.df, self.state.ef = c.data, None
        return _sw(SW.OK)

    def _get_challenge(self, c: CommandApdu) -> bytes:
        if c.le != 8:
            return _sw(SW.WRONG_LENGTH)
        self.state.challenge = self.random(8)
        return _sw(SW.OK, self.state.challenge)

    def _mutual_authenticate(self, c: CommandApdu, challenge: bytes | None) -> bytes:
        if challenge is None:
            return _sw(SW.CONDITIONS_NOT_SATISFIED)
        if len(c.data) != 40:
            return _sw(SW.WRONG_LENGTH)
        key = cipher_for(self.generation, base_key(self.profile.card_number))
        e_ifd, m_ifd = c.data[:32], c.data[32:]
        if key.mac(e_ifd) != m_ifd:
            return _sw(SW.VERIFICATION_FAILED)
        plain = key.decrypt(e_ifd)
        if plain[8:16] != challenge:
            return _sw(SW.VERIFICATION_FAILED)
        rnd_ifd, k_ifd = plain[:8], plain[16:32]
        k_icc = self.random(16)
        e_icc = key.encrypt(challenge + rnd_ifd + k_icc)
        m_icc = key.mac(e_icc)
        if Fault.WRONG_MAC in self.faults:
            m_icc = bytes((m_icc[0] ^ 0xFF,)) + m_icc[1:]
        self.state.ks_enc = session_key(k_ifd, k_icc)
        self.state.authenticated = False
        return _sw(SW.OK, e_icc + m_icc)

    def _sm_objects(self, c: CommandApdu) -> dict[int, bytes]:
        try:
            return {t.tag: t.value for t in tlv.parse_all(c.data)}
        except tlv.TlvError:
            return {}

    def _verify(self, c: CommandApdu) -> bytes:
        if c.cla != 0x08:
            return _sw(SW.SECURITY_CONDITION_NOT_SATISFIED)
        if self.state.ks_enc is None:
            return _sw(SW.CONDITIONS_NOT_SATISFIED)
        do86 = self._sm_objects(c).get(0x86)
        if c.p2 != 0x86 or not do86 or do86[0] != 0x01:
            return _sw(SW.SM_DATA_OBJECTS_INCORRECT)
        cipher = cipher_for(self.generation, self.state.ks_enc)
        try:
            number = unpad(cipher.decrypt(do86[1:]))
        except Exception:  # noqa: BLE001  (any garbage is a verification failure)
            number = b""
        self.state.authenticated = number == self.profile.card_number.encode()
        return _sw(SW.OK if self.state.authenticated else SW.VERIFICATION_FAILED)

    def _read_binary(self, c: CommandApdu) -> bytes:
        response = self._read(c)
        if self.state.authenticated:
            self.state.reads += 1
            if Fault.REMOVED_MID_READ in self.faults and self.state.reads == 1:
                raise CardYanked(response)
        return response

    def _read(self, c: CommandApdu) -> bytes:
        if c.p1 & 0x80:
            ref = (self.state.df, c.p1 & 0x1F)
            offset = c.p2
            if ref not in self.files:
                return _sw(SW.FILE_NOT_FOUND)
        else:
            if self.state.ef is None:
                return _sw(SW.COMMAND_NOT_ALLOWED_NO_EF)
            ref, offset = self.state.ef, (c.p1 << 8) | c.p2
        if ref[0] is not None:
            if not self.state.authenticated:
                return _sw(SW.SECURITY_CONDITION_NOT_SATISFIED)
            if ref[0] == AID_DF1 and c.cla != 0x08:
                return _sw(SW.SECURITY_CONDITION_NOT_SATISFIED)
        content = self.files[ref]
        if offset >= len(content):
            return _sw(SW.WRONG_P1P2)
        self.state.ef = ref
        if c.cla == 0x08:
            do96 = self._sm_objects(c).get(0x96)
            if do96 is None or len(do96) != 2 or c.le is None:
                return _sw(SW.SM_DATA_OBJECTS_INCORRECT)
            want = int.from_bytes(do96, "big") or EXTENDED_MAX
            assert self.state.ks_enc is not None  # noqa: S101  (authenticated implies a key)
            chunk = content[offset : offset + want]
            cipher = cipher_for(self.generation, self.state.ks_enc)
            body = cipher.encrypt(pad(chunk, cipher.block_size))
            return _sw(SW.OK, tlv.encode(0x86, b"\x01" + body))
        if c.le is None:
            return _sw(SW.WRONG_LENGTH)
        return _sw(SW.OK, content[offset : offset + c.le])


def emulator(
    profile: CardProfile,
    signer: testpki.Issued | None,
    faults: frozenset[Fault] = frozenset(),
    random: Callable[[int], bytes] = os.urandom,
) -> ResidenceCardEmulator:
    """An emulator with files built from ``profile``."""
    return ResidenceCardEmulator(profile, build_files(profile, signer), faults, random)


def fixed_random(*chunks: bytes) -> Callable[[int], bytes]:
    """Randomness that returns ``chunks`` in order (then cycles), for test vectors."""
    stream: Iterator[bytes] = iter(chunks * 1000)

    def take(n: int) -> bytes:
        value = next(stream)
        if len(value) != n:
            raise ValueError("injected random of the wrong length")
        return value

    return take


def main(argv: list[str] | None = None) -> int:
    """Command line: present one emulated card until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--card-number", default="AA12345678BB")
    parser.add_argument(
        "--card-type", choices=[t.value for t in CardType], default=CardType.RESIDENCE_CARD.value
    )
    parser.add_argument("--trust-out", type=Path, required=True, help="folder for the test CA")
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    parser.add_argument("--fault", action="append", default=[], choices=[f.value for f in Fault])
    parser.add_argument("--tampered", action="store_true")
    parser.add_argument("--untrusted", action="store_true", help="sign with a CA not written out")
    parser.add_argument("--under-16", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    card_type = CardType(args.card_type)
    kind = "rsa" if card_type.generation == 1 else "p384"
    ca = testpki.make_ca(f"Test ZairyuCard CA{card_type.generation}", kind)
    signing_ca = testpki.make_ca("Rogue CA", kind) if args.untrusted else ca
    signer = testpki.issue(signing_ca, "Test card", kind)
    testpki.write_trust_folder(args.trust_out, ca)
    profile = replace(
        CardProfile(card_number=args.card_number, card_type=card_type),
        tampered=args.tampered,
        under_16=args.under_16,
        signature_form="digest_info" if card_type.generation == 1 else "raw",
    )
    card = emulator(profile, signer, frozenset(Fault(f) for f in args.fault))
    serve_until_signalled(card, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
