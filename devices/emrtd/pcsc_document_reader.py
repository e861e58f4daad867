"""The live document reader for the booth: an e-passport on whichever PC/SC reader holds it."""

from __future__ import annotations

import threading
from pathlib import Path

from devices.emrtd import pa
from devices.emrtd.reader import PassportReader
from devices.smartcard.pcsc import find_reader
from workstation.documents import AccessKey, DocumentData
from workstation.ports import Progress


class PcscPassportDocumentReader:
    """Implements the core's ``DocumentReader`` port over PC/SC.

    :param trust: folder of CSCA certificates, master lists and CRLs; re-read at every
        read so an administrator can update it without a restart.
    :param reader_name: a reader name or prefix; ``None``: the first reader holding a card.
    :param bac_allowed: the policy's ``bac_allowed``.
    """

    simulated = False

    def __init__(self, trust: Path, reader_name: str | None = None, bac_allowed: bool = True):
        self.trust = trust
        self.reader_name = reader_name
        self.bac_allowed = bac_allowed
        self.name = reader_name or "PC/SC e-passport reader"

    def read(
        self,
        access: AccessKey | None = None,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> DocumentData:
        """See :meth:`PassportReader.read`; the chip verdict comes with the data."""
        reader = PassportReader(
            find_reader(self.reader_name),
            pa.TrustStore.load(self.trust),
            bac_allowed=self.bac_allowed,
        )
        return reader.read(access, stop, progress)
