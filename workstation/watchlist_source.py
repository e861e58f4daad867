"""The watchlist source an administrator edits, and the bundles a workstation applies.

Source (documented in ``docs/watchlist.md``): either a folder of CSV files plus images, or
one JSON file. Every file is optional; an absent file means an empty list.

* ``persons.csv``: ``entry_id, surname, given_names, native_surname, native_given_names,
  birth_date, nationality, category, severity, action, document_numbers, face_images,
  finger_images``. Lists inside a cell are separated by ``;``; finger images are written
  ``position=path`` (ISO/IEC 19794-4 finger positions 1..10).
* ``lost_documents.csv``: ``document_number, issuing_state, reason``.
* ``invalidated_cards.csv``: ``card_number, reason``.
* ``deferments.csv``: ``entry_id, surname, given_names, native_surname,
  native_given_names, birth_date, nationality, document_number, reason``.
* ``policy_lists.csv``: ``list, code, action, note``.
* or ``watchlist.json``: ``{"persons": [...], "lost_documents": [...], ...}`` with the same
  field names, lists as JSON arrays and ``finger_images`` as ``{"7": "path"}``.

Bundle: gzip'd JSON lines. The first line is a header (format, kind ``snapshot`` or
``delta``, version, base version of a delta, publication time, counts); each further line
is one record ``{"t": type, "k": key, "d": data}`` (snapshot) or an operation
``{"op": "put"|"del", "t": type, "k": key, "d": data}`` (delta). Records are keyed, so a
delta is the set difference of two snapshots and applying it twice changes nothing.

Format ``sekisho-watchlist-bundle/1``, revision 2 (header ``"revision": 2``; no revision
means 1). Revision 2 adds, on each person record, ``"n"``: the person's name search keys
(:func:`workstation.names.person_keys`), and in the header ``"name_keys"``: the key scheme
(:data:`workstation.names.KEY_SCHEME`). The publisher computes the keys once, so a million
workstations do not each transliterate a million names. Both additions are optional and
ignored by revision-1 readers; a workstation computes the keys itself when a bundle has
none or has them from another scheme.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import gzip
import io
import itertools
import json
import mimetypes
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workstation.errors import WatchlistSourceInvalid
from workstation.names import KEY_SCHEME, person_keys
from workstation.watchlist import WatchlistAction

BUNDLE_FORMAT = "sekisho-watchlist-bundle/1"
BUNDLE_REVISION = 2
RECORD_TYPES = ("person", "bio", "lost", "card", "defer", "policy")

Record = dict[str, Any]
RecordKey = tuple[str, str]


@dataclass(frozen=True)
class BundleHeader:
    """The first line of a bundle.

    :param base: for a delta, the version it applies on top of; ``None`` for a snapshot.
    """

    kind: str
    version: int
    base: int | None
    published_at: dt.datetime
    counts: Mapping[str, int]
    revision: int = 1
    name_keys: int = 0
    """The scheme of the name keys person records carry (``"n"``), 0 when they carry none."""


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _check_date(value: str | None, where: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise WatchlistSourceInvalid(f"{where}: birth_date must be YYYY-MM-DD") from e


def _action(value: str | None, where: str) -> str:
    try:
        return WatchlistAction((value or "").strip().lower()).value
    except ValueError as e:
        raise WatchlistSourceInvalid(f"{where}: action must be refuse, refer or notify") from e


def _image(base: Path, name: str, where: str) -> tuple[str, str]:
    path = (base / name).resolve()
    if base.resolve() not in path.parents:
        raise WatchlistSourceInvalid(f"{where}: image path leaves the source folder")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise WatchlistSourceInvalid(f"{where}: image {name} unreadable") from e
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return media_type, base64.b64encode(data).decode()


def _person_records(rows: Iterable[Mapping[str, Any]], base: Path) -> Iterator[Record]:
    for line, row in enumerate(rows, start=1):
        where = f"persons #{line}"
        entry_id = str(row.get("entry_id") or "").strip()
        if not entry_id:
            raise WatchlistSourceInvalid(f"{where}: entry_id missing")
        try:
            severity = int(row.get("severity") or 0)
        except ValueError as e:
            raise WatchlistSourceInvalid(f"{where}: severity must be 1..5") from e
        if not 1 <= severity <= 5:
            raise WatchlistSourceInvalid(f"{where}: severity must be 1..5")
        numbers = row.get("document_numbers") or []
        if isinstance(numbers, str):
            numbers = _split(numbers)
        yield {
            "t": "person",
            "k": entry_id,
            "d": {
                "surname": str(row.get("surname") or "").strip(),
                "given_names": str(row.get("given_names") or "").strip(),
                "native_surname": str(row.get("native_surname") or "").strip(),
                "native_given_names": str(row.get("native_given_names") or "").strip(),
                "birth_date": _check_date(row.get("birth_date"), where),
                "nationality": str(row.get("nationality") or "").strip().upper(),
                "category": str(row.get("category") or "").strip(),
                "severity": severity,
                "action": _action(row.get("action"), where),
                "document_numbers": sorted({n.strip().upper() for n in numbers if n.strip()}),
            },
        }
        faces = row.get("face_images") or []
        if isinstance(faces, str):
            faces = _split(faces)
        for index, name in enumerate(faces):
            media_type, data = _image(base, name, where)
            yield _bio(entry_id, "face", index, media_type, data)
        fingers = row.get("finger_images") or {}
        if isinstance(fingers, str):
            pairs = [part.split("=", 1) for part in _split(fingers)]
            if any(len(p) != 2 for p in pairs):
                raise WatchlistSourceInvalid(f"{where}: finger_images must be position=path")
            fingers = dict(pairs)
        for position, name in fingers.items():
            if not str(position).isdigit() or not 1 <= int(position) <= 10:
                raise WatchlistSourceInvalid(f"{where}: finger position must be 1..10")
            media_type, data = _image(base, name, where)
            yield _bio(entry_id, "finger", int(position), media_type, data)


def _bio(entry_id: str, modality: str, position: int, media_type: str, data: str) -> Record:
    return {
        "t": "bio",
        "k": f"{entry_id}/{modality}/{position}",
        "d": {
            "entry_id": entry_id,
            "modality": modality,
            "position": position,
            "media_type": media_type,
            "image": data,
        },
    }


def _simple_records(kind: str, rows: Iterable[Mapping[str, Any]]) -> Iterator[Record]:
    for line, row in enumerate(rows, start=1):
        where = f"{kind} #{line}"
        get = {k: str(v or "").strip() for k, v in row.items()}
        if kind == "lost":
            number = get.get("document_number", "").upper()
            if not number:
                raise WatchlistSourceInvalid(f"{where}: document_number missing")
            state = get.get("issuing_state", "").upper()
            yield {
                "t": "lost",
                "k": f"{number}/{state}",
                "d": {
                    "document_number": number,
                    "issuing_state": state,
                    "reason": get.get("reason") or "lost",
                },
            }
        elif kind == "card":
            number = get.get("card_number", "").upper()
            if not number:
                raise WatchlistSourceInvalid(f"{where}: card_number missing")
            yield {"t": "card", "k": number, "d": {"reason": get.get("reason") or "invalidated"}}
        elif kind == "defer":
            entry_id = get.get("entry_id", "")
            if not entry_id:
                raise WatchlistSourceInvalid(f"{where}: entry_id missing")
            yield {
                "t": "defer",
                "k": entry_id,
                "d": {
                    "surname": get.get("surname", ""),
                    "given_names": get.get("given_names", ""),
                    "native_surname": get.get("native_surname", ""),
                    "native_given_names": get.get("native_given_names", ""),
                    "birth_date": _check_date(get.get("birth_date"), where),
                    "nationality": get.get("nationality", "").upper(),
                    "document_number": get.get("document_number", "").upper(),
                    "reason": get.get("reason") or "deferment",
                },
            }
        else:
            list_name, code = get.get("list", ""), get.get("code", "").upper()
            if list_name not in ("nationality", "region") or not code:
                raise WatchlistSourceInvalid(f"{where}: list must be nationality or region")
            yield {
                "t": "policy",
                "k": f"{list_name}/{code}",
                "d": {
                    "list": list_name,
                    "code": code,
                    "action": _action(get.get("action") or "refuse", where),
                    "note": get.get("note", ""),
                },
            }


_FILES = (
    ("lost_documents", "lost"),
    ("invalidated_cards", "card"),
    ("deferments", "defer"),
    ("policy_lists", "policy"),
)


def load_source(path: Path) -> dict[RecordKey, Record]:
    """Read a source folder (CSV + images) or JSON file into keyed records.

    :raises WatchlistSourceInvalid: a file is malformed, a field is invalid, or two
        records share a key.
    """
    tables: dict[str, list[Mapping[str, Any]]] = {}
    if path.is_file():
        base = path.parent
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise WatchlistSourceInvalid(f"{path.name}: not readable JSON") from e
        if not isinstance(loaded, dict):
            raise WatchlistSourceInvalid(f"{path.name}: top level must be an object")
        for name in ("persons", *(f for f, _ in _FILES)):
            rows = loaded.get(name, [])
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise WatchlistSourceInvalid(f"{path.name}: {name} must be a list of objects")
            tables[name] = rows
    elif path.is_dir():
        base = path
        for name in ("persons", *(f for f, _ in _FILES)):
            csv_path = path / f"{name}.csv"
            if csv_path.exists():
                text = csv_path.read_text(encoding="utf-8-sig")
                tables[name] = list(csv.DictReader(io.StringIO(text)))
    else:
        raise WatchlistSourceInvalid("source is neither a folder nor a JSON file")
    records: dict[RecordKey, Record] = {}
    streams: list[Iterator[Record]] = [_person_records(tables.get("persons", []), base)]
    streams += [_simple_records(kind, tables.get(name, [])) for name, kind in _FILES]
    for stream in streams:
        for record in stream:
            key = (record["t"], record["k"])
            if key in records:
                raise WatchlistSourceInvalid(f"duplicate {record['t']} entry {record['k']!r}")
            records[key] = record
    return records


def count_records(records: Iterable[RecordKey]) -> dict[str, int]:
    counts = dict.fromkeys(RECORD_TYPES, 0)
    for kind, _ in records:
        counts[kind] += 1
    return counts


def _dump(record: Mapping[str, Any]) -> bytes:
    return (
        json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


def _header(
    kind: str, version: int, base: int | None, at: dt.datetime, counts: Mapping[str, int]
) -> bytes:
    return _dump(
        {
            "format": BUNDLE_FORMAT,
            "kind": kind,
            "version": version,
            "base": base,
            "published_at": at.astimezone(dt.UTC).isoformat(),
            "counts": dict(counts),
            "revision": BUNDLE_REVISION,
            "name_keys": KEY_SCHEME,
        }
    )


def _shipped(record: Record) -> Record:
    """The record as written into a bundle: a person with their name search keys."""
    if record["t"] != "person":
        return record
    d = record["d"]
    keys = person_keys(
        d["surname"],
        d["given_names"],
        d.get("native_surname", ""),
        d.get("native_given_names", ""),
    )
    return {**record, "n": keys}


def encode_snapshot(
    version: int, published_at: dt.datetime, records: Mapping[RecordKey, Record]
) -> bytes:
    """A whole watchlist version as a gzip'd bundle, records in key order."""
    out = io.BytesIO()
    # mtime=0: the same content always gives the same bytes (and the same TUF hash).
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as gz:
        gz.write(_header("snapshot", version, None, published_at, count_records(records)))
        for key in sorted(records):
            gz.write(_dump(_shipped(records[key])))
    return out.getvalue()


