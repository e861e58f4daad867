"""An e-passport (ICAO 9303 eMRTD) emulator for vpcd, with fault switches.

It offers PACE (generic mapping, ECDH) and BAC, 3DES/AES secure messaging, Active
Authentication (ECDSA or RSA ISO 9796-2), Chip Authentication (ECDH, 3DES via MSE:Set KAT
or AES via MSE:Set AT + GENERAL AUTHENTICATE) and an EF.SOD signed by a test DSC.

Run it against a local pcscd with vsmartcard-vpcd::

    python -m devices.emulators.passport --trust-out /tmp/trust

It writes its freshly generated test CSCA to ``--trust-out``, prints the access data
(synthetic) and presents the chip in ``Virtual PCD 00 00`` until interrupted.
NOTE: test and training use only.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum, unique
from pathlib import Path

from asn1crypto import core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from devices.emrtd import ecc, lds
from devices.emrtd.authentication import ecdh_secret
from devices.emrtd.bac import document_keys, mrz_information
from devices.emrtd.crypto import SmCipher, kdf
from devices.emrtd.errors import EcError, UnsupportedKey
from devices.emrtd.pace import auth_token
from devices.emrtd.security_infos import ID_CA, oid_value, parse_security_infos
from devices.emrtd.sm import icao_mac
from devices.emulators import passport_files as pf
from devices.emulators import testpki
from devices.emulators.vpcd import VPCD_PORT, CardYanked, serve_until_signalled
from devices.smartcard import tlv
from devices.smartcard.apdu import EXTENDED_MAX, SHORT_MAX_LE, CommandApdu, parse_command
from devices.smartcard.base import SW
from devices.smartcard.ciphers import AesCipher, Des3Cipher, pad, unpad
from workstation.documents import MrzAccessKey

logger = logging.getLogger(__name__)

ATR = bytes.fromhex("3B80800101")
"""T=1 without historical bytes; readers must not depend on the exact bytes."""

_FID_NAMES = {0x011E: "EF.COM", 0x011D: "EF.SOD", 0x011C: "EF.CardAccess"}
_FID_NAMES.update({0x0100 + n: f"DG{n}" for n in range(1, 17)})
_SFI_NAMES = {0x1E: "EF.COM", 0x1D: "EF.SOD", 0x1C: "EF.CardAccess"}
_SFI_NAMES.update({n: f"DG{n}" for n in range(1, 17)})


@unique
class Fault(Enum):
    """Runtime faults (data faults such as tampering are built into the files)."""

    WRONG_MAC = "wrong-mac"
    """Every protected response carries a corrupted DO'8E'."""
    REMOVED_MID_READ = "removed-mid-read"
    """The chip leaves the field after answering the first protected READ BINARY."""
    EXTENDED_REFUSED = "extended-refused"
    """Extended-length APDUs get 67 00 (as from a short-only reader); the chip sees nothing."""
    AA_FAILS = "aa-fails"
    """Active Authentication signs with a key other than DG15's (a clone)."""
    CA_FAILS = "ca-fails"
    """Chip Authentication uses a key other than DG14's (a clone)."""


def _sw(sw: int, data: bytes = b"") -> tuple[bytes, int]:
    return data, sw


