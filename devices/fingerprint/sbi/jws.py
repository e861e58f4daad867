"""Compact JWS (RS256, ``x5c`` header) signing and verification for SBI payloads.

Verification checks the signature with the first ``x5c`` certificate, then walks the chain:
each certificate must be directly issued by the next one, be within its validity period, and
the chain must end at (or be issued by) one of the configured trust roots.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

logger = logging.getLogger(__name__)


class JwsError(ValueError):
    """A JWS is malformed, wrongly signed or not trusted."""


def b64url_encode(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Base64url with or without padding.

    :raises JwsError: not base64url.
    """
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as e:
        raise JwsError("not base64url") from e


@dataclass(frozen=True)
class Verified:
    """A verified JWS: its header, decoded JSON payload and signer certificate."""

    header: dict[str, Any]
    payload: Any
    signer: x509.Certificate


def sign(payload: Any, key: rsa.RSAPrivateKey, chain: Sequence[x509.Certificate]) -> str:
    """Sign a JSON payload as compact RS256 JWS with ``x5c`` = ``chain`` (signer first)."""
    header = {
        "alg": "RS256",
        "typ": "JWT",
        "x5c": [
            base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in chain
        ],
    }
    signing_input = (
        b64url_encode(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url_encode(json.dumps(payload, separators=(",", ":")).encode())
    )
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url_encode(signature)


def unverified_payload(token: str) -> Any:
    """The JSON payload of a JWS, or of a bare base64url payload, without any check."""
    parts = token.split(".")
    body = parts[1] if len(parts) == 3 else parts[0]
    try:
        return json.loads(b64url_decode(body))
    except json.JSONDecodeError as e:
        raise JwsError("payload is not JSON") from e


def _check_validity(cert: x509.Certificate, now: dt.datetime) -> None:
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise JwsError("certificate outside its validity period")


def verify(
    token: str, trust_roots: Sequence[x509.Certificate], now: dt.datetime | None = None
) -> Verified:
    """Verify a compact JWS against trust roots.

    :param token: ``header.payload.signature``.
    :param trust_roots: certificates trusted for this domain (device provider or FTM CAs).
    :param now: the time for certificate validity (default: now, UTC).
    :raises JwsError: malformed, bad signature, expired or untrusted.
    """
    now = now or dt.datetime.now(dt.UTC)
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise JwsError("not a signed compact JWS")
    try:
        header = json.loads(b64url_decode(parts[0]))
    except json.JSONDecodeError as e:
        raise JwsError("header is not JSON") from e
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        raise JwsError("unsupported JWS algorithm")
    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c:
        raise JwsError("JWS without x5c certificate chain")
    try:
        chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in x5c]
    except ValueError as e:
        raise JwsError("x5c holds an invalid certificate") from e
    signer = chain[0]
    public = signer.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise JwsError("signer key is not RSA")
    try:
        public.verify(
            b64url_decode(parts[2]),
            f"{parts[0]}.{parts[1]}".encode("ascii"),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except InvalidSignature as e:
        raise JwsError("signature does not verify") from e
    for cert in chain:
        _check_validity(cert, now)
    for child, parent in zip(chain, chain[1:], strict=False):
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature) as e:
            raise JwsError("x5c chain is broken") from e
    last = chain[-1]
    roots_der = {r.public_bytes(serialization.Encoding.DER) for r in trust_roots}
    trusted = last.public_bytes(serialization.Encoding.DER) in roots_der
    for root in trust_roots:
        if trusted:
            break
        try:
            last.verify_directly_issued_by(root)
            _check_validity(root, now)
            trusted = True
        except (ValueError, TypeError, InvalidSignature, JwsError):
            continue
    if not trusted:
        raise JwsError("certificate chain does not end at a trust root")
    try:
        payload = json.loads(b64url_decode(parts[1]))
    except json.JSONDecodeError as e:
        raise JwsError("payload is not JSON") from e
    return Verified(header, payload, signer)
