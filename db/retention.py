"""The retention rule: closed cases older than the policy's period are purged.

A case goes with its captures (images) and decision; it is kept while its outbox item has
not been acknowledged by the hub, so nothing is purged before it has been delivered. The
audit log keeps its entries (codes and IDs only) and records the purge itself.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from db import audit_trail
from db.codec import iso
from workstation.audit import AuditEvent
from workstation.policy import Policy
from workstation.ports import Clock


def purge_closed_cases(db: Database, clock: Clock, policy: Policy, operator_id: str) -> int:
    """Delete closed cases opened before ``now - retention_days``; returns how many."""
    cutoff = iso(clock.now() - dt.timedelta(days=policy.retention_days))
    with db.atomic():
        ids = [
            r[0]
            for r in db.execute(
                "SELECT c.case_id FROM cases c WHERE c.state = 'closed' AND c.opened_at < ? "
                "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.item_id = c.case_id "
                "AND o.status != 'acknowledged')",
                [cutoff],
            )
        ]
        for case_id in ids:
            db.execute("DELETE FROM captures WHERE case_id = ?", [case_id])
            db.execute("DELETE FROM decisions WHERE case_id = ?", [case_id])
            db.execute("DELETE FROM outbox WHERE item_id = ?", [case_id])
            db.execute("DELETE FROM cases WHERE case_id = ?", [case_id])
        audit_trail.append(
            db,
            clock,
            operator_id,
            None,
            AuditEvent("retention.purged", {"cases": len(ids), "before": cutoff}),
        )
    return len(ids)
