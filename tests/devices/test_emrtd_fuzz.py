"""Parsers under random and mutated input: only our error types may come out."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.emrtd import lds, pa
from devices.emrtd.crypto import load_public_key
from devices.emrtd.security_infos import parse_security_infos
from devices.emulators import passport_files as pf
from devices.emulators import testpki
from workstation.errors import WorkstationError

_SAMPLES: dict[str, bytes] = {}


def _samples() -> dict[str, bytes]:
    """Valid inputs to mutate, built once (key generation is the slow part)."""
    if not _SAMPLES:
        pki = pf.make_pki("bp256", explicit=True)
        image = pf.build_image(pf.PassportProfile(aa="rsa"), pki.dsc)
        _SAMPLES.update(image.files)
        _SAMPLES["EF.CardAccess"] = image.card_access or b""
        _SAMPLES["CSCA"] = pki.csca.der
        signer = testpki.issue_icao(pki.csca, "ML", "bp256")
        _SAMPLES["ML"] = testpki.make_master_list(signer, [pki.csca])
        _SAMPLES["CRL"] = testpki.make_crl(pki.csca, (1, 2))
    return _SAMPLES


PARSERS = {
    "DG1": lds.parse_dg1,
    "DG2": lds.parse_dg2,
    "DG11": lds.parse_dg11,
    "DG12": lds.parse_dg12,
    "DG14": lambda raw: parse_security_infos(lds.parse_dg14(raw)),
    "DG15": lds.parse_dg15,
    "EF.COM": lds.parse_com,
    "EF.SOD": pa.parse_sod,
    "EF.CardAccess": parse_security_infos,
    "ML": pa.load_master_list,
}


@st.composite
def mutated(draw: st.DrawFn, name: str) -> bytes:
    data = bytearray(_samples()[name])
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "length"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            data[min(at, 3) % len(data)] = draw(
                st.sampled_from([0x00, 0x7F, 0x81, 0x82, 0x84, 0xFF])
            )
    return bytes(data)


def _call(fn, raw: bytes) -> None:
    try:
        fn(raw)
    except WorkstationError:
        pass


_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parsers_survive_mutations(name: str) -> None:
    parser = PARSERS[name]
    parser(_samples()[name])  # the sample itself parses

    @_FUZZ
    @given(mutated(name))
    def run(raw: bytes) -> None:
        _call(parser, raw)

    run()


@pytest.mark.parametrize("name", sorted(PARSERS))
@_FUZZ
@given(raw=st.binary(max_size=300))
def test_parsers_survive_random_bytes(name: str, raw: bytes) -> None:
    _call(PARSERS[name], raw)


@_FUZZ
@given(raw=st.binary(max_size=200))
def test_face_record_and_public_keys(raw: bytes) -> None:
    _call(lds.parse_iso19794_5, b"FAC\x00010\x00" + raw)
    _call(load_public_key, raw)


@pytest.mark.parametrize("name", ["CSCA", "ML", "CRL"])
def test_trust_folder_never_raises(name: str) -> None:
    suffix = {"CSCA": ".crt", "ML": ".ml", "CRL": ".crl"}[name]

    @_FUZZ
    @given(mutated(name))
    def run(raw: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / f"file{suffix}").write_bytes(raw)
            store = pa.TrustStore.load(folder)
            for cert in store.anchors + store.certificates:
                pa.verify_chain(cert, store)

    run()
