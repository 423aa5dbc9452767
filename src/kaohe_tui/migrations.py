"""The core's database migrations, in the one order they apply (``ORDER``).

The core tables are created here; a migration that belongs with one concern (roles, sign-offs,
scheme years …) is written in that concern's module and listed here. A new one is appended to
``ORDER``; an applied one is never renamed or moved. Plugins bring their own sets (hook
``kaohe_migrations``), applied after these.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database, Migrations

from kaohe_tui.case_schema import m007_case_status
from kaohe_tui.ledger_read import m014_records_groups
from kaohe_tui.roles import m003_roles
from kaohe_tui.signoff import m005_closed_triggers, m005a_audit_chain, m005b_signoffs
from kaohe_tui.year_scheme import m009_scheme_years, m012_year_units_standing

NAME = "kaohe_core"


def m001_core_tables(db: Database) -> None:
    db.table("schemes").create({"id": str, "title": str, "plugin": str, "source": str, "registered_at": str}, pk="id")
    db.table("units").create(
        {"id": int, "scheme": str, "name": str, "key": str, "category": str, "assessed_by": str,
         "aliases": str, "attrs": str, "sample": int},
        pk="id", not_null={"scheme", "name", "key"},
        foreign_keys=[("scheme", "schemes", "id")],
    )
    db.table("units").create_index(["scheme", "key"], unique=True)
    db.table("records").create(
        {"id": int, "scheme": str, "period": str, "unit": str, "indicator": str, "clause": str,
         "count": int, "amount": float, "value": float, "date": str, "reason": str, "attrs": str,
         "source": str, "created_by": str, "created_at": str,
         "withdrawn_at": str, "withdrawn_by": str, "withdrawn_reason": str},
        pk="id", not_null={"scheme", "period", "unit", "indicator", "reason"},
        foreign_keys=[("scheme", "schemes", "id")],
    )
    db.table("records").create_index(["scheme", "period"])
    db.table("records").create_index(["scheme", "unit"])
    db.table("periods").create(
        {"scheme": str, "period": str, "status": str, "changed_by": str, "changed_at": str, "reason": str},
        pk=("scheme", "period"),
    )
    db.table("audit").create(
        {"id": int, "at": str, "user": str, "action": str, "scheme": str, "unit": str,
         "record_id": int, "old": str, "new": str, "reason": str},
        pk="id",
    )
    db.table("audit").create_index(["unit"])
    db.table("audit").create_index(["at"])
    # The audit log is append-only, enforced by the database itself.
    db.execute("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN "
               "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    db.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN "
               "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    # Records are never deleted, only withdrawn with a reason.
    db.execute("CREATE TRIGGER records_no_delete BEFORE DELETE ON records BEGIN "
               "SELECT RAISE(ABORT, 'records are withdrawn, never deleted'); END")


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


def m008_unit_standing(db) -> None:
    """A unit can leave the rankings and keep its records (``kaohe units --retire``); ``sample``
    marks units invented for a demo one by one (it marked every unit of a scheme that had any,
    the 12 real departments of city-coordination too: the sample ones are named 示例…)."""
    for column in ("retired_at", "retired_by", "retired_reason"):
        db.execute(f"ALTER TABLE units ADD COLUMN {column} TEXT")
    db.execute("UPDATE units SET sample = 0 WHERE sample = 1 AND name NOT LIKE '示例%'")


def m009_target_items(db: Database) -> None:
    db.table("target_items").create(
        {"id": int, "scheme": str, "year": int, "unit": str, "indicator": str, "number": int, "theme": str,
         "task": str, "content": str, "points": float, "source": str},
        pk="id", not_null={"scheme", "year", "unit", "indicator", "number", "task", "points"})
    db.table("target_items").create_index(["scheme", "year", "unit"])


ORDER: tuple[Callable[[Database], None], ...] = (
    m001_core_tables,
    m002_cases,
    m003_roles,
    m004_case_imports,
    m005_closed_triggers,
    m005a_audit_chain,
    m005b_signoffs,
    m007_case_status,
    m008_unit_standing,
    m009_scheme_years,
    m009_target_items,
    m012_year_units_standing,
    m014_records_groups,
)


def core() -> Migrations:
    """The core's migration set, registered in ``ORDER``."""
    migrations = Migrations(NAME)
    for migration in ORDER:
        migrations()(migration)
    return migrations
