"""Residence-card inspection on the PC/SC reader that holds the card (the live device)."""

from __future__ import annotations

import threading
from pathlib import Path

from devices.residence_card.reader import ResidenceCardReader
from devices.residence_card.verify import load_trust_store
from devices.smartcard.pcsc import find_reader
from workstation.ports import Progress
from workstation.residence_card import ResidenceCardReport, parse_card_number


class PcscResidenceCardInspector:
    """Finds the reader at each call (readers come and go) and inspects the card on it.

    :param trust: folder of ZairyuCard CA certificates; re-read at each call so an
        administrator can add a new CA without a restart.
    :param reader_name: a reader name or prefix; ``None``: the first reader holding a card.
    """

    simulated = False

    def __init__(self, trust: Path, reader_name: str | None = None) -> None:
        self.trust = trust
        self.reader_name = reader_name
        self.name = reader_name or "PC/SC"

    def inspect(
        self,
        card_number: str,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> ResidenceCardReport:
        """:raises InvalidCardNumber: before any device access, for a malformed number."""
        number = parse_card_number(card_number)
        reader = ResidenceCardReader(find_reader(self.reader_name), load_trust_store(self.trust))
        return reader.inspect(number, stop, progress)
