"""Biographic search: name order, romanisation variants, kana/kanji, typos, reasons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import REPO
from workstation.documents import DataSource, DocumentData, DocumentKind
from workstation.errors import WatchlistSourceInvalid
from workstation.names import fold, romanise, search_keys, tokens
from workstation.policy import Policy
from workstation.watchlist import (
    DefermentEntry,
    HitKind,
    InvalidatedCard,
    PolicyListEntry,
    WatchlistAction,
    WatchlistPerson,
    screen,
    screen_lists,
)
from workstation.watchlist_source import (
    encode_delta,
    encode_snapshot,
    load_source,
    read_bundle,
    snapshot_records,
)


def _doc(surname: str, given: str, number: str = "P0000000", nat: str = "JPN") -> DocumentData:
    return DocumentData(
        DocumentKind.PASSPORT, number, surname, given, nat, dt.date(1990, 7, 21), "M",
        dt.date(2030, 1, 1), nat, DataSource.MANUAL,
    )  # fmt: skip


YAMADA = WatchlistPerson(
    "EX-3", "YAMADA", "TAROU", dt.date(1990, 7, 21), "JPN", "notice", 1,
    WatchlistAction.NOTIFY, (), "山田", "太郎",
)  # fmt: skip
ONO = WatchlistPerson(
    "EX-9", "OONO", "SHOUTA", dt.date(1990, 7, 21), "JPN", "interest", 3, WatchlistAction.REFER
)


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("山田 太郎", "YAMADA TAROU"),
        ("ヤマダ タロウ", "YAMADA TAROU"),
        ("Yamada Tarō", "YAMADA TARO"),
    ],
)
def test_romanise(text: str, latin: str) -> None:
    assert romanise(text) == latin


@pytest.mark.parametrize(
    ("a", "b"),
    [("OONO", "ONO"), ("OHNO", "ONO"), ("SHOUTA", "SYOTA"), ("TSUTOMU", "TUTOMU"),
     ("HONMA", "HOMMA"), ("CHIHIRO", "TIHIRO"), ("JUNICHI", "ZYUNITI")],
)  # fmt: skip
def test_romanisation_variants_fold_together(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_typo_keeps_a_search_key() -> None:
    exact = search_keys(tokens("KOWALSKI", "VIKTOR"))
    assert exact & search_keys(tokens("KOWALSKY", "VICTOR"))
    assert exact & search_keys(tokens("VIKTOR", "KOWALSKI"))  # order does not matter


@pytest.mark.parametrize(
    ("surname", "given", "reason"),
    [
        ("YAMADA", "TAROU", None),
        ("TAROU", "YAMADA", None),  # any order
        ("YAMADA", "TARO", "name_variant"),  # passport long-vowel spelling
        ("ヤマダ", "タロウ", None),  # katakana on a residence card
        ("YAMADE", "TAROU", "name_typo"),
    ],
)
def test_person_found_with_reason(surname: str, given: str, reason: str | None) -> None:
    (hit,) = screen(_doc(surname, given), [YAMADA], [], Policy())
    assert hit.kind is HitKind.BIOGRAPHIC and hit.reasons[0] == "name"
    assert "birth_date" in hit.reasons
    if reason:
        assert reason in hit.reasons


def test_native_script_name_matches_through_transliteration() -> None:
    listed = WatchlistPerson(
        "EX-5", "SATO", "HANAKO", None, "JPN", "x", 2, WatchlistAction.REFER, (), "佐藤", "花子"
    )
    (hit,) = screen(_doc("SATOU", "HANAKO"), [listed], [], Policy())
    assert hit.score >= 0.85


def test_variant_ranking_and_unrelated_names() -> None:
    hits = screen(_doc("ONO", "SYOTA"), [ONO, YAMADA], [], Policy())
    assert [h.entry_id for h in hits] == ["EX-9"]
    assert "name_variant" in hits[0].reasons


def test_lists() -> None:
    doc = _doc("HAYASHI", "KENTA", number="AB00000000CD", nat="XYZ")
    hits = screen_lists(
        doc,
        [InvalidatedCard("AB00000000CD", "invalidated")],
        [DefermentEntry("DF-1", "HAYASHI", "KENTA", None, "JPN", "", "court order")],
        [PolicyListEntry("nationality", "XYZ", WatchlistAction.REFUSE, "restricted")],
        Policy(),
    )
    assert [h.kind for h in hits] == [
        HitKind.POLICY_LIST,
        HitKind.DEFERMENT,
        HitKind.INVALIDATED_CARD,
    ]
    assert screen_lists(_doc("OTHER", "NAME", nat="UTO")) == ()


def test_example_source_and_bundles_round_trip() -> None:
    records = load_source(REPO / "examples" / "watchlist")
    assert records[("person", "EX-0001")]["d"]["document_numbers"] == ["X0000001", "X0000002"]
    assert ("bio", "EX-0001/finger/2") in records
    now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    snapshot = encode_snapshot(3, now, records)
    assert snapshot == encode_snapshot(3, now, records)  # deterministic bytes
    assert snapshot_records(snapshot) == records
    changed = dict(records)
    del changed[("person", "EX-0002")]
    header, ops = read_bundle(encode_delta(4, 3, now, records, changed))
    assert (header.kind, header.base, header.counts["person"]) == ("delta", 3, 4)
    assert [(o["op"], o["k"]) for o in ops] == [("del", "EX-0002")]


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("entry_id,surname,severity,action\nX,A,9,refuse\n", "severity"),
        ("entry_id,surname,severity,action\nX,A,1,shoot\n", "action"),
        ("entry_id,surname,severity,action,birth_date\nX,A,1,refer,1990-13-01\n", "birth_date"),
        ("entry_id,surname,severity,action\nX,A,1,refer\nX,B,1,refer\n", "duplicate"),
        ("entry_id,surname,severity,action,face_images\nX,A,1,refer,../x.png\n", "image"),
    ],
)
def test_invalid_source(tmp_path: Path, csv: str, message: str) -> None:
    (tmp_path / "persons.csv").write_text(csv)
    with pytest.raises(WatchlistSourceInvalid, match=message):
        load_source(tmp_path)


@pytest.mark.parametrize(
    ("surname", "given", "native"),
    [
        ("KOWALSKI", "VIKTOR", ("", "")),
        ("KOWALSKY", "WIKTOR", ("", "")),
        ("VIKTOR", "KOWALSKI", ("", "")),
        ("KOVALSKIJ", "VIKTOR", ("", "")),
        ("KOWAL", "VIKTORIA", ("", "")),
        ("NOWAK", "ANNA", ("", "")),
        ("YAMADA", "TAROU", ("山田", "太郎")),
        ("YAMADA", "TARO", ("", "")),
        ("", "", ("山田", "太郎")),
        ("OONO", "SHOUTA", ("", "")),
    ],
)
@pytest.mark.parametrize(
    "holder", [("KOWALSKI", "VIKTOR"), ("YAMADA", "TAROU"), ("ONO", "SHOTA"), ("A", "")]
)
def test_name_match_floor_changes_no_result_above_it(
    surname: str, given: str, native: tuple[str, str], holder: tuple[str, str]
) -> None:
    from workstation.watchlist import name_match

    doc = _doc(*holder)
    exact = name_match(doc, surname, given, *native)
    for floor in (0.5, 0.85, 0.95):
        quick = name_match(doc, surname, given, *native, floor=floor)
        if exact[0] >= floor:
            assert quick == exact
        else:
            assert quick[0] < floor