class _CardSm:
    """The chip's side of ICAO secure messaging."""

    def __init__(self, suite: SmCipher, ks_enc: bytes, ks_mac: bytes, ssc: int = 0) -> None:
        self.suite = suite
        self.enc = suite.cipher(ks_enc)
        self.mac = suite.cipher(ks_mac)
        self.ssc = ssc

    def _bump(self) -> bytes:
        size = self.enc.block_size
        self.ssc = (self.ssc + 1) % (1 << (8 * size))
        return self.ssc.to_bytes(size, "big")

    def _iv(self, ssc: bytes) -> bytes:
        return self.enc.encrypt_block(ssc) if isinstance(self.enc, AesCipher) else bytes(8)

    def unwrap(self, c: CommandApdu) -> CommandApdu | int:
        """The plain command, or the status word of an SM error."""
        try:
            objects = tlv.parse_all(c.data)
        except tlv.TlvError:
            return SW.SM_DATA_OBJECTS_INCORRECT
        macced, cryptogram, le_bytes, mac = b"", None, None, None
        for obj in objects:
            if obj.tag == 0x8E:
                mac = obj.value
                break
            if obj.tag in (0x85, 0x87):
                cryptogram = obj
            elif obj.tag == 0x97:
                le_bytes = obj.value
            else:
                return SW.SM_DATA_OBJECTS_INCORRECT
            macced += obj.raw
        if mac is None:
            return SW.SM_DATA_OBJECTS_MISSING
        ssc = self._bump()
        header = pad(bytes((c.cla, c.ins, c.p1, c.p2)), self.enc.block_size)
        if not hmac.compare_digest(mac, icao_mac(self.mac, ssc + header + macced)):
            return SW.SM_DATA_OBJECTS_INCORRECT
        data = b""
        if cryptogram is not None:
            body = cryptogram.value[1:] if cryptogram.tag == 0x87 else cryptogram.value
            try:
                data = unpad(self.enc.decrypt(body, self._iv(ssc)))
            except Exception:  # noqa: BLE001  (any garbage is an SM error)
                return SW.SM_DATA_OBJECTS_INCORRECT
        le: int | None = None
        if le_bytes is not None:
            value = int.from_bytes(le_bytes, "big")
            le = value or (EXTENDED_MAX if len(le_bytes) == 2 else SHORT_MAX_LE)
        return CommandApdu(c.cla & 0xF3, c.ins, c.p1, c.p2, data, le)

    def wrap(self, data: bytes, sw: int, odd: bool, corrupt: bool) -> bytes:
        ssc = self._bump()
        body = b""
        if data:
            cryptogram = self.enc.encrypt(pad(data, self.enc.block_size), self._iv(ssc))
            body += tlv.encode(0x85, cryptogram) if odd else tlv.encode(0x87, b"\x01" + cryptogram)
        body += tlv.encode(0x99, sw.to_bytes(2, "big"))
        mac = icao_mac(self.mac, ssc + body)
        if corrupt:
            mac = bytes((mac[0] ^ 0x5A,)) + mac[1:]
        return body + tlv.encode(0x8E, mac) + sw.to_bytes(2, "big")


@dataclass
class _Pace:
    protocol: str
    suite: SmCipher
    curve: ecc.Curve
    password: bytes
    step: int = 1
    nonce: int = 0
    mapped: ecc.Curve | None = None
    sk: int = 0
    pk_ifd: bytes = b""
    pk_ic: bytes = b""


@dataclass
class _State:
    application: bool = False
    current: str | None = None
    challenge: bytes | None = None
    sm: _CardSm | None = None
    pace: _Pace | None = None
    ca_protocol: str | None = None
    pending_keys: tuple[SmCipher, bytes] | None = None
    protected_reads: int = 0


