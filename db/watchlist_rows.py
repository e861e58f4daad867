"""Bundle records turned into table rows, in batches, for :mod:`db.watchlist_sync`.

A big snapshot is read by a child process (``fork``, where the platform has it) that
parses the chunks of lines and builds their rows while this process writes the rows
already received into SQLite, so parsing runs beside the writing (with more
:data:`READERS`, each takes every n-th chunk). Rows cross the pipe marshalled, which
costs far less than parsing JSON. Where ``fork`` is missing, or the bundle is small, the
same rows are built in this process. A reader whose parent dies stops at its next write
into the closed pipe.
"""

from __future__ import annotations

import base64
import itertools
import json
import marshal
import multiprocessing
from array import array
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from sqlite_utils import Database

from db import name_index
from workstation.errors import WatchlistApplyFailed, WatchlistSourceInvalid
from workstation.names import person_keys
from workstation.watchlist_source import Record, bundle_lines, parse_lines

BATCH = 50_000
PIPE_BATCH = 5_000
"""Records per message from a reader process (small, so every process stays busy)."""
READERS = 1
"""Reader processes. One keeps both of a two-core machine busy (it parses, this process
writes, at about the same pace); more add CPU time without shortening the apply there."""
READER_PROCESS_MIN = 20_000
"""Entries from which a snapshot is parsed by a reader process."""


def _bio_row(record: Record) -> list[Any]:
    d = record["d"]
    template = d.get("template")
    return [
        d["entry_id"],
        d["modality"],
        int(d["position"]),
        d["media_type"],
        base64.b64decode(d["image"]) if d.get("image") else None,
        base64.b64decode(template) if template else None,
    ]


def _simple_row(record: Record) -> list[Any]:
    d, t = record["d"], record["t"]
    if t == "lost":
        return [d["document_number"], d["issuing_state"], d["reason"]]
    if t == "card":
        return [record["k"], d["reason"]]
    if t == "defer":
        return [
            record["k"],
            d["surname"],
            d["given_names"],
            d.get("native_surname", ""),
            d.get("native_given_names", ""),
            d.get("birth_date"),
            d["nationality"],
            d.get("document_number", ""),
            d["reason"],
        ]
    return [d["list"], d["code"], d["action"], d.get("note", "")]


_INSERT = {
    "person": "INSERT OR REPLACE INTO watchlist_persons{s} (rowid, entry_id, surname, "
    "given_names, native_surname, native_given_names, birth_date, nationality, category, "
    "severity, action, name_keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "doc": "INSERT OR IGNORE INTO watchlist_person_documents{s} (document_number, entry_id) "
    "VALUES (?, ?)",
    "bio": "INSERT OR REPLACE INTO watchlist_biometrics{s} (entry_id, modality, position, "
    "media_type, image, template) VALUES (?, ?, ?, ?, ?, ?)",
    "lost": "INSERT OR REPLACE INTO lost_documents{s} (document_number, issuing_state, reason) "
    "VALUES (?, ?, ?)",
    "card": "INSERT OR REPLACE INTO watchlist_invalidated_cards{s} (card_number, reason) "
    "VALUES (?, ?)",
    "defer": "INSERT OR REPLACE INTO watchlist_deferments{s} (entry_id, surname, given_names, "
    "native_surname, native_given_names, birth_date, nationality, document_number, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "policy": "INSERT OR REPLACE INTO watchlist_policy_lists{s} (list, code, action, note) "
    "VALUES (?, ?, ?, ?)",
}
_INSERT_INDEX = (
    "INSERT OR IGNORE INTO watchlist_name_index{s} (entry) SELECT value FROM json_each(?)"
)


class Rows:
    """Rows grouped by statement, flushed with executemany; name-index entries collected
    apart (a snapshot inserts them sorted, after all persons).

    :param shipped_keys: use the name keys the publisher shipped (same key scheme).
    :param next_rowid: the rowid the next new person gets.
    """

    def __init__(self, suffix: str, shipped_keys: bool, next_rowid: int) -> None:
        self.suffix = suffix
        self.shipped_keys = shipped_keys
        self.next_rowid = next_rowid
        self.pending: dict[str, list[list[Any]]] = {k: [] for k in _INSERT}
        self.index = array("q")
        self.size = 0

    def add(self, record: Record, rowid: int | None = None) -> None:
        """Queue one record; a person keeps ``rowid`` when given (a delta replacing them)."""
        t = record["t"]
        if t == "person":
            if rowid is None:
                rowid = self.next_rowid
                self.next_rowid += 1
            self._person(record, rowid)
        elif t == "bio":
            self.pending["bio"].append(_bio_row(record))
        else:
            self.pending[t].append(_simple_row(record))
        self.size += 1

    def add_until(self, records: Iterator[Record], limit: int) -> None:
        """Queue records until ``limit`` are queued or ``records`` ends (the snapshot's
        loop: persons are nearly all of a bundle, so they skip the general dispatch)."""
        person = self._person
        for record in records:
            if record["t"] == "person":
                person(record, self.next_rowid)
                self.next_rowid += 1
                self.size += 1
            else:
                self.add(record)
            if self.size >= limit:
                return

    def _person(self, record: Record, rowid: int) -> None:
        d, entry_id = record["d"], record["k"]
        keys = record.get("n") if self.shipped_keys else None
        if type(keys) is not str:
            keys = person_keys(
                d["surname"],
                d["given_names"],
                d.get("native_surname", ""),
                d.get("native_given_names", ""),
            )
        birth = d.get("birth_date")
        self.pending["person"].append(
            [
                rowid,
                entry_id,
                d["surname"],
                d["given_names"],
                d.get("native_surname", ""),
                d.get("native_given_names", ""),
                birth,
                d["nationality"],
                d["category"],
                int(d["severity"]),
                d["action"],
                keys,
            ]
        )
        numbers = d.get("document_numbers")
        if numbers:
            self.pending["doc"].extend([n, entry_id] for n in numbers)
        self.index.extend(name_index.entries(keys, birth, rowid))

    def flush(self, db: Database, with_index: bool) -> None:
        """Write the queued rows (and the queued index entries when ``with_index``)."""
        for name, rows in self.pending.items():
            if rows:
                if name == "doc":
                    rows.sort()  # fewer B-tree pages touched per batch
                db.conn.executemany(_INSERT[name].format(s=self.suffix), rows)
                rows.clear()
        if with_index and self.index:
            insert_index(db, self.suffix, sorted(self.index))
            self.index = array("q")
        self.size = 0


