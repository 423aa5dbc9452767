"""A database from an earlier kaohe opens in this one: pending migrations run (after a backup
beside it) and nothing already recorded changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kaohe_tui.store import Store


def test_case_imports_are_named_for_cases_imported_before(tmp_path):
    db = tmp_path / "old.db"
    Store(db).close()
    # the file as kaohe left it before m004: cases stamped with their import's time (and file)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_case_imports'")
        conn.execute("DROP TABLE case_imports")
        conn.execute("ALTER TABLE cases DROP COLUMN import_id")
        conn.executemany("INSERT INTO cases (scheme, case_id, unit, reported_at, imported_at) VALUES (?, ?, ?, ?, ?)", [
            ("s", "A1", "甲", "2018-01-01 09:00:00", "2026-11-20T10:00:00+08:00#jan.csv"),
            ("s", "A2", "甲", "2018-01-02 09:00:00", "2026-11-20T10:00:00+08:00#jan.csv"),
            ("s", "B1", "乙", "2018-02-01 09:00:00", "2026-11-21T09:30:00+08:00"),  # the careful path's stamp
        ])
    store = Store(db)
    imports = store.db.execute("SELECT id, scheme, file, at, cases FROM case_imports ORDER BY at").fetchall()
    assert [row[1:] for row in imports] == [("s", "jan.csv", "2026-11-20T10:00:00+08:00", 2),
                                            ("s", None, "2026-11-21T09:30:00+08:00", 1)]
    linked = dict(store.db.execute("SELECT case_id, import_id FROM cases").fetchall())
    assert linked == {"A1": imports[0][0], "A2": imports[0][0], "B1": imports[1][0]}
    assert list(Path(tmp_path).glob("old.db.before-migration-*"))  # the file as it was, kept


def test_sample_marks_are_per_unit_and_units_can_retire_after_m008(tmp_path):
    from kaohe_tui import catalog
    from kaohe_tui.scoring import score
    from kaohe_tui.units import ensure_registered

    db = tmp_path / "old.db"
    store = Store(db)
    ensure_registered(store)
    store.close()
    # before m008: no retired columns, and every unit of a scheme with sample units marked sample
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_unit_standing'")
        for column in ("retired_at", "retired_by", "retired_reason"):
            conn.execute(f"ALTER TABLE units DROP COLUMN {column}")
        conn.execute("UPDATE units SET sample = 1 WHERE scheme = 'city-coordination'")
    store = Store(db)
    sample = dict(store.db.execute("SELECT name, sample FROM units WHERE scheme = 'city-coordination'").fetchall())
    assert sample["城管局"] == 0 and sample["示例镇甲"] == 1  # the 12 departments are real
    ranks = {r.unit: r.rank for r in score(store, catalog.get("city-coordination"), "2018Q1")}
    assert ranks["城管局"] == 1 and ranks["示例镇甲"] == 1  # no real town yet: the samples still rank
