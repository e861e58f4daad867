"""Passive Authentication (ICAO 9303-11 §5.1): EF.SOD, the DSC → CSCA chain, CRLs, hashes.

``cryptography`` has no CMS verification, so the SignedData is taken apart with asn1crypto
and each signature is checked with :func:`devices.emrtd.crypto.verify_signature`, which also
handles explicit-parameter EC keys. Certificates stay asn1crypto objects throughout, because
``cryptography`` cannot even load the public key of an explicit-Brainpool CSCA.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms, core, crl, pem, x509

from devices.emrtd.crypto import (
    digest,
    load_public_key,
    signature_scheme,
    verify_signature,
)
from devices.emrtd.errors import LdsError, UnsupportedKey
from devices.smartcard import tlv
from workstation.passport import Check, CheckName, CheckStatus

logger = logging.getLogger(__name__)

OID_LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
OID_CSCA_MASTER_LIST = "2.23.136.1.1.2"

_CERT_SUFFIXES = {".crt", ".cer", ".der", ".pem"}
_ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
"""What asn1crypto raises on malformed DER, sometimes only when a lazy field is first used."""
_CRL_SUFFIXES = {".crl"}
_MASTER_LIST_SUFFIXES = {".ml"}


class _DataGroupHash(core.Sequence):
    _fields = [("number", core.Integer), ("hash", core.OctetString)]


class _DataGroupHashes(core.SequenceOf):
    _child_spec = _DataGroupHash


class _LdsVersionInfo(core.Sequence):
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]


class LdsSecurityObject(core.Sequence):
    """ICAO 9303-10 §4.6.2.2 LDSSecurityObject (versions V0 and V1)."""

    _fields = [
        ("version", core.Integer),
        ("hash_algorithm", cms.DigestAlgorithm),
        ("hashes", _DataGroupHashes),
        ("lds_version_info", _LdsVersionInfo, {"optional": True}),
    ]


class _CertificateSet(core.SetOf):
    _child_spec = x509.Certificate


class CscaMasterList(core.Sequence):
    """ICAO 9303-12 §9: CscaMasterList ::= SEQUENCE { version, certList SET OF Certificate }."""

    _fields = [("version", core.Integer), ("cert_list", _CertificateSet)]


@dataclass(frozen=True)
class Sod:
    """A parsed EF.SOD: the hash algorithm, one hash per data group, and the SignedData."""

    hash_algorithm: str
    hashes: dict[int, bytes]
    signed_data: cms.SignedData = field(repr=False)
    econtent: bytes = field(repr=False)


def _signed_data(
    content_info: bytes, expected_type: str, name: str
) -> tuple[cms.SignedData, bytes]:
    try:
        info = cms.ContentInfo.load(content_info, strict=True)
        if info["content_type"].dotted != "1.2.840.113549.1.7.2":
            raise LdsError(f"{name} is not CMS SignedData")
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != expected_type:
            raise LdsError(f"{name} carries content type {encap['content_type'].dotted}")
        econtent = encap["content"].native
        if not isinstance(econtent, bytes):
            raise LdsError(f"{name} has no encapsulated content")
        # asn1crypto parses lazily: parse everything now so malformed DER fails here.
        _ = signed.native
    except _ASN1_ERRORS as e:
        raise LdsError(f"{name} is not valid DER") from e
    return signed, econtent


def parse_sod(data: bytes) -> Sod:
    """Parse EF.SOD (tag 77 around a ContentInfo with an LDSSecurityObject).

    :raises LdsError: anything malformed.
    """
    try:
        outer, _end = tlv.parse_one(data)
    except tlv.TlvError as e:
        raise LdsError("EF.SOD is not BER-TLV") from e
    if outer.tag != 0x77:
        raise LdsError("EF.SOD does not have tag 77")
    signed, econtent = _signed_data(outer.value, OID_LDS_SECURITY_OBJECT, "EF.SOD")
    try:
        lso = LdsSecurityObject.load(econtent, strict=True)
        algorithm = lso["hash_algorithm"]["algorithm"].native
        hashes: dict[int, bytes] = {}
        for item in lso["hashes"]:
            number = item["number"].native
            if not 1 <= number <= 16 or number in hashes:
                raise LdsError("LDSSecurityObject lists an invalid or repeated data group")
            hashes[number] = item["hash"].native
    except _ASN1_ERRORS as e:
        raise LdsError("LDSSecurityObject is not valid DER") from e
    return Sod(algorithm, hashes, signed, econtent)


# Certificates


def certificate_signature_valid(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key signed ``cert`` (any supported key, explicit EC included)."""
    try:
        key = load_public_key(issuer["tbs_certificate"]["subject_public_key_info"])
        scheme = signature_scheme(cert["signature_algorithm"])
        return verify_signature(
            key, scheme, cert["signature_value"].native, cert["tbs_certificate"].dump()
        )
    except (UnsupportedKey, *_ASN1_ERRORS):
        return False