def insert_index(db: Database, suffix: str, entries: Iterable[int]) -> None:
    # One JSON array per statement: SQLite walks it in C instead of a bound row per entry.
    db.execute(_INSERT_INDEX.format(s=suffix), [json.dumps(list(entries))])


def _read_in_child(
    data: bytes,
    shipped_keys: bool,
    part: int,
    parts: int,
    pipe: Connection,
    inherited: list[Connection],
) -> None:
    """A reader process: parse every ``parts``-th chunk of lines, starting at ``part``, and
    send each one's rows; then an empty message, or ``!`` and the error that stopped it.
    A person's rowid is 1 + the index of their record in the bundle, so readers need not
    know each other's."""
    for other in inherited:
        other.close()  # only the applying process may keep a reading end open
    try:
        _, chunks = bundle_lines(data, PIPE_BATCH)
        for number, lines in enumerate(chunks):
            if number % parts != part:
                continue
            rows = Rows("__shadow", shipped_keys, 1 + number * PIPE_BATCH)
            for record in parse_lines(lines):
                rows.add(record, rows.next_rowid)  # numbered by position, persons or not
                rows.next_rowid += 1
            # marshal: the fastest way CPython has to move plain lists between processes
            pipe.send_bytes(marshal.dumps((rows.pending, rows.index.tobytes(), rows.size)))
        pipe.send_bytes(b"")
    except BrokenPipeError:
        pass  # the applying process is gone
    except WatchlistSourceInvalid as e:
        pipe.send_bytes(b"!" + e.detail.encode())
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        pipe.send_bytes(b"!" + f"bundle record malformed: {type(e).__name__}".encode())
    finally:
        pipe.close()


def snapshot_batches(
    data: bytes, records: Iterator[Record], entries: int, shipped_keys: bool
) -> Iterator[Rows]:
    """A snapshot's rows for the shadow tables, in batches of at most :data:`BATCH`
    records, in bundle order.

    :param data: the whole bundle (reader processes parse it again from the start).
    :param records: its records, for reading in this process instead.
    :param entries: how many records the header announces.
    :raises WatchlistSourceInvalid: a malformed record.
    """
    if entries < READER_PROCESS_MIN or "fork" not in multiprocessing.get_all_start_methods():
        next_rowid = 1
        while True:
            rows = Rows("__shadow", shipped_keys, next_rowid)
            rows.add_until(records, BATCH)
            if rows.size == 0:
                return
            next_rowid = rows.next_rowid
            yield rows
    # fork: the readers have the bundle without a copy and import nothing.
    context = multiprocessing.get_context("fork")
    pipes: list[Connection] = []
    readers = []
    for part in range(READERS):
        receive, send = context.Pipe(duplex=False)
        reader = context.Process(
            target=_read_in_child,
            args=(data, shipped_keys, part, READERS, send, [*pipes, receive]),
            name=f"watchlist-reader-{part}",
        )
        reader.daemon = True
        reader.start()
        send.close()
        pipes.append(receive)
        readers.append(reader)
    try:
        for number in itertools.count():
            try:
                message = pipes[number % READERS].recv_bytes()
            except EOFError as e:
                raise WatchlistApplyFailed("a bundle reader stopped") from e
            if not message:
                return
            if message.startswith(b"!"):
                raise WatchlistSourceInvalid(message[1:].decode())
            pending, index, size = marshal.loads(message)  # noqa: S302 - from our own reader
            rows = Rows("__shadow", shipped_keys, 0)
            rows.pending, rows.size = pending, size
            rows.index.frombytes(index)
            yield rows
    finally:
        for pipe in pipes:
            pipe.close()
        for reader in readers:
            if reader.is_alive():
                reader.kill()
            reader.join()
