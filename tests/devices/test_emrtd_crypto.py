"""Curve arithmetic, key loading (explicit parameters), signatures, AA and CA key agreement."""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import keys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from devices.emrtd import ecc
from devices.emrtd.authentication import ecdh_secret, key_agreement, verify_active_authentication
from devices.emrtd.crypto import SignatureScheme, load_public_key, verify_signature
from devices.emrtd.errors import EcError, UnsupportedKey
from devices.emulators import testpki
from devices.emulators.passport import _iso9796_2_sign


@pytest.mark.parametrize("curve", ecc.KNOWN_CURVES, ids=lambda c: c.name)
def test_curve_tables(curve: ecc.Curve) -> None:
    assert curve.contains(curve.g)
    assert curve.multiply(curve.n - 1, curve.g) == (curve.gx, (-curve.gy) % curve.p)
    assert (
        ecc.identify(ecc.Curve("x", curve.p, curve.a, curve.b, curve.gx, curve.gy, curve.n))
        is curve
    )


def test_point_decoding_rejects_points_off_the_curve() -> None:
    good = ecc.P256.encode_point(ecc.P256.g)
    assert ecc.P256.decode_point(good) == ecc.P256.g
    bad = good[:-1] + bytes((good[-1] ^ 1,))
    with pytest.raises(EcError):
        ecc.P256.decode_point(bad)
    with pytest.raises(EcError):
        ecc.P256.decode_point(b"\x02" + good[1:33])


def test_ecdh_matches_cryptography() -> None:
    ours = ecc.BP256.new_private_key()
    theirs = ec.generate_private_key(ec.BrainpoolP256R1())
    peer = theirs.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    mine = ec.derive_private_key(ours, ec.BrainpoolP256R1()).exchange(
        ec.ECDH(), theirs.public_key()
    )
    assert ecdh_secret(ecc.BP256, ours, peer) == mine


def _explicit_spki(
    curve: ecc.Curve, point: tuple[int, int], generator: tuple[int, int] | None = None
) -> bytes:
    g = generator or curve.g
    spec = keys.SpecifiedECDomain(
        {
            "version": "ecdpVer1",
            "field_id": {"field_type": "prime_field", "parameters": curve.p},
            "curve": {
                "a": curve.a.to_bytes(curve.size, "big"),
                "b": curve.b.to_bytes(curve.size, "big"),
            },
            "base": curve.encode_point(g),
            "order": curve.n,
            "cofactor": 1,
        }
    )
    return keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": keys.ECDomainParameters(name="specified", value=spec),
            },
            "public_key": curve.encode_point(point),
        }
    ).dump()


def test_explicit_brainpool_maps_to_the_named_curve() -> None:
    private = ec.generate_private_key(ec.BrainpoolP384R1())
    numbers = private.public_key().public_numbers()
    key = load_public_key(_explicit_spki(ecc.BP384, (numbers.x, numbers.y)))
    assert key.curve is ecc.BP384 and key.explicit and key.ec_key is not None
    signature = private.sign(b"data", ec.ECDSA(hashes.SHA384()))
    assert verify_signature(key, SignatureScheme("sha384", "ecdsa"), signature, b"data")
    assert not verify_signature(key, SignatureScheme("sha384", "ecdsa"), signature, b"date")


def test_explicit_curve_unknown_to_cryptography_uses_own_ecdsa() -> None:
    # brainpoolP320r1 is not in cryptography, and a non-standard generator matches no table.
    curve = ecc.BP320
    generator = curve.multiply(7, curve.g)
    assert generator is not None
    odd = curve.with_generator(generator)
    private = odd.new_private_key()
    public = odd.public_key(private)
    key = load_public_key(_explicit_spki(curve, public, generator))
    assert key.ec_key is None and key.curve is not None and key.curve.gx == generator[0]
    digest = hashlib.sha256(b"message").digest()
    r, s = ecc.ecdsa_sign(odd, private, digest)
    plain = r.to_bytes(40, "big") + s.to_bytes(40, "big")
    assert verify_signature(key, SignatureScheme("sha256", "ecdsa-plain"), plain, b"message")
    assert not verify_signature(key, SignatureScheme("sha256", "ecdsa-plain"), plain, b"massage")


def test_own_ecdsa_agrees_with_cryptography() -> None:
    private = ec.generate_private_key(ec.SECP384R1())
    numbers = private.public_key().public_numbers()
    r, s = decode_dss_signature(private.sign(b"abc", ec.ECDSA(hashes.SHA256())))
    digest = hashlib.sha256(b"abc").digest()
    assert ecc.ecdsa_verify(ecc.P384, (numbers.x, numbers.y), digest, r, s)
    assert not ecc.ecdsa_verify(ecc.P384, (numbers.x, numbers.y), digest, r, s + 1)


def test_unsupported_keys_raise_our_error() -> None:
    with pytest.raises(UnsupportedKey):
        load_public_key(b"\x30\x03\x02\x01\x00")
    ed = keys.PublicKeyInfo({"algorithm": {"algorithm": "ed25519"}, "public_key": bytes(32)})
    with pytest.raises(UnsupportedKey):
        load_public_key(ed.dump())


def test_rsa_active_authentication_iso9796_2() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    public = load_public_key(testpki.public_key_info(key).dump())
    challenge = bytes(range(8))
    signature = _iso9796_2_sign(key, challenge, lambda n: bytes(n))
    assert verify_active_authentication(public, challenge, signature)
    assert not verify_active_authentication(public, bytes(8), signature)
    # The signer may send n - s instead (ISO 9796-2 §B.6); both verify.
    n = key.public_key().public_numbers().n
    alternative = (n - int.from_bytes(signature, "big")).to_bytes(128, "big")
    assert verify_active_authentication(public, challenge, alternative)


def test_ec_active_authentication_plain_and_der() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public = load_public_key(testpki.public_key_info(key).dump())
    der = key.sign(b"12345678", ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    plain = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert verify_active_authentication(public, b"12345678", plain, "0.4.0.127.0.7.1.1.4.1.3")
    assert verify_active_authentication(public, b"12345678", plain)  # hash guessed
    assert verify_active_authentication(public, b"12345678", der)
    assert not verify_active_authentication(public, b"12345679", plain)


def test_key_agreement_ecdh_explicit_and_dh() -> None:
    private = ec.generate_private_key(ec.BrainpoolP256R1())
    numbers = private.public_key().public_numbers()
    chip = load_public_key(_explicit_spki(ecc.BP256, (numbers.x, numbers.y)))
    public, shared = key_agreement(chip)
    peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.BrainpoolP256R1(), public)
    assert private.exchange(ec.ECDH(), peer) == shared

    # A toy group (p = 2^127 - 1 is prime); chips use 2048-bit MODP groups.
    p, g, x = (1 << 127) - 1, 3, 0x1234567890ABCDEF
    spki = keys.PublicKeyInfo(
        {
            "algorithm": {"algorithm": "dh", "parameters": {"p": p, "g": g, "q": p - 1}},
            "public_key": pow(g, x, p),
        }
    )
    dh_key = load_public_key(spki.dump())
    public, shared = key_agreement(dh_key)
    assert pow(int.from_bytes(public, "big"), x, p).to_bytes(16, "big") == shared
    with pytest.raises(UnsupportedKey):
        key_agreement(
            load_public_key(
                testpki.public_key_info(
                    rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
                ).dump()
            )
        )  # noqa: S505
