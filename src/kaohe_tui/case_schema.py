"""The columns case files from real platforms need (migration m007): a case's status (void cases
are kept, listable, and counted nowhere; force-closed ones are closed at their time), whether its
answer was satisfied (the answers a profile maps), whether its file had no deadline column, and
which import first brought it in (a later export updates cases by id)."""

from __future__ import annotations

from sqlite_utils import Database


def m007_case_status(db: Database) -> None:
    for statement in """
    ALTER TABLE cases ADD COLUMN status TEXT;
    ALTER TABLE cases ADD COLUMN satisfied INTEGER;
    ALTER TABLE cases ADD COLUMN untimed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cases ADD COLUMN first_import_id INTEGER;
    ALTER TABLE case_month_stats ADD COLUMN untimed INTEGER;
    ALTER TABLE case_imports ADD COLUMN updated INTEGER;
    ALTER TABLE case_imports ADD COLUMN profile TEXT;
    ALTER TABLE case_imports ADD COLUMN withdrawn_at TEXT;
    UPDATE cases SET satisfied = CASE WHEN satisfaction IN ('满意', '基本满意', 'satisfied', '1') THEN 1 ELSE 0 END
        WHERE satisfaction IS NOT NULL
    """.split(";"):  # the last: cases imported before are kept as they were counted
        if statement.strip():
            db.execute(statement)
