"""``kaohe serve`` admits only its owner: another OS login on the same server, which can reach
127.0.0.1 like anyone, gets neither the page nor the websocket that drives the TUI; the owner,
with the address printed at start, gets both. The page fetches nothing from the internet."""

from __future__ import annotations

import asyncio
import os
import pwd
import re
import select
import shutil
import socket
import subprocess
import sys
import time

import aiohttp
import pytest

from conftest import NOBODY, ensure_account

LINKS = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)|url\(["']([^"']+)""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """A real ``kaohe serve`` started by this login; yields (its printed address, port, pid)."""
    port = free_port()
    env = {**os.environ, "KAOHE_NO_ENTRY_POINTS": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kaohe_tui", "--db", str(tmp_path / "k.db"), "serve",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        url, seen, deadline = None, "", time.monotonic() + 60
        while url is None and time.monotonic() < deadline:  # the server prints its address once it listens
            ready, _, _ = select.select([proc.stdout], [], [], 1)
            if ready:
                line = proc.stdout.readline()
                if not line:
                    break
                seen += line
                found = re.search(r"http://[0-9.:]+(?:/\S*)?", line)
                url = found.group(0).rstrip("/") + "/" if found else None
        assert url, f"kaohe serve printed no address:\n{seen}"
        yield url, port, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def fetch(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text(errors="replace")


async def drive(ws_url: str) -> bytes:
    """Open the websocket and wait for the TUI's first output."""
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as ws:
        message = await asyncio.wait_for(ws.receive(), timeout=60)
        return message.data if isinstance(message.data, bytes) else str(message.data).encode()


def test_owner_gets_page_and_tui_through_the_printed_address_only(served):
    url, port, pid = served
    status, page = asyncio.run(fetch(url))
    assert status == 200 and "textual-terminal" in page
    links = [a or b for a, b in LINKS.findall(page)]
    assert links and all(link.startswith(url) for link in links), links  # nothing from the internet (no Google Fonts)
    font = re.search(r'url\("([^"]+RobotoMono-VariableFont_wght\.ttf)"\)', page)
    assert font and asyncio.run(fetch(font.group(1)))[0] == 200  # the bundled font is served
    ws_url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
    assert asyncio.run(drive(ws_url + "?width=80&height=24"))  # the owner's browser drives the TUI
    base = f"http://127.0.0.1:{port}"
    for path in ("/", "/ws", "/static/js/textual.js", "/x" + url.rsplit("/", 2)[1] + "/"):
        assert asyncio.run(fetch(base + path))[0] == 404, path
    token = url.rstrip("/").rsplit("/", 1)[1]
    with open(f"/proc/{pid}/cmdline", "rb") as fh:  # what `ps` shows every login
        assert token.encode() not in fh.read()


# Run as another login: it knows the port (any login can list listening sockets) and tries what
# it can to reach the TUI. Starts as root to import (the interpreter lives under /root), then
# becomes the login for good.
ATTACK = """
import asyncio, os, sys, aiohttp
uid, gid, port, pid = (int(x) for x in sys.argv[1:5])
os.setgroups([]); os.setgid(gid); os.setuid(uid)
base = f"http://127.0.0.1:{port}"
async def main():
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/ws", "/static/js/textual.js"):
            try:
                async with session.get(base + path) as r:
                    print(path, r.status)
            except aiohttp.ClientError as exc:
                print(path, type(exc).__name__)
        try:
            async with session.ws_connect(base + "/ws?width=80&height=24") as ws:
                print("websocket open")
        except aiohttp.WSServerHandshakeError as exc:
            print("websocket refused", exc.status)
asyncio.run(main())
for what in ("cmdline", "environ"):
    try:
        print(what, open(f"/proc/{pid}/{what}", "rb").read().replace(b"\\0", b" ").decode(errors="replace"))
    except OSError as exc:
        print(what, "unreadable", exc.errno)
"""


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd"), reason="a second OS login needs root")
def test_another_login_cannot_reach_the_tui(served):
    url, port, pid = served
    ensure_account(NOBODY)
    account = pwd.getpwnam(NOBODY)
    proc = subprocess.run([sys.executable, "-c", ATTACK, str(account.pw_uid), str(account.pw_gid), str(port), str(pid)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "/ 404" in out and "/ws 404" in out and "/static/js/textual.js 404" in out
    assert "websocket refused 404" in out and "websocket open" not in out
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in out  # neither the command line nor the environment gives it away
