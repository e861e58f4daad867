"""Keys, signatures and key derivation for eMRTDs.

Public keys come out of certificates, DG14 and DG15 as SubjectPublicKeyInfo, which may use
explicit EC domain parameters. :func:`load_public_key` parses them with asn1crypto, maps
explicit parameters of a known curve onto the named curve (after checking every
parameter), and falls back to :mod:`devices.emrtd.ecc` for curves ``cryptography`` lacks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum, unique

from asn1crypto import algos, core, keys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from devices.emrtd import ecc
from devices.emrtd.errors import UnsupportedKey
from devices.smartcard.ciphers import AesCipher, BlockCipher, Des3Cipher


@unique
class SmCipher(Enum):
    """Secure-messaging cipher suites (ICAO 9303-11 §9.8) with their KDF hash and key size."""

    DES3 = "3DES"
    AES128 = "AES-128"
    AES192 = "AES-192"
    AES256 = "AES-256"

    @property
    def key_length(self) -> int:
        return {"3DES": 16, "AES-128": 16, "AES-192": 24, "AES-256": 32}[self.value]

    def cipher(self, key: bytes) -> BlockCipher:
        return Des3Cipher(key) if self is SmCipher.DES3 else AesCipher(key)


def kdf(secret: bytes, counter: int, suite: SmCipher) -> bytes:
    """ICAO 9303-11 §9.7.1: KDF(K, c) = H(K ‖ c)[:keylength].

    SHA-1 for 3DES and AES-128, SHA-256 for AES-192/256. DES parity bits are left as they
    come (DES ignores them).

    :param counter: 1 for KSenc, 2 for KSmac, 3 for the PACE password key.
    """
    data = secret + counter.to_bytes(4, "big")
    if suite in (SmCipher.DES3, SmCipher.AES128):
        return hashlib.sha1(data).digest()[:16]  # noqa: S324  (ICAO-mandated)
    return hashlib.sha256(data).digest()[: suite.key_length]


def adjust_parity(key: bytes) -> bytes:
    """Set DES odd parity in the low bit of each byte (to compare with published keys)."""
    return bytes((b & 0xFE) | ((bin(b >> 1).count("1") + 1) & 1) for b in key)


_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def digest(name: str, data: bytes) -> bytes:
    """Hash ``data`` with ``sha1`` .. ``sha512``.

    :raises UnsupportedKey: any other algorithm.
    """
    if name not in _HASHES:
        raise UnsupportedKey(f"hash algorithm {name} not supported")
    return hashlib.new(name, data).digest()


def hash_algorithm(name: str) -> hashes.HashAlgorithm:
    if name not in _HASHES:
        raise UnsupportedKey(f"hash algorithm {name} not supported")
    return _HASHES[name]()


_CRYPTOGRAPHY_CURVES: dict[str, type[ec.EllipticCurve]] = {
    ecc.P192.oid: ec.SECP192R1,
    ecc.P224.oid: ec.SECP224R1,
    ecc.P256.oid: ec.SECP256R1,
    ecc.P384.oid: ec.SECP384R1,
    ecc.P521.oid: ec.SECP521R1,
    ecc.BP256.oid: ec.BrainpoolP256R1,
    ecc.BP384.oid: ec.BrainpoolP384R1,
    ecc.BP512.oid: ec.BrainpoolP512R1,
}


def cryptography_curve(curve: ecc.Curve) -> ec.EllipticCurve | None:
    """The ``cryptography`` curve object for a named curve, or ``None``."""
    cls = _CRYPTOGRAPHY_CURVES.get(curve.oid)
    return cls() if cls else None


@dataclass(frozen=True)
class DhGroup:
    """Finite-field Diffie-Hellman domain parameters (p, g and optionally q)."""

    p: int
    g: int
    q: int | None = None


@dataclass(frozen=True)
class PublicKey:
    """A parsed public key. Exactly one of ``rsa``, ``curve``/``point`` or ``dh`` is set.

    ``explicit`` records that the key came with explicit EC parameters; ``ec_key`` is the
    ``cryptography`` object when the curve is one ``cryptography`` supports.
    """

    rsa: rsa.RSAPublicKey | None = None
    curve: ecc.Curve | None = None
    point: tuple[int, int] | None = None
    ec_key: ec.EllipticCurvePublicKey | None = None
    dh: DhGroup | None = None
    dh_y: int | None = None
    explicit: bool = False

    @property
    def kind(self) -> str:
        if self.rsa is not None:
            return "rsa"
        if self.curve is not None:
            return "ec"
        return "dh"

    @property
    def bits(self) -> int:
        if self.rsa is not None:
            return self.rsa.key_size
        if self.curve is not None:
            return self.curve.n.bit_length()
        return self.dh.p.bit_length() if self.dh else 0

    def describe(self) -> str:
        """``"RSA-2048"``, ``"EC brainpoolP256r1 (explicit)"``, ``"DH-2048"``."""
        if self.rsa is not None:
            return f"RSA-{self.bits}"
        if self.curve is not None:
            return f"EC {self.curve.name}" + (" (explicit)" if self.explicit else "")
        return f"DH-{self.bits}"


def curve_from_parameters(parameters: keys.ECDomainParameters) -> tuple[ecc.Curve, bool]:
    """The curve of EC domain parameters and whether they were explicit.

    Explicit parameters are compared field by field with the known curves and replaced by
    the named curve when all of p, a, b, G and n match; otherwise they are kept as given.

    :raises UnsupportedKey: implicit-CA parameters, an unknown named curve, a binary field,
        or a base point that is not on the curve.
    """
    if parameters.name == "named":
        oid = parameters.chosen.dotted
        curve = ecc.BY_OID.get(oid)
        if curve is None:
            raise UnsupportedKey(f"named curve {oid} not supported")
        return curve, False
    if parameters.name != "specified":
        raise UnsupportedKey("implicitly-CA EC parameters are not supported")
    spec = parameters.chosen
    if spec["field_id"]["field_type"].native != "prime_field":
        raise UnsupportedKey("binary-field curves are not supported")
    p = spec["field_id"]["parameters"].native
    a = int.from_bytes(spec["curve"]["a"].native, "big")
    b = int.from_bytes(spec["curve"]["b"].native, "big")
    order = spec["order"].native
    cofactor = spec["cofactor"].native if spec["cofactor"].native is not None else 1
    base = spec["base"].native
    size = (p.bit_length() + 7) // 8
    if len(base) != 1 + 2 * size or base[0] != 0x04:
        raise UnsupportedKey("explicit base point is not uncompressed")
    g = (int.from_bytes(base[1 : 1 + size], "big"), int.from_bytes(base[1 + size :], "big"))
    given = ecc.Curve("explicit", p, a, b, g[0], g[1], order, cofactor)
    if not given.contains(given.g):
        raise UnsupportedKey("explicit base point is not on the curve")
    known = ecc.identify(given)
    return (known or given), True


def _ec_key(curve: ecc.Curve, encoded: bytes, explicit: bool) -> PublicKey:
    try:
        point = curve.decode_point(encoded)
    except ecc.EcError as e:
        raise UnsupportedKey("EC public key is not a point of its curve") from e
    named = cryptography_curve(curve)
    ec_key = ec.EllipticCurvePublicKey.from_encoded_point(named, encoded) if named else None
    return PublicKey(curve=curve, point=point, ec_key=ec_key, explicit=explicit)


def load_public_key(info: bytes | keys.PublicKeyInfo) -> PublicKey:
    """Parse a SubjectPublicKeyInfo (RSA, EC with named or explicit parameters, or DH).

    :param info: DER bytes or an asn1crypto ``PublicKeyInfo``.
    :raises UnsupportedKey: anything else, or malformed DER.
    """
    try:
        spki = keys.PublicKeyInfo.load(info) if isinstance(info, bytes) else info
        algorithm = spki["algorithm"]["algorithm"].dotted
        if algorithm == "1.2.840.113549.1.1.1":
            numbers = spki["public_key"].parsed
            public = rsa.RSAPublicNumbers(
                numbers["public_exponent"].native, numbers["modulus"].native
            )
            return PublicKey(rsa=public.public_key())
        if algorithm == "1.2.840.10045.2.1":
            curve, explicit = curve_from_parameters(spki["algorithm"]["parameters"])
            return _ec_key(curve, bytes(spki["public_key"]), explicit)
        if algorithm in ("1.2.840.10046.2.1", "1.2.840.113549.1.3.1"):
            return _dh_key(spki)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as e:
        raise UnsupportedKey("public key info is malformed") from e
    raise UnsupportedKey(f"public key algorithm {algorithm} not supported")


def _dh_key(spki: keys.PublicKeyInfo) -> PublicKey:
    # X9.42 DomainParameters (p, g, q, ...) or PKCS#3 DHParameter (p, g, privateValueLength).
    params = spki["algorithm"]["parameters"]
    raw = params.dump() if params is not None else b""
    seq = core.Sequence.load(raw)
    values = [core.Integer.load(seq[i].dump()).native for i in range(min(len(seq), 3))]
    if len(values) < 2:
        raise UnsupportedKey("DH parameters incomplete")
    p, g = values[0], values[1]
    q = values[2] if spki["algorithm"]["algorithm"].dotted == "1.2.840.10046.2.1" else None
    y = core.Integer.load(bytes(spki["public_key"])).native
    if not 1 < y < p - 1:
        raise UnsupportedKey("DH public value out of range")
    return PublicKey(dh=DhGroup(p, g, q if len(values) > 2 else None), dh_y=y)


# Signature schemes

_PLAIN_ECDSA = {
    "0.4.0.127.0.7.1.1.4.1.1": "sha1",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
}
"""BSI TR-03111 ecdsa-plain-signatures: r ‖ s instead of DER."""

_X962_ECDSA = {
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}


@dataclass(frozen=True)
class SignatureScheme:
    """How a signature is checked: hash, and ``pkcs1v15``, ``pss``, ``ecdsa`` or ``ecdsa-plain``."""

    hash_name: str
    padding: str
    salt_length: int | None = None
    mgf_hash: str | None = None

    def describe(self) -> str:
        return f"{self.padding}/{self.hash_name}"


def signature_scheme(
    algorithm: algos.SignedDigestAlgorithm, digest_algorithm: str | None = None
) -> SignatureScheme:
    """The scheme named by an AlgorithmIdentifier.

    :param digest_algorithm: CMS's ``digestAlgorithm``, used when the signature OID names
        no hash (plain ``rsaEncryption`` or ``id-ecPublicKey``).
    :raises UnsupportedKey: DSA, unknown OIDs, or PSS without readable parameters.
    """
    oid = algorithm["algorithm"].dotted
    if oid in _PLAIN_ECDSA:
        return SignatureScheme(_PLAIN_ECDSA[oid], "ecdsa-plain")
    if oid in _X962_ECDSA:
        return SignatureScheme(_X962_ECDSA[oid], "ecdsa")
    if oid == "1.2.840.10045.2.1" and digest_algorithm:
        return SignatureScheme(digest_algorithm, "ecdsa")
    if oid == "1.2.840.113549.1.1.10":
        params = algorithm["parameters"]
        try:
            hash_name = params["hash_algorithm"]["algorithm"].native
            mgf = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
            salt = params["salt_length"].native
        except (KeyError, ValueError, TypeError) as e:
            raise UnsupportedKey("RSASSA-PSS parameters unreadable") from e
        return SignatureScheme(hash_name, "pss", salt, mgf)
    if oid == "1.2.840.113549.1.1.1" and digest_algorithm:
        return SignatureScheme(digest_algorithm, "pkcs1v15")
    try:
        if algorithm.signature_algo == "rsassa_pkcs1v15":
            return SignatureScheme(algorithm.hash_algo, "pkcs1v15")
    except ValueError:
        pass
    raise UnsupportedKey(f"signature algorithm {oid} not supported")


def _ecdsa_values(key: PublicKey, signature: bytes, plain: bool) -> tuple[int, int] | None:
    if plain:
        if len(signature) % 2:
            return None
        half = len(signature) // 2
        return int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    try:
        return decode_dss_signature(signature)
    except ValueError:
        return None


def verify_signature(
    key: PublicKey, scheme: SignatureScheme, signature: bytes, data: bytes
) -> bool:
    """Check ``signature`` over ``data``; ``False`` for any mismatch or unusable combination.

    ECDSA uses ``cryptography`` when the curve is one it supports, otherwise
    :func:`devices.emrtd.ecc.ecdsa_verify`.
    """
    try:
        if scheme.padding in ("pkcs1v15", "pss"):
            if key.rsa is None:
                return False
            pad: padding.AsymmetricPadding
            if scheme.padding == "pss":
                pad = padding.PSS(
                    mgf=padding.MGF1(hash_algorithm(scheme.mgf_hash or scheme.hash_name)),
                    salt_length=scheme.salt_length if scheme.salt_length is not None else 20,
                )
            else:
                pad = padding.PKCS1v15()
            key.rsa.verify(signature, data, pad, hash_algorithm(scheme.hash_name))
            return True
        if scheme.padding in ("ecdsa", "ecdsa-plain"):
            if key.curve is None or key.point is None:
                return False
            values = _ecdsa_values(key, signature, scheme.padding == "ecdsa-plain")
            if values is None:
                return False
            if key.ec_key is not None:
                key.ec_key.verify(
                    encode_dss_signature(*values), data, ec.ECDSA(hash_algorithm(scheme.hash_name))
                )
                return True
            return ecc.ecdsa_verify(key.curve, key.point, digest(scheme.hash_name, data), *values)
    except (InvalidSignature, ValueError):
        return False
    return False