def encode_delta(
    version: int,
    base: int,
    published_at: dt.datetime,
    old: Mapping[RecordKey, Record],
    new: Mapping[RecordKey, Record],
) -> bytes:
    """The operations that turn ``old`` (version ``base``) into ``new`` (``version``).

    The header's counts are those of the resulting version, so the applier can check it.
    """
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as gz:
        gz.write(_header("delta", version, base, published_at, count_records(new)))
        for key in sorted(old.keys() - new.keys()):
            gz.write(_dump({"op": "del", "t": key[0], "k": key[1]}))
        for key in sorted(new):
            if old.get(key) != new[key]:
                gz.write(_dump({"op": "put", **_shipped(new[key])}))
    return out.getvalue()


def read_bundle(data: bytes) -> tuple[BundleHeader, Iterator[Record]]:
    """Parse a bundle: its header now, its records lazily (a 1M-entry bundle stays small
    in memory).

    :raises WatchlistSourceInvalid: not a bundle of this format.
    """
    header, chunks = bundle_lines(data)

    def records() -> Iterator[Record]:
        for chunk in chunks:
            yield from parse_lines(chunk)

    return header, records()


def bundle_lines(data: bytes, chunk: int = 2000) -> tuple[BundleHeader, Iterator[list[str]]]:
    """A bundle's header, and its record lines unparsed, ``chunk`` at a time (for readers
    that share the parsing out: see :func:`parse_lines`).

    :raises WatchlistSourceInvalid: not a bundle of this format; while iterating, a
        truncated or corrupt stream.
    """
    try:
        stream = io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(data)), encoding="utf-8")
        head = json.loads(stream.readline())
    except (OSError, ValueError, EOFError) as e:
        raise WatchlistSourceInvalid("bundle is not a gzip'd JSON-lines watchlist") from e
    if not isinstance(head, dict) or head.get("format") != BUNDLE_FORMAT:
        raise WatchlistSourceInvalid("unknown bundle format")
    try:
        header = BundleHeader(
            kind=str(head["kind"]),
            version=int(head["version"]),
            base=int(head["base"]) if head.get("base") is not None else None,
            published_at=dt.datetime.fromisoformat(head["published_at"]),
            counts={str(k): int(v) for k, v in head["counts"].items()},
            revision=int(head.get("revision", 1)),
            name_keys=int(head.get("name_keys", 0)),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise WatchlistSourceInvalid("bundle header malformed") from e
    if header.kind not in ("snapshot", "delta"):
        raise WatchlistSourceInvalid("bundle kind must be snapshot or delta")

    def chunks() -> Iterator[list[str]]:
        try:
            while lines := list(itertools.islice(stream, chunk)):
                yield lines
        except (OSError, ValueError, EOFError) as e:
            raise WatchlistSourceInvalid("bundle truncated or corrupt") from e

    return header, chunks()


def parse_lines(lines: list[str]) -> list[Record]:
    """The records of some bundle lines (from :func:`bundle_lines`).

    :raises WatchlistSourceInvalid: a line that is not exactly one record of a known type.
    """
    try:
        # One parse for all the lines: the fixed cost of a json.loads call is a large
        # part of reading a million short records one by one.
        parsed = json.loads("[" + ",".join(lines) + "]")
    except ValueError as e:
        raise WatchlistSourceInvalid("bundle truncated or corrupt") from e
    if not isinstance(parsed, list) or len(parsed) != len(lines):
        raise WatchlistSourceInvalid("bundle line holds more than one record")
    for record in parsed:
        if not isinstance(record, dict) or record.get("t") not in RECORD_TYPES:
            raise WatchlistSourceInvalid("bundle record of unknown type")
    return parsed


def snapshot_records(data: bytes) -> dict[RecordKey, Record]:
    """All records of a snapshot bundle, keyed (the publisher's base for deltas)."""
    header, records = read_bundle(data)
    if header.kind != "snapshot":
        raise WatchlistSourceInvalid("expected a snapshot bundle")
    out: dict[RecordKey, Record] = {}
    for record in records:
        record.pop("n", None)  # derived from the record: not part of what was published
        out[(record["t"], record["k"])] = record
    return out
