"""The TUI as a user drives it: Textual's pilot at 80×24 against a temporary database file, with
the test plugin in tests/fixtures/tui_plugin (two small schemes, a unit attribute, a demo ledger
and a plugin screen). Expected points are worked out by hand from the fixture scheme:
基础管理 12 = 工作纪律 10 (late −0.5 each, absent −1 each) + 环境卫生 2 (dirty −0.5 each);
特别附加分 is a bonus; a total below 10 raises 通报批评. Units are ranked within their category
(一类: 党委办, 侨办（侨联）; 二类: 城建监察大队（政策法规科）, 财审科)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from rich.cells import cell_len

from conftest import BROKEN, TUI_PLUGIN, Kaohe, db_rows, load_only, make_app, offered, open_scheme, rows_of, settle
from conftest import tui_record as record

FIXTURE = TUI_PLUGIN


pytestmark = pytest.mark.usefixtures("only_test_plugins")


@pytest.fixture
def k(db_path) -> Kaohe:
    return Kaohe(db_path, [FIXTURE])




def total_of(db_path: Path, unit: str, period: str = "2018") -> float:
    from kaohe_tui import catalog
    from kaohe_tui.scoring import score
    from kaohe_tui.store import Store

    store = Store(db_path)
    try:
        return next(r.total for r in score(store, catalog.get("tui-fixture"), period) if r.unit == unit)
    finally:
        store.close()



# -- the first screen ----------------------------------------------------------------------------
async def test_schemes_screen_lists_schemes_and_loads_demo(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#schemes")
        rows = {r[-1]: r for r in rows_of(table)}
        assert set(rows) == {"tui-fixture", "tui-second"}
        # title, periods, units, records, id (the plugin is named under the table)
        assert rows["tui-fixture"] == ["界面测试方案", "2018", "4", "0", "tui-fixture"]
        assert rows["tui-second"][2] == "2"
        hint = str(app.screen.query_one("#scheme-hint").render())
        assert "按 d 载入演示台账（2条" in hint
        assert not app.screen.query_one("#failures").display
        await pilot.press("d")
        await settle(pilot)
        # the demo ledger: 2 records, labelled
        assert [r[0] for r in db_rows(db_path, "SELECT reason FROM records ORDER BY id")] == [
            "【演示】一季度迟到2次", "【演示】5月卫生检查不到位"]
        assert rows_of(table)[0][3] == "2"
        # d again: the ledger is no longer empty, and the app says so instead of doing nothing
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(str(message))
        await pilot.press("d")
        await settle(pilot)
        assert notes == ["「界面测试方案」的台账已有2条记录：演示台账只载入空台账"]
        assert db_rows(db_path, "SELECT count(*) FROM records") == [(2,)]
        # the second scheme has no demo ledger: d does nothing there
        table.move_cursor(row=1)
        await pilot.press("d")
        await settle(pilot)
        assert db_rows(db_path, "SELECT count(*) FROM records WHERE scheme = 'tui-second'") == [(0,)]


async def test_failed_plugin_is_listed_and_the_rest_works(db_path, monkeypatch):
    load_only(monkeypatch, "tui_fixture", "boom")
    app = make_app(db_path, dirs=(FIXTURE, BROKEN))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        failures = app.screen.query_one("#failures")
        assert failures.display
        text = str(failures.render())
        assert "boom" in text and "出错：RuntimeError：this plugin is broken on purpose（boom.py:1）" in text
        assert app.screen.query_one("#schemes").row_count == 2


# -- units ---------------------------------------------------------------------------------------
async def test_units_filter_sort_attributes_and_cjk_widths(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        screen = app.screen
        assert type(screen).__name__ == "UnitsScreen"
        table = screen.query_one("#units")
        titles = [str(c.label) for c in table.ordered_columns]
        assert titles == ["单位", "类别", "考核扎口科室", "别名", "挂钩社区"]  # 挂钩社区 from the plugin hook
        # DataTable measures cells by terminal width: a CJK character takes two cells
        widest = "城建监察大队（政策法规科）"
        assert cell_len(widest) == 26
        pad = 2 * table.cell_padding  # (the columns are measured once, over every unit: tables.Rows)
        assert table.ordered_columns[0].get_render_width(table) == 26 + pad
        assert table.ordered_columns[4].get_render_width(table) == cell_len("南夏墅社区") + pad == 10 + pad

        # / then typing filters; a half-width bracket finds the full-width name (NFKC)
        for key in ["slash", "侨", "办", "left_parenthesis"]:
            await pilot.press(key)
        await settle(pilot)
        assert screen.query_one("#units-filter").value == "侨办("
        assert [r[0] for r in rows_of(table)] == ["侨办（侨联）"]
        await pilot.press("escape")  # clears the filter, back in the table
        await settle(pilot)
        assert table.row_count == 4 and table.has_focus

        # s sorts by the cursor's column; again reverses
        table.move_cursor(row=0, column=4)
        await pilot.press("s")
        assert [r[4] for r in rows_of(table)] == ["", "南夏墅社区", "湖塘社区", "牛塘社区"]
        await pilot.press("s")
        assert [r[4] for r in rows_of(table)] == ["牛塘社区", "湖塘社区", "南夏墅社区", ""]
        assert "降序" in str(screen.query_one("#units-status").render())

        # enter: that unit's ledger
        table.move_cursor(row=[r[0] for r in rows_of(table)].index("财审科"), column=0)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "LedgerScreen"
        assert app.screen.query_one("#ledger-filter").value == "财审科"



async def fill_form(pilot, unit: str, indicator: str, clause: str | None, figure: str = "", reason: str = "",
                    period: str | None = None) -> None:
    form = pilot.app.screen
    form.query_one("#f-unit").value = unit
    await pilot.pause()
    if period:
        form.query_one("#f-period").value = period
    form.query_one("#f-indicator").value = indicator
    await pilot.pause()
    if clause:
        form.query_one("#f-clause").value = clause
    await pilot.pause()
    form.query_one("#f-figure").value = figure
    form.query_one("#f-reason").value = reason
    await settle(pilot, 0.25)


async def test_add_record_through_form_preview_and_results(db_path, k):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one("#ledger").row_count == 0
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "RecordForm"
        # the form offers only the scheme's indicators (composites excluded) and the chosen one's clauses
        form.query_one("#f-unit").value = "党委办"
        await pilot.pause()
        assert offered(form, "#f-indicator") == ["基础管理/工作纪律（10分）", "基础管理/环境卫生（2分）", "特别附加分"]
        # choose the indicator with the keyboard, as a user would
        form.query_one("#f-indicator").focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert form.query_one("#f-indicator").value == "基础管理/工作纪律"
        # the document's sentences, not the clauses' ids
        assert offered(form, "#f-clause") == [
            "无考勤管理台账资料的不得分",
            "出现迟到早退的有一例扣0.5分",
            "出现无故旷工的有一例扣1分",
        ]

        # no clause: the form asks for one (in Chinese; the CLI refuses the same record, also in Chinese)
        await fill_form(pilot, "党委办", "基础管理/工作纪律", None, "3", "一季度迟到3次", period="2018Q1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        cli = k.run("record", "tui-fixture", "--period", "2018Q1", "--unit", "党委办", "--indicator",
                    "基础管理/工作纪律", "--count", "3", "--reason", "一季度迟到3次", ok=False)
        assert cli.stderr.strip().removeprefix("kaohe: ").startswith("条款：「基础管理/工作纪律」须注明条款")
        assert str(form.query_one("#form-error").render()) == "✗ 请选择条款"
        assert type(app.screen).__name__ == "RecordForm"  # not saved

        # with the clause: the preview shows what the record will do, before the reason is written
        await fill_form(pilot, "党委办", "基础管理/工作纪律", "late", "3", "", period="2018Q1")
        await settle(pilot, 0.25)
        preview = str(form.query_one("#preview").render())
        # 工作纪律 10 − 3×0.5 = 8.5; total 12 → 10.5; 一类: 侨办 12 stays first, 党委办 from tied 1st to 2nd
        assert "工作纪律 10→8.5" in preview and "总分 12→10.5" in preview and "排名 1→2" in preview
        await pilot.press("ctrl+s")  # no reason: refused, as the CLI refuses it
        await pilot.pause()
        assert str(form.query_one("#form-error").render()) == "✗ 事由：每条记录都须写明事由"
        form.query_one("#f-reason").value = "一季度迟到3次"
        await settle(pilot, 0.25)
        preview = str(form.query_one("#preview").render())
        # 工作纪律 10 − 3×0.5 = 8.5; total 12 → 10.5; 一类: 侨办 12 stays first, 党委办 from tied 1st to 2nd
        assert "工作纪律 10→8.5" in preview
        assert "总分 12→10.5" in preview
        assert "排名 1→2" in preview
        assert db_rows(db_path, "SELECT count(*) FROM records") == [(0,)]  # a preview writes nothing
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "LedgerScreen"
        assert db_rows(db_path, "SELECT unit, indicator, clause, count, source FROM records") == [
            ("党委办", "基础管理/工作纪律", "late", 3, "tui")]
        table = app.screen.query_one("#ledger")
        # # 单位 数 事由 指标 条款 (the clause's sentence, not its id)
        assert rows_of(table)[0][1:6] == [
            "党委办",
            "次数3",
            "一季度迟到3次",
            "基础管理/工作纪律",
            "出现迟到早退的有一例扣0.5分",
        ]

        # the results changed
        await pilot.press("3")
        await settle(pilot)
        results = {r[0]: r for r in rows_of(app.screen.query_one("#results"))}
        # columns: 单位 总分 排名 类别 基础管理 特别附加分 标记 趋势
        assert results["党委办"][:6] == ["党委办", "10.5", "2", "一类", "10.5", "0"]
        assert results["侨办（侨联）"][2] == "1"


async def test_edit_and_withdraw_keep_history(db_path):
    first = record(db_path, period="2018Q2", unit="财审科", indicator="环境卫生", clause="dirty", count=4,
                   reason="卫生检查4次不到位")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-clause").value == "dirty"
        assert form.query_one("#f-figure").value == "4"
        form.query_one("#f-figure").value = "1"
        await pilot.press("ctrl+s")  # a correction needs its own reason
        await pilot.pause()
        assert "更正原因" in str(form.query_one("#form-error").render())
        form.query_one("#f-why").value = "复核：只有1次"
        await settle(pilot, 0.25)
        # 环境卫生 2 − 4×0.5 = 0 before; the corrected record alone: 2 − 0.5 = 1.5; total 12 − 0.5 = 11.5
        preview = str(form.query_one("#preview").render())
        assert "环境卫生 0→1.5" in preview and "总分 10→11.5" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = db_rows(db_path, "SELECT id, count, withdrawn_reason FROM records ORDER BY id")
        assert rows[0] == (first, 4, "复核：只有1次") and rows[1][1:] == (1, None)
        second = rows[1][0]
        table = app.screen.query_one("#ledger")
        shown = rows_of(table)
        assert shown[0][0] == f"✗{first}" and shown[0][-1].startswith("✗撤回：复核")  # still listed, marked
        assert shown[1][0] == str(second)
        audit = [r[0] for r in db_rows(db_path, "SELECT action FROM audit WHERE scheme = 'tui-fixture' ORDER BY id")]
        assert audit[-3:] == ["withdraw", "record", "edit"]

        # withdraw the corrected record: w, a reason, enter
        table.move_cursor(row=1)
        await pilot.press("w")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReasonPrompt"
        await pilot.press("enter")  # no reason: refused
        assert type(app.screen).__name__ == "ReasonPrompt"
        app.screen.query_one("#reason").value = "重复登记"
        await pilot.press("enter")
        await settle(pilot)
        assert db_rows(db_path, "SELECT withdrawn_reason FROM records WHERE id = ?", [second]) == [("重复登记",)]
        assert rows_of(table)[1][0] == f"✗{second}"
    # both withdrawn: 财审科 back to full marks, 12
    assert total_of(db_path, "财审科") == 12


def test_edit_is_all_or_nothing(db_path):
    """A correction whose new record is invalid withdraws nothing."""
    from kaohe_tui import catalog
    from kaohe_tui.errors import RecordError
    from kaohe_tui.ledger import Draft
    from kaohe_tui.ledger_edit import edit_record
    from kaohe_tui.store import Store

    rid = record(db_path, period="2018", unit="党委办", indicator="工作纪律", clause="late", reason="迟到")
    store = Store(db_path)
    bad = Draft(unit="党委办", indicator="工作纪律", period="2018", clause="no-such", reason="更正")
    with pytest.raises(RecordError, match="条款"):
        edit_record(store, catalog.get("tui-fixture"), rid, bad, "更正")
    store.close()
    assert db_rows(db_path, "SELECT withdrawn_at FROM records") == [(None,)]


def test_preview_leaves_the_database_as_it_was(db_path):
    from kaohe_tui import catalog
    from kaohe_tui.ledger import Draft
    from kaohe_tui.preview import preview_record
    from kaohe_tui.store import Store

    record(db_path, period="2018", unit="侨办（侨联）", indicator="工作纪律", clause="absent", count=2, reason="旷工")
    store = Store(db_path)
    before = db_rows(db_path, "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM audit)")
    draft = Draft(unit="侨办(侨联)", indicator="工作纪律", period="2018Q3", clause="late", count=2, reason="迟到")
    result = preview_record(store, catalog.get("tui-fixture"), draft, period="2018")
    store.close()
    # 工作纪律 10 − 2×1 = 8 → 8 − 2×0.5 = 7; total 10 → 9, below 10: 通报批评; 一类 rank stays 2
    assert (result.before.points, result.after.points) == (8, 7)
    assert (result.before.total, result.after.total) == (10, 9)
    assert (result.before.rank, result.after.rank) == (2, 2)
    assert "通报批评" in result.after.flags and "通报批评" not in result.before.flags
    assert db_rows(db_path, "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM audit)") == before


# -- results, explain, export ------------------------------------------------------------------------
async def test_results_flags_trend_explain(db_path):
    rid = record(db_path, period="2018Q2", unit="党委办", indicator="工作纪律", clause="absent", count=3,
                 date="2018-05-06", reason="二季度旷工3次")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#results")
        keys = [str(c.key.value) for c in table.ordered_columns]
        # unit and 总分 first (frozen at 80 columns), then the rank, category, indicators
        assert keys == ["unit", "total", "rank", "category", "ind:基础管理", "ind:特别附加分", "flags", "trend"]
        results = {r[0]: r for r in rows_of(table)}
        # 党委办: 工作纪律 10 − 3×1 = 7, 基础管理 9, total 9 < 10 → 通报批评 (flag marked ⚑, not only red)
        assert results["⚑党委办"][1] == "9" and results["⚑党委办"][4:7] == ["9", "0", "⚑通报批评"]
        # by quarter the total is 12, 9, 12, 12: bars scaled between 9 and 12
        assert results["⚑党委办"][7] == "█▁██"
        assert results["财审科"][6] == ""

        # explain the 基础管理 cell of 党委办
        row = [r[0] for r in rows_of(table)].index("⚑党委办")
        table.move_cursor(row=row, column=4)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExplainScreen"
        tree = app.screen.query_one("#explain-tree")
        labels = []

        def walk(node):
            labels.append(str(node.label))
            for child in node.children:
                walk(child)
        walk(tree.root)
        text = "\n".join(labels)
        assert "工作纪律  7/10" in text
        assert "-3  出现无故旷工的有一例扣1分" in text
        assert f"记录#{rid} 2018Q2 2018-05-06 次数3 二季度旷工3次" in text
        assert "环境卫生  2/2" in text
        head = str(app.screen.query_one("#explain-head").render())
        assert "党委办 · 2018 · 基础管理 · 总分 9（满分12）第2名" in head
        await pilot.press("escape")
        await settle(pilot)

        # ] switches to 2018Q1: no record there, no flag
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.query_one("#results-period").value == "2018Q1"
        results = {r[0]: r for r in rows_of(table)}
        assert results["党委办"][1] == "12" and results["党委办"][6] == ""
        # t: the trend of ranks (1st is the tallest bar; 党委办 is 2nd of 2 in 一类 in Q2)
        await pilot.press("t")
        results = {r[0]: r for r in rows_of(table)}
        assert results["党委办"][7] == "█▁██"


async def test_export_with_ctrl_e(db_path, tmp_path):
    record(db_path, period="2018", unit="财审科", indicator="特别附加分", amount=1.5, reason="省级表彰")
    app = make_app(db_path, tmp_path)
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(str(message))  # the notification's text
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "ExportDialog"
        assert dialog.query_one("#export-format").value == "xlsx"
        assert dialog.query_one("#export-path").value == str(tmp_path / "tui-fixture-2018.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        out = tmp_path / "tui-fixture-2018.xlsx"
        assert out.exists() and type(app.screen).__name__ == "ResultsScreen"
        assert any(str(out) in n for n in notes)
        sheet = openpyxl.load_workbook(out).active
        rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
        assert rows["财审科"][0] == 1 and rows["财审科"][-2] == 13.5  # 12 + bonus 1.5

        # a folder that does not exist: an error modal with the reason, no traceback, no file
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-format").value = "csv"
        await pilot.pause()
        assert app.screen.query_one("#export-path").value.endswith("tui-fixture-2018.csv")
        app.screen.query_one("#export-path").value = str(tmp_path / "missing" / "x.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ErrorModal"
        message = str(app.screen.query_one("#error-message").render())
        assert "文件夹" in message and "不存在" in message and "Traceback" not in message
        assert not (tmp_path / "missing").exists()


# -- plugin screens, palette, help, audit ------------------------------------------------------------
async def test_plugin_screen_palette_and_help(db_path):
    from kaohe_tui.tui.commands import ScreenActions

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        assert "k 检查表" in str(app.screen.query_one("#nav").render())
        await pilot.press("k")
        await pilot.pause()
        assert "检查表（插件页）：界面测试方案，4个单位" in str(app.screen.query_one("#checklist").render())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("2")
        await settle(pilot)

        provider = ScreenActions(app.screen)
        titles = [hit.display async for hit in provider.discover()]
        for title in ("新增（a）", "筛选（/）", "导出（^e）", "帮助（?）", "插件页：检查表（k）", "切换到台账（2）"):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "KaohePalette"
        await pilot.press("escape")  # opened and closed by keys alone
        await pilot.pause()

        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        text = str(app.screen.query_one("#help-text").render())
        assert "新增" in text and "撤回" in text and "更正" in text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # back to the scheme list
        await settle(pilot)
        assert type(app.screen).__name__ == "SchemesScreen"


async def test_audit_filters_by_unit_user_and_date(db_path):
    record(db_path, period="2018", unit="党委办", indicator="工作纪律", clause="late", reason="[b]迟到[/b]")
    record(db_path, period="2018", unit="侨办（侨联）", indicator="环境卫生", clause="dirty", reason="卫生")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#audit")
        actions = [r[3] for r in rows_of(table)]
        assert actions == ["记录", "记录", "登记方案"]  # newest first
        assert rows_of(table)[1][6] == "[b]迟到[/b]"  # data is shown as written, never as markup
        app.screen.query_one("#audit-unit").value = "侨办("
        await settle(pilot, 0.25)
        assert [r[4] for r in rows_of(table)] == ["侨办（侨联）"]
        app.screen.query_one("#audit-unit").value = ""
        app.screen.query_one("#audit-user").value = "no-such-user"
        await settle(pilot, 0.25)
        assert table.row_count == 0
        app.screen.query_one("#audit-user").value = ""
        app.screen.query_one("#audit-since").value = "2999-01-01"
        await settle(pilot, 0.25)
        assert table.row_count == 0


async def test_large_ledger_is_paged(db_path, tmp_path, k):
    """25 records, 10 per page: the table never holds more than a page; moving past either end
    loads the next or previous page."""
    csv = tmp_path / "ledger.csv"
    csv.write_text("单位,指标,条款,次数,期间,事由\n"
                   + "".join(f"财审科,环境卫生,dirty,1,2018Q1,检查{i:02d}\n" for i in range(25)), encoding="utf-8")
    k.run("import", "tui-fixture", str(csv))
    app = make_app(db_path, page_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#ledger")
        reasons = lambda: [r[3] for r in rows_of(table)]  # noqa: E731
        assert reasons() == [f"检查{i:02d}" for i in range(10)]
        table.move_cursor(row=9)
        await pilot.press("down")
        assert reasons() == [f"检查{i:02d}" for i in range(10, 20)] and table.cursor_row == 0
        await pilot.press("up")
        assert reasons() == [f"检查{i:02d}" for i in range(10)] and table.cursor_row == 9
        await pilot.press("end")  # the last page: the last 10 rows, the cursor on the last one
        assert reasons() == [f"检查{i:02d}" for i in range(15, 25)]
        assert "第25条/共25条（本页16–25）" in str(app.screen.query_one("#ledger-status").render())
        # the filter pages too
        app.screen.query_one("#ledger-filter").value = "检查1"
        await settle(pilot, 0.25)
        assert reasons() == [f"检查{i:02d}" for i in range(10, 20)] and not table.has_after


async def test_small_terminal_keeps_the_keys_visible(db_path):
    """At 80×24 the footer holds every ledger action and the app-wide keys."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("2")
        await settle(pilot)
        footer = app.screen.query_one("Footer")
        keys = [k for k in footer.query("FooterKey")]
        visible = [k for k in keys if k.region.right <= 80 and k.region.width > 0]
        assert {k.description for k in visible} >= {"筛选", "新增", "更正", "撤回", "帮助", "导出", "命令"}


