"""Active Authentication (ICAO 9303-11 §6.1) and Chip Authentication key agreement (§6.2).

Both detect cloned chips: AA proves the chip holds the private key of DG15 by signing a
challenge; CA proves it holds the private key of DG14 by deriving new session keys.
"""

from __future__ import annotations

import hmac
import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from devices.emrtd import ecc
from devices.emrtd.crypto import (
    PublicKey,
    SignatureScheme,
    cryptography_curve,
    digest,
    verify_signature,
)
from devices.emrtd.errors import UnsupportedKey

_ISO9796_HASH_IDS = {0x33: "sha1", 0x34: "sha256", 0x35: "sha512", 0x36: "sha384", 0x38: "sha224"}
"""ISO/IEC 10118-3 hash identifiers in the ISO 9796-2 trailer ``xx CC``."""

_AA_ECDSA = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}


def _iso9796_2_recover(representative: bytes, challenge: bytes) -> bool:
    """Scheme 1 with partial recovery: 6A ‖ M1 ‖ H(M1 ‖ M2) ‖ trailer, M2 = the challenge."""
    if len(representative) < 24 or representative[0] != 0x6A:
        return False
    if representative[-1] == 0xBC:
        hash_name, trailer = "sha1", 1
    elif representative[-1] == 0xCC and representative[-2] in _ISO9796_HASH_IDS:
        hash_name, trailer = _ISO9796_HASH_IDS[representative[-2]], 2
    else:
        return False
    size = len(digest(hash_name, b""))
    if len(representative) < 1 + size + trailer:
        return False
    m1 = representative[1 : -(size + trailer)]
    h = representative[-(size + trailer) : -trailer]
    return hmac.compare_digest(h, digest(hash_name, m1 + challenge))


def verify_active_authentication(
    key: PublicKey, challenge: bytes, signature: bytes, algorithm: str | None = None
) -> bool:
    """Check the chip's INTERNAL AUTHENTICATE answer.

    :param key: the DG15 key.
    :param challenge: the 8 random bytes sent.
    :param signature: what the chip answered.
    :param algorithm: ActiveAuthenticationInfo's signature OID from DG14 (ECDSA only);
        without it every SHA-1/SHA-2 hash is tried.
    """
    if key.rsa is not None:
        numbers = key.rsa.public_numbers()
        size = (numbers.n.bit_length() + 7) // 8
        s = int.from_bytes(signature, "big")
        if len(signature) != size or not 0 < s < numbers.n:
            return False
        m = pow(s, numbers.e, numbers.n)
        # ISO 9796-2 allows the signer to send min(s, n - s); both recover to a valid form.
        for candidate in (m, numbers.n - m):
            if _iso9796_2_recover(candidate.to_bytes(size, "big").lstrip(b"\x00"), challenge):
                return True
        return False
    if key.curve is None:
        return False
    hashes = (
        [_AA_ECDSA[algorithm]]
        if algorithm in _AA_ECDSA
        else list(dict.fromkeys(_AA_ECDSA.values()))
    )
    forms = ["ecdsa-plain"] + (["ecdsa"] if signature[:1] == b"\x30" else [])
    return any(
        verify_signature(key, SignatureScheme(h, form), signature, challenge)
        for h in hashes
        for form in forms
    )


def key_agreement(chip_key: PublicKey) -> tuple[bytes, bytes]:
    """An ephemeral key pair on the chip key's domain and the shared secret.

    ECDH uses ``cryptography`` when it knows the curve (explicit parameters of a known
    curve included), else :mod:`devices.emrtd.ecc`; DH uses modular exponentiation.

    :returns: ``(ephemeral public key as sent to the chip, shared secret K)``; for ECDH K is
        the x-coordinate (9303-11 §9.6), for DH the value padded to the size of p.
    :raises UnsupportedKey: an RSA key, or a key without usable parameters.
    """
    if chip_key.curve is not None and chip_key.point is not None:
        curve = chip_key.curve
        named = cryptography_curve(curve)
        if named is not None and chip_key.ec_key is not None:
            private = ec.generate_private_key(named)
            shared = private.exchange(ec.ECDH(), chip_key.ec_key)
            public = private.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
            return public, shared
        sk = curve.new_private_key()
        point = curve.multiply(sk, chip_key.point)
        if point is None:
            raise UnsupportedKey("chip key gives the point at infinity")
        return curve.encode_point(curve.public_key(sk)), point[0].to_bytes(curve.size, "big")
    if chip_key.dh is not None and chip_key.dh_y is not None:
        group = chip_key.dh
        size = (group.p.bit_length() + 7) // 8
        x = secrets.randbelow((group.q or group.p) - 2) + 1
        public = pow(group.g, x, group.p).to_bytes(size, "big")
        return public, pow(chip_key.dh_y, x, group.p).to_bytes(size, "big")
    raise UnsupportedKey("chip authentication needs an ECDH or DH key")


def ecdh_secret(curve: ecc.Curve, private: int, peer: bytes) -> bytes:
    """The card side of the CA key agreement (emulators): x(private · peer).

    :raises EcError: ``peer`` is not a point of ``curve``.
    """
    point = curve.multiply(private, curve.decode_point(peer))
    if point is None:
        raise UnsupportedKey("shared point at infinity")
    return point[0].to_bytes(curve.size, "big")
