"""A vpcd client: presents a :class:`VirtualCard` in pcscd's "Virtual PCD" reader.

vpcd (Debian ``vsmartcard-vpcd``) listens on TCP 35963 (slot 0) and 35964 (slot 1). Every
message in both directions is a 2-byte big-endian length and a payload. A 1-byte payload
from vpcd is a control code (00 power off, 01 power on, 02 reset, 04 send ATR); anything
longer is a command APDU, answered with the response APDU.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import threading
from typing import Protocol

from devices.smartcard.base import TRAFFIC

logger = logging.getLogger(__name__)

VPCD_PORT = 35963

_POWER_OFF, _POWER_ON, _RESET, _GET_ATR = 0, 1, 2, 4


class CardYanked(Exception):  # noqa: N818  (an event, not an error condition)
    """Raised by a card's ``execute`` to leave the field right after answering.

    :param response: the last response, delivered before the card goes away.
    """

    def __init__(self, response: bytes) -> None:
        super().__init__("card removed")
        self.response = response


class VirtualCard(Protocol):
    """The card side: ATR, power events and APDU execution."""

    atr: bytes

    def power_on(self) -> None: ...

    def power_off(self) -> None: ...

    def reset(self) -> None: ...

    def execute(self, apdu: bytes) -> bytes:
        """Run one command APDU and return the response (data ‖ SW1 SW2).

        Raise :class:`CardYanked` to answer and then leave, as if the card were removed.
        """
        ...


def _recv_exact(sock: socket.socket, n: int, stop: threading.Event) -> bytes | None:
    buffer = bytearray()
    while len(buffer) < n:
        if hasattr(socket, "TCP_QUICKACK"):
            # vpcd sends the length and the APDU as two segments; without re-arming
            # QUICKACK before each recv, delayed ACKs cost ~40 ms per APDU (Linux only).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        try:
            chunk = sock.recv(n - len(buffer))
        except TimeoutError:
            if stop.is_set():
                return None
            continue
        if not chunk:
            return None
        buffer += chunk
    return bytes(buffer)


class VpcdClient:
    """Connects a virtual card to vpcd and serves it until stopped or disconnected.

    :param card: the card to present.
    :param host: must be a loopback address; cards never listen on or reach other hosts.
    :param port: 35963 for slot 0, 35964 for slot 1.
    """

    def __init__(self, card: VirtualCard, host: str = "127.0.0.1", port: int = VPCD_PORT):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the emulator only talks to vpcd on a loopback address")
        self.card = card
        self.host = host
        self.port = port
        self.apdus = 0

    def serve(self, stop: threading.Event, connected: threading.Event | None = None) -> None:
        """Connect, then answer vpcd until ``stop`` is set, vpcd closes, or the card is yanked.

        :param stop: set it to disconnect (the card then disappears from the reader).
        :param connected: set once the TCP connection is up.
        :raises OSError: vpcd is not listening (pcscd not running).
        """
        with socket.create_connection((self.host, self.port), timeout=5) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(0.2)
            if connected is not None:
                connected.set()
            logger.info("virtual card connected to vpcd on port %d", self.port)
            while not stop.is_set():
                header = _recv_exact(sock, 2, stop)
                if header is None:
                    break
                payload = _recv_exact(sock, int.from_bytes(header, "big"), stop)
                if payload is None:
                    break
                try:
                    reply = self._handle(payload)
                except CardYanked as yanked:
                    # Answer first: vpcd does not recover if its client vanishes mid-APDU.
                    sock.sendall(len(yanked.response).to_bytes(2, "big") + yanked.response)
                    logger.info("virtual card removed from the field")
                    break
                if reply is not None:
                    sock.sendall(len(reply).to_bytes(2, "big") + reply)
        logger.info("virtual card disconnected")

    def _handle(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            code = payload[0]
            if code == _POWER_OFF:
                self.card.power_off()
            elif code == _POWER_ON:
                self.card.power_on()
            elif code == _RESET:
                self.card.reset()
            elif code == _GET_ATR:
                return self.card.atr
            return None
        self.apdus += 1
        logger.log(TRAFFIC, "card got %s", payload.hex(" "))
        response = self.card.execute(payload)
        logger.log(TRAFFIC, "card sent %s", response.hex(" "))
        return response


def serve_in_thread(
    card: VirtualCard, port: int = VPCD_PORT, timeout: float = 5.0
) -> tuple[threading.Thread, threading.Event]:
    """Start a :class:`VpcdClient` on a daemon thread; returns the thread and its stop event.

    :raises OSError: vpcd did not accept the connection within ``timeout``.
    """
    stop = threading.Event()
    connected = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            VpcdClient(card, port=port).serve(stop, connected)
        except OSError as e:
            errors.append(e)
            connected.set()

    thread = threading.Thread(target=run, name="vpcd-card", daemon=True)
    thread.start()
    connected.wait(timeout)
    if errors:
        raise errors[0]
    return thread, stop


def serve_until_signalled(card: VirtualCard, port: int) -> None:
    """Serve ``card`` to vpcd until SIGTERM or SIGINT (the emulators' command-line mode),
    reconnecting while pcscd is restarted or not yet up."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        try:
            VpcdClient(card, port=port).serve(stop)
        except OSError as e:
            logger.warning("vpcd not reachable (%s); retrying", e.__class__.__name__)
        stop.wait(0.5)
