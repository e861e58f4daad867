from __future__ import annotations

import dataclasses

import pytest

from workstation.audit import AuditEntry, AuditEvent, next_entry, verify_chain


def _chain(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(n):
        previous = entries[-1] if entries else None
        entries.append(
            next_entry(
                previous, f"2026-01-01T00:00:{i:02d}", "op", "case", AuditEvent("x", {"i": i})
            )
        )
    return entries


def _head(entries: list[AuditEntry]) -> tuple[int, str]:
    return entries[-1].seq, entries[-1].entry_hash


def test_intact_chain_and_empty_log() -> None:
    entries = _chain(5)
    assert verify_chain(entries, _head(entries)).ok
    assert verify_chain([], None).ok


@pytest.mark.parametrize("field", ["at", "operator_id", "case_id", "action", "payload"])
def test_edit_detected(field: str) -> None:
    entries = _chain(5)
    entries[2] = dataclasses.replace(entries[2], **{field: "tampered"})
    report = verify_chain(entries, _head(entries))
    assert not report.ok and report.first_broken_seq == 3


def test_deleted_middle_row_detected() -> None:
    entries = _chain(5)
    head = _head(entries)
    del entries[1]
    report = verify_chain(entries, head)
    assert (report.ok, report.first_broken_seq) == (False, 2)


def test_deleted_last_rows_detected_through_head() -> None:
    entries = _chain(5)
    report = verify_chain(entries[:3], _head(entries))
    assert (report.ok, report.first_broken_seq) == (False, 4)


def test_reordered_rows_detected() -> None:
    entries = _chain(5)
    entries[1], entries[2] = entries[2], entries[1]
    assert not verify_chain(entries, _head(entries)).ok


def test_rehashed_edit_still_breaks_the_link() -> None:
    entries = _chain(4)
    forged = next_entry(entries[0], entries[1].at, "op", "case", AuditEvent("x", {"i": 99}))
    entries[1] = forged
    report = verify_chain(entries, _head(entries))
    assert (report.ok, report.first_broken_seq) == (False, 3)


def test_missing_head() -> None:
    assert not verify_chain(_chain(2), None).ok
