"""Watchlist entries and the biographic and document screening of a traveller.

Matching here is pure: the store narrows candidates with indexes (document numbers, name
keys from :mod:`workstation.names`, birth date ranges), and :func:`screen` scores them.

The watchlist holds persons (refuse, refer or notify), their face and finger references,
lost and stolen travel documents, invalidated residence cards, the departure-confirmation
deferment list and landing-refusal policy lists (nationalities or regions under an entry
restriction). :class:`WatchlistContent` is one whole version of all of it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, unique

from workstation.documents import DocumentData
from workstation.names import fold, romanise
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
    INVALIDATED_CARD = "invalidated_card"
    DEFERMENT = "deferment"
    POLICY_LIST = "policy_list"


@dataclass(frozen=True)
class WatchlistPerson:
    """A person on the watchlist. ``document_numbers`` are documents known to be theirs.

    :param surname: the name in Latin letters as on travel documents.
    :param native_surname: the name in its native script (kanji, kana, Hangul...), or "".
    :param severity: 1 (lowest) to 5.
    """

    entry_id: str
    surname: str
    given_names: str
    birth_date: dt.date | None
    nationality: str
    category: str
    severity: int
    action: WatchlistAction
    document_numbers: tuple[str, ...] = ()
    native_surname: str = ""
    native_given_names: str = ""


@dataclass(frozen=True)
class LostDocument:
    """A travel document reported lost, stolen or invalidated.

    :param issuing_state: ICAO code, or "" when any issuer matches.
    :param reason: ``lost``, ``stolen``, ``invalidated`` or ``revoked``.
    """

    document_number: str
    issuing_state: str
    reason: str


@unique
class BiometricModality(Enum):
    FACE = "face"
    FINGER = "finger"


@dataclass(frozen=True)
class BiometricReference:
    """A face or finger reference of a listed person.

    :param position: the finger (ISO/IEC 19794-4 position 1..10), 0 for a face.
    :param template: an encoder's template, or ``None`` when only the image is supplied.
    """

    entry_id: str
    modality: BiometricModality
    position: int
    media_type: str
    image: bytes
    template: bytes | None = None


@dataclass(frozen=True)
class InvalidatedCard:
    """A residence card (or special permanent resident certificate) no longer valid."""

    card_number: str
    reason: str


@dataclass(frozen=True)
class DefermentEntry:
    """A person whose departure confirmation is to be deferred (held for the authorities)."""

    entry_id: str
    surname: str
    given_names: str
    birth_date: dt.date | None
    nationality: str
    document_number: str
    reason: str
    native_surname: str = ""
    native_given_names: str = ""


@dataclass(frozen=True)
class PolicyListEntry:
    """One line of a landing-refusal policy list.

    :param list_name: ``nationality`` (code: ICAO state) or ``region`` (code: a region the
        traveller's document or itinerary names).
    """

    list_name: str
    code: str
    action: WatchlistAction
    note: str = ""


@dataclass(frozen=True)
class WatchlistContent:
    """One whole watchlist version, as published."""

    persons: tuple[WatchlistPerson, ...] = ()
    biometrics: tuple[BiometricReference, ...] = ()
    lost_documents: tuple[LostDocument, ...] = ()
    invalidated_cards: tuple[InvalidatedCard, ...] = ()
    deferments: tuple[DefermentEntry, ...] = ()
    policy_lists: tuple[PolicyListEntry, ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "persons": len(self.persons),
            "biometrics": len(self.biometrics),
            "lost_documents": len(self.lost_documents),
            "invalidated_cards": len(self.invalidated_cards),
            "deferments": len(self.deferments),
            "policy_lists": len(self.policy_lists),
        }


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
        ``"document_number"``, ``"nationality"``; ``"face"`` with the strength code,
        ``"fingerprint"`` with ``"finger_N"`` for the traveller's fingers that matched).
    :param reference: for face and fingerprint hits, which reference matched (the n-th face
        image, or the finger position), so the screen can show it beside the capture.
    """

    kind: HitKind
    entry_id: str
    action: WatchlistAction
    severity: int
    score: float
    reasons: tuple[str, ...]
    label: str
    reference: int = 0


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
    return _token_similarity(a, b)


def _token_similarity(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    ordered = difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()
    unordered = difflib.SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio()
    return max(ordered, unordered)


class _Holder:
    """A document holder's name prepared once for many comparisons: tokens as written and
    folded, and their character counts (for :func:`_bound`)."""

    def __init__(self, document: DocumentData) -> None:
        self.tokens = romanise(f"{document.surname} {document.given_names}").split()
        self.folded = [fold(t) for t in self.tokens]
        self.chars = _Chars(" ".join(self.tokens))
        self.folded_chars = _Chars(" ".join(self.folded))


class _Chars:
    """The characters of a string with their counts, as parallel tuples."""

    def __init__(self, text: str) -> None:
        counts = Counter(text)
        self.chars = tuple(counts)
        self.counts = tuple(counts.values())
        self.length = len(text)


def _bound(chars: _Chars, a: list[str], b: list[str]) -> float:
    """An upper bound of :func:`_token_similarity` (difflib's ``quick_ratio``): characters
    in common, counted with repeats, whatever their order. ``chars`` counts ``a`` joined."""
    if not a or not b:
        return 0.0
    text = " ".join(b)
    common = sum(map(min, chars.counts, map(text.count, chars.chars)))
    return 2.0 * common / (chars.length + len(text))


def _match(
    holder: _Holder,
    surname: str,
    given_names: str,
    native_surname: str,
    native_given_names: str,
    floor: float,
) -> tuple[float, tuple[str, ...]]:
    best = 0.0
    extra: tuple[str, ...] = ()
    candidates: list[tuple[list[str], tuple[str, ...]]] = [
        (romanise(f"{surname} {given_names}").split(), ())
    ]
    if native_surname or native_given_names:
        candidates.append(
            (romanise(f"{native_surname} {native_given_names}").split(), ("name_native",))
        )
    for listed, reasons in candidates:
        # A comparison that cannot reach the floor cannot be the best of a match that does,
        # so skipping it changes no result at or above the floor.
        if _bound(holder.chars, holder.tokens, listed) >= floor:
            direct = _token_similarity(holder.tokens, listed)
            if direct > best:
                best, extra = direct, reasons
        folded_listed = [fold(t) for t in listed]
        if _bound(holder.folded_chars, holder.folded, folded_listed) >= floor:
            folded = _token_similarity(holder.folded, folded_listed)
            if folded > best + 1e-9:
                best, extra = folded, (*reasons, "name_variant")
    if 0.0 < best < 1.0:
        extra = (*extra, "name_typo")
    return best, extra


def name_match(
    document: DocumentData,
    surname: str,
    given_names: str,
    native_surname: str = "",
    native_given_names: str = "",
    *,
    floor: float = 0.0,
) -> tuple[float, tuple[str, ...]]:
    """The best similarity of a document holder's name to a listed name, and how it matched.

    Tries the Latin names as written, then both sides in a romanisation-neutral spelling
    (:func:`workstation.names.fold`), then the listed native-script name transliterated.
    The reasons name what the match needed beyond ``"name"``: ``"name_variant"`` (a
    romanisation or spelling variant), ``"name_native"`` (the native-script name) and
    ``"name_typo"`` (not identical even then).

    :param floor: the similarity that matters (a threshold): comparisons that provably
        stay below it are skipped, so a result below ``floor`` may be an underestimate;
        one at or above it is exact.
    """
    return _match(
        _Holder(document), surname, given_names, native_surname, native_given_names, floor
    )


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
    holder = _Holder(document)
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
        similarity, how = _match(
            holder,
            person.surname,
            person.given_names,
            person.native_surname,
            person.native_given_names,
            policy.name_match_threshold,
        )
        if similarity < policy.name_match_threshold:
            continue
        reasons = ["name", *how]
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


def screen_lists(
    document: DocumentData,
    invalidated_cards: Iterable[InvalidatedCard] = (),
    deferments: Iterable[DefermentEntry] = (),
    policy_lists: Iterable[PolicyListEntry] = (),
    policy: Policy | None = None,
) -> tuple[WatchlistHit, ...]:
    """Screen against the lists beside the persons: invalidated residence cards (exact card
    number), the departure-confirmation deferment list (document number, or name and date
    of birth), and landing-refusal policy lists (the holder's nationality).

    Use with :func:`screen`; the two together cover the whole watchlist.
    """
    policy = policy or Policy()
    hits: list[WatchlistHit] = []
    number = document.document_number.upper()
    for card in invalidated_cards:
        if card.card_number.upper() == number:
            hits.append(
                WatchlistHit(
                    HitKind.INVALIDATED_CARD,
                    f"card:{card.card_number}",
                    WatchlistAction.REFER,
                    3,
                    1.0,
                    ("document_number", card.reason),
                    card.card_number,
                )
            )
    for entry in deferments:
        label = f"{entry.surname}, {entry.given_names}".strip(", ")
        reasons: tuple[str, ...]
        if entry.document_number and entry.document_number.upper() == number:
            score, reasons = 1.0, ("document_number",)
        else:
            score, how = name_match(
                document,
                entry.surname,
                entry.given_names,
                entry.native_surname,
                entry.native_given_names,
            )
            if score < policy.name_match_threshold:
                continue
            if entry.birth_date is not None and document.birth_date is not None:
                if abs((entry.birth_date - document.birth_date).days) > (
                    policy.birth_date_tolerance_days
                ):
                    continue
            reasons = ("name", *how)
        hits.append(
            WatchlistHit(
                HitKind.DEFERMENT,
                entry.entry_id,
                WatchlistAction.REFER,
                4,
                round(score, 3),
                (*reasons, entry.reason),
                label,
            )
        )
    for rule in policy_lists:
        if rule.list_name == "nationality" and rule.code == document.nationality:
            hits.append(
                WatchlistHit(
                    HitKind.POLICY_LIST,
                    f"policy:{rule.list_name}:{rule.code}",
                    rule.action,
                    2,
                    1.0,
                    ("nationality",),
                    rule.note or rule.code,
                )
            )
    hits.sort(key=lambda h: (_ACTION_RANK[h.action], -h.severity, -h.score))
    return tuple(hits)


def strongest_action(hits: Iterable[WatchlistHit]) -> WatchlistAction | None:
    """The strongest action any hit asks for, or ``None`` when there are no hits."""
    ranked = sorted((h.action for h in hits), key=_ACTION_RANK.__getitem__)
    return ranked[0] if ranked else None


def rank_hits(hits: Iterable[WatchlistHit]) -> tuple[WatchlistHit, ...]:
    """Hits strongest first: by action (refuse, refer, notify), then severity, then score."""
    return tuple(sorted(hits, key=lambda h: (_ACTION_RANK[h.action], -h.severity, -h.score)))