@dataclass
class PassportEmulator:
    """The chip side of an eMRTD (see ``docs/documents.md``).

    :param image: the chip contents from :func:`passport_files.build_image`.
    :param faults: runtime faults to inject.
    :param random: chip-side randomness.
    """

    image: pf.PassportImage
    faults: frozenset[Fault] = frozenset()
    random: Callable[[int], bytes] = os.urandom
    atr: bytes = ATR
    state: _State = field(default_factory=_State)
    clone_keys: pf.ChipKeys = field(default_factory=pf.ChipKeys)

    def __post_init__(self) -> None:
        keys = self.image.keys
        if keys.ca_curve is not None:
            self.clone_keys.ca = keys.ca_curve.new_private_key()
        if isinstance(keys.aa, rsa.RSAPrivateKey):
            self.clone_keys.aa = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505  (AA keys on real chips are often 1024-bit)
        elif keys.aa is not None:
            self.clone_keys.aa = ec.generate_private_key(ec.SECP256R1())

    @property
    def profile(self) -> pf.PassportProfile:
        return self.image.profile

    def power_on(self) -> None:
        self.state = _State()

    def power_off(self) -> None:
        self.state = _State()

    def reset(self) -> None:
        self.state = _State()

    def _access_key(self) -> MrzAccessKey:
        p = self.profile
        return MrzAccessKey(p.document_number, p.birth_date, p.expiry_date)

    # Dispatch

    def execute(self, apdu: bytes) -> bytes:
        try:
            command = parse_command(apdu)
        except ValueError:
            return SW.WRONG_LENGTH.to_bytes(2, "big")
        if command.extended and Fault.EXTENDED_REFUSED in self.faults:
            return SW.WRONG_LENGTH.to_bytes(2, "big")
        state = self.state
        if command.cla & 0x0C == 0x0C:
            if state.sm is None:
                return SW.SM_DATA_OBJECTS_MISSING.to_bytes(2, "big")
            inner = state.sm.unwrap(command)
            if isinstance(inner, int):
                self.state = _State(application=state.application)
                return inner.to_bytes(2, "big")
            data, sw = self._dispatch(inner, secure=True)
            if state.sm is None:
                return sw.to_bytes(2, "big")
            response = state.sm.wrap(data, sw, bool(inner.ins & 1), Fault.WRONG_MAC in self.faults)
            if state.pending_keys is not None:
                # Chip Authentication: the answer goes out under the old keys, then switch.
                suite, secret = state.pending_keys
                state.sm = _CardSm(suite, kdf(secret, 1, suite), kdf(secret, 2, suite))
                state.pending_keys = None
            if inner.ins in (0xB0, 0xB1) and sw in (SW.OK, SW.END_OF_FILE_WARNING):
                state.protected_reads += 1
                if Fault.REMOVED_MID_READ in self.faults and state.protected_reads == 1:
                    raise CardYanked(response)
            return response
        if state.sm is not None:
            # A plain command ends secure messaging, as on real chips.
            state.sm = None
        data, sw = self._dispatch(command, secure=False)
        return data + sw.to_bytes(2, "big")

    def _dispatch(self, c: CommandApdu, secure: bool) -> tuple[bytes, int]:
        challenge, self.state.challenge = self.state.challenge, None
        if c.ins == 0xA4:
            return self._select(c, secure)
        if c.ins in (0xB0, 0xB1):
            return self._read_binary(c, secure)
        if c.ins == 0x84 and not secure:
            if c.le != 8:
                return _sw(SW.WRONG_LENGTH)
            self.state.challenge = self.random(8)
            return _sw(SW.OK, self.state.challenge)
        if c.ins == 0x82 and not secure:
            return self._external_authenticate(c, challenge)
        if c.ins == 0x22:
            return self._manage_security_environment(c, secure)
        if c.ins == 0x86:
            return self._ca_general_authenticate(c) if secure else self._pace_step(c)
        if c.ins == 0x88 and secure:
            return self._internal_authenticate(c)
        return _sw(SW.INS_NOT_SUPPORTED)

    # Files

    def _content(self, name: str, secure: bool) -> bytes | int:
        if name == "EF.CardAccess":
            return (
                self.image.card_access if self.image.card_access is not None else SW.FILE_NOT_FOUND
            )
        if not self.state.application:
            return SW.FILE_NOT_FOUND
        if name not in self.image.files:
            return SW.FILE_NOT_FOUND
        if not secure:
            return SW.SECURITY_CONDITION_NOT_SATISFIED
        return self.image.files[name]

    def _select(self, c: CommandApdu, secure: bool) -> tuple[bytes, int]:
        if c.p1 == 0x04:
            if c.data != lds.AID_EMRTD:
                return _sw(SW.FILE_NOT_FOUND)
            self.state.application, self.state.current = True, None
            return _sw(SW.OK)
        if c.p1 == 0x00 and c.data in (b"", b"\x3f\x00"):
            self.state.application, self.state.current = False, None
            return _sw(SW.OK)
        if c.p1 in (0x00, 0x02) and len(c.data) == 2:
            name = _FID_NAMES.get(int.from_bytes(c.data, "big"))
            content = self._content(name, secure) if name else SW.FILE_NOT_FOUND
            if isinstance(content, int):
                return _sw(content)
            self.state.current = name
            return _sw(SW.OK)
        return _sw(SW.INCORRECT_P1P2)

    def _read_binary(self, c: CommandApdu, secure: bool) -> tuple[bytes, int]:
        name: str | None
        if c.ins == 0xB1:
            try:
                do54 = tlv.find(c.data, 0x54)
            except tlv.TlvError:
                do54 = None
            if do54 is None or self.state.current is None:
                return _sw(SW.WRONG_DATA)
            name, offset = self.state.current, int.from_bytes(do54.value, "big")
        elif c.p1 & 0x80:
            name = _SFI_NAMES.get(c.p1 & 0x1F)
            if name is None:
                return _sw(SW.FILE_NOT_FOUND)
            offset = c.p2
        else:
            if self.state.current is None:
                return _sw(SW.COMMAND_NOT_ALLOWED_NO_EF)
            name, offset = self.state.current, (c.p1 << 8) | c.p2
        if name is None:
            return _sw(SW.FILE_NOT_FOUND)
        content = self._content(name, secure)
        if isinstance(content, int):
            return _sw(content)
        self.state.current = name
        if c.le is None:
            return _sw(SW.WRONG_LENGTH)
        if offset >= len(content):
            return _sw(SW.WRONG_P1P2)
        if c.ins == 0xB1:
            chunk = content[offset : offset + max(c.le - 4, 1)]
            return _sw(SW.OK, tlv.encode(0x53, chunk))
        chunk = content[offset : offset + c.le]
        return _sw(SW.OK if len(chunk) == c.le else SW.END_OF_FILE_WARNING, chunk)

    # BAC

    def _external_authenticate(self, c: CommandApdu, challenge: bytes | None) -> tuple[bytes, int]:
        if not self.profile.bac:
            return _sw(SW.CONDITIONS_NOT_SATISFIED)
        if challenge is None or not self.state.application:
            return _sw(SW.CONDITIONS_NOT_SATISFIED)
        if len(c.data) != 40:
            return _sw(SW.WRONG_LENGTH)
        k_enc, k_mac = document_keys(self._access_key())
        enc, mac = Des3Cipher(k_enc), Des3Cipher(k_mac)
        e_ifd, m_ifd = c.data[:32], c.data[32:]
        if not hmac.compare_digest(mac.mac(e_ifd), m_ifd):
            return _sw(SW.VERIFICATION_FAILED)
        plain = enc.decrypt(e_ifd)
        if plain[8:16] != challenge:
            return _sw(SW.VERIFICATION_FAILED)
        rnd_ifd, k_ifd = plain[:8], plain[16:32]
        k_ic = self.random(16)
        e_ic = enc.encrypt(challenge + rnd_ifd + k_ic)
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
        ssc = int.from_bytes(challenge[4:] + rnd_ifd[4:], "big")
        suite = SmCipher.DES3
        self.state.sm = _CardSm(suite, kdf(seed, 1, suite), kdf(seed, 2, suite), ssc)
        return _sw(SW.OK, e_ic + mac.mac(e_ic))

    # PACE

    def _manage_security_environment(self, c: CommandApdu, secure: bool) -> tuple[bytes, int]:
        try:
            objects = {o.tag: o.value for o in tlv.parse_all(c.data)}
        except tlv.TlvError:
            return _sw(SW.WRONG_DATA)
        if (c.p1, c.p2) == (0xC1, 0xA4) and not secure:
            return self._pace_set_at(objects)
        if (c.p1, c.p2) == (0x41, 0xA6) and secure:
            # CA with 3DES: MSE:Set KAT carries the terminal's ephemeral key in DO'91'.
            return self._ca_agree(objects.get(0x91, b""), SmCipher.DES3, b"")
        if (c.p1, c.p2) == (0x41, 0xA4) and secure:
            oid = objects.get(0x80, b"")
            try:
                self.state.ca_protocol = core.ObjectIdentifier.load(tlv.encode(0x06, oid)).dotted
            except ValueError:
                return _sw(SW.WRONG_DATA)
            return _sw(SW.OK)
        return _sw(SW.INCORRECT_P1P2)

    def _pace_set_at(self, objects: dict[int, bytes]) -> tuple[bytes, int]:
        if self.image.card_access is None:
            return _sw(SW.INS_NOT_SUPPORTED)
        info = parse_security_infos(self.image.card_access).pace[0]
        if objects.get(0x80) != oid_value(info.protocol) or info.suite is None:
            return _sw(SW.WRONG_DATA)
        if 0x84 in objects and objects[0x84] != bytes((info.parameter_id or 0,)):
            return _sw(SW.WRONG_DATA)
        reference = objects.get(0x83, b"")
        if reference == b"\x01":
            secret = hashlib.sha1(mrz_information(self._access_key()).encode()).digest()  # noqa: S324
        elif reference == b"\x02":
            secret = self.profile.can.encode("ascii")
        else:
            return _sw(SW.REFERENCED_DATA_NOT_FOUND)
        curve = ecc.PACE_STANDARD_PARAMETERS[info.parameter_id or 0]
        self.state.pace = _Pace(info.protocol, info.suite, curve, secret)
        self.state.sm = None
        return _sw(SW.OK)

    def _pace_step(self, c: CommandApdu) -> tuple[bytes, int]:
        pace = self.state.pace
        if pace is None:
            return _sw(SW.CONDITIONS_NOT_SATISFIED)
        try:
            outer, _end = tlv.parse_one(c.data)
            inner = {o.tag: o.value for o in tlv.parse_all(outer.value)}
        except tlv.TlvError:
            return _sw(SW.WRONG_DATA)
        try:
            return self._pace_answer(pace, inner, c.cla)
        except (EcError, UnsupportedKey):
            self.state.pace = None
            return _sw(SW.WRONG_DATA)

    def _pace_answer(self, pace: _Pace, inner: dict[int, bytes], cla: int) -> tuple[bytes, int]:
        curve = pace.curve
        if pace.step == 1:
            cipher = pace.suite.cipher(kdf(pace.password, 3, pace.suite))
            nonce = self.random(cipher.block_size)
            pace.nonce = int.from_bytes(nonce, "big")
            pace.step = 2
            return _sw(SW.OK, tlv.encode(0x7C, tlv.encode(0x80, cipher.encrypt(nonce))))
        if pace.step == 2 and 0x81 in inner:
            sk_map = curve.new_private_key()
            h = curve.multiply(sk_map, curve.decode_point(inner[0x81]))
            g_hat = curve.add(curve.multiply(pace.nonce, curve.g), h)
            if g_hat is None:
                raise EcError("mapped generator at infinity")
            pace.mapped = curve.with_generator(g_hat)
            pace.step = 3
            answer = curve.encode_point(curve.public_key(sk_map))
            return _sw(SW.OK, tlv.encode(0x7C, tlv.encode(0x82, answer)))
        if pace.step == 3 and 0x83 in inner and pace.mapped is not None:
            mapped = pace.mapped
            pace.pk_ifd = inner[0x83]
            mapped.decode_point(pace.pk_ifd)
            pace.sk = mapped.new_private_key()
            pace.pk_ic = mapped.encode_point(mapped.public_key(pace.sk))
            pace.step = 4
            return _sw(SW.OK, tlv.encode(0x7C, tlv.encode(0x84, pace.pk_ic)))
        if pace.step == 4 and 0x85 in inner and cla == 0x00 and pace.mapped is not None:
            mapped = pace.mapped
            shared = mapped.multiply(pace.sk, mapped.decode_point(pace.pk_ifd))
            if shared is None:
                raise EcError("shared secret at infinity")
            k = shared[0].to_bytes(curve.size, "big")
            ks_enc, ks_mac = kdf(k, 1, pace.suite), kdf(k, 2, pace.suite)
            self.state.pace = None
            expected = auth_token(pace.suite, ks_mac, pace.protocol, pace.pk_ic)
            if not hmac.compare_digest(inner[0x85], expected):
                return _sw(SW.VERIFICATION_FAILED)
            token = auth_token(pace.suite, ks_mac, pace.protocol, pace.pk_ifd)
            self.state.sm = _CardSm(pace.suite, ks_enc, ks_mac, 0)
            return _sw(SW.OK, tlv.encode(0x7C, tlv.encode(0x86, token)))
        self.state.pace = None
        return _sw(SW.CONDITIONS_NOT_SATISFIED)

    # Chip and Active Authentication

    def _ca_private(self) -> tuple[ecc.Curve, int] | None:
        keys = self.image.keys
        if keys.ca is None or keys.ca_curve is None:
            return None
        clone = Fault.CA_FAILS in self.faults and self.clone_keys.ca is not None
        return keys.ca_curve, (self.clone_keys.ca if clone else keys.ca) or 0

    def _ca_agree(self, public: bytes, suite: SmCipher, answer: bytes) -> tuple[bytes, int]:
        private = self._ca_private()
        if private is None:
            return _sw(SW.INS_NOT_SUPPORTED)
        try:
            secret = ecdh_secret(private[0], private[1], public)
        except (EcError, UnsupportedKey):
            return _sw(SW.WRONG_DATA)
        self.state.pending_keys = (suite, secret)
        return _sw(SW.OK, answer)

    def _ca_general_authenticate(self, c: CommandApdu) -> tuple[bytes, int]:
        protocol = self.state.ca_protocol
        if protocol is None or not protocol.startswith(ID_CA + ".2."):
            return _sw(SW.CONDITIONS_NOT_SATISFIED)
        suite = {"1": SmCipher.DES3, "2": SmCipher.AES128, "3": SmCipher.AES192}.get(
            protocol.rsplit(".", 1)[1], SmCipher.AES256
        )
        try:
            outer, _end = tlv.parse_one(c.data)
            public = tlv.find(outer.value, 0x80)
        except tlv.TlvError:
            return _sw(SW.WRONG_DATA)
        if public is None:
            return _sw(SW.WRONG_DATA)
        return self._ca_agree(public.value, suite, b"\x7c\x00")

    def _internal_authenticate(self, c: CommandApdu) -> tuple[bytes, int]:
        key = self.image.keys.aa
        if key is None:
            return _sw(SW.INS_NOT_SUPPORTED)
        if Fault.AA_FAILS in self.faults and self.clone_keys.aa is not None:
            key = self.clone_keys.aa
        if len(c.data) != 8:
            return _sw(SW.WRONG_LENGTH)
        if isinstance(key, rsa.RSAPrivateKey):
            return _sw(SW.OK, _iso9796_2_sign(key, c.data, self.random))
        der = key.sign(c.data, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        size = (key.curve.key_size + 7) // 8
        return _sw(SW.OK, r.to_bytes(size, "big") + s.to_bytes(size, "big"))


def _iso9796_2_sign(
    key: rsa.RSAPrivateKey, challenge: bytes, random: Callable[[int], bytes]
) -> bytes:
    """ISO/IEC 9796-2 scheme 1, partial recovery, SHA-1 with trailer BC."""
    size = (key.key_size + 7) // 8
    m1 = random(size - 22)
    representative = b"\x6a" + m1 + hashlib.sha1(m1 + challenge).digest() + b"\xbc"  # noqa: S324
    numbers = key.private_numbers()
    value = pow(int.from_bytes(representative, "big"), numbers.d, numbers.public_numbers.n)
    return value.to_bytes(size, "big")


def emulator(
    profile: pf.PassportProfile,
    pki: pf.PassportPki,
    faults: frozenset[Fault] | set[Fault] = frozenset(),
) -> PassportEmulator:
    """An emulator whose EF.SOD is signed by ``pki``'s DSC."""
    return PassportEmulator(pf.build_image(profile, pki.dsc), frozenset(faults))


def main(argv: list[str] | None = None) -> int:
    """Command line: present one emulated e-passport until interrupted."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--trust-out", type=Path, required=True, help="folder for the test CSCA")
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    parser.add_argument("--fault", action="append", default=[], choices=[f.value for f in Fault])
    parser.add_argument("--tampered", action="store_true", help="change DG1 after signing")
    parser.add_argument("--untrusted", action="store_true", help="sign with a CSCA not written out")
    parser.add_argument("--no-pace", action="store_true", help="a BAC-only chip")
    parser.add_argument("--no-bac", action="store_true", help="a PACE-only chip")
    parser.add_argument("--aa", choices=["ec", "rsa", "none"], default="ec")
    parser.add_argument("--no-ca", action="store_true")
    parser.add_argument("--pki", choices=testpki.ICAO_KINDS, default="bp256")
    parser.add_argument("--master-list", action="store_true", help="write the CSCA as a .ml")
    parser.add_argument("--td1", action="store_true", help="an identity card with a TD1 MRZ")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    pki = pf.make_pki(args.pki, explicit=args.pki.startswith("bp"), untrusted=args.untrusted)
    pf.write_trust_folder(args.trust_out, pki, master_list=args.master_list)
    profile = replace(
        pf.PassportProfile(),
        pace=not args.no_pace,
        bac=not args.no_bac,
        aa=None if args.aa == "none" else args.aa,
        ca=not args.no_ca,
        tampered=args.tampered,
        mrz_kind=pf.MrzKind.TD1 if args.td1 else pf.MrzKind.TD3,
        ca_suite=SmCipher.DES3 if args.no_pace else SmCipher.AES128,
    )
    card = emulator(profile, pki, {Fault(f) for f in args.fault})
    # Synthetic specimen data, printed for whoever runs the emulator.
    print(
        f"--doc-number {profile.document_number} --birth {profile.birth_date} "
        f"--expiry {profile.expiry_date}  (or --can {profile.can})",
        flush=True,
    )
    serve_until_signalled(card, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
