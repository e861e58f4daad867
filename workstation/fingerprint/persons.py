"""Person-level fingerprint search: every finger the traveller gave, against every person
any of them put forward.

The 1:N pre-selection (:mod:`workstation.fingerprint.index`) can miss a mate, and each
finger's miss is largely independent of the other's. A booth takes two index fingers and a
watchlist person usually has both enrolled, so every person one finger's search puts forward
(or the face search, ``also``) is checked 1:1 with each of the traveller's fingers against
that person's finger of the same position. A person is then found when either finger's
pre-selection finds them, and every score reported is on the 1:1 matcher's scale.

Enrolled fingers are keyed ``person/position`` (:func:`finger_key`; callers may pass their
own ``key`` and ``split``); positions are ISO/IEC 19794 finger codes (2 right index, 7 left index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from workstation.fingerprint import mcc
from workstation.fingerprint.index import FingerIndex
from workstation.fingerprint.template import FingerTemplate


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


def search_persons(
    index: FingerIndex,
    probes: Sequence[tuple[int, FingerTemplate]],
    *,
    top: int,
    key: Callable[[str, int], str] = finger_key,
    split: Callable[[str], tuple[str, int]] = split_finger_key,
    also: Iterable[str] = (),
    cross_check: bool = True,
) -> list[PersonCandidate]:
    """Persons for the traveller's fingers, highest :attr:`PersonCandidate.total` first.

    :param probes: ``(finger position, template)`` of each finger taken.
    :param top: hits kept from each finger's own search (each is scored 1:1).
    :param key: enrolled key of a person's finger at a position.
    :param split: the inverse of ``key``.
    :param also: further persons to check (e.g. those the face search found).
    :param cross_check: ``False`` keeps each finger's own search only (for evaluation).
    """
    fulls = [mcc.cylinders(template) for _, template in probes]
    found: dict[str, dict[tuple[int, int], FingerScore]] = {}
    for (position, template), full in zip(probes, fulls, strict=True):
        for hit in index.search(template, top=top, probe_full=full):
            person, enrolled = split(hit.key)
            score = hit.score if hit.rescored else index.verify(hit.key, full)
            if score is not None:
                found.setdefault(person, {})[(position, enrolled)] = FingerScore(
                    person, position, enrolled, score, True
                )
    if cross_check:
        for person in [*found, *(p for p in dict.fromkeys(also) if p not in found)]:
            for (position, _), full in zip(probes, fulls, strict=True):
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
