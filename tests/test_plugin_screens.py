"""The scheme plugins' own screens, driven as a user drives them: the real app with the built-in
plugins at 80×24 against a temporary database file; records set up through the core's
``add_record`` (the same check and insert as ``kaohe record``), in-process for speed.

Expected figures are worked out by hand from the documents:
- bureau-departments (seed 002, 附件2/3/4): 工作纪律 10, 迟到早退 −0.5 each; 信息宣传 7 pools its parts'
  deductions, and its part 信息报送 deducts 1 for each month below the unit's 附件4 standard
  (扣完为止), or 1 when an annual minimum is missed; 专题 items count 1 in their month and add
  2 (district portal) / 5 (city portal) to the year's total.
- district-categories (seed 000): 二类 14 units, 三类 56 units paired with communities (附件1); the
  附件2 roster is due by 5 April (inclusive).
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import SHEET_RECORDS, db_rows, open_scheme, settle, text_of
from conftest import add_records as add
from kaohe_tui.tui.app import KaoheApp

BUREAU, DISTRICT = "bureau-departments", "district-categories"



def cell(table, row_key: str, column_key: str) -> str:
    return str(table.get_cell(row_key, column_key))


def column(table, key: str) -> dict[str, str]:
    """One column of a table by row key."""
    return {str(row.value): cell(table, row.value, key) for row in table.rows}



async def test_score_sheet_side_by_side_and_self_score_form(tmp_path):
    db = tmp_path / "k.db"
    add(db, BUREAU, SHEET_RECORDS)
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BUREAU)
        assert "j 计分表" in text_of(app.screen.query_one("#nav"))
        await pilot.press("j")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "SheetScreen"
        screen.query_one("#sheet-unit").value = "房管处"
        await settle(pilot)
        table = screen.query_one("#sheet")
        # 80 columns: the reasons leave the table and show under it for the highlighted row
        assert [str(c.label) for c in table.ordered_columns] == ["考核类别", "考核内容", "标准分值", "自评分", "考评分"]
        rows = {r[1] or r[0]: r for r in ([str(c) for c in table.get_row_at(i)] for i in range(table.row_count))}
        # 工作纪律 10 − 2×0.5 (迟到) = 9
        assert rows["工作纪律"][2:] == ["10", "", "9"]
        # no 信息报送 records: twelve months missing (未录入, flagged), not twelve months below standard → 7
        assert rows["信息宣传"][2:] == ["7", "", "7"]
        assert rows["年度目标任务完成情况"][2:] == ["30", "", "30"]
        assert rows["重点指标扣分"][4] == "-1"
        # 现场考核分小计 30 + 70 − 1 (工作纪律) − 1 (重点指标) = 98; 合计 98 + 1.5 = 99.5
        assert rows["现场考核分小计"][2:] == ["100", "", "98"]
        assert rows["特别附加分"][4] == "1.5"
        assert rows["合计分"][4] == "99.5"
        # the title names the unit, its assessing section (附件1: 房产管理科) and the period
        title = text_of(screen.query_one("#title-bar"))
        assert "房管处" in title and "房产管理科" in title and "2018" in title

        # the reasons of the highlighted row show below the table
        row_index = [i for i in range(table.row_count) if str(table.get_row_at(i)[1]) == "工作纪律"][0]
        table.move_cursor(row=row_index)
        await pilot.pause()
        assert "考勤抽查：2人次迟到" in text_of(screen.query_one("#sheet-detail"))

        # enter a self-score through the form: validated as set_self_score validates
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "SelfScoreForm"
        await pilot.press("1", "1")  # above 工作纪律's 10
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text_of(form.query_one("#ss-error")) == "✗ 自评分：11 超出「基础管理/工作纪律」的范围 0–10"
        form.query_one("#ss-points").value = "8"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text_of(form.query_one("#ss-error")) == "✗ 原因：自评8分（满分10）须写明原因"
        assert db_rows(db, "SELECT count(*) FROM bureau_self_scores") == [(0,)]
        form.query_one("#ss-reason").value = "迟到两次，另有一次早退"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert db_rows(db, "SELECT unit, indicator, points, reason, period FROM bureau_self_scores") == [
            ("房管处", "基础管理/工作纪律", 8.0, "迟到两次，另有一次早退", "2018")]
        assert db_rows(db, "SELECT count(*) FROM audit WHERE action = 'self-score' AND unit = '房管处'") == [(1,)]
        # self 8 against assessed 9: a gap of 1 point (the threshold) is marked ⚑, not by colour alone
        row = [str(c) for c in table.get_row_at(row_index)]
        assert row[3:] == ["⚑8", "⚑9"]
        assert "⚑1行" in text_of(screen.query_one("#sheet-status"))
        assert "相差-1" in text_of(screen.query_one("#sheet-detail"))
        # the sums wait for every self-score: 现场考核分小计's self column stays empty
        subtotal = [str(c) for c in table.get_row_at(table.row_count - 3)]
        assert subtotal[0] == "现场考核分小计" and subtotal[3] == ""

        # switching units by key
        await pilot.press("n")
        await settle(pilot)
        assert screen.query_one("#sheet-unit").value == "开发办"  # the next unit of 附件1
        await pilot.press("b")
        await settle(pilot)
        assert "房管处" in text_of(screen.query_one("#title-bar"))
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "UnitsScreen"


async def test_score_sheet_shows_reason_columns_when_wide(tmp_path):
    db = tmp_path / "k.db"
    add(db, BUREAU, SHEET_RECORDS[:1])
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_scheme(pilot, BUREAU)
        await pilot.press("j")
        await settle(pilot)
        app.screen.query_one("#sheet-unit").value = "房管处"
        await settle(pilot)
        table = app.screen.query_one("#sheet")
        assert [str(c.label) for c in table.ordered_columns] == [
            "考核类别", "考核内容", "标准分值", "自评分", "原因", "考评分", "原因"]
        row = next([str(c) for c in table.get_row_at(i)] for i in range(table.row_count)
                   if str(table.get_row_at(i)[1]) == "工作纪律")
        assert row[5] == "9" and "考勤抽查：2人次迟到" in row[6]


# -- 信息报送 (附件4) --------------------------------------------------------------------------------
def info(unit: str, month: int | None, reason: str, clause: str = "adopted", **figure) -> dict:
    period = f"2018-{month:02d}" if month else "2018"
    return dict(unit=unit, indicator="信息报送", clause=clause, period=period, reason=reason, **figure)


async def test_information_month_grid(tmp_path):
    db = tmp_path / "k.db"
    rows = []
    # 市政处, 4 a month: 3 in March, nothing in August; December recorded for the year with a date
    for month in range(1, 12):
        if month != 8:
            rows.append(info("市政处", month, f"{month}月录用", value=3 if month == 3 else 4))
    rows.append(info("市政处", None, "12月录用", value=4, date="2018-12-15"))
    # 城建档案馆, 全年不低于10条: 2 + 3 + a feature on the district portal (1 item, +2 to the year)
    rows += [info("城建档案馆", 1, "1月录用", value=2), info("城建档案馆", 5, "5月录用", value=3),
             info("城建档案馆", 6, "政策解读被区政府门户网站录用", clause="district-feature", count=1)]
    # 财审科, 全年不低于5条: 3 + a city-portal feature (1 item, +5 to the year)
    rows += [info("财审科", 3, "3月录用", value=3),
             info("财审科", 10, "在线访谈被市政府门户网站录用", clause="city-feature", count=1)]
    add(db, BUREAU, rows)
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BUREAU)
        await pilot.press("x")
        await settle(pilot)
        assert type(app.screen).__name__ == "InfoGridScreen"
        table = app.screen.query_one("#info")
        assert table.row_count == 19  # every unit of 附件1
        # 80 columns: 单位 and 得分 lead and stay while the months scroll
        assert [str(c.key.value) for c in table.ordered_columns][:3] == ["unit", "points", "standard"]
        assert table.fixed_columns == 2
        months = {m: cell(table, "市政处", f"m{m}") for m in range(1, 13)}
        # below 4 in March (3): marked ✗; August never entered: — (未录入, not 0)
        assert months == {1: "4", 2: "4", 3: "✗3", 4: "4", 5: "4", 6: "4", 7: "4", 8: "—", 9: "4", 10: "4",
                          11: "4", 12: "4"}
        assert cell(table, "市政处", "standard") == "4/月"
        assert cell(table, "市政处", "short") == "3"
        assert cell(table, "市政处", "year") == "43"  # 10×4 + 3
        assert cell(table, "市政处", "points") == "6"  # 7 − 1 (March); August missing: flagged, not deducted
        # 城建档案馆: 2 + 3 + 1 = 6 items, +2 for the feature = 8 < 10, but nine months are not entered:
        # the year is not judged yet (7, flagged)
        assert cell(table, "城建档案馆", "standard") == "全年≥10"
        assert cell(table, "城建档案馆", "m6") == "1"
        assert cell(table, "城建档案馆", "year") == "6+2"
        assert cell(table, "城建档案馆", "points") == "7"
        # 财审科: 3 + 1 = 4 items, +5 = 9 ≥ 5: met
        assert cell(table, "财审科", "year") == "4+5"
        assert cell(table, "财审科", "points") == "7"
        # 审图中心, 1 a month, nothing recorded: every month missing (—), nothing deducted yet
        assert cell(table, "审图中心", "short") == ""
        assert cell(table, "审图中心", "m1") == "—"
        assert cell(table, "审图中心", "points") == "7"
        # the highlighted unit in full, with the scorer's explanation
        keys = [str(r.value) for r in table.rows]
        table.move_cursor(row=keys.index("城建档案馆"))
        await pilot.pause()
        detail = text_of(app.screen.query_one("#info-detail"))
        assert "全年6条" in detail and "专题加2条" in detail and "尚有月份未录入，暂不判定" in detail
        assert "✗" in text_of(app.screen.query_one("#info-status"))
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "UnitsScreen"


# -- 名单 (附件2) -----------------------------------------------------------------------------------
async def test_roster_filter_and_form(tmp_path):
    db = tmp_path / "k.db"
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, DISTRICT)
        assert "m 名单" in text_of(app.screen.query_one("#nav"))
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "RosterScreen"
        table = screen.query_one("#roster")
        categories = column(table, "category")
        assert len(categories) == 70
        assert list(categories.values()).count("二类") == 14 and list(categories.values()).count("三类") == 56
        # 附件1: 区委办 is paired with 淹城社区 in 湖塘镇; a 二类 unit has no community
        assert [cell(table, "区委办", k) for k in ("community", "town", "status")] == ["淹城社区", "湖塘镇", "✗未报送"]
        assert cell(table, "民政局", "community") == ""
        assert "截止 2017-04-05" in text_of(screen.query_one("#title-bar"))

        # / then typing filters (a letter in the table is a command key, on every screen)
        await pilot.press("slash", "淹", "城")
        await settle(pilot)
        assert [str(r.value) for r in table.rows] == ["区委办"]
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "RosterForm"
        # 分管领导: name, position, a mobile with letters; 联络员: a mobile but no name
        await pilot.press(*"张三")
        form.query_one("#rf-0-1").value = "副主任"
        form.query_one("#rf-0-2").value = "139abc"
        form.query_one("#rf-1-2").value = "13800001111"
        form.query_one("#rf-received").value = "2017-04-08"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = text_of(form.query_one("#roster-error"))
        assert error == "✗ 分管领导 · 手机：“139abc”不是电话号码"
        form.query_one("#rf-0-2").value = "13912345678"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = text_of(form.query_one("#roster-error"))
        assert "联络员" in error and "姓名" in error
        # nothing was stored by the failed saves (the form is one transaction)
        assert db_rows(db, "SELECT count(*) FROM district_categories_roster") == [(0,)]
        form.query_one("#rf-1-0").value = "李四"
        form.query_one("#rf-1-4").value = "12345"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert db_rows(db, "SELECT role, name, position, mobile, qq FROM district_categories_roster "
                           "WHERE unit = '区委办' ORDER BY role") == [
            ("分管领导", "张三", "副主任", "13912345678", ""), ("联络员", "李四", "", "13800001111", "12345")]
        assert db_rows(db, "SELECT year, received_on, stamped FROM district_categories_roster_forms") == [
            (2017, "2017-04-08", 1)]
        assert db_rows(db, "SELECT action, count(*) FROM audit WHERE action LIKE 'roster%' GROUP BY action") == [
            ("roster", 2), ("roster-form", 1)]
        # received on 8 April, after the 5 April deadline
        assert cell(table, "区委办", "status") == "✗2017-04-08报送，逾期"
        assert cell(table, "区委办", "分管领导:手机") == "13912345678"

        # correct the date to the deadline itself (inclusive): complete; only the form is re-audited
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#rf-received").value = "2017-04-05"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cell(table, "区委办", "status") == "✓齐全"
        assert db_rows(db, "SELECT action, count(*) FROM audit WHERE action LIKE 'roster%' GROUP BY action") == [
            ("roster", 2), ("roster-form", 2)]
        await pilot.press("escape")  # the table has the focus back: escape leaves the screen
        await settle(pilot)
        assert type(app.screen).__name__ == "UnitsScreen"


# -- the CLI never loads Textual -------------------------------------------------------------------
def test_cli_and_screen_hooks_do_not_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from kaohe_tui import catalog, cli, plugins\n"
        f"cli.main(['--db', {str(tmp_path / 'k.db')!r}, 'score', 'bureau-departments', '--period', '2018'])\n"
        "for sid in ('bureau-departments', 'district-categories'):\n"
        "    screens = [s for found in plugins.call('kaohe_screens', scheme=catalog.get(sid)) for s in found or []]\n"
        "    print(sid, ' '.join(f'{s.key}={s.title}' for s in screens))\n"
        "print('textual loaded:', any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    env = {**os.environ, "KAOHE_NO_ENTRY_POINTS": "1", "COLUMNS": "200"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                         check=True).stdout
    # the built-in year-parameters (y) and target-list (g) screens come with them (issue 15)
    assert "bureau-departments g=目标 y=参数 j=计分表 x=信息报送" in out
    assert "district-categories y=参数 m=名单" in out
    assert "textual loaded: False" in out
