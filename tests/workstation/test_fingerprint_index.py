from __future__ import annotations

import numpy as np
import pytest

from tests.workstation.test_fingerprint_matching import moved, random_template
from workstation.fingerprint import index as ix
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