def describe(cert: x509.Certificate) -> str:
    """A certificate's subject for logs and check details (issuer data, not personal data)."""
    try:
        return str(cert.subject.human_friendly)
    except _ASN1_ERRORS:
        return "unreadable subject"


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        constraints = cert.basic_constraints_value
        if constraints is not None:
            return bool(constraints["ca"].native)
        return cert.self_issued
    except _ASN1_ERRORS:
        return False


def _load_cert_file(raw: bytes) -> list[x509.Certificate]:
    blobs = [der for _t, _h, der in pem.unarmor(raw, multiple=True)] if pem.detect(raw) else [raw]
    certs = []
    for der in blobs:
        cert = x509.Certificate.load(der, strict=True)
        _ = cert.native, cert.subject.human_friendly, cert.issuer.hashable
        certs.append(cert)
    return certs


def _load_crl_file(raw: bytes) -> list[crl.CertificateList]:
    blobs = [der for _t, _h, der in pem.unarmor(raw, multiple=True)] if pem.detect(raw) else [raw]
    lists = []
    for der in blobs:
        item = crl.CertificateList.load(der, strict=True)
        _ = item.native, item.issuer.hashable
        lists.append(item)
    return lists


def _verify_cms(
    signed: cms.SignedData, econtent: bytes, candidates: list[x509.Certificate]
) -> tuple[bool, x509.Certificate | None, str]:
    """Check the one SignerInfo: signer certificate, signed attributes and signature."""
    try:
        return _verify_signer_info(signed, econtent, candidates)
    except _ASN1_ERRORS as e:
        return False, None, f"signed data malformed ({type(e).__name__})"


def _verify_signer_info(
    signed: cms.SignedData, econtent: bytes, candidates: list[x509.Certificate]
) -> tuple[bool, x509.Certificate | None, str]:
    infos = list(signed["signer_infos"])
    if len(infos) != 1:
        return False, None, f"{len(infos)} signer infos (expected 1)"
    info = infos[0]
    embedded = [c.chosen for c in (signed["certificates"] or []) if c.name == "certificate"]
    signer = None
    sid = info["sid"]
    for cert in embedded + candidates:
        if sid.name == "issuer_and_serial_number":
            match = (
                cert.issuer == sid.chosen["issuer"]
                and cert.serial_number == sid.chosen["serial_number"].native
            )
        else:
            match = cert.key_identifier == sid.chosen.native
        if match:
            signer = cert
            break
    if signer is None:
        return False, None, "signer certificate not found"
    try:
        digest_name = info["digest_algorithm"]["algorithm"].native
        attrs = info["signed_attrs"]
        if attrs.native is not None and len(attrs):
            found = {a["type"].native: a["values"][0] for a in attrs}
            content_type = found.get("content_type")
            expected = signed["encap_content_info"]["content_type"].dotted
            if content_type is None or content_type.dotted != expected:
                return False, signer, "content-type attribute does not match"
            message_digest = found.get("message_digest")
            if message_digest is None or not hmac.compare_digest(
                message_digest.native, digest(digest_name, econtent)
            ):
                return False, signer, "message digest does not match the content"
            # RFC 5652 §5.4: the signature covers the attributes as an explicit SET OF.
            signed_bytes = b"\x31" + attrs.dump()[1:]
        else:
            signed_bytes = econtent
        scheme = signature_scheme(info["signature_algorithm"], digest_name)
        key = load_public_key(signer["tbs_certificate"]["subject_public_key_info"])
    except UnsupportedKey as e:
        return False, signer, e.detail
    if not verify_signature(key, scheme, info["signature"].native, signed_bytes):
        return False, signer, f"signature does not verify ({scheme.describe()})"
    return True, signer, f"{scheme.describe()}, {key.describe()}"


