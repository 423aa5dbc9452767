"""``kaohe serve``: the same TUI for a browser, on localhost unless told otherwise — for its owner
only.

Every other login on the server can reach 127.0.0.1 too, and whoever opens the websocket drives
the TUI as the login that started it. So the page, its websocket, downloads and static files all
live under a secret path (``/TOKEN/``): a random token made at start, printed to the owner's
terminal only (never on the command line other logins see in ``ps``). Anything else is 404.
The page uses the font textual-serve bundles, not Google Fonts: nothing is fetched from the
internet (an office server may have no internet, and a request out says who is working).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shlex
import signal
import sys
from pathlib import Path

GOOGLE_FONTS = ('<link\n      rel="stylesheet"\n'
                '      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />')
LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
    </style>"""


def owner_server(command: str, host: str, port: int, title: str, token: str | None = None):
    """A textual-serve ``Server`` whose every route sits under ``/TOKEN/``."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    class OwnerServer(Server):
        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title=title)
            self.token = token or secrets.token_urlsafe(32)

        @property
        def owner_url(self) -> str:
            return f"{self.public_url}/{self.token}/"

        def _template(self, name: str) -> str:
            text = (Path(self.templates_path) / name).read_text(encoding="utf-8")
            return text.replace(GOOGLE_FONTS, LOCAL_FONT)

        async def _make_app(self) -> web.Application:
            app = web.Application()
            aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(self._template))
            prefix = f"/{self.token}"
            app.add_routes([
                web.get(prefix + "/", self.handle_index, name="index"),
                web.get(prefix + "/ws", self.handle_websocket, name="websocket"),
                web.get(prefix + "/download/{key}", self.handle_download, name="download"),
                web.static(prefix + "/static", self.statics_path, name="static"),
            ])
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def on_startup(self, app: web.Application) -> None:
            """Nothing yet: the address is printed once the socket listens (``announce``)."""

        def announce(self, *_: object) -> None:
            print(f"kaohe serve: 请在浏览器打开 {self.owner_url}\n"
                  "（只有这个地址能进入；它只打印在这里，别发给别人。ctrl+c 停止）", flush=True)

        def serve(self, debug: bool = False) -> None:
            # as textual-serve's, but the address is printed once the socket listens
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal.SIGINT, self.request_exit)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                        print=self.announce)

    return OwnerServer()


def serve(args) -> None:
    command = [sys.executable, "-m", "kaohe_tui"]
    if getattr(args, "db", None):
        command += ["--db", str(args.db)]
    for folder in getattr(args, "plugins_dir", []) or []:
        command += ["--plugins-dir", str(folder)]
    owner_server(shlex.join(command), args.host, args.port, "kaohe 考核").serve()
