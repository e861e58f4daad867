"""Test certificate authorities and card certificates, generated at run time.

NOTE: for emulators and tests only. Nothing here is a real trust anchor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms as asn1_cms
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
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


# ICAO 9303 PKI: CSCA, DSC, CRL, master list and CMS signing, built with asn1crypto so that
# keys can carry explicit EC domain parameters (which cryptography's builder cannot write).

ICAO_KINDS = ("rsa", "rsa-pss", "p256", "p384", "bp256", "bp384")
"""Key kinds for ICAO test certificates; ``rsa-pss`` is an RSA key that signs with PSS."""

_ICAO_CURVES: dict[str, Callable[[], ec.EllipticCurve]] = {
    "p256": ec.SECP256R1,
    "p384": ec.SECP384R1,
    "bp256": ec.BrainpoolP256R1,
    "bp384": ec.BrainpoolP384R1,
}


def new_icao_key(kind: str) -> PrivateKey:
    """A private key of one of :data:`ICAO_KINDS`."""
    if kind in ("rsa", "rsa-pss"):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(_ICAO_CURVES[kind]())


@dataclass(frozen=True)
class IcaoIssued:
    """A private key and its DER certificate, plus how it signs.

    :param kind: one of :data:`ICAO_KINDS`.
    """

    key: PrivateKey
    der: bytes
    kind: str

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)


def _icao_name(common_name: str, country: str = "UT") -> asn1_x509.Name:
    return asn1_x509.Name.build(
        {"country_name": country, "organization_name": "Sekisho Test", "common_name": common_name}
    )


def public_key_info(key: PrivateKey, explicit: bool = False) -> asn1_keys.PublicKeyInfo:
    """The SubjectPublicKeyInfo of ``key``; with ``explicit``, EC keys get explicit
    domain parameters (as many real CSCAs and DSCs have)."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    info = asn1_keys.PublicKeyInfo.load(der)
    if not explicit or not isinstance(key, ec.EllipticCurvePrivateKey):
        return info
    from devices.emrtd import ecc

    curve = ecc.BY_OID[info["algorithm"]["parameters"].chosen.dotted]
    size = curve.size
    specified = asn1_keys.SpecifiedECDomain(
        {
            "version": "ecdpVer1",
            "field_id": {"field_type": "prime_field", "parameters": curve.p},
            "curve": {"a": curve.a.to_bytes(size, "big"), "b": curve.b.to_bytes(size, "big")},
            "base": curve.encode_point(curve.g),
            "order": curve.n,
            "cofactor": curve.h,
        }
    )
    return asn1_keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": asn1_keys.ECDomainParameters(name="specified", value=specified),
            },
            "public_key": bytes(info["public_key"]),
        }
    )


def _pss_parameters(hash_name: str) -> dict[str, object]:
    return {
        "hash_algorithm": {"algorithm": hash_name},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": hash_name}},
        "salt_length": hashes.SHA256.digest_size if hash_name == "sha256" else 48,
    }


def signature_algorithm(kind: str) -> dict[str, object]:
    """The AlgorithmIdentifier (asn1crypto form) a key of ``kind`` signs with."""
    if kind == "rsa":
        return {"algorithm": "sha256_rsa"}
    if kind == "rsa-pss":
        return {"algorithm": "rsassa_pss", "parameters": _pss_parameters("sha256")}
    return {"algorithm": "sha384_ecdsa" if kind in ("p384", "bp384") else "sha256_ecdsa"}


def sign_with(key: PrivateKey, kind: str, data: bytes) -> bytes:
    """Sign ``data`` the way :func:`signature_algorithm` announces."""
    if isinstance(key, rsa.RSAPrivateKey):
        if kind == "rsa-pss":
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            return key.sign(data, pss, hashes.SHA256())
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    chosen: hashes.HashAlgorithm = hashes.SHA384() if kind in ("p384", "bp384") else hashes.SHA256()
    return key.sign(data, ec.ECDSA(chosen))


def _utc(when: dt.datetime) -> asn1_x509.Time:
    return asn1_x509.Time(name="utc_time" if when.year < 2050 else "general_time", value=when)


def _key_id(info: asn1_keys.PublicKeyInfo) -> bytes:
    return hashlib.sha1(bytes(info["public_key"])).digest()  # noqa: S324  (RFC 5280 §4.2.1.2)


