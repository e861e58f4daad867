"""PC/SC backend: the only module in the repository that imports pyscard.

It uses pyscard's thin ``smartcard.scard`` layer, which returns PC/SC result codes rather
than raising, so every failure is mapped here, once, to the errors in
:mod:`devices.smartcard.base`. pyscard exception types never escape this module.
"""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType
from typing import Any, Self

from smartcard import scard

from devices.smartcard.base import (
    TRAFFIC,
    CardCommunicationError,
    CardEvent,
    CardEventCallback,
    CardRemoved,
    NoCard,
    ReaderBusy,
    ReaderServiceUnavailable,
    ReaderUnavailable,
)
from workstation.errors import WorkstationError

logger = logging.getLogger(__name__)

_NO_SERVICE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED}
# A context goes stale when pcscd restarts underneath us; both Yubico projects retry once.
_STALE_CONTEXT = _NO_SERVICE | {scard.SCARD_E_INVALID_HANDLE}
_NO_READER = {
    scard.SCARD_E_UNKNOWN_READER,
    scard.SCARD_E_READER_UNAVAILABLE,
    scard.SCARD_E_NO_READERS_AVAILABLE,
}
_NO_CARD = {scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_UNRESPONSIVE_CARD}
_CARD_GONE = {
    scard.SCARD_W_REMOVED_CARD,
    scard.SCARD_W_RESET_CARD,
    scard.SCARD_W_UNPOWERED_CARD,
    scard.SCARD_E_NOT_TRANSACTED,
    scard.SCARD_E_COMM_DATA_LOST,
}


# SCardStatus state bit from pcsclite's pcsclite.h; pyscard does not export it.
_SCARD_PRESENT = 0x0004


def _hr(code: int) -> int:
    return code & 0xFFFFFFFF


def _map_error(hr: int, action: str) -> WorkstationError:
    """Turn a PC/SC result code into one of our errors; the detail names the action only."""
    hr = _hr(hr)
    detail = f"{action}: PC/SC 0x{hr:08X}"
    if hr in _NO_SERVICE:
        return ReaderServiceUnavailable(detail)
    if hr in _NO_READER:
        return ReaderUnavailable(detail)
    if hr in _NO_CARD:
        return NoCard(detail)
    if hr in _CARD_GONE:
        return CardRemoved(detail)
    if hr == scard.SCARD_E_SHARING_VIOLATION:
        return ReaderBusy(detail)
    return CardCommunicationError(detail)


