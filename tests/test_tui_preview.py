"""The record form's preview for a quarterly indicator opened from the year's view: the quarter's
figures, not the year's "—→—" (city-coordination scores 数字城管考评 by quarter only)."""

from __future__ import annotations

from kaohe_tui import catalog, plugins
from kaohe_tui.ledger import Draft
from kaohe_tui.preview import preview_record
from kaohe_tui.store import Store
from kaohe_tui.units import ensure_registered


def test_a_quarterly_record_previews_its_quarter(db_path):
    plugins.load_plugins()
    store = Store(db_path)
    ensure_registered(store)
    scheme = catalog.get("city-coordination")
    unit = next(iter(store.db.query("SELECT name FROM units WHERE scheme = ? AND category = '镇（区）、街道'",
                                    [scheme.id])))["name"]
    draft = Draft(unit=unit, indicator="按期结案率", clause="due", count=4, period="2018Q1", reason="应结案4件")
    shown = preview_record(store, scheme, draft, period="2018")
    assert shown.period == "2018Q1"
    # 按期结案率 12 × weighted rate: no case due yet → full (on_zero = "full") 12; 4 due, none closed
    # on time → 12 × 0/4 = 0
    assert (shown.before.points, shown.after.points) == (12, 0)