def _build_certificate(
    subject: asn1_x509.Name,
    issuer: asn1_x509.Name,
    info: asn1_keys.PublicKeyInfo,
    signer_key: PrivateKey,
    signer_kind: str,
    signer_info: asn1_keys.PublicKeyInfo,
    *,
    ca: bool,
    not_before: dt.datetime,
    days: int,
) -> bytes:
    algorithm = signature_algorithm(signer_kind)
    extensions = [
        {
            "extn_id": "basic_constraints",
            "critical": True,
            "extn_value": {"ca": ca, "path_len_constraint": 0 if ca else None},
        },
        {
            "extn_id": "key_usage",
            "critical": True,
            "extn_value": {"key_cert_sign", "crl_sign"} if ca else {"digital_signature"},
        },
        {"extn_id": "key_identifier", "critical": False, "extn_value": _key_id(info)},
        {
            "extn_id": "authority_key_identifier",
            "critical": False,
            "extn_value": {"key_identifier": _key_id(signer_info)},
        },
    ]
    tbs = asn1_x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": x509.random_serial_number(),
            "signature": algorithm,
            "issuer": issuer,
            "validity": {
                "not_before": _utc(not_before),
                "not_after": _utc(not_before + dt.timedelta(days=days)),
            },
            "subject": subject,
            "subject_public_key_info": info,
            "extensions": extensions,
        }
    )
    signature = sign_with(signer_key, signer_kind, tbs.dump())
    cert = asn1_x509.Certificate(
        {"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature}
    )
    return cert.dump()


def make_csca(
    common_name: str = "Test CSCA", kind: str = "p256", *, explicit: bool = False, days: int = 3650
) -> IcaoIssued:
    """A self-signed country signing CA.

    :param kind: one of :data:`ICAO_KINDS`.
    :param explicit: write EC domain parameters explicitly.
    """
    key = new_icao_key(kind)
    info = public_key_info(key, explicit)
    name = _icao_name(common_name)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    der = _build_certificate(
        name, name, info, key, kind, info, ca=True, not_before=start, days=days
    )
    return IcaoIssued(key, der, kind)


def issue_icao(
    ca: IcaoIssued,
    common_name: str,
    kind: str,
    *,
    explicit: bool = False,
    ca_cert: bool = False,
    days: int = 3650,
    not_before: dt.datetime | None = None,
) -> IcaoIssued:
    """A document signer (or, with ``ca_cert``, a master-list signer) issued by ``ca``."""
    key = new_icao_key(kind)
    info = public_key_info(key, explicit)
    issuer_cert = ca.asn1
    start = not_before or dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    der = _build_certificate(
        _icao_name(common_name),
        issuer_cert.subject,
        info,
        ca.key,
        ca.kind,
        issuer_cert["tbs_certificate"]["subject_public_key_info"],
        ca=ca_cert,
        not_before=start,
        days=days,
    )
    return IcaoIssued(key, der, kind)


def make_crl(ca: IcaoIssued, revoked_serials: tuple[int, ...] = ()) -> bytes:
    """A DER CRL signed by ``ca`` listing ``revoked_serials``."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    algorithm = signature_algorithm(ca.kind)
    tbs = asn1_crl.TbsCertList(
        {
            "version": "v2",
            "signature": algorithm,
            "issuer": ca.asn1.subject,
            "this_update": _utc(now - dt.timedelta(hours=1)),
            "next_update": _utc(now + dt.timedelta(days=30)),
            "revoked_certificates": [
                {"user_certificate": serial, "revocation_date": _utc(now - dt.timedelta(hours=1))}
                for serial in revoked_serials
            ]
            or None,
        }
    )
    signature = sign_with(ca.key, ca.kind, tbs.dump())
    return asn1_crl.CertificateList(
        {"tbs_cert_list": tbs, "signature_algorithm": algorithm, "signature": signature}
    ).dump()


def sign_cms(signer: IcaoIssued, content_type: str, content: bytes, *, embed: bool = True) -> bytes:
    """A CMS ContentInfo with SignedData over ``content`` (signed attributes, SHA-256).

    :param content_type: dotted OID of the encapsulated content.
    :param embed: include the signer certificate (EF.SOD may omit it).
    """
    cert = signer.asn1
    attrs = asn1_cms.CMSAttributes(
        [
            {"type": "content_type", "values": [content_type]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
        ]
    )
    signature = sign_with(signer.key, signer.kind, attrs.dump())
    signer_info = asn1_cms.SignerInfo(
        {
            "version": "v1",
            "sid": asn1_cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={"issuer": cert.issuer, "serial_number": cert.serial_number},
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": signature_algorithm(signer.kind),
            "signature": signature,
        }
    )
    signed = asn1_cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": content_type, "content": content},
            "certificates": [cert] if embed else None,
            "signer_infos": [signer_info],
        }
    )
    return asn1_cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def make_master_list(signer: IcaoIssued, cscas: list[IcaoIssued]) -> bytes:
    """An ICAO CSCA master list (``.ml``) signed by ``signer``."""
    from devices.emrtd.pa import OID_CSCA_MASTER_LIST, CscaMasterList

    content = CscaMasterList({"version": 0, "cert_list": [c.asn1 for c in cscas]}).dump()
    return sign_cms(signer, OID_CSCA_MASTER_LIST, content)
