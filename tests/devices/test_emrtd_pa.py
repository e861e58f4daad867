"""Passive Authentication: EF.SOD signatures for every key kind, the DSC → CSCA chain,
trust folders with certificates, master lists and CRLs, and data-group hashes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from devices.emrtd import pa
from devices.emrtd.errors import LdsError
from devices.emulators import passport_files as pf
from devices.emulators import testpki
from workstation.passport import CheckStatus

FILES = {"DG1": b"\x61\x03\x5f\x1f\x00", "DG2": b"\x75\x00"}


@pytest.mark.parametrize(
    ("kind", "explicit"),
    [
        ("rsa", False),
        ("rsa-pss", False),
        ("p256", False),
        ("p384", True),
        ("bp256", True),
        ("bp384", True),
        ("bp384", False),
    ],
)
def test_sod_signature_and_chain_for_every_key_kind(kind: str, explicit: bool) -> None:
    pki = pf.make_pki(kind, explicit=explicit)
    sod = pa.parse_sod(pf.build_sod(FILES, pki.dsc))
    assert sod.hash_algorithm == "sha256" and set(sod.hashes) == {1, 2}
    store = pa.TrustStore.from_der([pki.csca.der])
    check, signer = pa.verify_sod_signature(sod, store)
    assert check.status is CheckStatus.PASSED, check.detail
    assert ("pss" in check.detail) == (kind == "rsa-pss")
    assert pa.verify_chain(signer, store).status is CheckStatus.PASSED
    groups = {int(n[2:]): v for n, v in FILES.items()}
    assert pa.verify_hashes(sod, groups).status is CheckStatus.PASSED
    assert pa.verify_hashes(sod, {**groups, 2: b"\x75\x01\x00"}).detail == "mismatch: DG2"
    assert "not in SOD: DG3" in pa.verify_hashes(sod, {**groups, 3: b"\x63\x00"}).detail


def test_untrusted_and_empty_stores(passport_pki) -> None:
    rogue = passport_pki["untrusted"]
    sod = pa.parse_sod(pf.build_sod(FILES, rogue.dsc))
    store = passport_pki["trust"]
    check, signer = pa.verify_sod_signature(sod, store)
    assert check.status is CheckStatus.PASSED  # the signature itself is fine
    chain = pa.verify_chain(signer, store)
    assert chain.status is CheckStatus.FAILED and chain.detail == "issuer not in the trust store"
    assert pa.verify_chain(signer, pa.TrustStore()).detail == "trust store is empty"


def test_dsc_missing_from_sod_is_found_in_the_trust_folder(passport_pki) -> None:
    pki = passport_pki["pki"]
    econtent = pf.build_sod(FILES, pki.dsc)
    from devices.emrtd.pa import OID_LDS_SECURITY_OBJECT
    from devices.smartcard import tlv

    inner = pa.parse_sod(econtent).econtent
    bare = tlv.encode(0x77, testpki.sign_cms(pki.dsc, OID_LDS_SECURITY_OBJECT, inner, embed=False))
    sod = pa.parse_sod(bare)
    check, _ = pa.verify_sod_signature(sod, passport_pki["trust"])
    assert check.detail == "signer certificate not found"
    with_dsc = pa.TrustStore.from_der([pki.csca.der, pki.dsc.der])
    check, signer = pa.verify_sod_signature(sod, with_dsc)
    assert check.status is CheckStatus.PASSED and signer is not None


def test_tampered_signed_attributes_fail(passport_pki) -> None:
    raw = bytearray(pf.build_sod(FILES, passport_pki["pki"].dsc))
    # Flip a bit inside the last DG hash in the eContent: the message digest no longer fits.
    sod = pa.parse_sod(bytes(raw))
    position = bytes(raw).index(sod.hashes[2])
    raw[position] ^= 1
    check, _ = pa.verify_sod_signature(pa.parse_sod(bytes(raw)), passport_pki["trust"])
    assert check.status is CheckStatus.FAILED
    assert check.detail == "message digest does not match the content"


def test_trust_folder_with_master_list_crl_and_junk(tmp_path: Path, passport_pki) -> None:
    pki = passport_pki["pki"]
    pf.write_trust_folder(tmp_path / "ml", pki, master_list=True, crl=True)
    (tmp_path / "ml" / "junk.crt").write_bytes(b"not a certificate")
    (tmp_path / "ml" / "readme.txt").write_text("ignored")
    store = pa.TrustStore.load(tmp_path / "ml")
    assert len(store.anchors) == 1 and len(store.crls) == 1
    assert store.skipped == ["junk.crt"]
    sod = pa.parse_sod(pf.build_sod(FILES, pki.dsc))
    _check, signer = pa.verify_sod_signature(sod, store)
    assert pa.verify_chain(signer, store).status is CheckStatus.PASSED
    assert pa.TrustStore.load(tmp_path / "missing").anchors == []


def test_pem_certificates_are_loaded(tmp_path: Path, passport_pki) -> None:
    from asn1crypto import pem

    der = passport_pki["pki"].csca.der
    (tmp_path / "csca.pem").write_bytes(pem.armor("CERTIFICATE", der) * 2)
    assert len(pa.TrustStore.load(tmp_path).anchors) == 2


def test_master_list_with_a_foreign_signer_is_refused(passport_pki) -> None:
    pki = passport_pki["pki"]
    outsider = testpki.make_csca("Someone else", "p256")
    signer = testpki.issue_icao(outsider, "ML signer", "p256")
    with pytest.raises(LdsError):
        pa.load_master_list(testpki.make_master_list(signer, [pki.csca]))
    good = testpki.make_master_list(testpki.issue_icao(pki.csca, "ML", "bp256"), [pki.csca])
    assert len(pa.load_master_list(good)) == 1
    tampered = bytearray(good)
    tampered[len(tampered) // 3] ^= 0x01
    with pytest.raises(LdsError):
        pa.load_master_list(bytes(tampered))


def test_revoked_dsc(passport_pki) -> None:
    pki = passport_pki["pki"]
    serial = pki.dsc.asn1.serial_number
    store = pa.TrustStore.from_der([pki.csca.der], [testpki.make_crl(pki.csca, (serial,))])
    check = pa.verify_chain(pki.dsc.asn1, store)
    assert check.status is CheckStatus.FAILED and check.detail == "DSC revoked by CRL"
    # A CRL signed by someone else is ignored.
    forged = testpki.make_crl(testpki.make_csca("Test CSCA Utopia", "bp256"), (serial,))
    other = pa.TrustStore.from_der([pki.csca.der], [forged])
    assert pa.verify_chain(pki.dsc.asn1, other).status is CheckStatus.PASSED


def test_expired_dsc_and_dsc_issued_outside_csca_validity(passport_pki) -> None:
    pki = passport_pki["pki"]
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    expired = testpki.issue_icao(pki.csca, "Old DS", "p256", days=30, not_before=old)
    check = pa.verify_chain(expired.asn1, passport_pki["trust"])
    assert check.detail == "DSC issued outside CSCA validity"
    later = pa.verify_chain(
        pki.dsc.asn1, passport_pki["trust"], at=dt.datetime.now(dt.UTC) + dt.timedelta(days=5000)
    )
    assert later.detail == "DSC not valid now"
