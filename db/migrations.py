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


# The watchlist tables below are replaced as a set when a snapshot is applied (built as
# shadow copies, then swapped by renaming), so they carry no foreign keys between them.
_WATCHLIST_DDL = (
    "CREATE TABLE watchlist_persons (entry_id TEXT PRIMARY KEY, surname TEXT NOT NULL, "
    "given_names TEXT NOT NULL, native_surname TEXT NOT NULL DEFAULT '', "
    "native_given_names TEXT NOT NULL DEFAULT '', birth_date TEXT, nationality TEXT NOT NULL, "
    "category TEXT NOT NULL, severity INTEGER NOT NULL, action TEXT NOT NULL) STRICT",
    "CREATE INDEX wlidx_persons_birth_date ON watchlist_persons (birth_date)",
    "CREATE TABLE watchlist_person_documents (document_number TEXT NOT NULL, "
    "entry_id TEXT NOT NULL, PRIMARY KEY (document_number, entry_id)) STRICT, WITHOUT ROWID",
    "CREATE INDEX wlidx_person_documents_entry ON watchlist_person_documents (entry_id)",
    "CREATE TABLE watchlist_name_keys (key TEXT NOT NULL, entry_id TEXT NOT NULL, "
    "PRIMARY KEY (key, entry_id)) STRICT, WITHOUT ROWID",
    "CREATE INDEX wlidx_name_keys_entry ON watchlist_name_keys (entry_id)",
    "CREATE TABLE watchlist_biometrics (id INTEGER PRIMARY KEY, entry_id TEXT NOT NULL, "
    "modality TEXT NOT NULL, position INTEGER NOT NULL, media_type TEXT NOT NULL, "
    "image BLOB, template BLOB) STRICT",
    "CREATE UNIQUE INDEX wlidx_biometrics_entry ON watchlist_biometrics "
    "(entry_id, modality, position)",
    "CREATE TABLE lost_documents (document_number TEXT NOT NULL, issuing_state TEXT NOT NULL, "
    "reason TEXT NOT NULL, PRIMARY KEY (document_number, issuing_state)) STRICT, WITHOUT ROWID",
    "CREATE TABLE watchlist_invalidated_cards (card_number TEXT PRIMARY KEY, "
    "reason TEXT NOT NULL) STRICT, WITHOUT ROWID",
    "CREATE TABLE watchlist_deferments (entry_id TEXT PRIMARY KEY, surname TEXT NOT NULL, "
    "given_names TEXT NOT NULL, native_surname TEXT NOT NULL, native_given_names TEXT NOT NULL, "
    "birth_date TEXT, nationality TEXT NOT NULL, document_number TEXT NOT NULL, "
    "reason TEXT NOT NULL) STRICT",
    "CREATE INDEX wlidx_deferments_document ON watchlist_deferments (document_number)",
    "CREATE TABLE watchlist_policy_lists (list TEXT NOT NULL, code TEXT NOT NULL, "
    "action TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (list, code)) STRICT, WITHOUT ROWID",
)


