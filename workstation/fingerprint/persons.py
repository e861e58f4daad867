"""Person-level fingerprint search: the traveller's fingers pre-select persons together, and
every person put forward is checked with every finger.

The 1:N pre-selection (:mod:`workstation.fingerprint.index`) can miss a mate when one finger
votes for it alone. A booth takes two index fingers and a watchlist person usually has both
enrolled, so the pre-selection votes per *person*: each finger's votes for the person's finger
of the same position, scaled by that finger's best votes, are added up, and the best-voted
persons' fingers (plus a few of each finger's own best) go on to each finger's scoring. The
fingers are searched in parallel threads, each with its share of the cores for BLAS (the heavy
steps run in numpy and BLAS, which release the interpreter lock). Every person a finger's
search ranks high (or the face search, ``also``) is then checked 1:1 with each of the
traveller's fingers against that person's finger of the same position, so every score
reported is on the 1:1 matcher's scale.

Enrolled fingers are keyed ``person/position`` (:func:`finger_key`; callers may pass their
own ``key`` and ``split``); positions are ISO/IEC 19794 finger codes (2 right index, 7 left index).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from workstation.fingerprint import mcc
from workstation.fingerprint.index import (
    EncodedFinger,
    FingerIndex,
    SearchHit,
    best_first,
    encode_finger,
)
from workstation.fingerprint.template import FingerTemplate

_VOTE_SCALE_TOP = 100  # a finger's votes are scaled by the mean of its this many best
_OWN_SHARE = 10  # besides the persons, each finger keeps 1/this of its own best-voted fingers


def finger_key(person: str, position: int) -> str:
    """The default enrolled key of a person's finger: ``person/position``."""
    return f"{person}/{position}"


def split_finger_key(key: str) -> tuple[str, int]:
    """The inverse of :func:`finger_key` (a person may contain ``/``)."""
    person, _, position = key.rpartition("/")
    return person, int(position)


@dataclass(frozen=True)
class FingerScore:
    """One of the traveller's fingers against one enrolled finger of a person.

    :param searched: the enrolled finger came out of this finger's own 1:N search;
        ``False`` when it was checked because another finger (or the face) put the person
        forward.
    """

    person: str
    probe_position: int
    enrolled_position: int
    score: float
    searched: bool


@dataclass(frozen=True)
class PersonCandidate:
    """A person with the 1:1 scores of the traveller's fingers against theirs."""

    person: str
    scores: tuple[FingerScore, ...]

    @property
    def total(self) -> float:
        """Sum over the traveller's fingers of each one's best score against this person."""
        best: dict[int, float] = {}
        for s in self.scores:
            best[s.probe_position] = max(best.get(s.probe_position, 0.0), s.score)
        return sum(best.values())


@dataclass(frozen=True, eq=False)
class _Persons:
    """An index's fingers grouped by person: ``fingers[position][p]`` is the index position
    of person ``p``'s finger at ``position``, -1 when that person has none there."""

    split: Callable[[str], tuple[str, int]]
    count: int
    fingers: dict[int, npt.NDArray[np.intp]]


_GROUPED: weakref.WeakKeyDictionary[FingerIndex, _Persons] = weakref.WeakKeyDictionary()
_GROUPED_LOCK = threading.Lock()


def _grouped(index: FingerIndex, split: Callable[[str], tuple[str, int]]) -> _Persons:
    """The person grouping of ``index``, computed once per index (it is immutable)."""
    with _GROUPED_LOCK:
        grouped = _GROUPED.get(index)
        if grouped is not None and grouped.split is split:
            return grouped
        ids: dict[str, int] = {}
        by_position: dict[int, list[tuple[int, int]]] = {}
        for i, k in enumerate(index.keys):
            person, position = split(k)
            by_position.setdefault(position, []).append((ids.setdefault(person, len(ids)), i))
        fingers: dict[int, npt.NDArray[np.intp]] = {}
        for position, pairs in by_position.items():
            table = np.full(len(ids), -1, dtype=np.intp)
            owners, rows = zip(*pairs, strict=True)
            table[list(owners)] = rows
            fingers[position] = table
        grouped = _Persons(split, len(ids), fingers)
        _GROUPED[index] = grouped
        return grouped


