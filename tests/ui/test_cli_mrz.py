"""``sekisho mrz-ocr`` on a generated data page and on unusable input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.devices.test_mrz_ocr import Distortion, _specimen_mrz, data_page, needs_ocr
from ui.cli_mrz import EXIT_NOT_READ, EXIT_READ, register
from workstation.documents import Mrz


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sekisho")
    register(parser.add_subparsers(required=True))
    return parser


@needs_ocr
def test_json_fields_of_a_generated_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = Mrz.parse(_specimen_mrz(4))
    image = tmp_path / "page.png"
    image.write_bytes(data_page(expected.text, Distortion(angle=0.4, noise=4.0)))
    args = _parser().parse_args(["mrz-ocr", str(image), "--json"])
    assert args.func(args) == EXIT_READ
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "document_number": expected.document_number,
        "surname": expected.surname,
        "given_names": expected.given_names,
        "nationality": expected.nationality,
        "birth_date": expected.birth_date.isoformat() if expected.birth_date else None,
        "sex": expected.sex,
        "expiry_date": expected.expiry_date.isoformat() if expected.expiry_date else None,
        "issuing_state": expected.issuing_state,
    }


def test_unusable_image_returns_1_with_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = tmp_path / "page.png"
    image.write_bytes(b"not an image")
    args = _parser().parse_args(["mrz-ocr", str(image)])
    assert args.func(args) == EXIT_NOT_READ
    out = capsys.readouterr().out
    assert out.startswith(("DOC-UNREADABLE", "DEV-UNAVAILABLE"))


def test_missing_file_returns_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(["mrz-ocr", str(tmp_path / "absent.png")])
    assert args.func(args) == EXIT_NOT_READ
    assert "cannot read" in capsys.readouterr().out
