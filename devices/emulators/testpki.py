"""Test certificate authorities and card certificates, generated at run time.

NOTE: for emulators and tests only. Nothing here is a real trust anchor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sekisho Test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def new_key(kind: str) -> PrivateKey:
    """``"rsa"`` (2048 bits) or ``"p384"``."""
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP384R1())


@dataclass(frozen=True)
class Issued:
    """A private key and its certificate."""

    key: PrivateKey
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def make_ca(common_name: str, kind: str, *, days: int = 3650) -> Issued:
    """A self-signed CA certificate.

    :param kind: ``"rsa"`` or ``"p384"``.
    """
    key = new_key(kind)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued,
    common_name: str,
    kind: str,
    *,
    days: int = 3650,
    not_before: dt.datetime | None = None,
) -> Issued:
    """A leaf certificate signed by ``ca``.

    :param kind: ``"rsa"`` or ``"p384"``.
    :param not_before: start of validity (default: yesterday).
    """
    key = new_key(kind)
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, cert)


def write_trust_folder(folder: Path, *cas: Issued) -> Path:
    """Write CA certificates as DER ``.crt`` files (the format the MOJ publishes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, ca in enumerate(cas):
        (folder / f"test-ca-{i}.crt").write_bytes(ca.der)
    return folder
