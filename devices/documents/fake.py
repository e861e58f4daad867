"""Simulated document reader (training mode): specimen passports of the fictional state Utopia.

The specimens are invented. One is clean, the others exercise the checks: a document
number on the watchlist, a name close to a watchlisted person, a stolen document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from dataclasses import dataclass
from importlib import resources

from workstation.documents import (
    AccessKey,
    DataSource,
    DocumentData,
    Mrz,
    check_digit,
)
from workstation.errors import CaptureCancelled, DeviceUnavailable, NoDocument
from workstation.ports import Progress


@dataclass(frozen=True)
class Specimen:
    """A specimen passport; ``purpose`` says what it is for in training, ``chip_verdict``
    what Passive Authentication of its (simulated) chip concludes."""

    surname: str
    given_names: str
    number: str
    nationality: str
    birth: str  # YYMMDD
    sex: str
    purpose: str
    chip_verdict: str = "genuine"
    chip_access: str = "PACE"


SPECIMENS: tuple[Specimen, ...] = (
    Specimen("ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "740812", "F", "clean"),
    Specimen("KOWALSKI", "VIKTOR", "X0000001", "UTO", "710314", "M", "watchlist document"),
    Specimen("MORGENSTERN", "ELISE", "P7654321", "UTO", "851102", "F", "watchlist name"),
    Specimen("NAKAMURA", "LEO", "L01234567", "UTO", "920505", "M", "stolen document"),
    Specimen("SILVA", "MARIANA", "P1122334", "UTO", "880219", "F", "clean"),
    Specimen("HOLM", "ERIK", "P5566778", "UTO", "790930", "M", "forged chip", "signature_invalid"),
    Specimen("DUBOIS", "CLAIRE", "P9988776", "UTO", "950611", "F", "BAC only", chip_access="BAC"),
)


def compose_td3(
    surname: str,
    given_names: str,
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    issuing_state: str = "UTO",
) -> str:
    """A valid TD3 MRZ (two lines of 44) with all check digits computed."""
    names = f"{surname.replace(' ', '<')}<<{given_names.replace(' ', '<')}"
    line1 = f"P<{issuing_state:<3}{names}".replace(" ", "<")[:44].ljust(44, "<")
    num = number.ljust(9, "<")
    personal = "<" * 14
    part1 = f"{num}{check_digit(num)}"
    part2 = f"{birth}{check_digit(birth)}"
    part3 = f"{expiry}{check_digit(expiry)}"
    line2 = f"{part1}{nationality:<3}{part2}{sex}{part3}{personal}{check_digit(personal)}".replace(
        " ", "<"
    )
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return f"{line1}\n{line2}"


def demo_portrait() -> bytes | None:
    """The shipped public-domain demo face, or ``None`` if the package data is missing."""
    try:
        return (resources.files("devices.camera") / "data" / "demo_face.jpg").read_bytes()
    except (FileNotFoundError, OSError):
        return None


class SimulatedDocumentReader:
    """Returns the specimens in turn (or the one chosen with :meth:`select`).

    :param delay: seconds a read takes, in steps, so progress and cancel can be seen.
    """

    simulated = True

    def __init__(self, delay: float = 0.0, today: dt.date | None = None) -> None:
        self.name = "Simulated document reader"
        self._delay = delay
        self._next = 0
        self._today = today or dt.date.today()
        self.present = True
        self.connected = True

    def select(self, index: int) -> None:
        """Present specimen ``index`` on the next read."""
        if not 0 <= index < len(SPECIMENS):
            raise ValueError("no such specimen")
        self._next = index

    def document(self, index: int) -> DocumentData:
        """Specimen ``index`` as the chip would deliver it."""
        s = SPECIMENS[index]
        expiry = self._today.replace(year=self._today.year + 5).strftime("%y%m%d")
        mrz = Mrz.parse(
            compose_td3(s.surname, s.given_names, s.number, s.nationality, s.birth, s.sex, expiry)
        )
        document = DocumentData.from_mrz(mrz, DataSource.SIMULATED, portrait=demo_portrait())
        # The simulated chip reports the verdict a real reader's Passive Authentication
        # would give, so that training can practise a forged chip and a BAC-only chip.
        return dataclasses.replace(document, chip_verdict=s.chip_verdict, chip_access=s.chip_access)

    def read(
        self,
        access: AccessKey | None = None,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> DocumentData:
        if not self.connected:
            raise DeviceUnavailable("simulated reader disconnected")
        if not self.present:
            raise NoDocument("no simulated document presented")
        steps = ("chip.access", "chip.dg1", "chip.dg2", "chip.sod")
        for i, step in enumerate(steps):
            if stop is not None and stop.is_set():
                raise CaptureCancelled("document read cancelled")
            if progress is not None:
                progress(step, i / len(steps))
            if self._delay:
                time.sleep(self._delay / len(steps))
        document = self.document(self._next)
        self._next = (self._next + 1) % len(SPECIMENS)
        if progress is not None:
            progress("chip.done", 1.0)
        return document
