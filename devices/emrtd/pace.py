"""PACE with generic mapping over elliptic curves (ICAO 9303-11 §4.4).

Supported: ``id-PACE-ECDH-GM-3DES`` and ``-AES-CBC-CMAC-128/192/256`` on the standardized
curves 8-18 (NIST P-192..P-521, Brainpool P192r1..P512r1), with an MRZ or CAN password.
DH mapping, integrated mapping and chip-authentication mapping are reported as unsupported,
so the caller can fall back to BAC where policy allows.

The mapping needs the full ECDH point H and key pairs on the mapped generator Ĝ, which
``cryptography`` cannot provide; that arithmetic runs in :mod:`devices.emrtd.ecc`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from devices.emrtd import ecc
from devices.emrtd.bac import mrz_information
from devices.emrtd.crypto import SmCipher, kdf
from devices.emrtd.errors import AccessDenied, ChipResponseInvalid, EcError, PaceError
from devices.emrtd.security_infos import PaceInfo, oid_value
from devices.emrtd.sm import IcaoSmProcessor
from devices.smartcard import tlv
from devices.smartcard.apdu import LE_MAX, ApduProcessor, CommandApdu
from devices.smartcard.base import SW
from workstation.documents import CanAccessKey, MrzAccessKey

PASSWORD_MRZ = 0x01
PASSWORD_CAN = 0x02

_DENIED = (SW.VERIFICATION_FAILED, SW.SECURITY_CONDITION_NOT_SATISFIED, SW.AUTH_METHOD_BLOCKED)

ScalarSource = Callable[[ecc.Curve], int]
"""Ephemeral private keys: called for SK_map then SK_DH (tests inject ICAO's values)."""


def supported(info: PaceInfo) -> bool:
    """Whether :func:`authenticate` can run this PACEInfo."""
    return (
        info.key_agreement == "ECDH"
        and info.mapping == "GM"
        and info.suite is not None
        and info.parameter_id in ecc.PACE_STANDARD_PARAMETERS
    )


def password(access: MrzAccessKey | CanAccessKey) -> tuple[bytes, int]:
    """The PACE secret π and its reference: SHA-1(MRZ_information), or the CAN's digits."""
    if isinstance(access, CanAccessKey):
        return access.can.encode("ascii"), PASSWORD_CAN
    return hashlib.sha1(mrz_information(access).encode("ascii")).digest(), PASSWORD_MRZ  # noqa: S324


def auth_token(suite: SmCipher, ks_mac: bytes, protocol: str, point: bytes) -> bytes:
    """T = MAC(KSmac, 7F49{06 OID, 86 public point}) (ICAO 9303-11 §4.4.3.4)."""
    data = tlv.encode(0x7F49, tlv.encode(0x06, oid_value(protocol)) + tlv.encode(0x86, point))
    cipher = suite.cipher(ks_mac)
    # AES: plain CMAC over the object (no padding, unlike SM); 3DES: retail MAC, padded.
    return cipher.mac(data)


def _general_authenticate(
    processor: ApduProcessor, tag: int, value: bytes, expect: int, last: bool = False
) -> bytes:
    data = tlv.encode(0x7C, tlv.encode(tag, value) if tag else b"")
    # CLA 10: command chaining, all but the last GENERAL AUTHENTICATE (ISO 7816-4 §5.1.1).
    response = processor.send(CommandApdu(0x00 if last else 0x10, 0x86, 0, 0, data, le=LE_MAX))
    if response.sw in _DENIED:
        raise AccessDenied(f"PACE step {expect:02X} refused ({response.sw:04X})")
    if response.sw != SW.OK:
        raise PaceError(f"PACE step {expect:02X} failed ({response.sw:04X})")
    try:
        outer, end = tlv.parse_one(response.data)
        if outer.tag != 0x7C or end != len(response.data):
            raise PaceError("GENERAL AUTHENTICATE answer is not one DO'7C'")
        inner = tlv.find(outer.value, expect)
    except tlv.TlvError as e:
        raise PaceError("GENERAL AUTHENTICATE answer malformed") from e
    if inner is None:
        raise PaceError(f"GENERAL AUTHENTICATE answer lacks DO'{expect:02X}'")
    return inner.value


def authenticate(
    processor: ApduProcessor,
    info: PaceInfo,
    access: MrzAccessKey | CanAccessKey,
    scalars: ScalarSource | None = None,
) -> IcaoSmProcessor:
    """Run PACE-GM-ECDH and return the SM processor (SSC 0).

    :param info: a PACEInfo from EF.CardAccess for which :func:`supported` is true.
    :param scalars: ephemeral private keys (default: random).
    :raises AccessDenied: the chip refused the password (63 00 and similar).
    :raises ChipResponseInvalid: the chip's authentication token did not verify.
    :raises PaceError: unsupported parameters or any other protocol failure.
    """
    if not supported(info) or info.suite is None or info.parameter_id is None:
        raise PaceError(f"{info.describe()} with parameters {info.parameter_id} not supported")
    suite = info.suite
    curve = ecc.PACE_STANDARD_PARAMETERS[info.parameter_id]
    draw = scalars or (lambda c: c.new_private_key())
    secret, reference = password(access)
    mse = tlv.encode(0x80, oid_value(info.protocol)) + tlv.encode(0x83, bytes((reference,)))
    # DO'84' names the domain parameters; always sent when EF.CardAccess gave an ID.
    mse += tlv.encode(0x84, bytes((info.parameter_id,)))
    response = processor.send(CommandApdu(0x00, 0x22, 0xC1, 0xA4, mse))
    if response.sw != SW.OK:
        raise PaceError(f"MSE:Set AT refused ({response.sw:04X})")
    try:
        z = _general_authenticate(processor, 0, b"", 0x80)
        k_pi = suite.cipher(kdf(secret, 3, suite))
        if not z or len(z) % k_pi.block_size:
            raise PaceError("encrypted nonce has a wrong length")
        s = int.from_bytes(k_pi.decrypt(z), "big")
        sk_map = draw(curve)
        pk_map = curve.public_key(sk_map)
        answer = _general_authenticate(processor, 0x81, curve.encode_point(pk_map), 0x82)
        pk_map_ic = curve.decode_point(answer)
        h = curve.multiply(sk_map, pk_map_ic)
        g_hat = curve.add(curve.multiply(s, curve.g), h)
        if g_hat is None:
            raise PaceError("mapped generator is the point at infinity")
        mapped = curve.with_generator(g_hat)
        sk = draw(mapped)
        pk = mapped.public_key(sk)
        pk_bytes = mapped.encode_point(pk)
        pk_ic_bytes = _general_authenticate(processor, 0x83, pk_bytes, 0x84)
        pk_ic = mapped.decode_point(pk_ic_bytes)
        if pk_ic == pk:
            raise PaceError("chip echoed the terminal's ephemeral key")
        shared = mapped.multiply(sk, pk_ic)
        if shared is None:
            raise PaceError("shared secret is the point at infinity")
    except EcError as e:
        raise PaceError("chip sent an invalid curve point") from e
    k = shared[0].to_bytes(curve.size, "big")
    ks_enc, ks_mac = kdf(k, 1, suite), kdf(k, 2, suite)
    t_ifd = auth_token(suite, ks_mac, info.protocol, pk_ic_bytes)
    t_ic = _general_authenticate(processor, 0x85, t_ifd, 0x86, last=True)
    if not hmac.compare_digest(t_ic, auth_token(suite, ks_mac, info.protocol, pk_bytes)):
        raise ChipResponseInvalid("PACE token of the chip does not verify")
    return IcaoSmProcessor(processor, suite, ks_enc, ks_mac, 0)
