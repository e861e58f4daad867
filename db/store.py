"""SQLite implementations of the core's storage ports."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from sqlite_utils import Database

from db import audit_trail, name_index
from db.codec import (
    checks_from_json,
    checks_to_json,
    document_from_json,
    document_to_json,
    iso,
    parse_iso,
)
from db.database import DB_ERRORS
from workstation.audit import AuditEvent
from workstation.captures import FaceCapture, Finger, FingerCapture, FingerException
from workstation.cases import Case, DecisionRecord, LandingState, Workflow
from workstation.decisions import Decision, DecisionKind
from workstation.documents import DocumentData
from workstation.errors import CaseNotFound, StorageError
from workstation.names import search_keys, tokens
from workstation.operators import LoginState, Operator, Role
from workstation.policy import Policy
from workstation.ports import Clock
from workstation.watchlist import (
    DefermentEntry,
    InvalidatedCard,
    LostDocument,
    PolicyListEntry,
    WatchlistAction,
    WatchlistPerson,
    WatchlistVersion,
)

T = TypeVar("T")


class _Guarded:
    """Serialises access to one connection and turns SQLite failures into StorageError."""

    def __init__(self, db: Database, clock: Clock, lock: threading.RLock | None = None) -> None:
        self.db = db
        self.clock = clock
        self._lock = lock or threading.RLock()

    @contextmanager
    def _transaction(self) -> Iterator[Database]:
        with self._lock:
            try:
                with self.db.atomic():
                    yield self.db
            except DB_ERRORS as e:
                raise StorageError(f"write failed: {type(e).__name__}: {e}") from e

    def _read(self, fn: Callable[[Database], T]) -> T:
        with self._lock:
            try:
                return fn(self.db)
            except DB_ERRORS as e:
                raise StorageError(f"read failed: {type(e).__name__}") from e


@dataclass(frozen=True)
class CaseSummary:
    """One line of the case history (no images)."""

    case_id: str
    workflow: Workflow
    state: LandingState
    opened_at: dt.datetime
    operator_id: str
    training: bool
    traveller: str
    document_number: str
    decision: DecisionKind | None


class SqliteInspectionStore(_Guarded):
    """Cases, captures and decisions, each write with its audit entry in one transaction."""

    def save_case(self, case: Case, event: AuditEvent) -> None:
        with self._transaction() as db:
            self._write_case(db, case)
            audit_trail.append(db, self.clock, case.operator_id, case.case_id, event)

    def record_decision(self, case: Case, record: DecisionRecord, event: AuditEvent) -> None:
        decision = record.decision
        with self._transaction() as db:
            self._write_case(db, case)
            db.execute(
                "INSERT INTO decisions (case_id, kind, status_code, period, reason_code, note, "
                "operator_id, decided_at, watchlist_version, watchlist_age_seconds, training) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    record.case_id,
                    decision.kind.value,
                    decision.status_code,
                    decision.period,
                    decision.reason_code,
                    decision.note,
                    record.operator_id,
                    iso(record.decided_at),
                    record.watchlist_version,
                    record.watchlist_age_seconds,
                    int(record.training),
                ],
            )
            entry = audit_trail.append(db, self.clock, record.operator_id, case.case_id, event)
            db.execute(
                "INSERT INTO outbox (item_type, item_id, payload, status, attempts, created_at) "
                "VALUES ('decision', ?, ?, 'queued', 0, ?)",
                [record.case_id, json.dumps({"audit_seq": entry.seq}), entry.at],
            )

    def _write_case(self, db: Database, case: Case) -> None:
        now = iso(self.clock.now())
        db.execute(
            "INSERT INTO cases (case_id, workflow, state, operator_id, opened_at, updated_at, "
            "training, document, checks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at, document = excluded.document, "
            "checks = excluded.checks",
            [
                case.case_id,
                case.workflow.value,
                case.state.value,
                case.operator_id,
                iso(case.opened_at),
                now,
                int(case.training),
                document_to_json(case.document) if case.document else None,
                checks_to_json(case.checks) if case.checks else None,
            ],
        )
        stored = self._stored_capture_keys(db, case.case_id)
        portrait = case.document.portrait if case.document else None
        self._replace_blob(db, case.case_id, "portrait", portrait, stored)
        face = case.face
        face_meta = (
            json.dumps(
                {
                    "width": face.width,
                    "height": face.height,
                    "captured_at": iso(face.captured_at),
                    "quality_notes": list(face.quality_notes),
                }
            )
            if face
            else None
        )
        self._replace_blob(
            db,
            case.case_id,
            "face",
            face.image if face else None,
            stored,
            media_type=face.media_type if face else "",
            meta=face_meta,
        )
        finger_key = json.dumps(
            [[f.finger.value, f.quality, f.exception and f.exception.value] for f in case.fingers]
        )
        if stored.get("fingers_key") != finger_key:
            db.execute("DELETE FROM captures WHERE case_id = ? AND kind = 'finger'", [case.case_id])
            for f in case.fingers:
                db.execute(
                    "INSERT INTO captures (case_id, kind, finger, image, media_type, quality, "
                    "exception, meta) VALUES (?, 'finger', ?, ?, ?, ?, ?, ?)",
                    [
                        case.case_id,
                        f.finger.value,
                        f.image,
                        f.media_type,
                        f.quality,
                        f.exception.value if f.exception else None,
                        finger_key,
                    ],
                )

    @staticmethod
    def _stored_capture_keys(db: Database, case_id: str) -> dict[str, Any]:
        keys: dict[str, Any] = {}
        for kind, digest, meta in db.execute(
            "SELECT kind, length(image) || ':' || hex(substr(image, -16)), meta FROM captures "
            "WHERE case_id = ?",
            [case_id],
        ):
            if kind == "finger":
                keys["fingers_key"] = meta
            else:
                keys[kind] = (digest, meta)
        return keys

    @staticmethod
    def _replace_blob(
        db: Database,
        case_id: str,
        kind: str,
        image: bytes | None,
        stored: dict[str, Any],
        media_type: str = "",
        meta: str | None = None,
    ) -> None:
        # Images are only rewritten when they changed: a step save must stay cheap.
        digest = f"{len(image)}:{image[-16:].hex().upper()}" if image else None
        if stored.get(kind, (None, None)) == (digest, meta):
            return
        db.execute("DELETE FROM captures WHERE case_id = ? AND kind = ?", [case_id, kind])
        if image is not None:
            db.execute(
                "INSERT INTO captures (case_id, kind, image, media_type, meta) "
                "VALUES (?, ?, ?, ?, ?)",
                [case_id, kind, image, media_type, meta],
            )

    def load_case(self, case_id: str) -> Case:
        return self._read(lambda db: self._load(db, case_id))

    def _load(self, db: Database, case_id: str) -> Case:
        row = db.execute(
            "SELECT workflow, state, operator_id, opened_at, training, document, checks "
            "FROM cases WHERE case_id = ?",
            [case_id],
        ).fetchone()
        if row is None:
            raise CaseNotFound("no such case")
        workflow, state, operator_id, opened_at, training, document, checks = row
        portrait: bytes | None = None
        face: FaceCapture | None = None
        fingers: list[FingerCapture] = []
        for kind, finger, image, media_type, quality, exception, meta in db.execute(
            "SELECT kind, finger, image, media_type, quality, exception, meta FROM captures "
            "WHERE case_id = ? ORDER BY id",
            [case_id],
        ):
            if kind == "portrait":
                portrait = image
            elif kind == "face":
                m = json.loads(meta)
                face = FaceCapture(
                    image,
                    media_type,
                    m["width"],
                    m["height"],
                    parse_iso(m["captured_at"]),
                    tuple(m["quality_notes"]),
                )
            elif kind == "finger":
                fingers.append(
                    FingerCapture(
                        Finger(finger),
                        image,
                        media_type or "",
                        quality,
                        FingerException(exception) if exception else None,
                    )
                )
        document_data: DocumentData | None = (
            document_from_json(document, portrait) if document else None
        )
        return Case(
            case_id=case_id,
            workflow=Workflow(workflow),
            state=LandingState(state),
            operator_id=operator_id,
            opened_at=parse_iso(opened_at),
            training=bool(training),
            document=document_data,
            face=face,
            fingers=tuple(fingers),
            checks=checks_from_json(checks) if checks else None,
            decision=self._load_decision(db, case_id),
        )

    @staticmethod
    def _load_decision(db: Database, case_id: str) -> DecisionRecord | None:
        row = db.execute(
            "SELECT kind, status_code, period, reason_code, note, operator_id, decided_at, "
            "watchlist_version, watchlist_age_seconds, training FROM decisions WHERE case_id = ?",
            [case_id],
        ).fetchone()
        if row is None:
            return None
        kind, status, period, reason, note, operator_id, at, version, age, training = row
        return DecisionRecord(
            case_id=case_id,
            decision=Decision(DecisionKind(kind), status, period, reason, note),
            operator_id=operator_id,
            decided_at=parse_iso(at),
            watchlist_version=version,
            watchlist_age_seconds=age,
            training=bool(training),
        )

    def open_cases(self, workflow: Workflow, operator_id: str | None = None) -> list[Case]:
        def query(db: Database) -> list[Case]:
            sql = "SELECT case_id FROM cases WHERE workflow = ? AND state != 'closed'"
            params = [workflow.value]
            if operator_id is not None:
                sql += " AND operator_id = ?"
                params.append(operator_id)
            ids = [r[0] for r in db.execute(sql + " ORDER BY opened_at", params)]
            return [self._load(db, case_id) for case_id in ids]

        return self._read(query)

    def recent_cases(self, limit: int = 200) -> list[CaseSummary]:
        """The newest cases first, for the case history screen."""

        def query(db: Database) -> list[CaseSummary]:
            rows = db.execute(
                "SELECT c.case_id, c.workflow, c.state, c.opened_at, c.operator_id, c.training, "
                "c.document, d.kind FROM cases c LEFT JOIN decisions d USING (case_id) "
                "ORDER BY c.opened_at DESC LIMIT ?",
                [limit],
            ).fetchall()
            result = []
            for case_id, workflow, state, opened, operator_id, training, document, kind in rows:
                doc = json.loads(document) if document else {}
                name = f"{doc.get('surname', '')}, {doc.get('given_names', '')}".strip(", ")
                result.append(
                    CaseSummary(
                        case_id,
                        Workflow(workflow),
                        LandingState(state),
                        parse_iso(opened),
                        operator_id,
                        bool(training),
                        name,
                        doc.get("document_number", ""),
                        DecisionKind(kind) if kind else None,
                    )
                )
            return result

        return self._read(query)


class SqliteWatchlist(_Guarded):
    """The local watchlist tables (applied by :mod:`db.watchlist_sync`).

    Candidate search narrows a million persons to a few hundred with indexes: the exact
    document number, and the name index (:mod:`db.name_index`), where every search key of
    the document holder's name (:func:`workstation.names.search_keys`) is one or two range
    scans already limited to the birth-date window. Persons sharing more keys come first;
    :func:`workstation.watchlist.screen` then scores them.
    """

    MAX_CANDIDATES: ClassVar[int] = 200
    """Name candidates scored per search: those sharing the most keys with the name, the
    nearest date of birth first among equals (a common prefix such as ``p:MAR`` alone can
    be shared by thousands of persons in the window)."""

    def current_version(self) -> WatchlistVersion:
        row = self._read(
            lambda db: db.execute(
                "SELECT version, published_at FROM watchlist_versions ORDER BY version DESC LIMIT 1"
            ).fetchone()
        )
        if row is None:
            # No watchlist has ever been applied: version 0, infinitely old.
            return WatchlistVersion(0, dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
        return WatchlistVersion(row[0], parse_iso(row[1]))

    def candidates(
        self, document: DocumentData, policy: Policy
    ) -> tuple[list[WatchlistPerson], list[LostDocument]]:
        """Persons with the document number, persons sharing name keys (born within the
        birth-date tolerance, or on an unknown date; any date when the document has none),
        and the lost, stolen or invalidated documents (travel documents and residence
        cards) with that number."""

        def query(db: Database) -> tuple[list[WatchlistPerson], list[LostDocument]]:
            number = document.document_number.upper()
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT entry_id FROM watchlist_person_documents WHERE document_number = ?",
                    [number],
                )
            ]
            persons = self._persons(db, ids)
            found = {p.entry_id for p in persons}
            persons += [
                p
                for p in self._persons(db, self._name_candidates(db, document, policy), "rowid")
                if p.entry_id not in found
            ]
            persons.sort(key=lambda p: p.entry_id)
            lost = [
                LostDocument(*r)
                for r in db.execute(
                    "SELECT document_number, issuing_state, reason FROM lost_documents "
                    "WHERE document_number = ?",
                    [number],
                )
            ]
            lost += [
                LostDocument(number, "", reason)
                for (reason,) in db.execute(
                    "SELECT reason FROM watchlist_invalidated_cards WHERE card_number = ?",
                    [number],
                )
            ]
            return persons, lost

        return self._read(query)

    def _name_candidates(self, db: Database, document: DocumentData, policy: Policy) -> list[int]:
        keys = sorted(search_keys(tokens(document.surname, document.given_names)))
        if not keys:
            return []
        low = high = None
        if document.birth_date is not None:
            tolerance = dt.timedelta(days=policy.birth_date_tolerance_days)
            low, high = document.birth_date - tolerance, document.birth_date + tolerance
        ranges = name_index.ranges(keys, low, high)
        scans = " UNION ALL ".join(
            "SELECT entry FROM watchlist_name_index WHERE entry BETWEEN ? AND ?" for _ in ranges
        )
        target = name_index.birth_code(document.birth_date)
        # Persons sharing the most keys first; among equals the nearest date of birth
        # (an unknown date on either side counts as near).
        sql = (
            f"SELECT entry & {name_index.MAX_ROWID} AS person, count(*) AS shared, "  # noqa: S608
            f"min(CASE WHEN (entry >> {name_index.BIRTH_SHIFT}) & {name_index.BIRTH_MAX} = 0 "
            f"OR ? = 0 THEN 0 ELSE abs(((entry >> {name_index.BIRTH_SHIFT}) & "
            f"{name_index.BIRTH_MAX}) - ?) END) AS distance FROM ({scans}) "
            "GROUP BY person ORDER BY shared DESC, distance, person LIMIT ?"
        )
        params = [target, target, *(bound for pair in ranges for bound in pair)]
        return [r[0] for r in db.execute(sql, [*params, self.MAX_CANDIDATES])]

    def lists(
        self, document: DocumentData
    ) -> tuple[list[InvalidatedCard], list[DefermentEntry], list[PolicyListEntry]]:
        """The entries of the other lists that could concern this document holder, for
        :func:`workstation.watchlist.screen_lists`: invalidated cards with the number, the
        whole deferment list (it is short) and the policy-list lines for the nationality."""

        def query(
            db: Database,
        ) -> tuple[list[InvalidatedCard], list[DefermentEntry], list[PolicyListEntry]]:
            number = document.document_number.upper()
            cards = [
                InvalidatedCard(*r)
                for r in db.execute(
                    "SELECT card_number, reason FROM watchlist_invalidated_cards "
                    "WHERE card_number = ?",
                    [number],
                )
            ]
            deferments = [
                DefermentEntry(
                    entry_id,
                    surname,
                    given,
                    dt.date.fromisoformat(birth) if birth else None,
                    nationality,
                    doc,
                    reason,
                    native_surname,
                    native_given,
                )
                for (
                    entry_id,
                    surname,
                    given,
                    native_surname,
                    native_given,
                    birth,
                    nationality,
                    doc,
                    reason,
                ) in db.execute(
                    "SELECT entry_id, surname, given_names, native_surname, native_given_names, "
                    "birth_date, nationality, document_number, reason FROM watchlist_deferments"
                )
            ]
            rules = [
                PolicyListEntry(list_name, code, WatchlistAction(action), note)
                for list_name, code, action, note in db.execute(
                    "SELECT list, code, action, note FROM watchlist_policy_lists "
                    "WHERE list = 'nationality' AND code = ?",
                    [document.nationality],
                )
            ]
            return cards, deferments, rules

        return self._read(query)

    def persons(self, entry_ids: Sequence[str]) -> list[WatchlistPerson]:
        """The listed persons with these entry IDs (unknown IDs are left out)."""
        ids = list(entry_ids)
        return self._read(lambda db: self._persons(db, ids)) if ids else []

    @staticmethod
    def _persons(
        db: Database, values: list[Any], column: str = "entry_id"
    ) -> list[WatchlistPerson]:
        """Persons by ``entry_id`` or ``rowid`` (a constant, never user input)."""
        persons: list[WatchlistPerson] = []
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = db.execute(
                "SELECT entry_id, surname, given_names, birth_date, nationality, category, "  # noqa: S608
                "severity, action, native_surname, native_given_names FROM watchlist_persons "
                f"WHERE {column} IN ({marks}) ORDER BY entry_id",
                chunk,
            ).fetchall()
            ids = [r[0] for r in rows]
            numbers: dict[str, list[str]] = {}
            if ids:
                for number, entry_id in db.execute(
                    "SELECT document_number, entry_id FROM watchlist_person_documents "  # noqa: S608
                    f"WHERE entry_id IN ({', '.join('?' for _ in ids)}) ORDER BY document_number",
                    ids,
                ):
                    numbers.setdefault(entry_id, []).append(number)
            for row in rows:
                entry_id, surname, given, birth, nat, category, severity, action, ns, ng = row
                persons.append(
                    WatchlistPerson(
                        entry_id,
                        surname,
                        given,
                        dt.date.fromisoformat(birth) if birth else None,
                        nat,
                        category,
                        severity,
                        WatchlistAction(action),
                        tuple(numbers.get(entry_id, ())),
                        ns,
                        ng,
                    )
                )
        return persons

    def counts(self) -> dict[str, int]:
        """Entry counts per list, for status displays."""

        def query(db: Database) -> dict[str, int]:
            tables = {
                "persons": "watchlist_persons",
                "lost_documents": "lost_documents",
                "biometrics": "watchlist_biometrics",
                "invalidated_cards": "watchlist_invalidated_cards",
                "deferments": "watchlist_deferments",
                "policy_lists": "watchlist_policy_lists",
            }
            return {
                name: int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
                for name, table in tables.items()
            }

        return self._read(query)


class SqliteOperators(_Guarded):
    """Operator accounts and the stored policy."""

    def find(self, operator_id: str) -> tuple[Operator, str, LoginState] | None:
        row = self._read(
            lambda db: db.execute(
                "SELECT display_name, roles, password_hash, active, failed_attempts, "
                "locked_until FROM operators WHERE operator_id = ?",
                [operator_id],
            ).fetchone()
        )
        if row is None:
            return None
        name, roles, password_hash, active, failures, locked_until = row
        operator = Operator(
            operator_id, name, frozenset(Role(r) for r in roles.split(",") if r), bool(active)
        )
        state = LoginState(failures, parse_iso(locked_until) if locked_until else None)
        return operator, password_hash, state

    def save_login(self, operator_id: str, state: LoginState, event: AuditEvent) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE operators SET failed_attempts = ?, locked_until = ? WHERE operator_id = ?",
                [
                    state.failed_attempts,
                    iso(state.locked_until) if state.locked_until else None,
                    operator_id,
                ],
            )
            audit_trail.append(db, self.clock, operator_id, None, event)

    def add(self, operator: Operator, password_hash: str) -> None:
        """Create an operator account (audited as the administrator action ``operator.added``)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO operators (operator_id, display_name, roles, password_hash, active, "
                "failed_attempts, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                [
                    operator.operator_id,
                    operator.display_name,
                    ",".join(sorted(r.value for r in operator.roles)),
                    password_hash,
                    int(operator.active),
                    iso(self.clock.now()),
                ],
            )
            audit_trail.append(
                db,
                self.clock,
                operator.operator_id,
                None,
                AuditEvent("operator.added", {"roles": sorted(r.value for r in operator.roles)}),
            )

    def load_policy(self) -> Policy:
        """The stored policy over the shipped defaults.

        :raises StorageError: a stored value is malformed.
        """
        rows = self._read(lambda db: db.execute("SELECT key, value FROM policy").fetchall())
        try:
            return Policy.from_mapping({k: json.loads(v) for k, v in rows})
        except ValueError as e:
            raise StorageError(f"stored policy invalid: {e}") from e

    def save_policy(self, policy: Policy, operator_id: str) -> None:
        with self._transaction() as db:
            for key, value in policy.as_mapping().items():
                db.execute(
                    "INSERT INTO policy (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, json.dumps(value)],
                )
            audit_trail.append(db, self.clock, operator_id, None, AuditEvent("policy.saved", {}))
