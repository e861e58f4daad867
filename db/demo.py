"""The demo database: operators, policy and a small fictional watchlist for training.

The demo home is encrypted like any other: its keyring wraps the database key for each
demo account (their passwords are public, it is a training home). Every name, date and
number here is invented. The watchlist is published as version 1 and,
in demo mode only, re-published when it would otherwise be stale, so the demo keeps working
on a machine that was switched off for a week; real workstations sync signed watchlists.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from db.database import open_database
from db.keyring import SCRYPT_N
from db.store import SqliteOperators
from db.vault import HomeState, create_home, encrypt_home, home_state, verified_accounts
from db.watchlist_sync import apply_bundle
from workstation.operators import Operator, Role, hash_password
from workstation.policy import Policy
from workstation.ports import Clock
from workstation.watchlist_source import Record, RecordKey, encode_delta, encode_snapshot


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

# (entry_id, surname, given names, birth date, nationality, category, severity, action, docs,
#  native surname, native given names)
_DEMO_PERSONS = (
    ("WL-0001", "KOWALSKI", "VIKTOR", "1971-03-14", "UTO", "deportee", 5, "refuse", ("X0000001",)),
    ("WL-0002", "MORGENSTERN", "ELISA", "1985-11-02", "UTO", "interest", 3, "refer", ()),
    ("WL-0003", "TANAKA", "HARUTO", "1990-07-21", "JPN", "notice", 1, "notify", (), "田中", "陽翔"),
    ("WL-0004", "OKONKWO", "CHIDI", "1966-01-30", "UTO", "deportee", 4, "refuse", ()),
)
_DEMO_LOST = (("L01234567", "UTO", "stolen"), ("ZZ9999999", "UTO", "lost"))
_DEMO_CARDS = (("AB00000000CD", "invalidated"),)
_DEMO_DEFERMENTS = (
    ("DF-0001", "HAYASHI", "KENTA", "1979-09-09", "JPN", "TZ0000001", "court order"),
)
_DEMO_POLICY = (("nationality", "XYZ", "refuse", "entry restriction (fictional)"),)

DEMO_SOURCE = "demo"

logger = logging.getLogger(__name__)


def demo_records() -> dict[RecordKey, Record]:
    """The demo watchlist as bundle records (see :mod:`workstation.watchlist_source`)."""
    records: dict[RecordKey, Record] = {}
    for entry in _DEMO_PERSONS:
        entry_id, surname, given, birth, nat, category, severity, action, docs = entry[:9]
        native = (*entry[9:], "", "")[:2]
        records[("person", entry_id)] = {
            "t": "person",
            "k": entry_id,
            "d": {
                "surname": surname,
                "given_names": given,
                "native_surname": native[0],
                "native_given_names": native[1],
                "birth_date": birth,
                "nationality": nat,
                "category": category,
                "severity": severity,
                "action": action,
                "document_numbers": list(docs),
            },
        }
    for number, state, reason in _DEMO_LOST:
        records[("lost", f"{number}/{state}")] = {
            "t": "lost",
            "k": f"{number}/{state}",
            "d": {"document_number": number, "issuing_state": state, "reason": reason},
        }
    for number, reason in _DEMO_CARDS:
        records[("card", number)] = {"t": "card", "k": number, "d": {"reason": reason}}
    for entry_id, surname, given, birth, nat, number, reason in _DEMO_DEFERMENTS:
        records[("defer", entry_id)] = {
            "t": "defer",
            "k": entry_id,
            "d": {
                "surname": surname,
                "given_names": given,
                "native_surname": "",
                "native_given_names": "",
                "birth_date": birth,
                "nationality": nat,
                "document_number": number,
                "reason": reason,
            },
        }
    for list_name, code, action, note in _DEMO_POLICY:
        records[("policy", f"{list_name}/{code}")] = {
            "t": "policy",
            "k": f"{list_name}/{code}",
            "d": {"list": list_name, "code": code, "action": action, "note": note},
        }
    return records


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
    records = demo_records()
    if row is None:
        bundle = encode_snapshot(1, now, records)
    else:
        # Re-published unchanged: an empty delta with a new version and publication time.
        bundle = encode_delta(row[0] + 1, row[0], now, records, records)
    apply_bundle(db, bundle, clock, DEMO_SOURCE)


def ensure_demo_home(database_path: Path, clock: Clock, *, n: int = SCRYPT_N) -> HomeState:
    """Demo mode at start: a new home is created encrypted, seeded, with the key wrapped for
    each demo account; an unencrypted one (from an earlier release) is encrypted, the key
    wrapped for the demo accounts whose password still matches. An encrypted home is left
    alone: its demo data are refreshed when someone unlocks it (:func:`ensure_demo`).

    :param n: scrypt cost of the wraps; lower only in tests.
    :returns: the state the home was in.
    """
    accounts = [(a.operator_id, a.password) for a in DEMO_ACCOUNTS]
    state = home_state(database_path)
    if state is HomeState.NEW:
        key = create_home(database_path, accounts, Policy(), n=n)
        db = open_database(database_path, key=key)
        try:
            ensure_demo(db, clock)
        finally:
            db.close()
    elif state in (HomeState.PLAIN, HomeState.INTERRUPTED):
        db = open_database(database_path)
        try:
            ensure_demo(db, clock)
        finally:
            db.close()
        logger.warning("demo home not encrypted yet: encrypting it for the demo accounts")
        encrypt_home(
            database_path, verified_accounts(database_path, accounts), clock, by="admin", n=n
        )
    return state