def colleague_records_absences(db_path: Path) -> None:
    """Another login (its own connection) records 3 absences of 党委办 in 2018Q2."""
    record(db_path, period="2018Q2", unit="党委办", indicator="工作纪律", clause="absent", count=3,
           date="2018-05-06", reason="二季度旷工3次")


async def until_seen(pilot, seen) -> None:
    """Until ``seen()`` holds: the screen's next look at the database (bounded: 10 s)."""
    for _ in range(200):
        await pilot.pause(0.05)
        await settle(pilot)
        if seen():
            return


async def test_results_in_view_follow_another_logins_write(db_path, monkeypatch):
    """Figures left on the screen while a colleague records are no longer true: the results in
    view are scored again without a key."""
    from kaohe_tui.tui.app import KaoheApp

    monkeypatch.setattr(KaoheApp, "WRITES_POLL", 0.05)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#results")
        # no record yet: 党委办 at full marks in 基础管理 and no flag
        assert "党委办" in [r[0] for r in rows_of(table)]
        colleague_records_absences(db_path)
        await until_seen(pilot, lambda: "⚑党委办" in [r[0] for r in rows_of(table)])
        results = {r[0]: r for r in rows_of(table)}
        # 工作纪律 10 − 3×1 = 7, 基础管理 9, total 9 < 10 → 通报批评
        assert results["⚑党委办"][1] == "9" and results["⚑党委办"][6] == "⚑通报批评"


