"""A point where a test may kill kaohe inside an open write transaction, deterministically.

With ``KAOHE_TEST_PAUSE_IN_TRANSACTION=PATH`` set (only tests set it), every write transaction,
just before its COMMIT, writes to PATH how many rows it changed and waits until PATH is removed.
The test kills the process while it waits — so "killed mid-write" is what is tested, not a kill
that a sleep hoped would land mid-write — or removes PATH to let that transaction go on.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "KAOHE_TEST_PAUSE_IN_TRANSACTION"


def pause_before_commit(changed: int) -> None:
    marker = os.environ.get(ENV)
    if not marker:
        return
    path = Path(marker)
    ready = path.with_name(path.name + ".part")
    ready.write_text(str(changed))
    ready.replace(path)  # whole, never half-written: the test reads it as soon as it appears
    while path.exists():
        time.sleep(0.01)
