"""Who and when, as every row written records them: the OS login running kaohe and the local time.
(Here, not in store.py, so that modules the store migrates need not import the store.)"""

from __future__ import annotations

import datetime as dt
import os
import pwd


def os_login() -> str:
    """The OS account running kaohe (not an environment variable anyone could set)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # an account with no passwd entry (some containers)
        return f"uid{os.geteuid()}"


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