async def test_an_explanation_in_view_says_when_another_login_wrote(db_path, monkeypatch):
    """An explanation stays on the screen while a colleague records: its figures may have moved,
    and the screen says so (esc: the results score again)."""
    from kaohe_tui.tui.app import KaoheApp

    monkeypatch.setattr(KaoheApp, "WRITES_POLL", 0.05)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#results")
        table.move_cursor(row=[r[0] for r in rows_of(table)].index("党委办"), column=1)
        await pilot.press("enter")
        await settle(pilot, 0.2)
        explain = app.screen
        assert type(explain).__name__ == "ExplainScreen" and not explain.query_one("#explain-stale").display
        colleague_records_absences(db_path)
        await until_seen(pilot, lambda: explain.query_one("#explain-stale").display)
        assert "有新的写入" in str(explain.query_one("#explain-stale").render())
        # the figure as explained: no record yet, full marks (12)
        assert "总分 12" in str(explain.query_one("#explain-head").render())
        await pilot.press("escape")
        await settle(pilot)
        await until_seen(pilot, lambda: "⚑党委办" in [r[0] for r in rows_of(table)])
        # back on the results: scored again, 工作纪律 10 − 3×1 = 7, 基础管理 9, total 9
        assert {r[0]: r for r in rows_of(table)}["⚑党委办"][1] == "9"
        # the next explanation is of the new figures: no warning
        table.move_cursor(row=[r[0] for r in rows_of(table)].index("⚑党委办"), column=1)
        await pilot.press("enter")
        await settle(pilot, 0.2)
        assert app.screen is explain and not explain.query_one("#explain-stale").display
        assert "总分 9" in str(explain.query_one("#explain-head").render())
