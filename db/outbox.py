"""Store and forward: the outbox of decisions, encounters and enrolments, pushed to a hub.

Each item moves ``queued`` → ``sent`` (uploaded, awaiting the hub's answer) →
``acknowledged`` or ``rejected``. The ``sent`` mark is committed *before* the upload, and
items still ``sent`` are uploaded again by the next push, so a crash or a lost answer never
loses an item; the hub stores items by (workstation, type, ID) and acknowledges repeats
without storing them twice, so nothing is applied twice either.

A batch is JSON, signed with the workstation's Ed25519 audit key over the exact body bytes
(headers ``X-Sekisho-Key-Id`` and ``X-Sekisho-Signature``). Pushing needs a network; nothing
else does: decisions are recorded the same whether the hub is up or down.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlite_utils import Database

from db.codec import iso
from workstation.errors import HubRejected, HubUnavailable, OutboxError
from workstation.ports import Clock

logger = logging.getLogger(__name__)

STATUSES = ("queued", "sent", "acknowledged", "rejected")


@dataclass(frozen=True)
class PushReport:
    """What one push did."""

    batches: int = 0
    acknowledged: int = 0
    rejected: int = 0
    remaining: int = 0
    errors: list[str] = field(default_factory=list)


def enqueue(
    db: Database, clock: Clock, item_type: str, item_id: str, payload: dict[str, Any]
) -> None:
    """Queue an item; call inside the use case's transaction. Re-queuing the same item
    (type and ID) is ignored."""
    db.execute(
        "INSERT OR IGNORE INTO outbox (item_type, item_id, payload, status, attempts, "
        "created_at) VALUES (?, ?, ?, 'queued', 0, ?)",
        [item_type, item_id, json.dumps(payload, sort_keys=True), iso(clock.now())],
    )


def status_counts(db: Database) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for status, n in db.execute("SELECT status, count(*) FROM outbox GROUP BY status"):
        counts[status] = n
    return counts


def items(db: Database, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Outbox items (no payloads), newest first, for the status display."""
    sql = (
        "SELECT id, item_type, item_id, status, attempts, created_at, updated_at, detail "
        "FROM outbox"
    )
    params: list[Any] = []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    names = (
        "id",
        "item_type",
        "item_id",
        "status",
        "attempts",
        "created_at",
        "updated_at",
        "detail",
    )
    return [dict(zip(names, row, strict=True)) for row in db.execute(sql, params)]


def _signing_key(db: Database) -> tuple[str, Ed25519PrivateKey]:
    row = db.execute(
        "SELECT key_id, private_key FROM workstation_keys ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise OutboxError("no workstation key")
    return row[0], Ed25519PrivateKey.from_private_bytes(base64.b64decode(row[1]))


def _record(db: Database, item_type: str, item_id: str, payload: str) -> dict[str, Any]:
    """The content uploaded for an item: the stored record it points at."""
    data: dict[str, Any] = {"queued": json.loads(payload)}
    if item_type == "decision":
        row = db.execute(
            "SELECT d.kind, d.status_code, d.period, d.reason_code, d.note, d.operator_id, "
            "d.decided_at, d.watchlist_version, d.watchlist_age_seconds, d.training, "
            "c.workflow, c.document, c.checks FROM decisions d JOIN cases c USING (case_id) "
            "WHERE d.case_id = ?",
            [item_id],
        ).fetchone()
        if row is not None:
            names = (
                "kind", "status_code", "period", "reason_code", "note", "operator_id",
                "decided_at", "watchlist_version", "watchlist_age_seconds", "training",
                "workflow", "document", "checks",
            )  # fmt: skip
            record = dict(zip(names, row, strict=True))
            for name in ("document", "checks"):
                record[name] = json.loads(record[name]) if record[name] else None
            data["decision"] = record
    return data


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read())
            return answer
    except urllib.error.HTTPError as e:
        if 400 <= e.code < 500:
            raise HubRejected(f"hub refused the batch: HTTP {e.code}") from e
        raise HubUnavailable(f"hub error: HTTP {e.code}") from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise HubUnavailable(f"hub unreachable: {type(e).__name__}") from e


def push(
    db: Database,
    clock: Clock,
    url: str,
    *,
    batch_size: int = 100,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 10.0,
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """Upload queued (and unanswered sent) items in signed batches until none remain.

    :param url: the hub's base URL (``http://host:port``); batches go to ``/batches``.
    :param retries: attempts per batch on network or server errors, with doubling backoff.
    :raises HubRejected: the hub refused a whole batch (e.g. this workstation's key is not
        registered); the items stay queued.
    """
    key_id, private = _signing_key(db)
    endpoint = url.rstrip("/") + "/batches"
    batches = acknowledged = rejected = 0
    errors: list[str] = []
    while stop is None or not stop.is_set():
        rows = db.execute(
            "SELECT id, item_type, item_id, payload FROM outbox "
            "WHERE status IN ('queued', 'sent') ORDER BY id LIMIT ?",
            [batch_size],
        ).fetchall()
        if not rows:
            break
        batch_id = str(uuid.uuid4())
        body = json.dumps(
            {
                "workstation": key_id,
                "batch_id": batch_id,
                "items": [
                    {"item_type": t, "item_id": i, "record": _record(db, t, i, p)}
                    for _, t, i, p in rows
                ],
            },
            sort_keys=True,
            ensure_ascii=False,
        ).encode()
        signature = base64.b64encode(private.sign(body)).decode()
        ids = [r[0] for r in rows]
        marks = ", ".join("?" for _ in ids)
        with db.atomic():
            db.execute(
                f"UPDATE outbox SET status = 'sent', batch_id = ?, attempts = attempts + 1, "  # noqa: S608
                f"updated_at = ? WHERE id IN ({marks})",
                [batch_id, iso(clock.now()), *ids],
            )
        headers = {
            "Content-Type": "application/json",
            "X-Sekisho-Key-Id": key_id,
            "X-Sekisho-Signature": signature,
        }
        answer: dict[str, Any] | None = None
        for attempt in range(retries):
            try:
                answer = _post(endpoint, body, headers, timeout)
                break
            except HubUnavailable as e:
                errors.append(e.detail)
                if attempt + 1 < retries:
                    sleep(backoff * 2**attempt)
        if answer is None:
            break  # items stay 'sent' and go again next time
        results = {(r["item_type"], r["item_id"]): r for r in answer.get("results", [])}
        if not results:
            errors.append("hub answered no item")
            break
        answered = []
        for _, item_type, item_id, _ in rows:
            result = results.get((item_type, item_id))
            if result is None:
                continue  # not answered: stays 'sent'
            status = "acknowledged" if result.get("status") == "acknowledged" else "rejected"
            acknowledged += status == "acknowledged"
            rejected += status == "rejected"
            answered.append((status, result.get("detail", ""), item_type, item_id))
        now = iso(clock.now())
        with db.atomic():
            db.conn.executemany(
                "UPDATE outbox SET status = ?, detail = ?, updated_at = ? "
                "WHERE item_type = ? AND item_id = ?",
                [(status, detail, now, t, i) for status, detail, t, i in answered],
            )
        batches += 1
    remaining = db.execute(
        "SELECT count(*) FROM outbox WHERE status IN ('queued', 'sent')"
    ).fetchone()[0]
    return PushReport(batches, acknowledged, rejected, remaining, errors)
