"""``kaohe_time``, the C function the bulk case import normalises times with (``kaohetime.c``).

SQL alone cannot pad ``2018/4/5 9:03`` cheaply (a regular expression costs ~4 µs a cell, the
whole budget of a row), and a Python function per cell is the row-by-row cost the bulk path
exists to avoid. The C source ships with kaohe and is compiled once, with the machine's C
compiler, into the user's cache; without a compiler (or SQLite's ``sqlite3ext.h``) the bulk path
takes only ``YYYY-MM-DD HH:MM:SS`` and every other file goes the careful way, as before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("kaohetime.c")


def library(source: Path = SOURCE) -> Path | None:
    """The compiled extension (built now if needed), or None when it cannot be built here.
    ``source``: a C file of this folder (``kaoherows.c``: verify's fingerprint)."""
    try:
        text = source.read_bytes()
    except OSError:
        return None
    from platformdirs import user_cache_dir

    cache = Path(os.environ.get("KAOHE_NATIVE_CACHE") or user_cache_dir("kaohe"))
    folder = cache / hashlib.sha256(text).hexdigest()[:16]
    target = folder / f"{source.stem}.so"  # the file name gives SQLite the entry point: sqlite3_kaohetime_init
    if target.exists():
        return target
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            built = Path(tmp) / target.name
            subprocess.run([compiler, "-O2", "-fPIC", "-shared", "-pthread", "-o", str(built), str(source)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
            os.replace(built, target)  # whole or not at all: another process may be building it too
    except (OSError, subprocess.SubprocessError):
        return None
    return target


def load(conn, source: Path = SOURCE) -> bool:
    """Give a sqlean connection ``kaohe_time`` and the ``kaohe_cases`` reader (or ``source``'s
    functions); False when the extension is not available."""
    path = library(source)
    if path is None:
        return False
    try:
        conn.enable_load_extension(True)
        conn.load_extension(str(path))
        conn.enable_load_extension(False)
    except Exception:  # noqa: BLE001 — any failure: the bulk path takes only kaohe's own form
        return False
    return True
