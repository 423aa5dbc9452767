"""The office's shared folder: one database that every member of the office's group opens.

SQLite writes ``-wal``/``-shm`` beside the database with the database's mode, owned by whoever
opened it first — and by that login's own group unless the folder is setgid. So in a plain 0770
group folder, an assessor's session that dies leaves files the administrator cannot open, and
the database cannot be read at all. ``init_office`` makes the folder setgid and group-owned, and
the database group-readable and -writable; ``folder_problem`` names what is wrong when a folder
is not like that.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

DB_NAME = "kaohe.db"


def _login(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid{gid}"


def folder_problem(db: Path) -> str | None:
    """One line on why this login cannot use ``db`` because of its folder, if that is why."""
    db = Path(db)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db}{suffix}")
        try:
            st = side.stat()
        except OSError:
            continue
        if not os.access(side, os.R_OK | os.W_OK):
            return (f"{side} belongs to {_login(st.st_uid)}:{_group(st.st_gid)} (mode {stat.filemode(st.st_mode)}), "
                    f"which this login cannot open: {_login(st.st_uid)} (or root) runs `chgrp GROUP {side}`, "
                    f"and the administrator sets the folder up once with `kaohe init-office {db.parent} --group GROUP`")
    try:
        st_db, st_dir = db.stat(), db.parent.stat()
    except OSError:
        return None
    if st_db.st_mode & 0o060 and not (st_dir.st_mode & stat.S_ISGID and st_dir.st_gid == st_db.st_gid):
        return (f"{db.parent} is shared but not set up for it (setgid, group {_group(st_db.st_gid)}): "
                f"`kaohe init-office {db.parent} --group {_group(st_db.st_gid)}`")
    return None


def init_office(folder: Path | str, group: str) -> Path:
    """Make ``folder`` (created if missing) the office's: group ``group``, setgid, 2770; and its
    database group-owned 0660. Returns the database's path. Changes only what this login owns."""
    folder = Path(folder).expanduser().absolute()
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise KaoheError(t("office_no_group", group=group)) from None
    if os.geteuid() != 0 and gid not in os.getgroups() and gid != os.getegid():
        raise KaoheError(t("office_not_member", group=group))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise KaoheError(t("office_cannot_create", folder=folder, error=exc.strerror)) from None
    st = folder.lstat()
    if not stat.S_ISDIR(st.st_mode):
        raise KaoheError(t("office_not_folder", folder=folder))
    if st.st_uid != os.geteuid():
        raise KaoheError(t("office_not_owner", folder=folder, owner=_login(st.st_uid)))
    os.chown(folder, -1, gid)
    os.chmod(folder, 0o2770)  # setgid: every file made inside belongs to the office's group
    db = folder / DB_NAME
    try:
        fd = os.open(db, os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_RDWR, 0o600)
    except FileExistsError:
        st = db.lstat()
        if st.st_gid != gid or (st.st_mode & 0o660) != 0o660:
            raise KaoheError(t("office_db_mode", db=db, owner=_login(st.st_uid), group_now=_group(st.st_gid),
                               mode=stat.filemode(st.st_mode), group=group)) from None
        return db
    try:
        os.fchown(fd, -1, gid)
        os.fchmod(fd, 0o660)
    finally:
        os.close(fd)
    return db
