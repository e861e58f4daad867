"""Check-code and certificate verification for residence cards (no network).

Generation 1: RSA-2048 over SHA-256 of D0 ‖ D1. The specification's figure shows
``00 01 FF..FF 00 ‖ hash`` without a DigestInfo, while PKCS#1 v1.5 implementations add one;
the raw RSA operation here accepts both. Generation 2: ECDSA P-384 with SHA-256, the
signature as raw r ‖ s (96 bytes) or DER.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from devices.smartcard import tlv
from workstation.residence_card import Check, CheckName, CheckStatus

logger = logging.getLogger(__name__)

SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
_CERT_SUFFIXES = {".crt", ".cer", ".der", ".pem"}


def load_trust_store(folder: Path | str) -> list[x509.Certificate]:
    """Every CA certificate (DER or PEM, ``.crt .cer .der .pem``) in ``folder``.

    Unreadable files are skipped with a warning; a missing folder gives ``[]``.

    :param folder: the trust folder, e.g. the ZairyuCard CA certificates from the MOJ site.
    """
    path = Path(folder)
    if not path.is_dir():
        return []
    anchors: list[x509.Certificate] = []
    for file in sorted(path.iterdir()):
        if file.suffix.lower() not in _CERT_SUFFIXES or not file.is_file():
            continue
        raw = file.read_bytes()
        try:
            if b"-----BEGIN CERTIFICATE-----" in raw:
                anchors.extend(x509.load_pem_x509_certificates(raw))
            else:
                anchors.append(x509.load_der_x509_certificate(raw))
        except ValueError:
            logger.warning("not a certificate, skipped: %s", file.name)
    return anchors


def rsa_raw_verify(public_key: rsa.RSAPublicKey, signature: bytes, digest: bytes) -> bool:
    """Raw RSA check of ``00 01 FF.. 00 ‖ T`` with T = digest or DigestInfo ‖ digest.

    :param digest: the SHA-256 of the signed data.
    """
    numbers = public_key.public_numbers()
    size = (public_key.key_size + 7) // 8
    if len(signature) != size:
        return False
    s = int.from_bytes(signature, "big")
    if s >= numbers.n:
        return False
    em = pow(s, numbers.e, numbers.n).to_bytes(size, "big")
    if em[:2] != b"\x00\x01":
        return False
    separator = em.find(b"\x00", 2)
    if separator < 10 or em[2:separator] != b"\xff" * (separator - 2):
        return False
    t = em[separator + 1 :]
    return hmac.compare_digest(t, digest) or hmac.compare_digest(t, SHA256_DIGEST_INFO + digest)


def _load_certificate(der: bytes) -> x509.Certificate | None:
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        return None


def verify_check_code(
    generation: int, signature: bytes, certificate: bytes, signed_data: bytes
) -> Check:
    """Verify the check code with the card certificate's key.

    :returns: NOT_PRESENT when the card carries no check code (holders under 16), FAILED
        with a reason otherwise, PASSED when the signature matches.
    """
    if not signature:
        return Check(CheckName.SIGNATURE, CheckStatus.NOT_PRESENT, "no check code on the card")
    cert = _load_certificate(certificate) if certificate else None
    if cert is None:
        return Check(CheckName.SIGNATURE, CheckStatus.FAILED, "card certificate missing or bad")
    key = cert.public_key()
    if generation == 1:
        if not isinstance(key, rsa.RSAPublicKey):
            return Check(CheckName.SIGNATURE, CheckStatus.FAILED, "generation 1 key is not RSA")
        ok = rsa_raw_verify(key, signature, hashlib.sha256(signed_data).digest())
    else:
        if not isinstance(key, ec.EllipticCurvePublicKey):
            return Check(CheckName.SIGNATURE, CheckStatus.FAILED, "generation 2 key is not EC")
        ok = _ecdsa_verify(key, signature, signed_data)
    if not ok:
        return Check(CheckName.SIGNATURE, CheckStatus.FAILED, "check code does not match data")
    return Check(CheckName.SIGNATURE, CheckStatus.PASSED)


def _ecdsa_verify(key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    """Try the DC field as raw r ‖ s, then as DER (which the fixed field may zero-pad)."""
    candidates = []
    size = (key.curve.key_size + 7) // 8
    if len(signature) == 2 * size:
        r = int.from_bytes(signature[:size], "big")
        s = int.from_bytes(signature[size:], "big")
        candidates.append(encode_dss_signature(r, s))
    if signature[:1] == b"\x30":
        try:
            _tag, length, start = tlv.read_header(signature)
            candidates.append(signature[: start + length])
        except tlv.TlvError:
            pass
    for candidate in candidates:
        try:
            key.verify(candidate, data, ec.ECDSA(hashes.SHA256()))
            return True
        except (InvalidSignature, ValueError):
            continue
    return False


def verify_chain(
    certificate: bytes, anchors: list[x509.Certificate], at: dt.datetime | None = None
) -> Check:
    """Check that the card certificate was issued by one of the trusted CA certificates.

    The CA's signature must verify and the card certificate must have been issued while
    the CA was valid. Expired CA certificates are accepted for cards issued in their
    lifetime, since cards outlive the CA period they were issued in.

    :param certificate: the card certificate (DER).
    :param anchors: the trusted CA certificates.
    :param at: time for the card certificate's own validity (default: now, UTC).
    """
    if not certificate:
        return Check(CheckName.CERTIFICATE, CheckStatus.NOT_PRESENT, "no card certificate")
    cert = _load_certificate(certificate)
    if cert is None:
        return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "card certificate is not DER")
    if not anchors:
        return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "trust store is empty")
    now = at or dt.datetime.now(dt.UTC)
    for ca in anchors:
        if ca.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (InvalidSignature, ValueError, TypeError):
            continue
        issued = cert.not_valid_before_utc
        if not ca.not_valid_before_utc <= issued <= ca.not_valid_after_utc:
            return Check(
                CheckName.CERTIFICATE, CheckStatus.FAILED, "issued outside the CA's validity"
            )
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "card certificate expired")
        return Check(CheckName.CERTIFICATE, CheckStatus.PASSED, ca.subject.rfc4514_string())
    return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "issuer not in the trust store")
