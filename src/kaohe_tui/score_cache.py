"""Scores kept per scheme and period for a long-lived face (the TUI), dropped on any write.

A cached figure is tagged with the database's write state when its scoring began: ``PRAGMA
data_version`` of one long-lived connection (it changes whenever another connection — a worker,
another login, an import in another process — commits) with that connection's own
``total_changes`` (every row it inserts, updates or deletes, whichever module wrote it). A record,
an edit, a withdrawal, an import, a close or reopen, a parameter or roster change: each is a row
written, so none can leave a stale figure and no caller has to remember to invalidate. A write
made while a scoring runs tags that result with the older state, so it is never served.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from kaohe_tui.store import Store

Version = tuple[int, int]


class ScoreCache:
    def __init__(self, store: Store):
        self.store = store  # the connection whose view of writes keys the cache
        self._lock = threading.Lock()
        self._version: Version | None = None
        self._kept: dict[Hashable, Any] = {}
        # scorings under way (the event loop's tasks): key → (version, task); a caller at the same
        # version awaits the one running instead of starting another (the TUI's warm-up)
        self.running: dict[Hashable, tuple[Version, Any]] = {}

    def version(self) -> Version:
        conn = self.store.db.conn
        return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes

    def lookup(self, key: Hashable, version: Version) -> Any | None:
        with self._lock:
            if version != self._version:
                self._kept.clear()
                self._version = version
            return self._kept.get(key)

    def keep(self, key: Hashable, version: Version, value: Any) -> None:
        with self._lock:
            if version == self._version:  # else written meanwhile: the next lookup recomputes
                self._kept[key] = value

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for ``key`` as of now (computed here when missing or stale)."""
        version = self.version()
        value = self.lookup(key, version)
        if value is None:
            value = compute()
            self.keep(key, version, value)
        return value
