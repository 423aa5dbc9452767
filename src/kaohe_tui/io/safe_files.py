"""Writing a file in a folder others may write to (the office's shared folder): exports, rejects
files, backups.

Every writer gets a path inside a private folder (mode 0700, a name nobody can guess) made
beside the target, so no planted symlink is ever followed; on Linux that path goes through the
folder's open descriptor (``/proc/self/fd/N/…``), so even renaming the private folder away
mid-write cannot redirect it. The finished file is then put in place in one step: hard-linked
when the target must not exist (the link fails if someone created it meanwhile), renamed over it
with ``force``. A symlink at the target is replaced, never followed. The database and its
``-wal``/``-shm``/``-journal`` are never a target, with or without ``force``. Only the file
kaohe creates gets a mode set; nothing that exists is chmod-ed.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def protected_paths(database: Path | str | None) -> list[Path]:
    """The database file and the files SQLite keeps beside it."""
    if database is None:
        return []
    return [Path(str(database) + suffix) for suffix in DATABASE_COMPANIONS]


def check_target(target: Path, *, force: bool = False, protect: Iterable[Path] = ()) -> Path:
    """Refuse (one line) a target that is the database, a folder, missing its folder, or that
    exists without ``force``."""
    target = Path(target).expanduser()
    parent = target.parent
    if not parent.is_dir():
        raise KaoheError(t("folder_missing", target=target, folder=parent))
    for guarded in protect:
        if _same(target, guarded):
            raise KaoheError(f"{target}: 这是数据库文件（或其 -wal/-shm），不能写在它上面；请换一个文件名")
    if os.path.lexists(target):
        if target.is_dir() and not target.is_symlink():
            raise KaoheError(f"{target}: 这是一个文件夹；请写一个文件名")
        if not force:
            raise KaoheError(f"{target}: 文件已存在；确要替换它，加 --force")
    return target


def _same(a: Path, b: Path) -> bool:
    """The same name (after resolving folders and symlinks) or the same file (a hard link)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class Slot:
    """``path``: where the writer writes the whole file; ``final``: where it went, once done
    (``unique`` may have chosen another name)."""

    def __init__(self, path: Path, final: Path):
        self.path = path
        self.final = final


@contextmanager
def writing(target: Path | str, *, force: bool = False, protect: Iterable[Path] = (),
            mode: int | None = None, group: int | None = None, unique: bool = False) -> Iterator[Slot]:
    """A ``Slot`` to write the whole file to; on success the file becomes ``target``.

    ``mode``/``group``: set on the new file (default: what the umask gives). ``unique``: never
    replace anything; if ``target`` exists, the file becomes ``STEM-2.SUFFIX``, ``STEM-3.SUFFIX``, …
    """
    target = Path(target).expanduser()
    protect = list(protect)
    if not unique:
        check_target(target, force=force, protect=protect)
    elif not target.parent.is_dir():
        raise KaoheError(t("folder_missing", target=target, folder=target.parent))
    parent_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        private = tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        name = os.path.basename(private)
        dir_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent_fd)
    except OSError as exc:
        os.close(parent_fd)
        raise KaoheError(f"{target}: 无法写入（{exc.strerror or exc}）") from None
    proc = f"/proc/self/fd/{dir_fd}"
    slot = Slot((Path(proc) if os.path.isdir(proc) else Path(private)) / target.name, target)
    try:
        yield slot
        _check_ours(target.name, dir_fd)
        if mode is not None or group is not None:
            fd = os.open(target.name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dir_fd)
            try:
                if group is not None:
                    os.fchown(fd, -1, group)
                if mode is not None:
                    os.fchmod(fd, mode)
            finally:
                os.close(fd)
        slot.final = _publish(target, dir_fd, parent_fd, force=force and not unique, unique=unique, protect=protect)
    except OSError as exc:
        raise KaoheError(f"{target}: 无法写入（{exc.strerror or exc}）") from None
    finally:
        for leftover in os.listdir(dir_fd):
            os.unlink(leftover, dir_fd=dir_fd)
        os.close(dir_fd)
        try:
            os.rmdir(name, dir_fd=parent_fd)
        except OSError:
            pass
        os.close(parent_fd)


def _check_ours(name: str, dir_fd: int) -> None:
    """The writer left one regular file of ours (not a symlink) under the expected name."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        raise KaoheError(f"{name}: 导出程序没有写出文件") from None
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
        raise KaoheError(f"{name}: 写出的不是本人的普通文件，已放弃")


def _publish(target: Path, dir_fd: int, parent_fd: int, *, force: bool, unique: bool, protect: list[Path]) -> Path:
    # the database check again, just before the file lands: the name may have changed meanwhile
    for guarded in protect:
        if _same(target, guarded):
            raise KaoheError(f"{target}: 这是数据库文件（或其 -wal/-shm），不能写在它上面；请换一个文件名")
    if force:
        os.replace(target.name, target.name, src_dir_fd=dir_fd, dst_dir_fd=parent_fd)
        return target
    candidates = [target] if not unique else [target] + [
        target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(2, 1000)]
    for candidate in candidates:
        try:
            os.link(target.name, candidate.name, src_dir_fd=dir_fd, dst_dir_fd=parent_fd, follow_symlinks=False)
            return candidate
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            # a file system without hard links: check, then rename (a narrow race remains)
            if os.path.lexists(candidate):
                continue
            os.rename(target.name, candidate.name, src_dir_fd=dir_fd, dst_dir_fd=parent_fd)
            return candidate
    raise KaoheError(f"{target}: 文件已存在；确要替换它，加 --force")
