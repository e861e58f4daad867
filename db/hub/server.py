"""The hub: a small HTTP service that many workstations push their outbox batches to.

``POST /batches`` takes a JSON batch signed by a registered workstation key (see
:mod:`db.outbox`), verifies the Ed25519 signature over the exact body, and stores each item
into PostgreSQL keyed by (workstation, item type, item ID) with ``ON CONFLICT DO NOTHING``
(one ``executemany`` per batch, on a pooled connection): a repeated upload is acknowledged
again and stored once. ``GET /health`` answers ``ok``.
Answers: 200 with per-item results; 400 malformed; 401 unknown key; 403 bad signature.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import psycopg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024 * 1024

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hub_workstations (key_id TEXT PRIMARY KEY, "
    "public_key TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', "
    "registered_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    "CREATE TABLE IF NOT EXISTS hub_items (key_id TEXT NOT NULL REFERENCES hub_workstations, "
    "item_type TEXT NOT NULL, item_id TEXT NOT NULL, batch_id TEXT NOT NULL, "
    "record JSONB NOT NULL, received_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
    "PRIMARY KEY (key_id, item_type, item_id))",
)
ITEM_TYPES = frozenset({"decision", "encounter", "enrolment"})


def prepare(dsn: str) -> None:
    """Create the hub's tables if missing."""
    with psycopg.connect(dsn) as conn:
        for statement in SCHEMA:
            conn.execute(statement)


def register(dsn: str, key_id: str, public_key_b64: str, name: str = "") -> None:
    """Register (or re-register) a workstation's public key."""
    Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))  # validates
    prepare(dsn)
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "INSERT INTO hub_workstations (key_id, public_key, name) VALUES (%s, %s, %s) "
            "ON CONFLICT (key_id) DO UPDATE SET public_key = excluded.public_key, "
            "name = excluded.name",
            (key_id, public_key_b64, name),
        )


class _Handler(BaseHTTPRequestHandler):
    server: HubServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        logger.debug("hub: " + format, *args)

    def _answer(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/health":
            self._answer(200, {"status": "ok"})
        else:
            self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802
        if self.path != "/batches":
            self._answer(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            self._answer(400, {"error": "body length"})
            return
        body = self.rfile.read(length)
        key_id = self.headers.get("X-Sekisho-Key-Id", "")
        try:
            signature = base64.b64decode(self.headers.get("X-Sekisho-Signature", ""))
        except ValueError:
            self._answer(400, {"error": "signature encoding"})
            return
        with self.server.pool.connection() as conn:
            row = conn.execute(
                "SELECT public_key FROM hub_workstations WHERE key_id = %s", (key_id,)
            ).fetchone()
            if row is None:
                self._answer(401, {"error": "unknown workstation"})
                return
            try:
                Ed25519PublicKey.from_public_bytes(base64.b64decode(row[0])).verify(signature, body)
            except InvalidSignature:
                self._answer(403, {"error": "bad signature"})
                return
            try:
                batch = json.loads(body)
                items = batch["items"]
                batch_id = str(batch["batch_id"])
                if batch.get("workstation") != key_id or not isinstance(items, list):
                    raise ValueError("batch does not match its key")
                if not all(isinstance(item, dict) for item in items):
                    raise ValueError("an item is not an object")
            except (ValueError, KeyError, TypeError):
                self._answer(400, {"error": "malformed batch"})
                return
            results, rows = [], []
            for item in items:
                item_type, item_id = item.get("item_type"), item.get("item_id")
                if item_type not in ITEM_TYPES or not isinstance(item_id, str):
                    results.append(
                        {"item_type": item_type, "item_id": item_id, "status": "rejected",
                         "detail": "unknown item type"}
                    )  # fmt: skip
                    continue
                rows.append((key_id, item_type, item_id, batch_id, Jsonb(item.get("record"))))
                results.append(
                    {"item_type": item_type, "item_id": item_id, "status": "acknowledged"}
                )
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO hub_items (key_id, item_type, item_id, batch_id, record) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    rows,
                )
        self._answer(200, {"batch_id": batch_id, "results": results})


class HubServer(ThreadingHTTPServer):
    """The hub's HTTP server. ``port=0`` picks a free port (see ``server_address``)."""

    daemon_threads = True

    def __init__(
        self, dsn: str, host: str = "127.0.0.1", port: int = 8470, *, connections: int = 8
    ) -> None:
        self.dsn = dsn
        prepare(dsn)
        super().__init__((host, port), _Handler)
        # Requests borrow a connection: opening one per request cost more than the inserts.
        self.pool = ConnectionPool(dsn, min_size=1, max_size=connections, open=True)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread
