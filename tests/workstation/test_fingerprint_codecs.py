from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fingerprint import iso19794_2, iso19794_4
from workstation.fingerprint.template import FingerTemplate, MinutiaKind

FVC = Path(__file__).resolve().parents[3] / "shared" / "data" / "fingerprints" / "fvc2002"
needs_fvc = pytest.mark.skipif(not FVC.is_dir(), reason="shared FVC2002 data absent")


def _template(n: int, seed: int = 0) -> FingerTemplate:
    rng = np.random.default_rng(seed)
    pts = np.column_stack([rng.uniform(0, 300, n), rng.uniform(0, 400, n), rng.uniform(0, 6.28, n)])
    return FingerTemplate(
        pts,
        rng.integers(0, 3, n).astype(np.uint8),
        rng.integers(0, 101, n).astype(np.uint8),
        300,
        400,
        197,
        7,
        55,
    )


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 120), seed=st.integers(0, 2**16))
def test_iso_round_trip(n: int, seed: int) -> None:
    t = _template(n, seed)
    back = iso19794_2.load_template(iso19794_2.encode(t))
    assert len(back) == n
    assert np.array_equal(back.minutiae[:, :2], np.rint(t.minutiae[:, :2]))
    # angles are quantised to 360/256 degrees
    diff = np.abs(np.mod(back.minutiae[:, 2] - t.minutiae[:, 2] + np.pi, 2 * np.pi) - np.pi)
    assert (diff <= np.pi / 256 + 1e-9).all()
    assert np.array_equal(back.kinds, t.kinds)
    assert np.array_equal(back.qualities, t.qualities)
    assert (back.width, back.height, back.resolution) == (300, 400, 197)
    assert (back.finger_position, back.impression_quality) == (7, 55)


def test_iso_header_fields_are_standard() -> None:
    data = iso19794_2.encode(_template(3))
    magic, version, length, _, width, height, xres, yres, views, _ = struct.unpack(
        ">4s4sIHHHHHBB", data[:24]
    )
    assert (magic, version) == (b"FMR\x00", b" 20\x00")
    assert length == len(data) == 24 + 4 + 3 * 6 + 2
    assert (width, height, xres, yres, views) == (300, 400, 197, 197, 1)


def test_multiple_views() -> None:
    data = iso19794_2.encode([_template(5, 1), _template(9, 2)])
    record = iso19794_2.decode(data)
    assert [len(v) for v in record.views] == [5, 9]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"FMR\x00",
        b"XYZ\x00 20\x00" + bytes(16),
        b"FMR\x00020\x00" + bytes(16),  # a version another library writes
        iso19794_2.encode(_template(10))[:40],  # truncated minutiae
    ],
)
def test_iso_rejects_invalid(data: bytes) -> None:
    with pytest.raises(iso19794_2.IsoRecordError):
        iso19794_2.decode(data)


@needs_fvc
@pytest.mark.parametrize("db", ["DB1_B", "DB2_B", "DB3_B", "DB4_B"])
def test_third_party_fvc_records_load(db: str) -> None:
    for path in sorted((FVC / db).glob("10[1-3]_*.iso")):
        data = path.read_bytes()
        t = iso19794_2.load_template(data)
        assert 5 <= len(t) <= 120
        assert set(np.unique(t.kinds)) <= {MinutiaKind.RIDGE_ENDING, MinutiaKind.BIFURCATION}
        assert (t.minutiae[:, 0] < t.width).all() and (t.minutiae[:, 1] < t.height).all()
        # re-encoding gives back the same bytes: nothing lost or reinterpreted
        assert iso19794_2.encode(t) == data


@pytest.mark.parametrize("compression", list(iso19794_4.Compression))
def test_finger_image_record_round_trip(compression: iso19794_4.Compression) -> None:
    images = [
        iso19794_4.FingerImage(2, 61, 3, 2, bytes(range(6))),
        iso19794_4.FingerImage(7, 40, 2, 2, b"\x01\x02\x03\x04"),
    ]
    record = iso19794_4.decode(iso19794_4.encode(images, compression, 500))
    assert record.compression is compression
    assert record.resolution_ppi == 500
    assert record.images == tuple(images)


@pytest.mark.parametrize(
    "data", [b"", b"FIR\x00 20\x00" + bytes(40), b"FIR\x00 10\x00" + bytes(10)]
)
def test_finger_image_record_rejects_invalid(data: bytes) -> None:
    with pytest.raises(iso19794_4.FingerImageRecordError):
        iso19794_4.decode(data)
