"""The SQLite file, through sqlite-utils: open, migrate, one transaction per user action, audit.

WAL mode, foreign keys on and a busy timeout, so that a CLI and a TUI (or two SSH users) can
write to the same file. Every write goes through ``Store.transaction()`` (``BEGIN IMMEDIATE``):
a user action is all there or not there at all.

The store is the bottom of the stack: it imports the schema (``migrations``) and the check it runs
after migrating (``signoff.check_migration``), never a module that writes through it.
"""

from __future__ import annotations

import datetime as dt
import grp
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from kaohe_tui import chain, closed, crashpoint, migrations, plugins
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.paths import default_db_path
from kaohe_tui.signoff import check_migration
from kaohe_tui.stamps import now, os_login  # noqa: F401 — re-exported: callers import them from the store

BUSY_TIMEOUT_MS = 30_000

def private_mode() -> tuple[int, int | None]:
    """The mode (and group) of a file holding the ledger: its owner's only (the ledger decides
    funds and careers), or the office's group's too when ``KAOHE_GROUP`` names one."""
    group = os.environ.get("KAOHE_GROUP")
    if not group:
        return 0o600, None
    try:
        return 0o660, grp.getgrnam(group).gr_gid
    except KeyError:
        raise KaoheError(t("store_no_group", group=group)) from None


def create_private(path: Path) -> None:
    """Create ``path`` with ``private_mode()`` (SQLite gives -wal/-shm the same mode). A file
    that exists already (someone else's, or a symlink) is left as it is: never chmod-ed."""
    mode, gid = private_mode()
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_RDWR, 0o600)
    except FileExistsError:
        return
    try:
        if gid is not None:
            os.fchown(fd, -1, gid)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def storage_problem(exc: BaseException) -> str | None:
    """A plain statement of what went wrong underneath, for the errors SQLite reports when the
    disk (not the input) is the problem."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL" or "disk is full" in str(exc):
        return "the disk is full (or the database reached its size limit); free some space and try again"
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in str(exc):
        return f"the disk could not be written ({name or exc})"
    if name == "SQLITE_READONLY" or "readonly database" in str(exc):
        return "the database file (or its folder) is read-only for this login"
    return None


class Store:
    """One open database file."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_db_path()
        self.user = os_login()
        created = not self.path.exists()
        try:
            if created:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                create_private(self.path)
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            self.db = Database(conn)
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            from kaohe_tui.office import folder_problem

            raise KaoheError(folder_problem(self.path) or f"{self.path}: cannot open the database ({exc})") from None
        self.migrate(backup=not created)

    # -- schema -----------------------------------------------------------------------------
    def migration_sets(self) -> list[Migrations]:
        sets = [migrations.core()]  # the one ordered list of the core's migrations
        for provided in plugins.call("kaohe_migrations"):
            sets += provided if isinstance(provided, (list, tuple)) else [provided]
        return sets

    def migrate(self, backup: bool = True) -> None:
        sets = self.migration_sets()
        try:
            pending = [m for s in sets for m in s.pending(self.db)]
        except sqlite3.DatabaseError as exc:
            raise KaoheError(t("store_not_kaohe", path=self.path, error=exc)) from None
        if not pending:
            return
        if backup and self.db["schemes"].exists():
            self.backup(self.path.with_name(self.path.name + f".before-migration-{dt.datetime.now():%Y%m%d%H%M%S}"))
        # One writer migrates; a second process opening the file at the same moment waits here
        # and then finds nothing left to do.
        with self.transaction():
            for migration_set in sets:
                try:
                    migration_set.apply(self.db)
                except Exception as exc:
                    raise KaoheError(t("migration_failed", path=self.path, name=migration_set.name,
                                       error=exc)) from None
            check_migration(self)  # nor may a migration move what a closed period was signed from

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One user action: ``BEGIN IMMEDIATE`` so a second writer waits instead of failing."""
        conn = self.db.conn
        if conn.in_transaction:  # nested: a savepoint inside the outer action
            with self.db.atomic():
                yield self.db
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise KaoheError(t("store_busy", path=self.path, error=exc)) from None
        changes_at_begin = conn.total_changes
        try:
            yield self.db
            crashpoint.pause_before_commit(conn.total_changes - changes_at_begin)
            conn.execute("COMMIT")
        except BaseException as exc:
            # SQLite ends the transaction itself on some errors (a full disk): then there is
            # nothing to roll back, and the user hears the real cause, not "cannot rollback"
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            refused = closed.translate(exc) if isinstance(exc, sqlite3.IntegrityError) else None
            if refused:  # a trigger's closed-period rule: one line, not a traceback
                raise refused from None
            cause = storage_problem(exc)
            if cause:
                raise KaoheError(t("store_not_written", path=self.path, cause=cause)) from None
            raise

    def audit(self, action: str, *, scheme: str | None = None, unit: str | None = None,
              record_id: int | None = None, old: Any = None, new: Any = None, reason: str = "") -> None:
        chain.append(self.db.conn, self.audit_row(action, scheme=scheme, unit=unit, record_id=record_id, old=old,
                                                  new=new, reason=reason))

    def audit_row(self, action: str, *, scheme: str | None = None, unit: str | None = None,
                  record_id: int | None = None, old: Any = None, new: Any = None, reason: str = "") -> dict:
        return {
            "at": now(), "user": self.user, "action": action, "scheme": scheme, "unit": unit,
            "record_id": record_id,
            "old": json.dumps(old, ensure_ascii=False) if old is not None else None,
            "new": json.dumps(new, ensure_ascii=False) if new is not None else None,
            "reason": reason,
        }

    # -- backup -----------------------------------------------------------------------------
    def backup(self, target: Path | str, force: bool = False) -> Path:
        """An online copy (SQLite's backup API): consistent even while others write. Written
        privately, then put in place (``safe_files``): never over the database, an existing
        file only with ``force``."""
        from kaohe_tui.io.safe_files import protected_paths, writing

        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        mode, gid = private_mode()
        with writing(target, force=force, protect=protected_paths(self.path), mode=mode, group=gid) as slot:
            dest = sqlite3.connect(str(slot.path))
            try:
                self.db.conn.backup(dest)
            finally:
                dest.close()
        return target

    def close(self) -> None:
        self.db.conn.close()


def restore(source: Path | str, target: Path | str) -> None:
    """Replace the database at ``target`` with the backup at ``source`` (checked first)."""
    source, target = Path(source), Path(target)
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE name='records'").fetchone()[0]
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise KaoheError(t("backup_not_database", source=source, error=exc)) from None
    if ok != "ok" or not has_tables:
        raise KaoheError(t("backup_unsound", source=source, integrity=ok))
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        create_private(target)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        # SQLite cannot change a WAL database's page size: a backup written with other pages
        # (8 KiB, by another tool) goes in through the rollback journal, then WAL again
        theirs, ours = (c.execute("PRAGMA page_size").fetchone()[0] for c in (src, dst))
        wal = dst.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        if theirs != ours and wal and _journal(dst, "DELETE") != "delete":
            raise KaoheError(t("backup_page_size", source=source, theirs=theirs, ours=ours))
        src.backup(dst)
        if wal:
            dst.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise KaoheError(t("restore_failed", target=target, cause=storage_problem(exc) or exc)) from None
    finally:
        src.close()
        dst.close()


def _journal(conn: sqlite3.Connection, mode: str) -> str:
    """Switch the journal mode; another connection in the file keeps WAL (or raises busy)."""
    try:
        return conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0]
    except sqlite3.OperationalError:
        return "busy"


def rows_json(value: str | None) -> Any:
    return json.loads(value) if value else {}
