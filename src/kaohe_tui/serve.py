"""``kaohe serve``: the same TUI for a browser, on localhost unless told otherwise."""

from __future__ import annotations

import shlex
import sys


def serve(args) -> None:
    from textual_serve.server import Server

    command = [sys.executable, "-m", "kaohe_tui"]
    if getattr(args, "db", None):
        command += ["--db", str(args.db)]
    for folder in getattr(args, "plugins_dir", []) or []:
        command += ["--plugins-dir", str(folder)]
    Server(shlex.join(command), host=args.host, port=args.port, title="kaohe 考核").serve()
