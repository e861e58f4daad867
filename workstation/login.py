"""Operator login with lockout."""

from __future__ import annotations

from workstation.audit import AuditEvent
from workstation.errors import AccountLocked, AuthenticationFailed
from workstation.operators import LoginState, Operator, verify_password
from workstation.policy import Policy
from workstation.ports import Clock, OperatorDirectory


def log_in(
    directory: OperatorDirectory, clock: Clock, policy: Policy, operator_id: str, password: str
) -> Operator:
    """Check an operator's password, applying the lockout rule; every attempt is audited.

    :raises AuthenticationFailed: unknown operator or wrong password (the two are not
        distinguished, so IDs cannot be probed); carries the remaining attempts.
    :raises AccountLocked: the account is locked; carries the time it unlocks.
    """
    now = clock.now()
    found = directory.find(operator_id)
    if found is None or not found[0].active:
        raise AuthenticationFailed("unknown or inactive operator")
    operator, password_hash, state = found
    if state.locked_until is not None and state.is_locked(now):
        raise AccountLocked("account locked", until=state.locked_until.isoformat())
    if verify_password(password, password_hash):
        directory.save_login(operator_id, LoginState(), AuditEvent("login.success", {}))
        return operator
    after = state.after_failure(now, policy)
    event = AuditEvent("login.failure", {"locked": after.locked_until is not None})
    directory.save_login(operator_id, after, event)
    if after.locked_until is not None:
        raise AccountLocked("too many failed attempts", until=after.locked_until.isoformat())
    raise AuthenticationFailed(
        "wrong password", remaining_attempts=after.remaining_attempts(policy)
    )
