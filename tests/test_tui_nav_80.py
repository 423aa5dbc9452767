"""Every key of a scheme's navigation bar is on an 80×24 screen (#16's known limit: the
bureau-departments bar was cut after `b 附加…`, so 附加分申报's label, esc and the title were
lost). A bar too long for the terminal goes on two lines, cut between whole keys."""

from __future__ import annotations

import re

from conftest import open_scheme, settle, visible
from kaohe_tui.tui.app import KaoheApp

BD = "bureau-departments"
# the views, the plugins' screens (targets g, scheme_years y, the bureau's own j x b o), the way back
KEYS = [("1", "单位"), ("2", "台账"), ("3", "结果"), ("4", "日志"), ("g", "目标"), ("y", "参数"),
        ("j", "计分表"), ("x", "信息报送"), ("b", "附加分申报"), ("o", "OA签收"), ("esc", "方案列表")]


async def test_every_navigation_key_is_visible_at_80_columns(db_path):
    app = KaoheApp(db_path=db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BD)
        for view in "1243":  # results last
            await pilot.press(view)
            await settle(pilot)
            top = "\n".join(visible(pilot)[:2])
            missing = [f"{k} {label}" for k, label in KEYS if not re.search(rf"(^|[ ▸]){re.escape(k)} {label}", top)]
            assert not missing, f"view {view}: {missing} not in\n{top}"
            assert "…" not in top.split("│ esc")[0]  # no key cut: only the title may be
        # the table still starts right under the bar (results: 2 lines of bar, then the period row)
        assert visible(pilot)[2].lstrip().startswith("2018")


async def test_a_short_bar_stays_on_one_line(db_path):
    app = KaoheApp(db_path=db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, "street-linkage")
        await pilot.press("3")
        await settle(pilot)
        first = visible(pilot)[0]
        assert "3 结果" in first and "esc 方案列表" in first
        assert visible(pilot)[1].lstrip().startswith("2012")