def load_master_list(data: bytes) -> list[x509.Certificate]:
    """The CSCA certificates of an ICAO master list (CMS SignedData with a CscaMasterList).

    The list's own signature must verify, and its signer certificate must have been issued
    by one of the CSCAs in the list; otherwise the whole list is refused.

    :raises LdsError: malformed, or its signature or signer does not verify.
    """
    signed, econtent = _signed_data(data, OID_CSCA_MASTER_LIST, "master list")
    try:
        certs = list(CscaMasterList.load(econtent, strict=True)["cert_list"])
        for cert in certs:
            _ = cert.native, cert.subject.human_friendly, cert.issuer.hashable
    except _ASN1_ERRORS as e:
        raise LdsError("CscaMasterList is not valid DER") from e
    ok, signer, detail = _verify_cms(signed, econtent, [])
    if not ok or signer is None:
        raise LdsError(f"master list signature: {detail}")
    try:
        issued = any(
            signer.issuer == c.subject and certificate_signature_valid(signer, c) for c in certs
        )
    except _ASN1_ERRORS as e:
        raise LdsError("master list signer certificate malformed") from e
    if not issued:
        raise LdsError("master list signer is not issued by a CSCA in the list")
    return certs


@dataclass
class TrustStore:
    """CSCA certificates (trust anchors), CRLs, and loose certificates such as DSCs.

    Build it with :meth:`load` from a folder: ``.crt .cer .der .pem`` certificates, ``.ml``
    ICAO master lists and ``.crl`` CRLs (DER or PEM). Nothing is fetched from the network.
    """

    anchors: list[x509.Certificate] = field(default_factory=list)
    crls: list[crl.CertificateList] = field(default_factory=list)
    certificates: list[x509.Certificate] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Files that could not be used (names only), for diagnostics."""

    @classmethod
    def load(cls, folder: Path | str) -> TrustStore:
        """Load every usable file in ``folder`` (not recursive); a missing folder is empty.

        Unusable files are logged and listed in :attr:`skipped`, never fatal.
        """
        store = cls()
        path = Path(folder)
        if not path.is_dir():
            return store
        for file in sorted(path.iterdir()):
            if not file.is_file():
                continue
            suffix = file.suffix.lower()
            raw = file.read_bytes()
            try:
                if suffix in _MASTER_LIST_SUFFIXES:
                    store.anchors.extend(load_master_list(raw))
                elif suffix in _CRL_SUFFIXES:
                    store.crls.extend(_load_crl_file(raw))
                elif suffix in _CERT_SUFFIXES:
                    store.add_certificates(_load_cert_file(raw))
                else:
                    continue
            except (LdsError, OSError, *_ASN1_ERRORS) as e:
                logger.warning("trust folder: skipped %s (%s)", file.name, type(e).__name__)
                store.skipped.append(file.name)
        return store

    @classmethod
    def from_der(cls, certificates: Sequence[bytes] = (), crls: Sequence[bytes] = ()) -> TrustStore:
        """A store from DER certificates (CAs become anchors) and DER CRLs."""
        store = cls()
        store.add_certificates([x509.Certificate.load(der) for der in certificates])
        store.crls.extend(crl.CertificateList.load(der) for der in crls)
        return store

    def add_certificates(self, certs: list[x509.Certificate]) -> None:
        for cert in certs:
            (self.anchors if _is_ca(cert) else self.certificates).append(cert)

    def __bool__(self) -> bool:
        return bool(self.anchors)


def verify_sod_signature(sod: Sod, store: TrustStore) -> tuple[Check, x509.Certificate | None]:
    """Verify the SignerInfo of EF.SOD; the DSC comes from the SOD or the trust folder."""
    ok, signer, detail = _verify_cms(sod.signed_data, sod.econtent, store.certificates)
    status = CheckStatus.PASSED if ok else CheckStatus.FAILED
    return Check(CheckName.SOD_SIGNATURE, status, detail), signer


def _revoked(cert: x509.Certificate, issuer: x509.Certificate, store: TrustStore) -> str | None:
    """``"revoked"``, ``None`` if not listed; CRLs that do not verify are ignored."""
    for item in store.crls:
        if item.issuer != issuer.subject:
            continue
        try:
            key = load_public_key(issuer["tbs_certificate"]["subject_public_key_info"])
            scheme = signature_scheme(item["signature_algorithm"])
            valid = verify_signature(
                key, scheme, item["signature"].native, item["tbs_cert_list"].dump()
            )
        except (UnsupportedKey, *_ASN1_ERRORS):
            valid = False
        if not valid:
            logger.warning("CRL of %s does not verify; ignored", describe(issuer))
            continue
        revoked = item["tbs_cert_list"]["revoked_certificates"]
        for entry in revoked or []:
            if entry["user_certificate"].native == cert.serial_number:
                return "revoked"
    return None


def verify_chain(
    dsc: x509.Certificate | None, store: TrustStore, at: dt.datetime | None = None
) -> Check:
    """Check that the DSC was issued by a CSCA in the trust store and is not revoked.

    The DSC must be valid at ``at`` (default now) and issued within its CSCA's validity;
    an expired CSCA is accepted for DSCs issued in its lifetime.
    """
    try:
        return _verify_chain(dsc, store, at)
    except _ASN1_ERRORS as e:
        detail = f"certificate malformed ({type(e).__name__})"
        return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, detail)


def _verify_chain(dsc: x509.Certificate | None, store: TrustStore, at: dt.datetime | None) -> Check:
    if dsc is None:
        return Check(CheckName.CERTIFICATE, CheckStatus.NOT_RUN, "no document signer certificate")
    if not store:
        return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "trust store is empty")
    now = at or dt.datetime.now(dt.UTC)
    issued = dsc.not_valid_before
    expires = dsc.not_valid_after
    aki = dsc.authority_key_identifier
    for ca in store.anchors:
        if ca.subject != dsc.issuer:
            continue
        if aki is not None and ca.key_identifier is not None and aki != ca.key_identifier:
            continue
        if not certificate_signature_valid(dsc, ca):
            continue
        if not ca.not_valid_before <= issued <= ca.not_valid_after:
            return Check(
                CheckName.CERTIFICATE, CheckStatus.FAILED, "DSC issued outside CSCA validity"
            )
        if not issued <= now <= expires:
            return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "DSC not valid now")
        if _revoked(dsc, ca, store):
            return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "DSC revoked by CRL")
        return Check(CheckName.CERTIFICATE, CheckStatus.PASSED, describe(ca))
    return Check(CheckName.CERTIFICATE, CheckStatus.FAILED, "issuer not in the trust store")


def verify_hashes(sod: Sod, files: dict[int, bytes], not_read: tuple[int, ...] = ()) -> Check:
    """Compare each data group read with its hash in the SOD.

    :param files: complete data-group files by number.
    :param not_read: groups the SOD lists that were deliberately not read (DG3/DG4 need EAC).
    """
    try:
        bad = [
            n
            for n, raw in files.items()
            if n in sod.hashes
            and not hmac.compare_digest(digest(sod.hash_algorithm, raw), sod.hashes[n])
        ]
    except UnsupportedKey as e:
        return Check(CheckName.DATA_GROUP_HASHES, CheckStatus.FAILED, e.detail)
    unsigned = [n for n in files if n not in sod.hashes]
    if bad or unsigned:
        parts = []
        if bad:
            parts.append("mismatch: " + ", ".join(f"DG{n}" for n in sorted(bad)))
        if unsigned:
            parts.append("not in SOD: " + ", ".join(f"DG{n}" for n in sorted(unsigned)))
        return Check(CheckName.DATA_GROUP_HASHES, CheckStatus.FAILED, "; ".join(parts))
    detail = f"{sod.hash_algorithm}: " + ", ".join(f"DG{n}" for n in sorted(files))
    if not_read:
        detail += "; not read: " + ", ".join(f"DG{n}" for n in sorted(not_read))
    return Check(CheckName.DATA_GROUP_HASHES, CheckStatus.PASSED, detail)
