"""The schema, as numbered migrations. Never edit a migration that has shipped; add one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("workstation")


@MIGRATIONS(name="m000_wal", transactional=False)
def m000_wal(db: Database) -> None:
    # journal_mode cannot change inside a transaction
    if not db.memory:
        db.execute("PRAGMA journal_mode = WAL")


@MIGRATIONS(name="m001_operators_and_policy")
def m001_operators_and_policy(db: Database) -> None:
    db.table("operators").create(
        {
            "operator_id": str,
            "display_name": str,
            "roles": str,
            "password_hash": str,
            "active": int,
            "failed_attempts": int,
            "locked_until": str,
            "created_at": str,
        },
        pk="operator_id",
        not_null={"display_name", "roles", "password_hash", "active", "failed_attempts"},
        defaults={"active": 1, "failed_attempts": 0},
        strict=True,
    )
    db.table("policy").create({"key": str, "value": str}, pk="key", not_null={"value"}, strict=True)


@MIGRATIONS(name="m002_watchlist")
def m002_watchlist(db: Database) -> None:
    db.table("watchlist_versions").create(
        {"version": int, "published_at": str, "applied_at": str, "source": str},
        pk="version",
        not_null={"published_at", "applied_at", "source"},
        strict=True,
    )
    db.table("watchlist_persons").create(
        {
            "entry_id": str,
            "surname": str,
            "given_names": str,
            "birth_date": str,
            "nationality": str,
            "category": str,
            "severity": int,
            "action": str,
        },
        pk="entry_id",
        not_null={"surname", "given_names", "nationality", "category", "severity", "action"},
        strict=True,
    )
    db.table("watchlist_persons").create_index(["birth_date"])
    db.table("watchlist_person_documents").create(
        {"document_number": str, "entry_id": str},
        pk=("document_number", "entry_id"),
        foreign_keys=[("entry_id", "watchlist_persons", "entry_id")],
        strict=True,
    )
    db.table("watchlist_biometrics").create(
        {
            "id": int,
            "entry_id": str,
            "modality": str,
            "position": int,
            "template": bytes,
            "image": bytes,
            "media_type": str,
        },
        pk="id",
        not_null={"entry_id", "modality"},
        foreign_keys=[("entry_id", "watchlist_persons", "entry_id")],
        strict=True,
    )
    db.table("watchlist_biometrics").create_index(["entry_id"])
    db.table("lost_documents").create(
        {"document_number": str, "issuing_state": str, "reason": str},
        pk=("document_number", "issuing_state"),
        not_null={"reason"},
        strict=True,
    )


@MIGRATIONS(name="m003_cases_and_decisions")
def m003_cases_and_decisions(db: Database) -> None:
    db.table("cases").create(
        {
            "case_id": str,
            "workflow": str,
            "state": str,
            "operator_id": str,
            "opened_at": str,
            "updated_at": str,
            "training": int,
            "document": str,
            "checks": str,
        },
        pk="case_id",
        not_null={"workflow", "state", "operator_id", "opened_at", "updated_at", "training"},
        foreign_keys=[("operator_id", "operators", "operator_id")],
        strict=True,
    )
    db.table("cases").create_index(["workflow", "state"])
    db.table("cases").create_index(["opened_at"])
    db.table("captures").create(
        {
            "id": int,
            "case_id": str,
            "kind": str,
            "finger": int,
            "image": bytes,
            "media_type": str,
            "quality": int,
            "exception": str,
            "meta": str,
        },
        pk="id",
        not_null={"case_id", "kind"},
        foreign_keys=[("case_id", "cases", "case_id")],
        strict=True,
    )
    db.table("captures").create_index(["case_id", "kind"])
    db.table("decisions").create(
        {
            "case_id": str,
            "kind": str,
            "status_code": str,
            "period": str,
            "reason_code": str,
            "note": str,
            "operator_id": str,
            "decided_at": str,
            "watchlist_version": int,
            "watchlist_age_seconds": int,
            "training": int,
        },
        pk="case_id",
        not_null={
            "kind",
            "note",
            "operator_id",
            "decided_at",
            "watchlist_version",
            "watchlist_age_seconds",
            "training",
        },
        foreign_keys=[
            ("case_id", "cases", "case_id"),
            ("operator_id", "operators", "operator_id"),
        ],
        strict=True,
    )


@MIGRATIONS(name="m004_audit_and_outbox")
def m004_audit_and_outbox(db: Database) -> None:
    db.table("audit_log").create(
        {
            "seq": int,
            "at": str,
            "operator_id": str,
            "case_id": str,
            "action": str,
            "payload": str,
            "prev_hash": str,
            "entry_hash": str,
        },
        pk="seq",
        not_null={"at", "operator_id", "action", "payload", "prev_hash", "entry_hash"},
        strict=True,
    )
    db.table("audit_log").create_index(["case_id"])
    # Append-only: the application never updates or deletes audit rows. Someone with the
    # file can still drop these triggers, which is what the hash chain is for.
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    db.table("audit_head").create(
        {"id": int, "seq": int, "entry_hash": str},
        pk="id",
        not_null={"seq", "entry_hash"},
        strict=True,
    )
    db.table("outbox").create(
        {
            "id": int,
            "item_type": str,
            "item_id": str,
            "payload": str,
            "status": str,
            "attempts": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"item_type", "item_id", "payload", "status", "attempts", "created_at"},
        defaults={"status": "PENDING", "attempts": 0},
        strict=True,
    )
    db.table("outbox").create_index(["item_type", "item_id"], unique=True)
    db.table("outbox").create_index(["status"])
