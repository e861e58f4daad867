"""Person-level finger search on real FVC2002 records: the person-level pre-selection, each
finger's own search, and the cross-check of every person put forward with the traveller's
other fingers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SHARED_DATA
from workstation.fingerprint.index import FingerIndex, IndexParameters
from workstation.fingerprint.iso19794_2 import load_template
from workstation.fingerprint.persons import finger_key as key
from workstation.fingerprint.persons import preselect_persons, search_persons
from workstation.fingerprint.template import FingerTemplate

FVC = SHARED_DATA / "fingerprints" / "fvc2002"
RIGHT, LEFT = 2, 7


def record(db: str, name: str) -> FingerTemplate:
    path = FVC / db / f"{name}.iso"
    if not path.is_file():
        pytest.skip("FVC2002 data not present")
    return load_template(path.read_bytes())


@pytest.fixture(scope="module")
def index() -> FingerIndex:
    """Persons 101-106: DB1_B finger as right index, DB2_B finger as left index."""
    items = []
    for number in range(101, 107):
        items.append((key(f"p{number}", RIGHT), record("DB1_B", f"{number}_1")))
        items.append((key(f"p{number}", LEFT), record("DB2_B", f"{number}_1")))
    return FingerIndex.build(items)


def scored(candidates, person: str) -> dict[int, tuple[int, bool]]:  # type: ignore[no-untyped-def]
    """Probe position -> (enrolled position, from its own search) for one person."""
    found = next(c for c in candidates if c.person == person)
    return {s.probe_position: (s.enrolled_position, s.searched) for s in found.scores}


def test_both_fingers_of_the_traveller_find_the_person(index: FingerIndex) -> None:
    probes = [(RIGHT, record("DB1_B", "101_2")), (LEFT, record("DB2_B", "101_2"))]
    candidates = search_persons(index, probes, top=3)
    assert candidates[0].person == "p101"
    assert scored(candidates, "p101") == {RIGHT: (RIGHT, True), LEFT: (LEFT, True)}
    # the mate's fingers score far above anybody else's
    assert candidates[0].total > 2 * max(c.total for c in candidates[1:])


def test_a_person_one_finger_found_is_checked_with_the_other(index: FingerIndex) -> None:
    # the right finger is p101's, the left one p102's: each search finds only its own person
    probes = [(RIGHT, record("DB1_B", "101_2")), (LEFT, record("DB2_B", "102_2"))]
    alone = search_persons(index, probes, top=1, cross_check=False)
    assert scored(alone, "p101") == {RIGHT: (RIGHT, True)}
    assert scored(alone, "p102") == {LEFT: (LEFT, True)}
    crossed = search_persons(index, probes, top=1)
    # now each person also has the other finger, compared 1:1 with the same position
    assert scored(crossed, "p101") == {RIGHT: (RIGHT, True), LEFT: (LEFT, False)}
    assert scored(crossed, "p102") == {LEFT: (LEFT, True), RIGHT: (RIGHT, False)}
    by_person = {c.person: c for c in crossed}
    cross_scores = [s.score for c in by_person.values() for s in c.scores if not s.searched]
    searched = [s.score for c in by_person.values() for s in c.scores if s.searched]
    assert max(cross_scores) < min(searched)  # non-mated fingers: the cross-check says so


def test_persons_from_elsewhere_are_checked_too(index: FingerIndex) -> None:
    probes = [(RIGHT, record("DB1_B", "103_3"))]
    candidates = search_persons(index, probes, top=1, also=["p103", "p105"])
    assert candidates[0].person == "p103"
    assert scored(candidates, "p105") == {RIGHT: (RIGHT, False)}
    # a person without a finger at that position, or unknown, adds nothing
    none = search_persons(index, probes, top=1, also=["nobody"])
    assert "nobody" not in {c.person for c in none}


def test_persons_are_preselected_on_both_fingers_votes(index: FingerIndex) -> None:
    small = FingerIndex.build(
        [(k, index._templates[i]) for i, k in enumerate(index.keys)],  # type: ignore[index]
        IndexParameters(candidates=1),
    )
    at = {k: i for i, k in enumerate(small.keys)}
    right = np.zeros(len(small), np.float32)
    left = np.zeros(len(small), np.float32)
    # p101 and p103 each have one finger voted high, p102 both fingers fairly high
    right[[at[key("p101", RIGHT)], at[key("p102", RIGHT)]]] = [10, 6]
    left[[at[key("p102", LEFT)], at[key("p103", LEFT)]]] = [6, 9]
    chosen = preselect_persons(small, [RIGHT, LEFT], [right, left])
    names = [[small.keys[i] for i in c] for c in chosen]
    # the person both fingers vote for comes first; each finger keeps its own best too
    assert names == [
        [key("p102", RIGHT), key("p101", RIGHT)],
        [key("p102", LEFT), key("p103", LEFT)],
    ]
    # one finger alone: its own order
    (alone,) = preselect_persons(small, [RIGHT], [right])
    assert [small.keys[i] for i in alone] == [key("p101", RIGHT)]
    # a position nobody has enrolled adds nothing and takes nothing
    thumb = preselect_persons(small, [RIGHT, 1], [right, np.zeros(len(small), np.float32)])
    assert [small.keys[i] for i in thumb[0]] == [key("p101", RIGHT)]
    assert len(thumb[1]) == 0


def test_the_person_vote_does_not_change_a_clear_search(index: FingerIndex) -> None:
    probes = [(RIGHT, record("DB1_B", "104_4")), (LEFT, record("DB2_B", "104_4"))]
    fused = search_persons(index, probes, top=3)
    alone = search_persons(index, probes, top=3, fuse=False)
    assert fused[0].person == alone[0].person == "p104"
    assert fused[0].total == pytest.approx(alone[0].total)


def test_each_fingers_thread_gets_its_share_of_the_blas_cores(
    index: FingerIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadpoolctl import threadpool_info

    def blas_threads() -> set[int]:
        # numpy's own OpenBLAS (its wheel's numpy.libs): the one the search computes with.
        # Others may be loaded too (OpenCV's, faiss's OpenMP build, whose count is per thread).
        return {
            int(i["num_threads"])
            for i in threadpool_info()
            if i["user_api"] == "blas" and Path(i["filepath"]).parent.name == "numpy.libs"
        }

    before = blas_threads()
    if not before:
        pytest.skip("numpy's BLAS is not the OpenBLAS of its wheel")
    seen: list[set[int]] = []
    rank = FingerIndex.rank

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(blas_threads())
        return rank(self, *args, **kwargs)

    monkeypatch.setattr(FingerIndex, "rank", spy)
    probes = [(RIGHT, record("DB1_B", "105_2")), (LEFT, record("DB2_B", "105_2"))]
    assert search_persons(index, probes, top=1)[0].person == "p105"
    share = max(1, (os.cpu_count() or 1) // 2)
    assert seen == [{share}, {share}]
    assert blas_threads() == before
