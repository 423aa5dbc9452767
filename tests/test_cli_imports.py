"""``kaohe score --json`` loads only what it needs: no Textual, no openpyxl, no rich (a table is
not drawn), no TOML parser once the scheme files are in the cache (scheme_cache.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import FIXTURES

PROBE = """
import contextlib, io, json, sys
from kaohe_tui import cli
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = cli.main(sys.argv[1:])
heavy = ("textual", "openpyxl", "rich", "tomllib", "sqlean")
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": [m for m in heavy if m in sys.modules]}))
"""


def _score_json(db, cache, *extra_env) -> dict:
    env = {**os.environ, "KAOHE_SCHEME_CACHE": str(cache), "KAOHE_NO_ENTRY_POINTS": "1", **dict(extra_env)}
    proc = subprocess.run([sys.executable, "-c", PROBE, "--db", str(db), "--plugins-dir", str(FIXTURES / "core_plugin"),
                           "score", "fixture", "--period", "2018", "--json"],
                          capture_output=True, text=True, env=env, timeout=120, check=True)
    return json.loads(proc.stdout)


def test_score_json_loads_no_face_and_no_parser(db_path, tmp_path):
    cache = tmp_path / "cache"
    first = _score_json(db_path, cache)  # the scheme files are parsed once here
    assert first["code"] == 0 and "tomllib" in first["loaded"]
    again = _score_json(db_path, cache)
    assert again["code"] == 0 and again["loaded"] == []
    assert again["out"] == first["out"] and json.loads(again["out"])[0]["total"] == 12
