"""PassportReader: opens a connection, runs an eMRTD session, verifies, returns a report.

It implements the core's :class:`~workstation.ports.DocumentReader` port (``read``) and
offers :meth:`PassportReader.inspect`, which also returns every check and the verdict,
as :class:`~devices.residence_card.reader.ResidenceCardReader` does for residence cards.

Order of work: access (PACE, else BAC where allowed), EF.COM, DG1, DG2, DG11, DG12, DG14,
DG15, EF.SOD, then Active Authentication (DG15), then Chip Authentication (DG14) with a
protected confirmation, then Passive Authentication off-line.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from devices.emrtd import lds, pa
from devices.emrtd.authentication import verify_active_authentication
from devices.emrtd.errors import LdsError, UnsupportedKey
from devices.emrtd.pace import ScalarSource
from devices.emrtd.security_infos import SecurityInfos, parse_security_infos
from devices.emrtd.session import EmrtdSession
from devices.smartcard.apdu import BasicProcessor
from devices.smartcard.base import SW, ApduError, CardReader, SecureMessagingError
from workstation.documents import (
    AccessKey,
    CanAccessKey,
    DataSource,
    DocumentData,
    Mrz,
    MrzAccessKey,
)
from workstation.errors import (
    CaptureCancelled,
    ChipAuthenticationFailed,
    DocumentUnreadable,
    WorkstationError,
)
from workstation.passport import (
    AccessMethod,
    Check,
    CheckName,
    CheckStatus,
    PassportReport,
)
from workstation.ports import Progress

logger = logging.getLogger(__name__)

DATA_GROUPS = (1, 2, 11, 12, 14, 15)
"""The data groups read when EF.COM lists them (DG3/DG4 need Terminal Authentication)."""


@dataclass(frozen=True)
class EmrtdDetails:
    """What the chip holds beyond the core document view (decoded, never logged)."""

    lds_version: str = ""
    face: lds.FaceImage | None = None
    dg11: lds.AdditionalPersonalDetails | None = None
    dg12: lds.AdditionalDocumentDetails | None = None
    security_infos: SecurityInfos | None = None
    document_signer: str | None = None
    notes: tuple[str, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict, repr=False)


def _mrz_key_matches(access: MrzAccessKey, dg1: Mrz) -> bool:
    key = MrzAccessKey.from_mrz(dg1)
    number = access.document_number.upper().rstrip("<")
    return (number, access.birth_date, access.expiry_date) == (
        key.document_number.rstrip("<"),
        key.birth_date,
        key.expiry_date,
    )


class PassportReader:
    """Reads and judges eMRTDs (passports, eID cards) on one smart-card reader.

    :param reader: the card reader (``PcscCardReader`` in production).
    :param trust: CSCA certificates, master lists and CRLs (see :meth:`pa.TrustStore.load`).
    :param bac_allowed: whether BAC may be used when the chip offers no usable PACE.
    :param random: randomness for BAC and AA challenges (tests inject fixed bytes).
    :param scalars: PACE ephemeral keys (tests only).
    """

    simulated = False

    def __init__(
        self,
        reader: CardReader,
        trust: pa.TrustStore | None = None,
        *,
        bac_allowed: bool = True,
        random: Callable[[int], bytes] = os.urandom,
        scalars: ScalarSource | None = None,
    ) -> None:
        self._reader = reader
        self._trust = trust or pa.TrustStore()
        self.bac_allowed = bac_allowed
        self._random = random
        self._scalars = scalars
        self.last_apdu_count = 0
        """APDUs sent during the last :meth:`inspect` (for ``sekisho bench``)."""

    @property
    def name(self) -> str:
        return self._reader.name

    def inspect(
        self,
        access: MrzAccessKey | CanAccessKey,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> PassportReport:
        """Open the chip with ``access``, read, run AA/CA and Passive Authentication, judge.

        Failures after the chip was reached become checks in the report (verdicts
        ``access_denied`` or ``unreadable``); only these are raised:

        :raises NoDocument: no card on the reader.
        :raises DeviceUnavailable: no PC/SC service or no such reader.
        :raises DeviceBusy: another program holds the card.
        :raises CaptureCancelled: ``stop`` was set.
        """
        report, _error = self._inspect(access, stop, progress)
        return report

    def read(
        self,
        access: AccessKey | None = None,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> DocumentData:
        """The :class:`~workstation.ports.DocumentReader` port.

        The verdict and the access method travel in ``DocumentData.chip_verdict`` and
        ``chip_access``; :meth:`inspect` gives every check.

        :raises ChipAuthenticationFailed: the chip refused the key, or none was given.
        :raises DocumentUnreadable: the chip could not be read completely.
        """
        if not isinstance(access, MrzAccessKey | CanAccessKey):
            raise ChipAuthenticationFailed("an e-passport needs its MRZ or CAN")
        report, error = self._inspect(access, stop, progress)
        if error is not None:
            raise error
        if report.document is None:  # pragma: no cover - _inspect sets error whenever data is None
            raise DocumentUnreadable("no data")
        return dataclasses.replace(
            report.document,
            chip_verdict=report.verdict.value,
            chip_access=report.access_method.value if report.access_method else None,
        )

    def _inspect(
        self,
        access: MrzAccessKey | CanAccessKey,
        stop: threading.Event | None,
        progress: Progress | None,
    ) -> tuple[PassportReport, WorkstationError | None]:
        checks: list[Check] = []

        def step(code: str, fraction: float) -> None:
            if stop is not None and stop.is_set():
                raise CaptureCancelled("e-passport read cancelled")
            if progress is not None:
                progress(code, fraction)

        method: AccessMethod | None = None
        files: dict[str, bytes] = {}
        with self._reader.connect() as connection:
            processor = BasicProcessor(connection)
            session = EmrtdSession(processor, self._random, self._scalars)
            try:
                step("chip.access", 0.0)
                try:
                    method, detail = session.authenticate(access, self.bac_allowed)
                except ChipAuthenticationFailed as e:
                    checks.append(Check(CheckName.ACCESS, CheckStatus.FAILED, e.code))
                    return PassportReport(tuple(checks)), e
                checks.append(Check(CheckName.ACCESS, CheckStatus.PASSED, detail))
                files = self._read_files(session, step, stop)
                checks.append(Check(CheckName.READ, CheckStatus.PASSED, ", ".join(files)))
                step("chip.authenticity", 0.85)
                checks += self._chip_checks(session, files)
            except CaptureCancelled:
                raise
            except DocumentUnreadable as e:
                logger.info("e-passport unreadable: %s (%s)", e.code, e.detail)
                if not checks:
                    checks.append(Check(CheckName.ACCESS, CheckStatus.NOT_RUN, e.code))
                checks.append(Check(CheckName.READ, CheckStatus.FAILED, e.code))
                return PassportReport(tuple(checks), access_method=method), e
            finally:
                self.last_apdu_count = processor.sent
        step("chip.verify", 0.95)
        report = self._judge_offline(access, method, files, checks)
        logger.info(
            "e-passport read: %s via %s", report.verdict.value, method.value if method else "-"
        )
        step("chip.done", 1.0)
        return report, None

    def _read_files(
        self,
        session: EmrtdSession,
        step: Callable[[str, float], None],
        stop: threading.Event | None,
    ) -> dict[str, bytes]:
        step("chip.read.EF.COM", 0.1)
        files = {"EF.COM": session.read_file(lds.EF_COM, stop)}
        listed = lds.parse_com(files["EF.COM"]).data_groups
        wanted = [n for n in DATA_GROUPS if n in listed or n == 1]
        for index, number in enumerate(wanted):
            ef = lds.data_group(number)
            step(f"chip.read.{ef.name}", 0.15 + 0.6 * index / len(wanted))
            try:
                files[ef.name] = session.read_file(ef, stop)
            except ApduError as e:
                if number != 1 and e.sw == SW.FILE_NOT_FOUND:
                    logger.info("%s listed in EF.COM but absent", ef.name)
                    continue
                raise
        step("chip.read.EF.SOD", 0.8)
        try:
            files["EF.SOD"] = session.read_file(lds.EF_SOD, stop)
        except ApduError as e:
            if e.sw != SW.FILE_NOT_FOUND:
                raise
        return files

    def _chip_checks(self, session: EmrtdSession, files: dict[str, bytes]) -> list[Check]:
        infos: SecurityInfos | None = None
        if "DG14" in files:
            try:
                infos = parse_security_infos(lds.parse_dg14(files["DG14"]))
            except LdsError as e:
                logger.info("DG14 unusable: %s", e.detail)
        checks = [self._active_authentication(session, files, infos)]
        checks.append(self._chip_authentication(session, infos))
        return checks

    def _active_authentication(
        self, session: EmrtdSession, files: dict[str, bytes], infos: SecurityInfos | None
    ) -> Check:
        name = CheckName.ACTIVE_AUTHENTICATION
        if "DG15" not in files:
            return Check(name, CheckStatus.NOT_PRESENT, "no DG15")
        try:
            key = lds.parse_dg15(files["DG15"])
        except LdsError as e:
            return Check(name, CheckStatus.FAILED, e.code)
        challenge = self._random(8)
        try:
            signature = session.internal_authenticate(challenge)
        except ApduError as e:
            return Check(name, CheckStatus.FAILED, f"chip answered {e.sw:04X}")
        except SecureMessagingError as e:
            return Check(name, CheckStatus.FAILED, e.code)
        aa = infos.active_authentication if infos else None
        algorithm = aa.signature_algorithm if aa else None
        if verify_active_authentication(key, challenge, signature, algorithm):
            return Check(name, CheckStatus.PASSED, key.describe())
        return Check(name, CheckStatus.FAILED, f"signature does not verify ({key.describe()})")

    def _chip_authentication(self, session: EmrtdSession, infos: SecurityInfos | None) -> Check:
        name = CheckName.CHIP_AUTHENTICATION
        if infos is None or not infos.chip_authentication_keys:
            return Check(name, CheckStatus.NOT_PRESENT, "no chip authentication key in DG14")
        key = infos.chip_authentication_keys[0]
        info = next(
            (
                i
                for i in infos.chip_authentication
                if key.key_id is None or i.key_id in (None, key.key_id)
            ),
            None,
        )
        try:
            detail = session.chip_authenticate(key, info)
        except UnsupportedKey as e:
            return Check(name, CheckStatus.NOT_RUN, e.detail)
        except SecureMessagingError as e:
            return Check(name, CheckStatus.FAILED, f"{e.code}: chip lacks the DG14 private key")
        except ApduError as e:
            return Check(name, CheckStatus.FAILED, f"chip answered {e.sw:04X}")
        return Check(name, CheckStatus.PASSED, detail)

    def _judge_offline(
        self,
        access: MrzAccessKey | CanAccessKey,
        method: AccessMethod | None,
        files: dict[str, bytes],
        checks: list[Check],
    ) -> PassportReport:
        notes: list[str] = []
        try:
            mrz = lds.parse_dg1(files["DG1"])
        except LdsError as e:
            checks.append(Check(CheckName.READ, CheckStatus.FAILED, e.code))
            return PassportReport(tuple(checks), access_method=method)
        face = None
        if "DG2" in files:
            try:
                face = lds.parse_dg2(files["DG2"])
            except LdsError as e:
                notes.append(f"DG2: {e.detail}")
        dg11 = dg12 = None
        infos = None
        try:
            if "DG14" in files:
                infos = parse_security_infos(lds.parse_dg14(files["DG14"]))
        except LdsError as e:
            notes.append(f"DG14: {e.detail}")
        try:
            dg11 = lds.parse_dg11(files["DG11"]) if "DG11" in files else None
        except LdsError as e:
            notes.append(f"DG11: {e.detail}")
        try:
            dg12 = lds.parse_dg12(files["DG12"]) if "DG12" in files else None
        except LdsError as e:
            notes.append(f"DG12: {e.detail}")
        groups = {int(name[2:]): raw for name, raw in files.items() if name.startswith("DG")}
        signer_name = None
        if "EF.SOD" not in files:
            checks.append(Check(CheckName.SOD_SIGNATURE, CheckStatus.FAILED, "EF.SOD missing"))
        else:
            try:
                sod = pa.parse_sod(files["EF.SOD"])
            except LdsError as e:
                checks.append(Check(CheckName.SOD_SIGNATURE, CheckStatus.FAILED, e.code))
            else:
                signature, signer = pa.verify_sod_signature(sod, self._trust)
                checks.append(signature)
                signer_name = pa.describe(signer) if signer is not None else None
                if signature.status is CheckStatus.PASSED:
                    checks.append(pa.verify_chain(signer, self._trust))
                else:
                    checks.append(Check(CheckName.CERTIFICATE, CheckStatus.NOT_RUN))
                skipped = tuple(n for n in sod.hashes if n not in groups)
                checks.append(pa.verify_hashes(sod, groups, skipped))
        if isinstance(access, MrzAccessKey):
            same = _mrz_key_matches(access, mrz)
            checks.append(
                Check(
                    CheckName.MRZ_MATCH,
                    CheckStatus.PASSED if same else CheckStatus.FAILED,
                    "" if same else "DG1 differs from the MRZ the chip accepted",
                )
            )
        else:
            checks.append(Check(CheckName.MRZ_MATCH, CheckStatus.NOT_RUN, "CAN access"))
        document = DocumentData.from_mrz(mrz, DataSource.CHIP, face.data if face else None)
        com = lds.parse_com(files["EF.COM"])
        details = EmrtdDetails(
            lds_version=com.lds_version,
            face=face,
            dg11=dg11,
            dg12=dg12,
            security_infos=infos,
            document_signer=signer_name,
            notes=tuple(notes),
            files=dict(files),
        )
        return PassportReport(tuple(checks), document, method, tuple(sorted(groups)), details)
