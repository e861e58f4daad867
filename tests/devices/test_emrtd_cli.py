"""``sekisho read-passport`` paths that need no reader (the rest run in test_emrtd_pcsc.py)."""

from __future__ import annotations

import argparse
import json

import pytest

from ui.cli_documents import EXIT_USAGE, register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sekisho")
    register(parser.add_subparsers(required=True))
    return parser


@pytest.mark.parametrize(
    "argv",
    [
        ["--doc-number", "L8989#2C3", "--birth", "740812", "--expiry", "340415"],
        ["--doc-number", "L898902C3", "--birth", "7408", "--expiry", "340415"],
        ["--doc-number", "L898902C3", "--birth", "740812"],
        ["--can", "12a456"],
    ],
)
def test_bad_access_data_is_refused_before_any_reader(argv: list[str], capsys) -> None:
    args = _parser().parse_args(["read-passport", *argv, "--json"])
    assert args.func(args) == EXIT_USAGE
    out = json.loads(capsys.readouterr().out)
    assert out["error"]["code"] == "DOC-MRZ-INVALID" and out["verdict"] is None


def test_options_are_parsed() -> None:
    args = _parser().parse_args(
        ["read-passport", "--can", "123456", "--reader", "X", "--trust", "/t", "--no-bac"]
    )
    assert (args.can, args.reader, str(args.trust), args.no_bac, args.json) == (
        "123456",
        "X",
        "/t",
        True,
        False,
    )
    with pytest.raises(SystemExit):
        _parser().parse_args(["read-passport", "--can", "1", "--doc-number", "X"])
    with pytest.raises(SystemExit):
        _parser().parse_args(["read-passport", "--json"])
