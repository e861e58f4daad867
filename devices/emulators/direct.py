"""In-process access to an emulated card, without PC/SC (unit tests and simulated devices)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from devices.emulators.vpcd import CardYanked, VirtualCard
from devices.smartcard.base import CardCommunicationError, CardRemoved


class DirectConnection:
    """A :class:`~devices.smartcard.base.CardConnection` straight into a virtual card."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card
        self.card.power_on()
        self._open = True
        self.log: list[tuple[bytes, bytes]] = []
        """Every (command, response) pair, for transcript tests."""

    @property
    def atr(self) -> bytes:
        return self.card.atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        if not self._open:
            raise CardRemoved("card removed")
        try:
            response = self.card.execute(apdu)
        except CardYanked as e:
            self._open = False
            response = e.response
        if len(response) < 2:
            raise CardCommunicationError("response without status word")
        self.log.append((apdu, response))
        return response[:-2], int.from_bytes(response[-2:], "big")

    def close(self) -> None:
        if self._open:
            self.card.power_off()
        self._open = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class DirectReader:
    """A :class:`~devices.smartcard.base.CardReader` holding one virtual card.

    :param card: the card; each :meth:`connect` powers it up afresh.
    """

    def __init__(self, card: VirtualCard, name: str = "Simulated reader") -> None:
        self.card = card
        self._name = name
        self.connections: list[DirectConnection] = []

    @property
    def name(self) -> str:
        return self._name

    def connect(self) -> DirectConnection:
        connection = DirectConnection(self.card)
        self.connections.append(connection)
        return connection
