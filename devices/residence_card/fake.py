"""Simulated residence cards for training mode: the card emulator behind a direct reader.

A training CA is generated when the simulator starts (never a real ZairyuCard CA), and the
specimen cards are signed by it, so every verdict can be practised: a genuine card of each
generation, a card whose data was changed after signing, a card under 16 (no signature)
and a card signed by an unknown CA.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from devices.emulators import testpki
from devices.emulators.direct import DirectReader
from devices.emulators.residence_card import CardProfile, emulator
from devices.residence_card.reader import ResidenceCardReader
from workstation.ports import Progress
from workstation.residence_card import CardType, ResidenceCardReport


@dataclass(frozen=True)
class TrainingCard:
    """A specimen card; ``purpose`` is a stable code the UI translates."""

    card_number: str
    purpose: str
    profile: CardProfile
    generation: int
    rogue: bool = False


TRAINING_CARDS: tuple[TrainingCard, ...] = (
    TrainingCard("AA12345678BB", "genuine", CardProfile("AA12345678BB"), 1),
    TrainingCard(
        "AB23456789CD",
        "genuine_gen2",
        CardProfile("AB23456789CD", card_type=CardType.RESIDENCE_CARD_GEN2, signature_form="der"),
        2,
    ),
    TrainingCard("AC34567890EF", "tampered", CardProfile("AC34567890EF", tampered=True), 1),
    TrainingCard("AD45678901GH", "under_16", CardProfile("AD45678901GH", under_16=True), 1),
    TrainingCard("AE56789012IJ", "unknown_ca", CardProfile("AE56789012IJ"), 1, rogue=True),
)


class SimulatedResidenceCardReader:
    """Presents the training card chosen with :meth:`select` and inspects it for real
    (authentication, secure messaging, signature and chain), in process."""

    simulated = True
    name = "Simulated residence-card reader"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pki: dict[str, testpki.Issued] | None = None
        self._index = 0

    def _keys(self) -> dict[str, testpki.Issued]:
        # Key generation takes a moment: done on first use, on the reader's worker thread.
        with self._lock:
            if self._pki is None:
                ca1 = testpki.make_ca("Sekisho training ZairyuCard CA", "rsa")
                ca2 = testpki.make_ca("Sekisho training ZairyuCard CA2", "p384")
                rogue = testpki.make_ca("Unknown CA", "rsa")
                self._pki = {
                    "ca1": ca1,
                    "ca2": ca2,
                    "signer1": testpki.issue(ca1, "training card signer", "rsa"),
                    "signer2": testpki.issue(ca2, "training card signer 2", "p384"),
                    "rogue": testpki.issue(rogue, "unknown signer", "rsa"),
                }
            return self._pki

    def select(self, index: int) -> None:
        """Place training card ``index`` on the simulated reader."""
        if not 0 <= index < len(TRAINING_CARDS):
            raise ValueError("no such training card")
        self._index = index

    def inspect(
        self,
        card_number: str,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> ResidenceCardReport:
        """As :meth:`ResidenceCardReader.inspect`, on the selected training card."""
        pki = self._keys()
        card = TRAINING_CARDS[self._index]
        signer = pki["rogue"] if card.rogue else pki[f"signer{card.generation}"]
        reader = ResidenceCardReader(
            DirectReader(emulator(card.profile, signer)),
            anchors=[pki["ca1"].certificate, pki["ca2"].certificate],
        )
        return reader.inspect(card_number, stop, progress)
