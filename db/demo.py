"""The demo database: operators, policy and a small fictional watchlist for training.

Every name, date and number here is invented. The watchlist is published as version 1 and,
in demo mode only, re-published when it would otherwise be stale, so the demo keeps working
on a machine that was switched off for a week; real workstations sync signed watchlists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from db import audit_trail
from db.codec import iso
from db.store import SqliteOperators
from workstation.audit import AuditEvent
from workstation.operators import Operator, Role, hash_password
from workstation.policy import Policy
from workstation.ports import Clock


@dataclass(frozen=True)
class DemoAccount:
    operator_id: str
    password: str
    display_name: str
    roles: frozenset[Role]


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("inspector", "sekisho-demo", "Demo Inspector", frozenset({Role.INSPECTOR})),
    DemoAccount(
        "supervisor",
        "sekisho-demo",
        "Demo Supervisor",
        frozenset({Role.INSPECTOR, Role.SUPERVISOR}),
    ),
    DemoAccount("admin", "sekisho-demo", "Demo Administrator", frozenset({Role.ADMINISTRATOR})),
)

# (entry_id, surname, given names, birth date, nationality, category, severity, action, docs)
_DEMO_PERSONS = (
    ("WL-0001", "KOWALSKI", "VIKTOR", "1971-03-14", "UTO", "deportee", 5, "refuse", ("X0000001",)),
    ("WL-0002", "MORGENSTERN", "ELISA", "1985-11-02", "UTO", "interest", 3, "refer", ()),
    ("WL-0003", "TANAKA", "HARUTO", "1990-07-21", "JPN", "notice", 1, "notify", ()),
    ("WL-0004", "OKONKWO", "CHIDI", "1966-01-30", "UTO", "deportee", 4, "refuse", ()),
)
_DEMO_LOST = (("L01234567", "UTO", "stolen"), ("ZZ9999999", "UTO", "lost"))

DEMO_SOURCE = "demo"


def ensure_demo(db: Database, clock: Clock, policy: Policy | None = None) -> None:
    """Create the demo operators, policy and watchlist when missing; refresh a stale demo
    watchlist. Idempotent; every change is audited."""
    operators = SqliteOperators(db, clock)
    for account in DEMO_ACCOUNTS:
        if operators.find(account.operator_id) is None:
            operators.add(
                Operator(account.operator_id, account.display_name, account.roles),
                hash_password(account.password),
            )
    if not db.execute("SELECT 1 FROM policy LIMIT 1").fetchone():
        operators.save_policy(policy or Policy(), "admin")
    effective = operators.load_policy()
    now = clock.now()
    row = db.execute(
        "SELECT version, published_at, source FROM watchlist_versions ORDER BY version DESC LIMIT 1"
    ).fetchone()
    if row is not None and (
        row[2] != DEMO_SOURCE
        or now - dt.datetime.fromisoformat(row[1])
        < dt.timedelta(hours=effective.watchlist_warn_hours) / 2
    ):
        return
    version = row[0] + 1 if row else 1
    with db.atomic():
        if row is None:
            for (
                entry_id,
                surname,
                given,
                birth,
                nat,
                category,
                severity,
                action,
                docs,
            ) in _DEMO_PERSONS:
                db.execute(
                    "INSERT INTO watchlist_persons (entry_id, surname, given_names, birth_date, "
                    "nationality, category, severity, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [entry_id, surname, given, birth, nat, category, severity, action],
                )
                for number in docs:
                    db.execute(
                        "INSERT INTO watchlist_person_documents (document_number, entry_id) "
                        "VALUES (?, ?)",
                        [number, entry_id],
                    )
            for number, state, reason in _DEMO_LOST:
                db.execute(
                    "INSERT INTO lost_documents (document_number, issuing_state, reason) "
                    "VALUES (?, ?, ?)",
                    [number, state, reason],
                )
        db.execute(
            "INSERT INTO watchlist_versions (version, published_at, applied_at, source) "
            "VALUES (?, ?, ?, ?)",
            [version, iso(now), iso(now), DEMO_SOURCE],
        )
        audit_trail.append(
            db,
            clock,
            "admin",
            None,
            AuditEvent("watchlist.demo_published", {"version": version}),
        )
