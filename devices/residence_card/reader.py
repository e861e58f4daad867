"""ResidenceCardReader: opens a connection, runs a session, verifies, returns a report.

It implements the core's :class:`~workstation.ports.DocumentReader` port (``read``) and
offers :meth:`ResidenceCardReader.inspect`, which also returns every check and the verdict.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable

from cryptography import x509

from devices.residence_card import files, verify
from devices.residence_card.session import ResidenceCardSession
from devices.smartcard.apdu import BasicProcessor
from devices.smartcard.base import SW, ApduError, CardReader
from workstation.documents import AccessKey, CardNumberAccessKey, DocumentData
from workstation.errors import (
    CaptureCancelled,
    ChipAuthenticationFailed,
    DocumentUnreadable,
    WorkstationError,
)
from workstation.ports import Progress
from workstation.residence_card import (
    Check,
    CheckName,
    CheckStatus,
    ResidenceCardReport,
    parse_card_number,
)

logger = logging.getLogger(__name__)

# Files a card may legitimately lack: no face for holders under 16 (or under one, gen 2).
_OPTIONAL = {"face_image", "images"}


class ResidenceCardReader:
    """Reads and judges residence cards on one smart-card reader.

    :param reader: the card reader (``PcscCardReader`` in production).
    :param anchors: trusted ZairyuCard CA certificates (see :func:`verify.load_trust_store`).
    :param random: randomness for the key exchange (tests inject fixed bytes).
    """

    simulated = False

    def __init__(
        self,
        reader: CardReader,
        anchors: list[x509.Certificate] | None = None,
        random: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._reader = reader
        self._anchors = list(anchors or [])
        self._random = random
        self.last_apdu_count = 0
        """APDUs sent during the last :meth:`inspect` (for ``sekisho bench``)."""

    @property
    def name(self) -> str:
        return self._reader.name

    def inspect(
        self,
        card_number: str,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> ResidenceCardReport:
        """Authenticate with ``card_number``, read every file, verify, and judge.

        Failures after the card was reached become checks in the report (verdicts
        ``wrong_card_number`` or ``unreadable``); only these are raised:

        :raises InvalidCardNumber: the number's format is wrong (nothing is sent).
        :raises NoDocument: no card on the reader.
        :raises DeviceUnavailable: no PC/SC service or no such reader.
        :raises DeviceBusy: another program holds the card.
        :raises CaptureCancelled: ``stop`` was set.
        """
        report, _error = self._inspect(card_number, stop, progress)
        return report

    def read(
        self,
        access: AccessKey | None = None,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> DocumentData:
        """The :class:`~workstation.ports.DocumentReader` port.

        NOTE: the port's ``DocumentData`` has no room for the verdict; use :meth:`inspect`
        where the signature result matters.

        :raises ChipAuthenticationFailed: the card refused the number.
        :raises DocumentUnreadable: the card could not be read completely.
        """
        if not isinstance(access, CardNumberAccessKey):
            raise ChipAuthenticationFailed("a residence card needs its card number")
        report, error = self._inspect(access.card_number, stop, progress)
        if error is not None:
            raise error
        if report.data is None:  # pragma: no cover - _inspect sets error whenever data is None
            raise DocumentUnreadable("no data")
        document = report.data.to_document(parse_card_number(access.card_number))
        return dataclasses.replace(
            document, chip_verdict=report.verdict.value, chip_access="card_number"
        )

    def _inspect(
        self,
        card_number: str,
        stop: threading.Event | None,
        progress: Progress | None,
    ) -> tuple[ResidenceCardReport, WorkstationError | None]:
        number = parse_card_number(card_number)
        checks: list[Check] = []

        def step(code: str, fraction: float) -> None:
            if stop is not None and stop.is_set():
                raise CaptureCancelled("residence card read cancelled")
            if progress is not None:
                progress(code, fraction)

        with self._reader.connect() as connection:
            processor = BasicProcessor(connection)
            session = ResidenceCardSession(processor, self._random)
            try:
                step("card.type", 0.0)
                card_type, version = session.card_type()
                step("card.authenticate", 0.05)
                try:
                    session.authenticate(number, card_type.generation)
                except ChipAuthenticationFailed as e:
                    checks.append(Check(CheckName.CARD_NUMBER, CheckStatus.FAILED, e.code))
                    return ResidenceCardReport(tuple(checks)), e
                checks.append(Check(CheckName.CARD_NUMBER, CheckStatus.PASSED))
                raw = self._read_files(session, card_type, step, stop)
                if card_type.generation == 1:
                    data, signature = files.parse_gen1(card_type, version, raw)
                else:
                    data, signature = files.parse_gen2(card_type, version, raw)
            except CaptureCancelled:
                raise
            except DocumentUnreadable as e:
                logger.info("residence card unreadable: %s (%s)", e.code, e.detail)
                if not checks:
                    checks.append(Check(CheckName.CARD_NUMBER, CheckStatus.NOT_RUN, e.code))
                checks.append(Check(CheckName.READ, CheckStatus.FAILED, e.code))
                return ResidenceCardReport(tuple(checks)), e
            finally:
                self.last_apdu_count = processor.sent
        checks.append(Check(CheckName.READ, CheckStatus.PASSED))
        step("card.verify", 0.95)
        sig = verify.verify_check_code(
            card_type.generation, signature.signature, signature.certificate, data.signed_data
        )
        checks.append(sig)
        if sig.status is CheckStatus.NOT_PRESENT:
            checks.append(Check(CheckName.CERTIFICATE, CheckStatus.NOT_RUN, "no check code"))
        else:
            checks.append(verify.verify_chain(signature.certificate, self._anchors))
        report = ResidenceCardReport(tuple(checks), data)
        logger.info("residence card read: %s", report.verdict.value)
        step("card.done", 1.0)
        return report, None

    def _read_files(
        self,
        session: ResidenceCardSession,
        card_type: files.CardType,
        step: Callable[[str, float], None],
        stop: threading.Event | None,
    ) -> dict[str, bytes]:
        raw: dict[str, bytes] = {}
        current_df: bytes | None = None
        refs = files.files_for(card_type)
        for index, ref in enumerate(refs):
            step(f"card.read.{ref.name}", 0.1 + 0.8 * index / len(refs))
            if ref.df != current_df and ref.df is not None:
                session.select_df(ref.df)
                current_df = ref.df
            try:
                raw[ref.name] = session.read_file(ref.sfi, ref.secure, stop)
            except ApduError as e:
                if ref.name in _OPTIONAL and e.sw == SW.FILE_NOT_FOUND:
                    raw[ref.name] = b""
                    continue
                raise
        return raw
