from __future__ import annotations

import datetime as dt

import pytest

from workstation.documents import DataSource, DocumentData, DocumentKind
from workstation.policy import Policy
from workstation.watchlist import (
    Freshness,
    HitKind,
    LostDocument,
    WatchlistAction,
    WatchlistPerson,
    WatchlistVersion,
    freshness,
    name_similarity,
    normalise_name,
    screen,
    strongest_action,
)


def _doc(
    surname: str = "KOWALSKI",
    given: str = "VIKTOR",
    number: str = "P1234567",
    birth: dt.date | None = dt.date(1971, 3, 14),
) -> DocumentData:
    return DocumentData(
        DocumentKind.PASSPORT,
        number,
        surname,
        given,
        "UTO",
        birth,
        "M",
        dt.date(2030, 1, 1),
        "UTO",
        DataSource.MANUAL,
    )


PERSON = WatchlistPerson(
    "WL-1",
    "KOWALSKI",
    "VIKTOR",
    dt.date(1971, 3, 14),
    "UTO",
    "deportee",
    5,
    WatchlistAction.REFUSE,
    ("X0000001",),
)
NOTICE = WatchlistPerson("WL-2", "SILVA", "ANA", None, "", "notice", 1, WatchlistAction.NOTIFY)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Müller", "MULLER"), ("O'Brien-Smith", "O BRIEN SMITH"), ("  josé  maría ", "JOSE MARIA")],
)
def test_normalise(a: str, b: str) -> None:
    assert normalise_name(a) == b


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (_doc(), 1.0),
        (_doc("VIKTOR", "KOWALSKI"), 1.0),  # parts swapped
        (_doc("KOWALSKY", "VIKTOR"), 0.9),  # one-letter variant
    ],
)
def test_name_similarity(doc: DocumentData, expected: float) -> None:
    assert name_similarity(doc.surname, doc.given_names, "KOWALSKI", "VIKTOR") >= expected


def test_document_number_hit_beats_everything() -> None:
    hits = screen(_doc(number="X0000001", surname="OTHER", given="NAME"), [PERSON], [], Policy())
    assert [h.kind for h in hits] == [HitKind.DOCUMENT_NUMBER]
    assert hits[0].action is WatchlistAction.REFUSE


def test_biographic_hit_with_reasons() -> None:
    (hit,) = screen(_doc(), [PERSON], [], Policy())
    assert hit.kind is HitKind.BIOGRAPHIC
    assert hit.reasons == ("name", "birth_date", "nationality")


@pytest.mark.parametrize(
    ("birth", "hit"),
    [(dt.date(1971, 3, 14), True), (dt.date(1972, 3, 1), True), (dt.date(1975, 1, 1), False)],
)
def test_birth_date_tolerance(birth: dt.date, hit: bool) -> None:
    assert bool(screen(_doc(birth=birth), [PERSON], [], Policy())) is hit


def test_different_name_no_hit() -> None:
    assert screen(_doc("NGUYEN", "THI"), [PERSON, NOTICE], [], Policy()) == ()


def test_lost_document_and_ordering() -> None:
    lost = LostDocument("P1234567", "UTO", "stolen")
    doc = _doc("SILVA", "ANA")
    hits = screen(doc, [NOTICE], [lost, LostDocument("P1234567", "ZZZ", "lost")], Policy())
    assert [h.kind for h in hits] == [HitKind.LOST_STOLEN_DOCUMENT, HitKind.BIOGRAPHIC]
    assert strongest_action(hits) is WatchlistAction.REFER
    assert strongest_action(()) is None


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(1, Freshness.CURRENT), (25, Freshness.STALE_WARN), (73, Freshness.STALE_BLOCK)],
)
def test_freshness(hours: int, expected: Freshness) -> None:
    now = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    version = WatchlistVersion(3, now - dt.timedelta(hours=hours))
    assert freshness(version, now, Policy()) is expected
