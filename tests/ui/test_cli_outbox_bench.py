"""The outbox bench row: `sekisho outbox push` into a `sekisho hub` on a real PostgreSQL
on loopback, both as child processes."""

from __future__ import annotations

import pytest

from ui.cli_hub import PostgresUnavailable, loopback_postgres
from ui.cli_outbox import _push_throughput


def test_push_throughput_stores_every_record_through_the_commands() -> None:
    try:
        with loopback_postgres() as dsn:
            ours, reference = _push_throughput(dsn, 150)
    except PostgresUnavailable as e:
        pytest.skip(str(e))
    assert ours > 0 and reference > 0  # _push_throughput raises if the hub missed one