def preselect_persons(
    index: FingerIndex,
    positions: Sequence[int],
    votes: Sequence[npt.NDArray[np.float32]],
    split: Callable[[str], tuple[str, int]] = split_finger_key,
) -> list[npt.NDArray[np.intp]]:
    """Each finger's candidates (index positions): the fingers at its position of the
    ``candidates`` best-voted persons, then the tenth as many of its own best-voted fingers
    not among them (a person with one finger enrolled, a finger the other one outvotes).

    A person's vote is the sum over the traveller's fingers of ``votes`` (each finger's
    :meth:`~FingerIndex.votes`) for the person's finger of the same position, each scaled by
    the mean of that finger's best votes so that a finger with many minutiae does not
    outweigh the other.
    """
    grouped = _grouped(index, split)
    count = index.params.candidates
    fused = np.zeros(grouped.count, np.float32)
    for position, v in zip(positions, votes, strict=True):
        table = grouped.fingers.get(position)
        if table is None or not len(v):
            continue
        best = v[np.argpartition(-v, min(_VOTE_SCALE_TOP, len(v)) - 1)[:_VOTE_SCALE_TOP]]
        scale = float(best.mean())
        if scale > 0:
            fused += np.where(table >= 0, v[np.maximum(table, 0)], 0) / np.float32(scale)
    top = best_first(fused, count)
    result = []
    for position, v in zip(positions, votes, strict=True):
        table = grouped.fingers.get(position)
        from_persons = table[top] if table is not None else np.zeros(0, np.intp)
        own = best_first(v, max(1, count // _OWN_SHARE))
        merged = np.concatenate([from_persons[from_persons >= 0], own])
        _, first = np.unique(merged, return_index=True)
        result.append(np.asarray(merged[np.sort(first)], dtype=np.intp))
    return result


def search_persons(
    index: FingerIndex,
    probes: Sequence[tuple[int, FingerTemplate]],
    *,
    top: int,
    key: Callable[[str, int], str] = finger_key,
    split: Callable[[str], tuple[str, int]] = split_finger_key,
    also: Iterable[str] = (),
    cross_check: bool = True,
    fuse: bool = True,
) -> list[PersonCandidate]:
    """Persons for the traveller's fingers, highest :attr:`PersonCandidate.total` first.

    :param probes: ``(finger position, template)`` of each finger taken.
    :param top: hits kept from each finger's search (each is scored 1:1).
    :param key: enrolled key of a person's finger at a position.
    :param split: the inverse of ``key``.
    :param also: further persons to check (e.g. those the face search found).
    :param cross_check: ``False`` keeps each finger's own search only (for evaluation).
    :param fuse: ``False`` pre-selects each finger on its own votes (for evaluation).
    """
    if not probes:
        return []
    positions = [position for position, _ in probes]
    # each finger's thread gets its share of the cores: BLAS threads of its own on top of
    # them would only contend (measured: 0.92 s with two BLAS threads each, 0.69 s with one)
    share = max(1, (os.cpu_count() or 1) // len(probes))
    with (
        # looked up afresh each time: a BLAS library loaded since (OpenCV's) is limited too
        threadpool_limits(limits=share, user_api="blas"),
        ThreadPoolExecutor(max_workers=len(probes)) as pool,
    ):
        fulls = list(pool.map(lambda p: mcc.cylinders(p[1]), probes))
        encoded = list(pool.map(lambda p: encode_finger(p[1]), probes))
        if fuse and len(index):
            votes = list(pool.map(index.votes, encoded))
            chosen = preselect_persons(index, positions, votes, split)
        else:
            count = max(index.params.candidates, top)
            chosen = [index.preselect(e, count) for e in encoded]

        def rank(job: tuple[EncodedFinger, npt.NDArray[np.intp], mcc.Cylinders]) -> list[SearchHit]:
            return index.rank(job[0], job[1], top, job[2])

        searched = list(pool.map(rank, zip(encoded, chosen, fulls, strict=True)))
    found: dict[str, dict[tuple[int, int], FingerScore]] = {}
    for position, hits, full in zip(positions, searched, fulls, strict=True):
        for hit in hits:
            person, enrolled = split(hit.key)
            score = hit.score if hit.rescored else index.verify(hit.key, full)
            if score is not None:
                found.setdefault(person, {})[(position, enrolled)] = FingerScore(
                    person, position, enrolled, score, True
                )
    if cross_check:
        for person in [*found, *(p for p in dict.fromkeys(also) if p not in found)]:
            for position, full in zip(positions, fulls, strict=True):
                scored = found.get(person, {})
                if (position, position) in scored:
                    continue
                score = index.verify(key(person, position), full)
                if score is not None:
                    found.setdefault(person, {})[(position, position)] = FingerScore(
                        person, position, position, score, False
                    )
    candidates = [PersonCandidate(p, tuple(s.values())) for p, s in found.items()]
    candidates.sort(key=lambda c: -c.total)
    return candidates
