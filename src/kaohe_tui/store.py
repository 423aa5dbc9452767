"""The SQLite file, through sqlite-utils: open, migrate, one transaction per user action, audit.

WAL mode, foreign keys on and a busy timeout, so that a CLI and a TUI (or two SSH users) can
write to the same file. Every write goes through ``Store.transaction()`` (``BEGIN IMMEDIATE``):
a user action is all there or not there at all.
"""

from __future__ import annotations

import datetime as dt
import json
import grp
import os
import pwd
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlite_utils import Database, Migrations

from kaohe_tui import chain, closed, plugins
from kaohe_tui.errors import KaoheError
from kaohe_tui.paths import default_db_path

BUSY_TIMEOUT_MS = 30_000

core = Migrations("kaohe_core")


@core()
def m001_core_tables(db: Database) -> None:
    db["schemes"].create({"id": str, "title": str, "plugin": str, "source": str, "registered_at": str}, pk="id")
    db["units"].create(
        {"id": int, "scheme": str, "name": str, "key": str, "category": str, "assessed_by": str,
         "aliases": str, "attrs": str, "sample": int},
        pk="id", not_null={"scheme", "name", "key"},
        foreign_keys=[("scheme", "schemes", "id")],
    )
    db["units"].create_index(["scheme", "key"], unique=True)
    db["records"].create(
        {"id": int, "scheme": str, "period": str, "unit": str, "indicator": str, "clause": str,
         "count": int, "amount": float, "value": float, "date": str, "reason": str, "attrs": str,
         "source": str, "created_by": str, "created_at": str,
         "withdrawn_at": str, "withdrawn_by": str, "withdrawn_reason": str},
        pk="id", not_null={"scheme", "period", "unit", "indicator", "reason"},
        foreign_keys=[("scheme", "schemes", "id")],
    )
    db["records"].create_index(["scheme", "period"])
    db["records"].create_index(["scheme", "unit"])
    db["periods"].create(
        {"scheme": str, "period": str, "status": str, "changed_by": str, "changed_at": str, "reason": str},
        pk=("scheme", "period"),
    )
    db["audit"].create(
        {"id": int, "at": str, "user": str, "action": str, "scheme": str, "unit": str,
         "record_id": int, "old": str, "new": str, "reason": str},
        pk="id",
    )
    db["audit"].create_index(["unit"])
    db["audit"].create_index(["at"])
    # The audit log is append-only, enforced by the database itself.
    db.execute("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN "
               "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    db.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN "
               "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    # Records are never deleted, only withdrawn with a reason.
    db.execute("CREATE TRIGGER records_no_delete BEFORE DELETE ON records BEGIN "
               "SELECT RAISE(ABORT, 'records are withdrawn, never deleted'); END")


@core()
def m002_cases(db: Database) -> None:
    """Digital city-management platform cases (数字城管案件), imported from the platform, and
    their monthly counts per unit (kept up to date by the import, so scoring a year of 10^6
    cases reads a few thousand rows)."""
    # statement by statement: executescript would commit the migration's transaction
    for statement in """
    CREATE TABLE cases (
        scheme TEXT NOT NULL, case_id TEXT NOT NULL CHECK (case_id != ''), unit TEXT NOT NULL, source TEXT,
        reported_at TEXT NOT NULL, deadline TEXT CHECK (deadline != 'invalid'),
        closed_at TEXT CHECK (closed_at != 'invalid'),
        extensions INTEGER NOT NULL DEFAULT 0 CHECK (extensions >= 0),
        failed_checks INTEGER NOT NULL DEFAULT 0 CHECK (failed_checks >= 0),
        satisfaction TEXT, imported_at TEXT,
        PRIMARY KEY (scheme, case_id)
    ) WITHOUT ROWID;
    CREATE INDEX cases_open ON cases (scheme, reported_at) WHERE closed_at IS NULL;
    CREATE INDEX cases_repeats ON cases (scheme, reported_at) WHERE extensions > 0 OR failed_checks > 0;
    CREATE TABLE case_month_stats (
        scheme TEXT NOT NULL, unit TEXT NOT NULL, month TEXT NOT NULL,
        due INTEGER, on_time INTEGER, extended INTEGER, overdue INTEGER, closed INTEGER,
        extensions INTEGER, extensions_after_first INTEGER, failed_checks INTEGER, rework INTEGER,
        first_time INTEGER, satisfied INTEGER, visited INTEGER,
        PRIMARY KEY (scheme, unit, month)
    ) WITHOUT ROWID;
    """.split(";"):
        if statement.strip():
            db.execute(statement)


@core()
def m004_case_imports(db: Database) -> None:
    """Each import of platform cases, once (file, time, login, count), and each case's link to
    it: an auditor can say which file brought a case in. Replaces a stamp text repeated on every
    case row (``imported_at``, kept for cases imported before: SQLite before 3.35 cannot drop it)."""
    for statement in """
    CREATE TABLE case_imports (
        id INTEGER PRIMARY KEY, scheme TEXT NOT NULL, file TEXT, at TEXT NOT NULL, user TEXT, cases INTEGER
    );
    ALTER TABLE cases ADD COLUMN import_id INTEGER;
    INSERT INTO case_imports (scheme, file, at, cases)
        SELECT scheme, CASE WHEN instr(imported_at, '#') THEN substr(imported_at, instr(imported_at, '#') + 1) END,
               CASE WHEN instr(imported_at, '#') THEN substr(imported_at, 1, instr(imported_at, '#') - 1)
                    ELSE coalesce(imported_at, '') END, count(*)
        FROM cases GROUP BY scheme, imported_at;
    UPDATE cases SET import_id = (
        SELECT i.id FROM case_imports i WHERE i.scheme = cases.scheme
          AND coalesce(cases.imported_at, '') = i.at || coalesce('#' || i.file, ''))
    """.split(";"):
        if statement.strip():
            db.execute(statement)


def private_mode() -> tuple[int, int | None]:
    """The mode (and group) of a file holding the ledger: its owner's only (the ledger decides
    funds and careers), or the office's group's too when ``KAOHE_GROUP`` names one."""
    group = os.environ.get("KAOHE_GROUP")
    if not group:
        return 0o600, None
    try:
        return 0o660, grp.getgrnam(group).gr_gid
    except KeyError:
        raise KaoheError(f"KAOHE_GROUP={group}: no such group") from None


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


def os_login() -> str:
    """The OS account running kaohe (not an environment variable anyone could set)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # an account with no passwd entry (some containers)
        return f"uid{os.geteuid()}"


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


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
        from kaohe_tui import case_schema, ledger_read, roles, scheme_years, signoff, target_lists, units  # noqa: F401 — register their core migrations

        sets = [core]
        for provided in plugins.call("kaohe_migrations"):
            sets += provided if isinstance(provided, (list, tuple)) else [provided]
        return sets

    def migrate(self, backup: bool = True) -> None:
        sets = self.migration_sets()
        try:
            pending = [m for s in sets for m in s.pending(self.db)]
        except sqlite3.DatabaseError as exc:
            raise KaoheError(f"{self.path}: not a kaohe database ({exc})") from None
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
                    raise KaoheError(f"{self.path}: migration {migration_set.name} failed: {exc}") from None
            from kaohe_tui.signoff import check_migration

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
            raise KaoheError(f"{self.path}: the database is busy, try again ({exc})") from None
        try:
            yield self.db
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
                raise KaoheError(f"{self.path}: {cause}; nothing was written") from None
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
        raise KaoheError(f"{source}: not a database ({exc})") from None
    if ok != "ok" or not has_tables:
        raise KaoheError(f"{source}: not a sound kaohe backup (integrity: {ok})")
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
            raise KaoheError(f"{source}: its pages are {theirs} bytes, the database's {ours}; close every other "
                             "kaohe session on it and restore again")
        src.backup(dst)
        if wal:
            dst.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise KaoheError(f"{target}: {storage_problem(exc) or exc}; the database was not restored") from None
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
