"""Command-line document reading: ``sekisho read-card``, ``sekisho read-passport`` and the
document benchmarks.

``register(subparsers)`` adds the commands; each command function takes the parsed
namespace and returns the exit status (0 only when the document is genuine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ui.benchmarks import BenchRow

logger = logging.getLogger(__name__)

EXIT_GENUINE = 0
EXIT_NOT_GENUINE = 1
EXIT_USAGE = 2
EXIT_DEVICE = 3


def register(subparsers: Any) -> None:
    """Add ``read-card`` and ``read-passport`` to an ``argparse`` subparsers object.

    :param subparsers: the result of ``parser.add_subparsers()``.
    """
    card = subparsers.add_parser(
        "read-card",
        help="read and verify a Japanese residence card",
        description="Read a residence card (generation 1 or 2) over PC/SC and judge it.",
    )
    card.add_argument("--card-number", required=True, help="12 characters, e.g. AB12345678CD")
    card.add_argument("--reader", help="reader name or prefix (default: first with a card)")
    card.add_argument("--trust", type=Path, help="folder of ZairyuCard CA certificates")
    card.add_argument("--json", action="store_true", help="print one JSON object")
    card.add_argument("--save-images", type=Path, help="write the card images here as PNG")
    card.set_defaults(func=read_card)

    passport = subparsers.add_parser(
        "read-passport",
        help="read and verify an e-passport (ICAO 9303 eMRTD)",
        description="Read an e-passport or eID card over PC/SC (PACE, else BAC) and judge it.",
    )
    key = passport.add_mutually_exclusive_group(required=True)
    key.add_argument("--doc-number", help="document number from the MRZ (with --birth, --expiry)")
    key.add_argument("--can", help="card access number printed on the document (PACE only)")
    passport.add_argument("--birth", help="date of birth as YYMMDD")
    passport.add_argument("--expiry", help="date of expiry as YYMMDD")
    passport.add_argument("--reader", help="reader name or prefix (default: first with a card)")
    passport.add_argument("--trust", type=Path, help="folder of CSCA certificates, .ml and .crl")
    passport.add_argument("--no-bac", action="store_true", help="refuse BAC (PACE only)")
    passport.add_argument("--json", action="store_true", help="print one JSON object")
    passport.add_argument("--save-images", type=Path, help="write the portrait here as PNG")
    passport.set_defaults(func=read_passport)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _image_info(raw: bytes | None, name: str, save_to: Path | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    info: dict[str, Any] = {"bytes": len(raw.rstrip(b"\x00"))}
    try:
        from PIL import Image

        with Image.open(io.BytesIO(raw)) as image:
            info.update(format=image.format, width=image.width, height=image.height)
            if save_to is not None:
                save_to.mkdir(parents=True, exist_ok=True)
                image.convert("RGB").save(save_to / f"{name}.png")
    except Exception as e:  # noqa: BLE001  (an undecodable image is reported, not fatal)
        info["decode_error"] = type(e).__name__
    return info


def _card_json(report: Any, number: str, save_to: Path | None) -> dict[str, Any]:
    data = report.data
    document: dict[str, Any] | None = None
    if data is not None:
        core = data.to_document(number)
        document = {
            "document_number": core.document_number,
            "surname": core.surname,
            "given_names": core.given_names,
            "nationality": core.nationality,
            "birth_date": _iso(core.birth_date),
            "sex": core.sex,
            "expiry_date": _iso(core.expiry_date),
            "issuing_state": core.issuing_state,
            "kind": core.kind.value,
            "card_type": data.card_type.value,
            "generation": data.card_type.generation,
            "spec_version": data.spec_version,
            "address": data.address,
            "address_date": data.address_date,
            "municipality_code": data.municipality_code,
            "comprehensive_permission": data.comprehensive_permission,
            "individual_permission": data.individual_permission,
            "application_status": data.application_status,
            "status_of_residence": data.status_of_residence,
            "period_of_stay": data.period_of_stay,
            "stay_expiry": _iso(data.stay_expiry),
            "work_restriction": data.work_restriction,
            "images": {
                name: _image_info(getattr(data, name), name, save_to)
                for name in ("front_image", "face_image", "name_image", "address_image")
            },
        }
    return {
        "document": document,
        "access_method": "card_number",
        "checks": [
            {"name": c.name.value, "result": c.status.value, "detail": c.detail}
            for c in report.checks
        ],
        "verdict": report.verdict.value,
    }


def _emit(args: argparse.Namespace, payload: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if "error" in payload:
        print(f"error: {payload['error']['code']}: {payload['error']['detail']}", file=sys.stderr)
        return
    for check in payload["checks"]:
        detail = f" ({check['detail']})" if check["detail"] else ""
        print(f"{check['name']:<28} {check['result']}{detail}")
    print(f"verdict: {payload['verdict']}")


def read_card(args: argparse.Namespace) -> int:
    """``sekisho read-card``: exit 0 genuine, 1 read but not genuine, 2 bad input, 3 device."""
    from devices.residence_card.reader import ResidenceCardReader
    from devices.residence_card.verify import load_trust_store
    from devices.smartcard.pcsc import find_reader
    from workstation.errors import WorkstationError
    from workstation.residence_card import InvalidCardNumber, Verdict, parse_card_number

    try:
        number = parse_card_number(args.card_number)
    except InvalidCardNumber as e:
        _emit(args, {"error": {"code": e.code, "detail": e.detail}, "verdict": None})
        return EXIT_USAGE
    anchors = load_trust_store(args.trust) if args.trust else []
    if args.trust and not anchors:
        logger.warning("no certificates in the trust folder")
    try:
        reader = ResidenceCardReader(find_reader(args.reader), anchors)
        report = reader.inspect(number)
    except WorkstationError as e:
        _emit(args, {"error": {"code": e.code, "detail": e.detail}, "verdict": None})
        return EXIT_DEVICE
    _emit(args, _card_json(report, number, getattr(args, "save_images", None)))
    return EXIT_GENUINE if report.verdict is Verdict.GENUINE else EXIT_NOT_GENUINE


def _passport_access(args: argparse.Namespace) -> Any:
    """The access key from the command line; raises ``InvalidMrz`` before any reader is used."""
    from workstation.documents import CanAccessKey, MrzAccessKey, check_digit
    from workstation.errors import InvalidMrz

    if args.can is not None:
        if not (args.can.isdigit() and 1 <= len(args.can) <= 10):
            raise InvalidMrz("CAN must be digits")
        return CanAccessKey(args.can)
    number = args.doc_number.strip().upper().replace(" ", "")
    birth, expiry = (args.birth or "").strip(), (args.expiry or "").strip()
    if not number or len(number) > 22:
        raise InvalidMrz("document number must be 1 to 22 characters")
    check_digit(number)  # raises InvalidMrz on characters outside A-Z 0-9 <
    for name, value in (("birth", birth), ("expiry", expiry)):
        if len(value) != 6 or not value.isdigit():
            raise InvalidMrz(f"--{name} must be YYMMDD")
    return MrzAccessKey(number, birth, expiry)


def _passport_json(report: Any, save_to: Path | None) -> dict[str, Any]:
    core = report.document
    document: dict[str, Any] | None = None
    if core is not None:
        details = report.details
        document = {
            "document_number": core.document_number,
            "surname": core.surname,
            "given_names": core.given_names,
            "nationality": core.nationality,
            "birth_date": _iso(core.birth_date),
            "sex": core.sex,
            "expiry_date": _iso(core.expiry_date),
            "issuing_state": core.issuing_state,
            "kind": core.kind.value,
            "document_code": core.mrz.document_code if core.mrz else None,
            "mrz_format": core.mrz.format.value if core.mrz else None,
            "data_groups": list(report.data_groups),
            "lds_version": getattr(details, "lds_version", None),
            "document_signer": getattr(details, "document_signer", None),
            "portrait": _image_info(core.portrait, "portrait", save_to),
        }
        dg11 = getattr(details, "dg11", None)
        dg12 = getattr(details, "dg12", None)
        if dg11 is not None:
            document["full_date_of_birth"] = dg11.full_date_of_birth
            document["place_of_birth"] = dg11.place_of_birth
        if dg12 is not None:
            document["issuing_authority"] = dg12.issuing_authority
            document["date_of_issue"] = dg12.date_of_issue
    method = report.access_method.value if report.access_method else None
    return {
        "document": document,
        "access_method": method,
        "warnings": ["access_with_bac"] if method == "BAC" else [],
        "checks": [
            {"name": c.name.value, "result": c.status.value, "detail": c.detail}
            for c in report.checks
        ],
        "verdict": report.verdict.value,
    }


def read_passport(args: argparse.Namespace) -> int:
    """``sekisho read-passport``: exit 0 genuine, 1 read but not genuine, 2 bad input,
    3 device."""
    from devices.emrtd.pa import TrustStore
    from devices.emrtd.reader import PassportReader
    from devices.smartcard.pcsc import find_reader
    from workstation.errors import InvalidMrz, WorkstationError
    from workstation.passport import Verdict

    try:
        access = _passport_access(args)
    except InvalidMrz as e:
        _emit(args, {"error": {"code": e.code, "detail": e.detail}, "verdict": None})
        return EXIT_USAGE
    trust = TrustStore.load(args.trust) if args.trust else TrustStore()
    if args.trust and not trust:
        logger.warning("no CSCA certificates in the trust folder")
    try:
        reader = PassportReader(find_reader(args.reader), trust, bac_allowed=not args.no_bac)
        report = reader.inspect(access)
    except WorkstationError as e:
        _emit(args, {"error": {"code": e.code, "detail": e.detail}, "verdict": None})
        return EXIT_DEVICE
    payload = _passport_json(report, getattr(args, "save_images", None))
    _emit(args, payload)
    if not args.json and payload["warnings"]:
        print("warning: the chip was opened with BAC (no PACE)", file=sys.stderr)
    return EXIT_GENUINE if report.verdict is Verdict.GENUINE else EXIT_NOT_GENUINE


def _timed(fn: Callable[[], Any], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bench_rows(rounds: int = 5) -> list[BenchRow]:
    """Full residence-card reads (generation 1 and 2) and e-passport reads (BAC and PACE)
    against the emulators.

    "ours" is over pcscd and vpcd (needs both running); "reference" is the same read
    in process without PC/SC, which isolates the host-side cost of the stack.
    """
    from devices.emulators import residence_card as rc
    from devices.emulators import testpki
    from devices.emulators.direct import DirectReader
    from devices.emulators.vpcd import serve_in_thread
    from devices.residence_card.reader import ResidenceCardReader
    from devices.smartcard.pcsc import list_readers
    from workstation.residence_card import CardType, Verdict

    rows: list[BenchRow] = []
    slot = next((r for r in list_readers() if r.name.startswith("Virtual PCD 00 00")), None)
    for card_type, kind in (
        (CardType.RESIDENCE_CARD, "rsa"),
        (CardType.RESIDENCE_CARD_GEN2, "p384"),
    ):
        ca = testpki.make_ca("Bench CA", kind)
        form = "digest_info" if card_type.generation == 1 else "raw"
        card = rc.emulator(
            rc.CardProfile(card_type=card_type, signature_form=form),
            testpki.issue(ca, "card", kind),
        )
        direct = ResidenceCardReader(DirectReader(card), [ca.certificate])
        reference = _timed(partial(direct.inspect, "AA12345678BB"), rounds)
        label = f"residence card gen {card_type.generation}, full read + verify"
        if slot is None or slot.has_card():
            rows.append(
                BenchRow(
                    label,
                    "skipped: no free vpcd slot (pcscd not running?)",
                    f"{reference:.1f} ms in process",
                )
            )
            continue
        thread, stop = serve_in_thread(card)
        try:
            deadline = time.monotonic() + 10
            while not slot.has_card() and time.monotonic() < deadline:
                time.sleep(0.02)
            reader = ResidenceCardReader(slot, [ca.certificate])
            if reader.inspect("AA12345678BB").verdict is not Verdict.GENUINE:
                raise RuntimeError("benchmark card did not verify")
            ours = _timed(partial(reader.inspect, "AA12345678BB"), rounds)
            rows.append(
                BenchRow(
                    label,
                    f"{reader.last_apdu_count} APDUs, {ours:.1f} ms over pcscd",
                    f"{reference:.1f} ms in process",
                    "<= 1000 ms",
                )
            )
        finally:
            stop.set()
            thread.join(5)
            while slot.has_card() and time.monotonic() < deadline + 5:
                time.sleep(0.02)
    rows += _passport_bench_rows(rounds, slot)
    return rows


def _passport_bench_rows(rounds: int, slot: Any) -> list[BenchRow]:
    """Full e-passport reads (BAC and PACE, AA, CA, PA) against the emulator."""
    from devices.emrtd.pa import TrustStore
    from devices.emrtd.reader import PassportReader
    from devices.emulators import passport as pe
    from devices.emulators import passport_files as pf
    from devices.emulators.direct import DirectReader
    from devices.emulators.vpcd import serve_in_thread
    from workstation.documents import MrzAccessKey
    from workstation.passport import Verdict

    pki = pf.make_pki("bp256", explicit=True)
    trust = TrustStore.from_der([pki.csca.der])
    rows = []
    for method, profile in (
        ("BAC", pf.PassportProfile(pace=False, ca_suite=pf.SmCipher.DES3)),
        ("PACE", pf.PassportProfile()),
    ):
        key = MrzAccessKey(profile.document_number, profile.birth_date, profile.expiry_date)
        card = pe.emulator(profile, pki)
        direct = PassportReader(DirectReader(card), trust)
        reference = _timed(partial(direct.inspect, key), rounds)
        label = f"e-passport {method}, full read + AA + CA + PA"
        if slot is None or slot.has_card():
            rows.append(
                BenchRow(
                    label,
                    "skipped: no free vpcd slot (pcscd not running?)",
                    f"{direct.last_apdu_count} APDUs, {reference:.1f} ms in process",
                )
            )
            continue
        thread, stop = serve_in_thread(card)
        deadline = time.monotonic() + 10
        try:
            while not slot.has_card() and time.monotonic() < deadline:
                time.sleep(0.02)
            reader = PassportReader(slot, trust)
            if reader.inspect(key).verdict is not Verdict.GENUINE:
                raise RuntimeError("benchmark passport did not verify")
            ours = _timed(partial(reader.inspect, key), rounds)
            rows.append(
                BenchRow(
                    label,
                    f"{reader.last_apdu_count} APDUs, {ours:.1f} ms over pcscd",
                    f"{direct.last_apdu_count} APDUs, {reference:.1f} ms in process",
                    "<= 1500 ms",
                )
            )
        finally:
            stop.set()
            thread.join(5)
            while slot.has_card() and time.monotonic() < deadline + 5:
                time.sleep(0.02)
    return rows


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser(prog="sekisho")
    register(parser.add_subparsers(required=True))
    namespace = parser.parse_args()
    raise SystemExit(namespace.func(namespace))
