"""The keyring beside an encrypted database: the database key, wrapped once per operator.

The database is encrypted with one random 256-bit key. That key is never stored in clear:
the keyring file (``sekisho.keyring``, JSON) holds it once per operator, encrypted with
AES-256-GCM under a key derived from the operator's password with scrypt (RFC 7914) and
a per-operator salt; the operator ID is the GCM associated data, so a wrapped key cannot be
moved to another account. Logging in *is* unwrapping: a wrong password fails the GCM tag.

Because the database cannot be read before someone logs in, the lockout state (failed
attempts, locked-until) and the lockout rule live in the keyring too, and failed attempts
are queued there until the next successful unlock writes them into the audit log. Someone
with the file can reset those counters, but gains nothing by it: they could equally copy
the file and guess offline, and that is what scrypt's cost is for.

The file is replaced atomically (write, fsync, rename), so a crash leaves the old or the
new keyring, never half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from db.database import KEY_BYTES, fsync_directory
from workstation.errors import AccountLocked, AuthenticationFailed, KeyringError
from workstation.policy import Policy

FORMAT = "sekisho-keyring/1"
KEYRING_NAME = "sekisho.keyring"
SCRYPT_N = 2**15
"""scrypt cost of new wraps (32 MiB, about 0.1-0.3 s here); each wrap stores its own."""
_SCRYPT_R = 8
_SCRYPT_P = 1
_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True)
class FailedUnlock:
    """A failed unlock waiting to be audited (the database was closed at the time).
    ``attempt`` is random: it tells two failures at the same instant apart."""

    operator_id: str
    at: str
    locked: bool
    attempt: str = ""


def keyring_path(database_path: Path) -> Path:
    """Where the keyring of ``database_path`` lives."""
    return database_path.with_name(KEYRING_NAME)


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _kek(password: str, salt: bytes, n: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=_SCRYPT_R, p=_SCRYPT_P, maxmem=_MAXMEM, dklen=32
    )


class Keyring:
    """One keyring file. Methods read the file afresh and write it back atomically.

    :param n: scrypt cost for new wraps; lower only in tests.
    """

    def __init__(self, path: Path, *, n: int = SCRYPT_N) -> None:
        self.path = path
        self.n = n

    def exists(self) -> bool:
        return self.path.exists()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise KeyringError("keyring missing") from e
        except (OSError, ValueError) as e:
            raise KeyringError("keyring unreadable") from e
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KeyringError("keyring of an unknown format")
        return data

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        fsync_directory(self.path.parent)

    def create(self, policy: Policy | None = None) -> None:
        """Start an empty keyring. :raises KeyringError: one exists already."""
        if self.path.exists():
            raise KeyringError("keyring exists already")
        policy = policy or Policy()
        self._save(
            {
                "format": FORMAT,
                "lockout": {
                    "max_failed_logins": policy.max_failed_logins,
                    "lockout_minutes": policy.lockout_minutes,
                },
                "operators": {},
                "pending_failures": [],
            }
        )

    def set_lockout(self, policy: Policy) -> None:
        """Copy the lockout rule from the (database) policy, so it applies before unlock.
        Writes the file only when the rule changed."""
        data = self._load()
        lockout = {
            "max_failed_logins": policy.max_failed_logins,
            "lockout_minutes": policy.lockout_minutes,
        }
        if data.get("lockout") != lockout:
            data["lockout"] = lockout
            self._save(data)

    def operators(self) -> list[str]:
        return sorted(self._load()["operators"])

    def wrap(self, operator_id: str, password: str, database_key: bytes) -> None:
        """Add or replace ``operator_id``'s wrapped copy of the database key."""
        if len(database_key) != KEY_BYTES:
            raise KeyringError("database key must be 32 bytes")
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        wrapped = AESGCM(_kek(password, salt, self.n)).encrypt(
            nonce, database_key, operator_id.encode()
        )
        data = self._load()
        data["operators"][operator_id] = {
            "kdf": "scrypt",
            "n": self.n,
            "r": _SCRYPT_R,
            "p": _SCRYPT_P,
            "salt": salt.hex(),
            "nonce": nonce.hex(),
            "wrapped": wrapped.hex(),
            "failed_attempts": 0,
            "locked_until": None,
        }
        self._save(data)

    def remove(self, operator_id: str) -> None:
        data = self._load()
        data["operators"].pop(operator_id, None)
        self._save(data)

    def unlock(self, operator_id: str, password: str, now: dt.datetime) -> bytes:
        """The database key, if the password unwraps it; applies the lockout rule.

        :raises AuthenticationFailed: unknown operator or wrong password (not told apart).
        :raises AccountLocked: too many failures; carries the unlock time.
        """
        data = self._load()
        entry = data["operators"].get(operator_id)
        if entry is None:
            # Spend the same scrypt time, so operator IDs cannot be probed by timing.
            _kek(password, b"\0" * 16, self.n)
            raise AuthenticationFailed("unknown operator or wrong password")
        locked_until = entry.get("locked_until")
        if locked_until and now < dt.datetime.fromisoformat(locked_until):
            raise AccountLocked("account locked", until=locked_until)
        try:
            kek = _kek(password, bytes.fromhex(entry["salt"]), int(entry["n"]))
            key = AESGCM(kek).decrypt(
                bytes.fromhex(entry["nonce"]), bytes.fromhex(entry["wrapped"]), operator_id.encode()
            )
        except InvalidTag:
            lockout = data["lockout"]
            failures = int(entry.get("failed_attempts", 0)) + 1
            locked = failures >= int(lockout["max_failed_logins"])
            if locked:
                until = now + dt.timedelta(minutes=int(lockout["lockout_minutes"]))
                entry["failed_attempts"], entry["locked_until"] = 0, until.isoformat()
            else:
                entry["failed_attempts"], entry["locked_until"] = failures, None
            data["pending_failures"].append(
                {
                    "operator_id": operator_id,
                    "at": now.isoformat(),
                    "locked": locked,
                    "attempt": secrets.token_hex(8),
                }
            )
            self._save(data)
            if locked:
                raise AccountLocked(
                    "too many failed attempts", until=entry["locked_until"]
                ) from None
            remaining = int(lockout["max_failed_logins"]) - failures
            raise AuthenticationFailed("wrong password", remaining_attempts=remaining) from None
        except (KeyError, ValueError) as e:
            raise KeyringError("keyring entry malformed") from e
        if entry.get("failed_attempts") or entry.get("locked_until"):
            entry["failed_attempts"], entry["locked_until"] = 0, None
            self._save(data)
        return key

    def pending_failures(self) -> list[FailedUnlock]:
        """Failed unlocks not yet written to the audit log, oldest first (left in place)."""
        return [FailedUnlock(**item) for item in self._load().get("pending_failures", [])]

    def discard_pending_failures(self, done: list[FailedUnlock]) -> None:
        """Drop failures that are now in the audit log; any queued meanwhile stay."""
        data = self._load()
        written = set(done)
        kept = [
            item for item in data.get("pending_failures", []) if FailedUnlock(**item) not in written
        ]
        if len(kept) != len(data.get("pending_failures", [])):
            data["pending_failures"] = kept
            self._save(data)

    def take_pending_failures(self) -> list[FailedUnlock]:
        """Failed unlocks recorded since the last call, removed from the keyring."""
        pending = self.pending_failures()
        self.discard_pending_failures(pending)
        return pending