class PcscContext:
    """One PC/SC context, re-established once when it has gone stale.

    Creating it never raises; calls that need the service raise
    :class:`ReaderServiceUnavailable` when pcscd is not running.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handle: Any = None

    def _establish(self) -> Any:
        hr, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hr != scard.SCARD_S_SUCCESS:
            raise _map_error(hr, "establish context")
        return handle

    def call(self, action: str, fn: Any, *args: Any) -> Any:
        """Run ``fn(context, *args)``; retry once on a fresh context if the old one is stale.

        ``fn`` returns a tuple whose first item is the PC/SC result code. The rest is returned.
        """
        for attempt in (1, 2):
            with self._lock:
                if self._handle is None:
                    self._handle = self._establish()
                handle = self._handle
            result = fn(handle, *args)
            hr = _hr(result[0])
            if hr == scard.SCARD_S_SUCCESS:
                return result[1:] if len(result) > 2 else result[1]
            if hr in _STALE_CONTEXT and attempt == 1:
                logger.info("PC/SC context stale (0x%08X); re-establishing", hr)
                self.release()
                continue
            raise _map_error(hr, action)
        raise AssertionError("unreachable")  # pragma: no cover

    def release(self) -> None:
        """Release the context handle (a new one is made on next use)."""
        with self._lock:
            handle, self._handle = self._handle, None
        if handle is not None:
            scard.SCardReleaseContext(handle)

    def reader_names(self) -> list[str]:
        """Names of the readers the service knows; empty when there are none or no service."""
        try:
            names = self.call("list readers", scard.SCardListReaders, [])
        except (ReaderServiceUnavailable, ReaderUnavailable):
            return []
        except WorkstationError as e:
            logger.warning("listing readers failed: %s", e.code)
            return []
        return list(names or [])


class PcscConnection:
    """An open PC/SC connection. Implements :class:`devices.smartcard.base.CardConnection`."""

    def __init__(self, context: PcscContext, reader: str, hcard: Any, protocol: int, shared: bool):
        self._context = context
        self.reader = reader
        self._hcard = hcard
        self._protocol = protocol
        self.shared = shared
        self._closed = False
        hr, _reader, _state, _proto, atr = scard.SCardStatus(hcard)
        self._atr = bytes(atr) if _hr(hr) == scard.SCARD_S_SUCCESS else b""

    @property
    def atr(self) -> bytes:
        return self._atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        if self._closed:
            raise CardRemoved("transmit on a closed connection")
        logger.log(TRAFFIC, "SEND %s", apdu.hex(" "))
        hr, response = scard.SCardTransmit(self._hcard, self._protocol, list(apdu))
        if _hr(hr) != scard.SCARD_S_SUCCESS:
            error = _map_error(hr, "transmit")
            if isinstance(error, NoCard) or self._gone():
                # Mid-session "no card" means the card left during our conversation. pcscd
                # may report a plain I/O failure before it notices the removal, so an I/O
                # failure is re-checked against the card's presence before it is believed.
                raise CardRemoved(error.detail) from error
            raise error
        if len(response) < 2:
            if self._gone():
                raise CardRemoved("card gone during transmit")
            raise CardCommunicationError(f"response of {len(response)} bytes has no status word")
        data = bytes(response[:-2])
        sw = response[-2] << 8 | response[-1]
        logger.log(TRAFFIC, "RECV %s %04X", data.hex(" "), sw)
        return data, sw

    def _gone(self, within: float = 1.0, interval: float = 0.05) -> bool:
        """Whether the card has left, giving pcscd up to ``within`` seconds to notice a
        removal (it polls the reader; on a busy machine 150 ms was measured too short). Only
        a failed transmit waits, and only while the card still looks present."""
        deadline = time.monotonic() + within
        while True:
            if not self._card_present():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def _card_present(self) -> bool:
        hr, _reader, state, _proto, _atr = scard.SCardStatus(self._hcard)
        return _hr(hr) == scard.SCARD_S_SUCCESS and bool(
            state & 0x0004
        )  # SCARD_PRESENT (pcsclite), not exported by pyscard

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.shared:
            scard.SCardEndTransaction(self._hcard, scard.SCARD_LEAVE_CARD)
        # Reset so an authenticated card session never outlives us; a card that is gone
        # needs no reset (and vpcd stalls when asked to reset a card that has left).
        disposition = scard.SCARD_RESET_CARD if self._card_present() else scard.SCARD_LEAVE_CARD
        scard.SCardDisconnect(self._hcard, disposition)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class PcscCardReader:
    """One PC/SC reader. Implements :class:`devices.smartcard.base.CardReader`.

    :param name: the reader name as listed by :func:`list_readers`.
    :param context: a shared :class:`PcscContext` (a new one by default).
    """

    def __init__(self, name: str, context: PcscContext | None = None) -> None:
        self._name = name
        self._context = context or PcscContext()

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"PcscCardReader({self._name!r})"

    def connect(self) -> PcscConnection:
        """Connect exclusively; fall back to a shared connection inside a transaction.

        NOTE: a reader held by another program is reported as :class:`ReaderBusy`; we never
        stop other programs to free it.
        """
        protocols = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        try:
            hcard, protocol = self._context.call(
                "connect", scard.SCardConnect, self._name, scard.SCARD_SHARE_EXCLUSIVE, protocols
            )
            return PcscConnection(self._context, self._name, hcard, protocol, shared=False)
        except ReaderBusy:
            logger.info("exclusive connect refused; trying shared")
        hcard, protocol = self._context.call(
            "connect shared", scard.SCardConnect, self._name, scard.SCARD_SHARE_SHARED, protocols
        )
        hr = _hr(scard.SCardBeginTransaction(hcard))
        if hr != scard.SCARD_S_SUCCESS:
            scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)
            raise _map_error(hr, "begin transaction")
        return PcscConnection(self._context, self._name, hcard, protocol, shared=True)

    def has_card(self) -> bool:
        """Whether a card is present now. Never raises."""
        try:
            states = self._context.call(
                "status", scard.SCardGetStatusChange, 0, [(self._name, scard.SCARD_STATE_UNAWARE)]
            )
        except WorkstationError:
            return False
        return any(state & scard.SCARD_STATE_PRESENT for _name, state, _atr in states)


def list_readers(context: PcscContext | None = None) -> list[PcscCardReader]:
    """All readers, in the service's order. Never raises: no service or no reader gives ``[]``.

    :param context: a context to share between the readers (a new one by default).
    """
    context = context or PcscContext()
    return [PcscCardReader(name, context) for name in context.reader_names()]


def find_reader(name: str | None = None, context: PcscContext | None = None) -> PcscCardReader:
    """The reader to use: the one named (exact name or prefix), or the first holding a card.

    :param name: a reader name or a unique prefix of one; ``None`` for the first with a card.
    :raises ReaderServiceUnavailable: pcscd is not running.
    :raises ReaderUnavailable: no reader matches ``name``, or there is no reader at all.
    :raises NoCard: ``name`` is ``None`` and no reader holds a card.
    """
    context = context or PcscContext()
    context.call("establish", lambda handle: (scard.SCARD_S_SUCCESS, handle))
    readers = list_readers(context)
    if not readers:
        raise ReaderUnavailable("no smart-card reader is connected")
    if name is not None:
        exact = [r for r in readers if r.name == name]
        matches = exact or [r for r in readers if r.name.startswith(name)]
        if len(matches) != 1:
            raise ReaderUnavailable(f"{len(matches)} readers match the name given")
        return matches[0]
    for reader in readers:
        if reader.has_card():
            return reader
    raise NoCard("no reader holds a card")


class PcscCardMonitor:
    """Watches every reader and reports card insertions and removals through a callback.

    The callback runs on the monitor's thread; a Qt UI must marshal it to the GUI thread.
    Readers plugged in later are picked up; a missing service is retried quietly.

    :param callback: receives each :class:`~devices.smartcard.base.CardEvent`.
    :param poll_ms: how long one status wait blocks before re-checking ``stop``.
    """

    def __init__(self, callback: CardEventCallback, poll_ms: int = 250) -> None:
        self._callback = callback
        self._poll_ms = poll_ms
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start watching on a daemon thread. Present cards are reported as insertions."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop watching and wait for the thread to end.

        :param timeout: seconds to wait for the thread.
        """
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _emit(self, event: CardEvent) -> None:
        try:
            self._callback(event)
        except Exception:
            # A faulty subscriber must not end monitoring for everyone else.
            logger.exception("card event callback failed")

    def _run(self) -> None:
        context = PcscContext()
        present: dict[str, bool] = {}
        try:
            while not self._stop.is_set():
                names = context.reader_names()
                for gone in set(present) - set(names):
                    if present.pop(gone):
                        self._emit(CardEvent(gone, False))
                if not names:
                    self._stop.wait(self._poll_ms / 1000)
                    continue
                states = [(n, scard.SCARD_STATE_UNAWARE) for n in names]
                try:
                    results = context.call("status", scard.SCardGetStatusChange, 0, states)
                    self._update(present, results)
                    states = [(n, s) for n, s, _a in results]
                    results = context.call(
                        "wait", scard.SCardGetStatusChange, self._poll_ms, states
                    )
                except WorkstationError:
                    # SCARD_E_TIMEOUT lands here too: nothing changed in this period.
                    continue
                self._update(present, results)
        finally:
            context.release()

    def _update(self, present: dict[str, bool], results: Any) -> None:
        for name, state, atr in results:
            now = bool(state & scard.SCARD_STATE_PRESENT) and not (state & scard.SCARD_STATE_MUTE)
            before = present.get(name, False)
            present[name] = now
            if now != before:
                self._emit(CardEvent(name, now, bytes(atr) if now else b""))
