from __future__ import annotations

import numpy as np
import pytest

from tests.workstation.test_fingerprint_matching import moved, random_template
from workstation.fingerprint import index as ix
from workstation.fingerprint import mcc
from workstation.fingerprint.synthetic import perturbed_copies


@pytest.fixture(scope="module")
def gallery() -> ix.FingerIndex:
    items = [(f"person-{i}", random_template(45, seed=i)) for i in range(60)]
    return ix.FingerIndex.build(items, ix.IndexParameters(candidates=20, relax=8, rescore=3))


@pytest.mark.parametrize("who", [0, 17, 42, 59])
def test_search_finds_the_mate_first(gallery: ix.FingerIndex, who: int) -> None:
    probe = moved(random_template(45, seed=who), 0.3, 12, -8, seed=who, drop=0.15, jitter=1.0)
    hits = gallery.search(probe, top=5)
    assert hits[0].key == f"person-{who}"
    assert hits[0].rescored
    assert hits[0].score > 0.4
    assert all(h.score <= hits[0].score for h in hits)


def test_stranger_scores_low(gallery: ix.FingerIndex) -> None:
    hits = gallery.search(random_template(45, seed=1000), top=3)
    assert all(h.score < 0.25 for h in hits)


def test_empty_index_and_empty_probe() -> None:
    empty = ix.FingerIndex([], [], [])
    assert empty.search(random_template()) == []
    one = ix.FingerIndex.build([("a", random_template())])
    assert one.search(random_template(0)) == []


def test_hash_keys_read_packed_bits() -> None:
    bits = np.zeros((2, 48), np.uint8)
    bits[1, 0] = 0b1000_0000  # bit 0 set
    sel = np.array([[0, 1], [1, 0]])
    keys = ix._hash_keys(bits, sel, 2)
    assert keys.tolist() == [[0, 4], [1, 4 | 2]]


def test_misaligned_inputs_rejected() -> None:
    with pytest.raises(ValueError, match="align"):
        ix.FingerIndex(["a"], [], None)


def test_synthetic_gallery_is_searchable() -> None:
    sources = [ix.encode_finger(random_template(40, seed=s)) for s in range(5)]
    copies = perturbed_copies(sources, 300, seed=3)
    assert len(copies) == 300
    assert all(c.bits.shape[1] == 48 and len(c.bits) == len(c.points) for c in copies)
    index = ix.FingerIndex([f"s{i}" for i in range(305)], sources + copies, None)
    assert len(index) == 305
    assert len(index.search(random_template(40, seed=2), top=4)) == 4


def test_bit_similarity_is_the_matchers_arithmetic() -> None:
    a = ix.encode_finger(random_template(45, seed=3))
    b = ix.encode_finger(moved(random_template(45, seed=3), 0.2, 5, 5, seed=2, jitter=1.0))

    def unpack(e: ix.EncodedFinger) -> mcc.Cylinders:
        values = np.unpackbits(e.bits, axis=1).astype(np.float32)
        return mcc.Cylinders(
            values,
            values @ ix._CELL_SUM,
            np.unpackbits(e.masks, axis=1).astype(np.float32),
            e.points.astype(np.float64),
            e.angles.astype(np.float64),
            ix._CIRCLE_CELLS,
        )

    expected = mcc.similarity_matrix(unpack(a), unpack(b), mcc.FAST_PARAMETERS)
    got = ix._bit_similarity(a, b.bits, b.masks, b.angles)
    assert got.shape == expected.shape
    assert (expected > 0).sum() > 20
    assert np.allclose(got, expected, atol=1e-3)  # float32 near identical cylinders


def test_preselection_rank(gallery: ix.FingerIndex) -> None:
    probe = ix.encode_finger(random_template(45, seed=17))
    votes = gallery.votes(probe)
    assert votes.shape == (len(gallery),)
    assert gallery.preselection_rank(probe, 17) == 0
    assert gallery.preselect(probe, 1).tolist() == [17]
    # a finger that shares no bucket with the probe gets no rank
    silent = np.nonzero(votes == 0)[0]
    if len(silent):
        assert gallery.preselection_rank(probe, int(silent[0])) is None
    other = int(np.argsort(-votes)[5])
    assert gallery.preselection_rank(probe, other) >= 5
