"""Scheme files parsed once: the TOML of a file's exact bytes, kept as JSON in the login's cache.

Every ``kaohe`` command reads every scheme file; parsing their TOML was ~15 ms of the ~0.5 s a
``kaohe score --json`` takes. The cache holds only the parsed TOML (plain data), keyed on a hash of
the file's bytes and of the Python running (its ``tomllib``): a changed file is a new key and is
parsed afresh, so a stale scheme is never served. Validation (``scheme_files.scheme_from_dict``)
runs on every read as before. A cache entry is used only when it and its folder belong to this
login and nobody else can write them (another login must not put words in a scheme's mouth); any
problem with the cache — unreadable, foreign, corrupt, a read-only home — just means parsing.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = b"kaohe-scheme-toml-1\0"
ENV = "KAOHE_SCHEME_CACHE"  # the cache folder (tests; a shared machine's own choice)


def folder() -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kaohe", appauthor=False)) / "schemes"


def parse(data: bytes) -> dict[str, Any]:
    """``tomllib.loads`` of a scheme file's bytes read as ``Path.read_text`` reads them (UTF-8,
    universal newlines); raises as those do."""
    where = folder()
    entry = where / (hashlib.sha256(FORMAT + sys.version.encode() + b"\0" + data).hexdigest() + ".json")
    cached = _read(entry)
    if isinstance(cached, dict):
        return cached
    import tomllib

    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    raw = tomllib.loads(text)
    _write(where, entry, raw)
    return raw


def _ours(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(entry: Path) -> Any:
    try:
        if not _ours(os.stat(entry.parent, follow_symlinks=False)):
            return None
        fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not _ours(os.fstat(fh.fileno())):
                return None
            return json.loads(fh.read())
    except (OSError, ValueError):
        return None


def _write(where: Path, entry: Path, raw: dict[str, Any]) -> None:
    try:
        # TOML dates and times have no JSON form: such a file is simply parsed each time
        text = json.dumps(raw, allow_nan=False)
    except (TypeError, ValueError):
        return
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _ours(os.stat(where, follow_symlinks=False)):
            return
        fd, part = tempfile.mkstemp(dir=where, suffix=".part")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(part, entry)  # whole or not at all: another kaohe may be writing it too
        except BaseException:
            Path(part).unlink(missing_ok=True)
            raise
    except OSError:
        return
