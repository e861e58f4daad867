"""Background work: run a callable on a pool, deliver ``(result, error)`` on the GUI thread.

Each exclusive resource (database, card reader, camera, fingerprint scanner) has its own
pool of one thread, so calls to it are serialised and never block the GUI.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

logger = logging.getLogger(__name__)

Done = Callable[[Any, BaseException | None], None]


class _Relay(QObject):
    """Lives on the GUI thread; queued signals carry results back to it."""

    finished = Signal(object, object)
    item = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as e:  # noqa: BLE001 - delivered to the caller, never swallowed
            self._relay.finished.emit(None, e)
        else:
            self._relay.finished.emit(result, None)


class _Stream(QRunnable):
    def __init__(self, items: Callable[[], Iterator[Any]], relay: _Relay) -> None:
        super().__init__()
        self._items = items
        self._relay = relay

    def run(self) -> None:
        try:
            for value in self._items():
                self._relay.item.emit(value)
        except BaseException as e:  # noqa: BLE001
            self._relay.finished.emit(None, e)
        else:
            self._relay.finished.emit(None, None)


class Workers(QObject):
    """Named single-thread pools; keeps relays alive until their task reports back."""

    # "scanner-preview" carries a scanner's live image while "scanner" blocks in a capture
    RESOURCES = ("db", "reader", "camera", "scanner", "scanner-preview", "compute")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        for name in self.RESOURCES:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(-1)
            self._pools[name] = pool
        self._relays: set[_Relay] = set()

    def _relay(self, done: Done | None) -> _Relay:
        relay = _Relay()
        self._relays.add(relay)

        @Slot(object, object)
        def finish(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            if error is not None and not isinstance(error, Exception):
                logger.error("background task raised %s", type(error).__name__)
            if done is not None:
                done(result, error)

        relay.finished.connect(finish)
        return relay

    def run(self, resource: str, fn: Callable[[], Any], done: Done | None = None) -> None:
        """Run ``fn`` on the resource's thread; ``done(result, error)`` runs on the GUI thread."""
        self._pools[resource].start(_Task(fn, self._relay(done)))

    def stream(
        self,
        resource: str,
        items: Callable[[], Iterator[Any]],
        on_item: Callable[[Any], None],
        done: Done | None = None,
    ) -> None:
        """Iterate ``items()`` on the resource's thread, delivering each to ``on_item``."""
        relay = self._relay(done)
        relay.item.connect(on_item)
        self._pools[resource].start(_Stream(items, relay))

    def wait(self, msecs: int = 5000) -> bool:
        """Wait for every pool to drain (shutdown and tests)."""
        return all(pool.waitForDone(msecs) for pool in self._pools.values())


class StopFlag:
    """A ``threading.Event`` holder that a widget can replace on every new device call."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def renew(self) -> threading.Event:
        self.event.set()
        self.event = threading.Event()
        return self.event

    def stop(self) -> None:
        self.event.set()
