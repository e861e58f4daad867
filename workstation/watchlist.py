"""Watchlist entries and the biographic and document screening of a traveller.

Matching here is pure: the store narrows candidates with indexes (document numbers, birth
date ranges), and :func:`screen` scores them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, unique

from workstation.documents import DocumentData
from workstation.policy import Policy


@unique
class WatchlistAction(Enum):
    """What a hit asks the officer to do, strongest first."""

    REFUSE = "refuse"
    REFER = "refer"
    NOTIFY = "notify"


_ACTION_RANK = {WatchlistAction.REFUSE: 0, WatchlistAction.REFER: 1, WatchlistAction.NOTIFY: 2}


@unique
class HitKind(Enum):
    DOCUMENT_NUMBER = "document_number"
    LOST_STOLEN_DOCUMENT = "lost_stolen_document"
    BIOGRAPHIC = "biographic"
    FACE = "face"
    FINGERPRINT = "fingerprint"


@dataclass(frozen=True)
class WatchlistPerson:
    """A person on the watchlist. ``document_numbers`` are documents known to be theirs."""

    entry_id: str
    surname: str
    given_names: str
    birth_date: dt.date | None
    nationality: str
    category: str
    severity: int
    action: WatchlistAction
    document_numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class LostDocument:
    """A travel document reported lost, stolen or invalidated."""

    document_number: str
    issuing_state: str
    reason: str


@dataclass(frozen=True)
class WatchlistVersion:
    """Which watchlist a check ran against, and when that watchlist was published."""

    version: int
    published_at: dt.datetime

    def age(self, now: dt.datetime) -> dt.timedelta:
        return now - self.published_at


@unique
class Freshness(Enum):
    CURRENT = "current"
    STALE_WARN = "stale_warn"
    STALE_BLOCK = "stale_block"


def freshness(version: WatchlistVersion, now: dt.datetime, policy: Policy) -> Freshness:
    """How current the watchlist is under the policy's warn and block ages."""
    hours = version.age(now).total_seconds() / 3600
    if hours > policy.watchlist_block_hours:
        return Freshness.STALE_BLOCK
    if hours > policy.watchlist_warn_hours:
        return Freshness.STALE_WARN
    return Freshness.CURRENT


@dataclass(frozen=True)
class WatchlistHit:
    """One possible match. ``score`` is 1.0 for exact document matches.

    :param reasons: stable codes explaining the match (``"name"``, ``"birth_date"``,
        ``"document_number"``, ``"nationality"``).
    """

    kind: HitKind
    entry_id: str
    action: WatchlistAction
    severity: int
    score: float
    reasons: tuple[str, ...]
    label: str


def normalise_name(name: str) -> str:
    """Upper-case Latin letters and spaces only; diacritics folded (``Müller`` -> ``MULLER``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(
        ch if ch.isalpha() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(letters.upper().split())


def name_similarity(a_surname: str, a_given: str, b_surname: str, b_given: str) -> float:
    """Similarity 0..1 of two names, in any order of their parts, tolerant of small typos."""
    a = normalise_name(f"{a_surname} {a_given}").split()
    b = normalise_name(f"{b_surname} {b_given}").split()
    if not a or not b:
        return 0.0
    ordered = difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()
    unordered = difflib.SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio()
    return max(ordered, unordered)


def screen(
    document: DocumentData,
    persons: Iterable[WatchlistPerson],
    lost_documents: Iterable[LostDocument],
    policy: Policy,
) -> tuple[WatchlistHit, ...]:
    """Screen a document holder against candidate entries; strongest hits first.

    :param persons: candidates narrowed by the store (by document number or birth date);
        every one is scored, so passing the whole list is correct, only slower.
    """
    hits: list[WatchlistHit] = []
    number = document.document_number.upper()
    for lost in lost_documents:
        if lost.document_number.upper() == number and (
            not lost.issuing_state or lost.issuing_state == document.issuing_state
        ):
            hits.append(
                WatchlistHit(
                    HitKind.LOST_STOLEN_DOCUMENT,
                    f"doc:{lost.issuing_state}:{lost.document_number}",
                    WatchlistAction.REFER,
                    3,
                    1.0,
                    ("document_number", lost.reason),
                    lost.document_number,
                )
            )
    for person in persons:
        label = f"{person.surname}, {person.given_names}".strip(", ")
        if number in (n.upper() for n in person.document_numbers):
            hits.append(
                WatchlistHit(
                    HitKind.DOCUMENT_NUMBER,
                    person.entry_id,
                    person.action,
                    person.severity,
                    1.0,
                    ("document_number",),
                    label,
                )
            )
            continue
        similarity = name_similarity(
            document.surname, document.given_names, person.surname, person.given_names
        )
        if similarity < policy.name_match_threshold:
            continue
        reasons = ["name"]
        if person.birth_date is not None and document.birth_date is not None:
            delta = abs((person.birth_date - document.birth_date).days)
            if delta > policy.birth_date_tolerance_days:
                continue
            reasons.append("birth_date" if delta == 0 else "birth_date_near")
        if person.nationality and person.nationality == document.nationality:
            reasons.append("nationality")
        hits.append(
            WatchlistHit(
                HitKind.BIOGRAPHIC,
                person.entry_id,
                person.action,
                person.severity,
                round(similarity, 3),
                tuple(reasons),
                label,
            )
        )
    hits.sort(key=lambda h: (_ACTION_RANK[h.action], -h.severity, -h.score))
    return tuple(hits)


def strongest_action(hits: Iterable[WatchlistHit]) -> WatchlistAction | None:
    """The strongest action any hit asks for, or ``None`` when there are no hits."""
    ranked = sorted((h.action for h in hits), key=_ACTION_RANK.__getitem__)
    return ranked[0] if ranked else None
