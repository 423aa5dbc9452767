"""The office's shared folder, with real OS logins: an assessor's kaohe killed mid-session leaves
its -wal/-shm behind. In a folder set up by ``kaohe init-office`` (setgid, group-owned) the
administrator still opens and reads everything, nothing committed lost; in a folder without it,
kaohe names the problem in one line. Needs root."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import AS_USER, ASSESSOR, CORE_PLUGIN, GROUP, LOGIN_ENV, NEEDS_ROOT, UNIT, as_login_cmd, ensure_account

pytestmark = NEEDS_ROOT
ADMIN = UNIT  # a login of the office group, not root: root could read any file

# The assessor's session: keeps the database open (as a TUI would), records, says so, and waits
# to be killed — so its -wal/-shm stay behind, holding the committed record.
SESSION = AS_USER.replace(
    "sys.exit(kaohe_tui.cli.main(sys.argv[4:]))",
    "keeper = sqlite3.connect(sys.argv[5]); keeper.execute('SELECT count(*) FROM records').fetchone()\n"
    "code = kaohe_tui.cli.main(sys.argv[4:])\n"
    "print('committed' if code == 0 else f'failed {code}', flush=True)\n"
    "import time; time.sleep(600)\n")


@pytest.fixture
def base():
    for name in (ASSESSOR, ADMIN):
        ensure_account(name)
    folder = Path(tempfile.mkdtemp(prefix="kaohe-base-", dir="/tmp"))
    os.chmod(folder, 0o755)
    os.chown(folder, pwd.getpwnam(ADMIN).pw_uid, -1)  # the administrator's own place
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_user(user: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(as_login_cmd(user, "--plugins-dir", str(CORE_PLUGIN), *args), capture_output=True, text=True,
                          timeout=60, env={**os.environ, **LOGIN_ENV, **(env or {})})


def killed_session(db: Path) -> None:
    """The assessor records one deduction, then its process is killed (SIGKILL)."""
    account = pwd.getpwnam(ASSESSOR)
    proc = subprocess.Popen(
        as_login_cmd(
            ASSESSOR,
            "--db",
            str(db),
            "--plugins-dir",
            str(CORE_PLUGIN),
            "record",
            "fixture",
            "--period",
            "2018",
            "--unit",
            "党委办",
            "--indicator",
            "环境卫生",
            "--clause",
            "dirty",
            "--reason",
            "检查发现卫生不到位",
            script=SESSION,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **LOGIN_ENV},
    )
    seen = ""
    while not seen.endswith(("committed\n", "\n")) or not seen.strip().splitlines()[-1].startswith(
        ("committed", "failed")
    ):
        line = proc.stdout.readline()  # the session's word that the record is committed
        if not line:
            break
        seen += line
    assert seen.strip().endswith("committed"), seen + (proc.stderr.read() if proc.poll() is not None else "")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    wal = Path(str(db) + "-wal")
    assert wal.exists() and wal.stat().st_uid == account.pw_uid and wal.stat().st_size > 0


def test_init_office_folder_survives_a_killed_assessor(base):
    folder = base / "office"
    done = as_user(ADMIN, "init-office", str(folder), "--group", GROUP)
    assert done.returncode == 0, done.stderr
    db = folder / "kaohe.db"
    st = folder.stat()
    assert st.st_mode & stat.S_ISGID and grp.getgrgid(st.st_gid).gr_name == GROUP
    assert oct(st.st_mode & 0o777) == "0o770"
    assert grp.getgrgid(db.stat().st_gid).gr_name == GROUP and oct(db.stat().st_mode & 0o777) == "0o660"
    assert str(db) in done.stdout and f"KAOHE_GROUP={GROUP}" in done.stdout
    assert f"办公室文件夹 {folder}：属组 {GROUP}" in done.stdout  # said in Chinese (#17)
    grant = as_user(ADMIN, "--db", str(db), "grant", ASSESSOR, "--role", "assessor", "--scheme", "fixture")
    assert grant.returncode == 0, grant.stderr

    killed_session(db)
    ledger = as_user(ADMIN, "--db", str(db), "ledger", "fixture", "--period", "2018", "--json")
    assert ledger.returncode == 0, ledger.stderr
    assert "检查发现卫生不到位" in ledger.stdout  # committed by the killed process: not lost
    score = as_user(ADMIN, "--db", str(db), "score", "fixture", "--period", "2018", "--json")
    assert score.returncode == 0 and '"total": 11.5' in score.stdout  # 12 − 0.5 (环境卫生, one dirty finding)


def test_folder_without_setgid_is_named_in_one_line(base):
    """The README's old set-up: a 0770 group folder, no setgid; the assessor's -wal gets the
    assessor's own group, which the administrator is not in."""
    folder = base / "office"
    folder.mkdir()
    os.chown(folder, pwd.getpwnam(ADMIN).pw_uid, grp.getgrnam(GROUP).gr_gid)
    os.chmod(folder, 0o770)
    db = folder / "kaohe.db"
    made = as_user(ADMIN, "--db", str(db), "grant", ASSESSOR, "--role", "assessor", "--scheme", "fixture",
                   env={"KAOHE_GROUP": GROUP})
    assert made.returncode == 0, made.stderr
    killed_session(db)
    opened = as_user(ADMIN, "--db", str(db), "ledger", "fixture", "--period", "2018")
    assert opened.returncode == 2, opened.stderr + opened.stdout
    lines = opened.stderr.strip().splitlines()
    assert len(lines) == 1 and "内部错误" not in lines[0]
    assert f"{db}-wal" in lines[0] and "init-office" in lines[0]
