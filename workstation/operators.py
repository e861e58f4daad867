"""Operators, roles, password hashing and the lockout rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum, unique

from workstation.policy import Policy


@unique
class Role(Enum):
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    ENROLMENT_OFFICER = "enrolment_officer"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class Operator:
    """A person who logs in. ``roles`` is never empty for an active operator."""

    operator_id: str
    display_name: str
    roles: frozenset[Role]
    active: bool = True

    def has(self, role: Role) -> bool:
        return role in self.roles


# scrypt is memory-hard (RFC 7914); n=2**15, r=8 uses 32 MiB and ~0.1 s per hash here.
_SCRYPT_N = 2**15
_SCRYPT_R = 8
_SCRYPT_P = 1
_MAXMEM = 64 * 1024 * 1024


def hash_password(password: str, *, n: int = _SCRYPT_N) -> str:
    """Hash a password with scrypt; the result embeds its parameters and salt.

    :param n: the scrypt cost; lower only in tests.
    """
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=_SCRYPT_R, p=_SCRYPT_P, maxmem=_MAXMEM, dklen=32
    )
    return f"scrypt${n}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Check a password against :func:`hash_password` output in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(),
        salt=bytes.fromhex(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        maxmem=_MAXMEM,
        dklen=len(digest) // 2,
    )
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass(frozen=True)
class LoginState:
    """Failed-login bookkeeping of one operator account."""

    failed_attempts: int = 0
    locked_until: dt.datetime | None = None

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: dt.datetime, policy: Policy) -> LoginState:
        """The state after one more failed attempt; the account locks at the policy's limit."""
        failures = self.failed_attempts + 1
        if failures >= policy.max_failed_logins:
            return LoginState(0, now + dt.timedelta(minutes=policy.lockout_minutes))
        return LoginState(failures, None)

    def remaining_attempts(self, policy: Policy) -> int:
        return max(policy.max_failed_logins - self.failed_attempts, 0)
