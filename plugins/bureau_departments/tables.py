"""The plugin's own tables: self-scores (附件3 自评分) and bonus applications (附件6).

Never rename an applied migration; add a new one instead.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

SCHEME_ID = "bureau-departments"
SELF_SCORES = "bureau_self_scores"
BONUS_APPLICATIONS = "bureau_bonus_applications"

migrations = Migrations("bureau_departments")


@migrations()
def m001_self_scores(db: Database) -> None:
    # One self-score per unit, indicator and period; replacing it is audited.
    db[SELF_SCORES].create(
        {"scheme": str, "period": str, "unit": str, "indicator": str, "points": float, "reason": str,
         "entered_by": str, "entered_at": str},
        pk=("scheme", "period", "unit", "indicator"), not_null={"points"},
    )


@migrations()
def m002_bonus_applications(db: Database) -> None:
    db.execute(f"""
        CREATE TABLE {BONUS_APPLICATIONS} (
            id INTEGER PRIMARY KEY,
            scheme TEXT NOT NULL,
            period TEXT NOT NULL,
            unit TEXT NOT NULL,              -- 申报单位
            project TEXT NOT NULL,           -- 申报项目
            certificate TEXT NOT NULL,       -- 附获奖证书
            leader_opinion TEXT,             -- 局分管领导意见
            points REAL,                     -- 最终赋分
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
            record_id INTEGER,               -- the ledger record an approval wrote
            applied_by TEXT, applied_at TEXT,
            decided_by TEXT, decided_at TEXT
        )""")
    db[BONUS_APPLICATIONS].create_index(["scheme", "period", "unit"])
