"""The cyclic garbage collector paused while a scoring runs.

Scoring a year makes tens of thousands of small objects (records, lines, results) and no cycles;
the collector, started every 700 new objects, walks the young ones again and again and now and
then the whole heap (in the TUI: the app's too) — about a sixth of a trend's time, for nothing to
collect. Nested and concurrent scorings (the TUI's worker threads) share one pause: the collector
resumes when the last one is done, if it was running before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": False}


@contextmanager
def paused() -> Iterator[None]:
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()