@MIGRATIONS(name="m005_watchlist_model")
def m005_watchlist_model(db: Database) -> None:
    """The full watchlist model: native-script names, name search keys, residence cards,
    the deferment list and policy lists; existing entries are carried over."""
    old = ("watchlist_persons", "watchlist_person_documents", "watchlist_biometrics")
    for name in old:
        db.execute(f"ALTER TABLE {name} RENAME TO m005_old_{name}")
    db.execute("ALTER TABLE lost_documents RENAME TO m005_old_lost_documents")
    for statement in _WATCHLIST_DDL:
        db.execute(statement)
    db.execute(
        "INSERT INTO watchlist_persons (entry_id, surname, given_names, birth_date, "
        "nationality, category, severity, action) SELECT entry_id, surname, given_names, "
        "birth_date, nationality, category, severity, action FROM m005_old_watchlist_persons"
    )
    db.execute(
        "INSERT INTO watchlist_person_documents SELECT document_number, entry_id "
        "FROM m005_old_watchlist_person_documents"
    )
    db.execute(
        "INSERT INTO watchlist_biometrics (entry_id, modality, position, media_type, image, "
        "template) SELECT entry_id, modality, coalesce(position, 0), coalesce(media_type, ''), "
        "image, template FROM m005_old_watchlist_biometrics"
    )
    db.execute(
        "INSERT INTO lost_documents SELECT document_number, coalesce(issuing_state, ''), reason "
        "FROM m005_old_lost_documents"
    )
    for name in (*reversed(old), "lost_documents"):
        db.execute(f"DROP TABLE m005_old_{name}")
    # Name keys of carried-over persons are filled in by db.watchlist_sync on first use.
    db.execute("ALTER TABLE watchlist_versions ADD COLUMN kind TEXT NOT NULL DEFAULT 'snapshot'")
    db.execute("ALTER TABLE watchlist_versions ADD COLUMN counts TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE watchlist_versions ADD COLUMN name_keys INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS(name="m006_outbox_status")
def m006_outbox_status(db: Database) -> None:
    """Outbox statuses queued / sent / acknowledged / rejected, with per-item detail."""
    db.execute("ALTER TABLE outbox RENAME TO m006_old_outbox")
    db.execute("DROP INDEX IF EXISTS idx_outbox_item_type_item_id")
    db.execute("DROP INDEX IF EXISTS idx_outbox_status")
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
            "batch_id": str,
            "detail": str,
        },
        pk="id",
        not_null={"item_type", "item_id", "payload", "status", "attempts", "created_at"},
        defaults={"status": "queued", "attempts": 0},
        strict=True,
    )
    db.execute(
        "INSERT INTO outbox (id, item_type, item_id, payload, status, attempts, created_at, "
        "updated_at) SELECT id, item_type, item_id, payload, CASE status "
        "WHEN 'PENDING' THEN 'queued' WHEN 'EXPORTED' THEN 'sent' "
        "WHEN 'ACKNOWLEDGED' THEN 'acknowledged' WHEN 'FAILED' THEN 'rejected' "
        "ELSE lower(status) END, attempts, created_at, updated_at FROM m006_old_outbox"
    )
    db.execute("DROP TABLE m006_old_outbox")
    db.table("outbox").create_index(["item_type", "item_id"], unique=True)
    db.table("outbox").create_index(["status", "id"])
    # Rows still written with the old status name by an older build are mapped on insert.
    db.execute(
        "CREATE TRIGGER outbox_legacy_status AFTER INSERT ON outbox "
        "WHEN new.status = 'PENDING' BEGIN "
        "UPDATE outbox SET status = 'queued' WHERE id = new.id; END"
    )


@MIGRATIONS(name="m007_audit_signatures")
def m007_audit_signatures(db: Database) -> None:
    """An Ed25519 workstation key and a signature over each audit entry's hash."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    db.table("workstation_keys").create(
        {"key_id": str, "public_key": str, "private_key": str, "created_at": str},
        pk="key_id",
        not_null={"public_key", "private_key", "created_at"},
        strict=True,
    )
    db.table("audit_signatures").create(
        {"seq": int, "key_id": str, "signature": str},
        pk="seq",
        not_null={"key_id", "signature"},
        strict=True,
    )
    db.execute(
        "CREATE TRIGGER audit_signatures_no_update BEFORE UPDATE ON audit_signatures "
        "BEGIN SELECT RAISE(ABORT, 'audit signatures are append-only'); END"
    )
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    private_raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    import datetime as dt
    import hashlib

    db.execute(
        "INSERT INTO workstation_keys (key_id, public_key, private_key, created_at) "
        "VALUES (?, ?, ?, ?)",
        [
            hashlib.sha256(public_raw).hexdigest()[:16],
            base64.b64encode(public_raw).decode(),
            base64.b64encode(private_raw).decode(),
            dt.datetime.now(dt.UTC).isoformat(),
        ],
    )


@MIGRATIONS(name="m008_watchlist_name_index")
def m008_watchlist_name_index(db: Database) -> None:
    """The name index as packed integers (key, birth date, person: ``db.name_index``), each
    person's search keys kept beside their names; the birth-date index and the old
    ``watchlist_name_keys`` table go. Existing persons are indexed from their names."""
    from db import name_index

    # A snapshot apply renames indexes to <name>__g<version>.
    for (index,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' "
        "AND name LIKE 'wlidx\\_persons\\_birth\\_date%' ESCAPE '\\'"
    ).fetchall():
        db.execute(f"DROP INDEX [{index}]")
    for table in ("watchlist_name_keys", "watchlist_name_keys__shadow", "watchlist_name_keys__old"):
        db.execute(f"DROP TABLE IF EXISTS [{table}]")
    db.execute("ALTER TABLE watchlist_persons ADD COLUMN name_keys TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE TABLE watchlist_name_index (entry INTEGER PRIMARY KEY) STRICT")
    name_index.rebuild(db)
