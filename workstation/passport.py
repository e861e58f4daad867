"""E-passports and other ICAO 9303 eMRTDs: the checks an inspection runs and the verdict.

Pure value objects, mirroring :mod:`workstation.residence_card`. Reading and verifying
happen in :mod:`devices.emrtd`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, unique

from workstation.documents import DocumentData
from workstation.residence_card import CheckStatus

__all__ = [
    "AccessMethod",
    "Check",
    "CheckName",
    "CheckStatus",
    "PassportReport",
    "Verdict",
    "judge",
]


@unique
class Verdict(Enum):
    """The one answer about a document's chip, most trustworthy first."""

    GENUINE = "genuine"
    SIGNATURE_INVALID = "signature_invalid"
    UNTRUSTED_CERTIFICATE = "untrusted_certificate"
    DATA_GROUP_HASH_MISMATCH = "data_group_hash_mismatch"
    CLONE_SUSPECTED = "clone_suspected"
    ACCESS_DENIED = "access_denied"
    UNREADABLE = "unreadable"


@unique
class AccessMethod(Enum):
    """How the chip was opened. BAC is legacy: the UI warns when it was used."""

    PACE = "PACE"
    BAC = "BAC"


@unique
class CheckName(Enum):
    """The checks run on an eMRTD, in the order they run."""

    ACCESS = "access_control"
    READ = "read_data_groups"
    ACTIVE_AUTHENTICATION = "active_authentication"
    CHIP_AUTHENTICATION = "chip_authentication"
    SOD_SIGNATURE = "sod_signature"
    CERTIFICATE = "certificate_chain"
    DATA_GROUP_HASHES = "data_group_hashes"
    MRZ_MATCH = "dg1_matches_access_key"


@dataclass(frozen=True)
class Check:
    """One check and its outcome; ``detail`` is technical and free of personal data."""

    name: CheckName
    status: CheckStatus
    detail: str = ""


def judge(checks: Sequence[Check]) -> Verdict:
    """The verdict from the checks.

    Order: access, readability, then forgery signals (signature, hashes), then trust
    (certificate chain), then cloning (Active or Chip Authentication failed, or a DG1 that
    differs from the MRZ the chip accepted). A chip that offers neither AA nor CA can still
    be genuine: that is Passive Authentication alone, as for most documents.

    :param checks: the checks that ran.
    """
    by_name = {c.name: c.status for c in checks}
    if by_name.get(CheckName.ACCESS) is CheckStatus.FAILED:
        return Verdict.ACCESS_DENIED
    if by_name.get(CheckName.ACCESS) is not CheckStatus.PASSED:
        return Verdict.UNREADABLE
    if by_name.get(CheckName.READ) is not CheckStatus.PASSED:
        return Verdict.UNREADABLE
    if by_name.get(CheckName.SOD_SIGNATURE) is not CheckStatus.PASSED:
        return Verdict.SIGNATURE_INVALID
    if by_name.get(CheckName.DATA_GROUP_HASHES) is not CheckStatus.PASSED:
        return Verdict.DATA_GROUP_HASH_MISMATCH
    if by_name.get(CheckName.CERTIFICATE) is not CheckStatus.PASSED:
        return Verdict.UNTRUSTED_CERTIFICATE
    for name in (
        CheckName.ACTIVE_AUTHENTICATION,
        CheckName.CHIP_AUTHENTICATION,
        CheckName.MRZ_MATCH,
    ):
        if by_name.get(name) is CheckStatus.FAILED:
            return Verdict.CLONE_SUSPECTED
    return Verdict.GENUINE


@dataclass(frozen=True)
class PassportReport:
    """The outcome of reading one eMRTD: its data (if read), every check, and the verdict.

    :param document: the core view with ``source`` CHIP and the DG2 portrait.
    :param access_method: PACE or BAC, ``None`` when access failed.
    :param data_groups: the data groups that were read.
    :param details: DG11/DG12 and other parsed extras (device-layer objects), or ``None``.
    """

    checks: tuple[Check, ...]
    document: DocumentData | None = None
    access_method: AccessMethod | None = None
    data_groups: tuple[int, ...] = ()
    details: object | None = None

    @property
    def verdict(self) -> Verdict:
        return judge(self.checks)

    def check(self, name: CheckName) -> Check | None:
        """The check called ``name``, or ``None`` if it did not run."""
        return next((c for c in self.checks if c.name is name), None)
