"""Importing a file from the TUI (``i``): Textual's pilot at 80×24 against a temporary database,
with the test plugin in tests/fixtures/tui_plugin. The dialog makes the same core calls as
``kaohe import``, so its messages are checked against the CLI's own. Expected points are worked
out by hand from the fixture scheme: 基础管理 12 = 工作纪律 10 (late −0.5 each, absent −1 each) +
环境卫生 2 (dirty −0.5 each); 特别附加分 is a bonus; a total below 10 raises 通报批评; units are
ranked within their category (一类: 党委办, 侨办（侨联）; 二类: 城建监察大队（政策法规科）, 财审科)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import TUI_PLUGIN as FIXTURE
from conftest import Kaohe, db_rows, load_only, make_app, offered, open_scheme, rows_of, run_import, settle

pytestmark = pytest.mark.usefixtures("only_test_plugins")


@pytest.fixture
def k(db_path) -> Kaohe:
    return Kaohe(db_path, [FIXTURE])


def spy_notes(app) -> list[str]:
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(str(message))
    return notes


async def open_dialog(pilot, view: str = "3"):
    await open_scheme(pilot)
    await pilot.press(view)
    await settle(pilot)
    await pilot.press("i")
    await pilot.pause()
    dialog = pilot.app.screen
    assert type(dialog).__name__ == "ImportDialog"
    return dialog



BAD = ("单位,指标,条款,次数,期间,事由\n"
       "党委办,工作纪律,late,2,2018Q1,迟到2次\n"
       "不存在科,工作纪律,late,1,2018Q1,迟到\n"
       "财审科,环境卫生,dirty,x,2018Q2,卫生\n")


async def test_import_gbk_ledger_and_the_results_change(db_path, tmp_path):
    ledger = tmp_path / "台账.csv"
    ledger.write_bytes(("单位,指标,条款,次数,分值,期间,事由\n"
                        "党委办,工作纪律,late,3,,2018Q1,一季度迟到3次\n"
                        "党办,工作纪律,absent,1,,2018Q2,二季度旷工1次\n"  # an alias of 党委办
                        "财审科,特别附加分,,,1.5,,省级表彰\n").encode("gbk"))  # no period: the dialog's
    app = make_app(db_path, tmp_path)
    notes = spy_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        assert offered(dialog, "#import-kind") == ["自动识别", "台账记录", "平台案件", "单位名单"]
        assert str(Path.cwd()) in str(dialog.query_one("#import-cwd").render())
        await run_import(pilot, dialog, ledger, period="2018")
        assert notes == ["已导入3条记录"]
        assert type(app.screen).__name__ == "ResultsScreen"  # the dialog closed, the view reloaded
        assert db_rows(db_path, "SELECT unit, period, clause, count, amount FROM records ORDER BY id") == [
            ("党委办", "2018Q1", "late", 3, None), ("党委办", "2018Q2", "absent", 1, None),
            ("财审科", "2018", None, None, 1.5)]
        results = {r[0]: r for r in rows_of(app.screen.query_one("#results"))}
        # columns: 单位 总分 排名 类别 基础管理 特别附加分 标记
        # 党委办: 基础管理 12 − 3×0.5 (迟到) − 1×1 (旷工) = 9.5 < 10 → 通报批评; 一类: 侨办 12 first
        assert results["⚑党委办"][:6] == ["⚑党委办", "9.5", "2", "一类", "9.5", "0"]
        assert "通报批评" in results["⚑党委办"][6]
        # 财审科: 12 + 1.5 (bonus) = 13.5, first of 二类
        assert results["财审科"][:6] == ["财审科", "13.5", "1", "二类", "12", "1.5"]


async def test_bad_rows_are_listed_and_nothing_is_written(db_path, tmp_path, k):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    cli = k.run("import", "tui-fixture", str(bad), ok=False)  # the CLI's messages, for comparison
    expected = [line for line in cli.stderr.splitlines() if "行，「" in line]
    assert len(expected) == 2
    app = make_app(db_path, tmp_path)
    notes = spy_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, "2")
        await run_import(pilot, dialog, bad)
        modal = app.screen
        assert type(modal).__name__ == "RejectedRows"
        assert "2行无效，未导入任何记录" in str(modal.query_one("#rejected-summary").render())
        table = modal.query_one("#rejected")
        rows = rows_of(table)
        # row 3: the unknown unit; row 4: a count that is not a number
        assert [r[:2] for r in rows] == [["3", "单位"], ["4", "次数"]]
        assert "不存在科" in rows[0][2] and "x" in rows[1][2]
        # the full message of the highlighted row, as `kaohe import` prints it
        assert str(modal.query_one("#rejected-detail").render()) == expected[0]
        await pilot.press("down")
        assert str(modal.query_one("#rejected-detail").render()) == expected[1]
        assert db_rows(db_path, "SELECT count(*) FROM records") == [(0,)]
        assert not (tmp_path / "bad.rejected.csv").exists() and notes == []
        await pilot.press("escape")  # back to the dialog, to fix the file or skip the rows
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "LedgerScreen"
        assert app.screen.query_one("#ledger").row_count == 0


async def test_skip_invalid_writes_the_rejects_beside_the_input(db_path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    app = make_app(db_path, tmp_path)
    notes = spy_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, "2")
        await run_import(pilot, dialog, bad, skip=True)
        rejects = tmp_path / "bad.rejected.csv"
        assert notes == [f"已导入1条记录；2行无效已跳过，见 {rejects}"]
        assert db_rows(db_path, "SELECT unit, count, reason FROM records") == [("党委办", 2, "迟到2次")]
        with rejects.open(encoding="utf-8-sig") as fh:
            written = list(csv.reader(fh))
        assert written[0] == ["行号", "单位", "指标", "条款", "次数", "期间", "事由", "原因"]
        assert [r[:2] for r in written[1:]] == [["3", "不存在科"], ["4", "财审科"]]
        assert "不存在科" in written[1][-1]
        # the ledger view reloaded with the one good record
        assert type(app.screen).__name__ == "LedgerScreen"
        assert [r[1] for r in rows_of(app.screen.query_one("#ledger"))] == ["党委办"]


async def test_progress_is_shown_while_a_long_file_imports(db_path, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("单位,指标,条款,次数,期间,事由\n"
                   + "".join(f"财审科,环境卫生,dirty,1,2018Q1,检查{i:04d}\n" for i in range(2500)), encoding="utf-8")
    app = make_app(db_path, tmp_path)
    spy_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, "1")
        seen: list[tuple[int, float | None, bool]] = []
        shown = dialog.show_progress

        def spy(done: int) -> None:  # runs on the UI thread, while the worker waits
            bar = dialog.query_one("#import-bar")
            seen.append((done, bar.total, dialog.query_one(".import-progress").display))
            shown(done)

        dialog.show_progress = spy
        await run_import(pilot, dialog, big)
        # the core reports the rows done so far as it goes (every 1,000 of the 2,500 today); the
        # total is not known in advance, so the bar is indeterminate and the count is shown beside it
        counts = [done for done, _, _ in seen]
        assert len(counts) >= 2 and counts == sorted(set(counts)) and counts[-1] <= 2501
        assert all(total is None and visible for _, total, visible in seen)
        assert db_rows(db_path, "SELECT count(*) FROM records") == [(2500,)]


PLUGIN = '''
import kaohe_tui
from kaohe_tui.io.formats import Importer


def run(store, scheme, path):
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return f"roster: {len(rows)} row(s)"


@kaohe_tui.hookimpl
def kaohe_import_formats():
    return [Importer(kind="roster", title="名单", run=run, schemes=("tui-fixture",))]
'''


async def test_units_and_plugin_kinds_palette_and_help(db_path, tmp_path, monkeypatch):
    load_only(monkeypatch, "tui_fixture", "roster_fixture")
    extra = tmp_path / "plugins"
    extra.mkdir()
    (extra / "roster_fixture.py").write_text(PLUGIN, encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("单位,类别,别名\n新设科,二类,新科\n财审科,二类,财审\n", encoding="utf-8")
    app = make_app(db_path, tmp_path, dirs=(FIXTURE, extra))
    notes = spy_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        from kaohe_tui.tui.commands import ScreenActions

        await open_scheme(pilot)
        titles = [hit.display async for hit in ScreenActions(app.screen).discover()]
        assert "导入文件（i）" in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert "导入文件" in str(app.screen.query_one("#help-text").render())
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert offered(dialog, "#import-kind") == ["自动识别", "台账记录", "平台案件", "单位名单", "名单（roster）"]
        # units: one added, one updated; the units view reloads with the new one
        await run_import(pilot, dialog, units, kind="units")
        assert notes == ["单位：新增1个，更新1个"]
        names = [r[0] for r in rows_of(app.screen.query_one("#units"))]
        assert "新设科" in names and len(names) == 5

        await pilot.press("i")
        await pilot.pause()
        await run_import(pilot, app.screen, units, kind="roster")
        assert notes[-1] == "roster: 2 row(s)"

        # a file that is not there: one line in the error modal, no traceback
        await pilot.press("i")
        await pilot.pause()
        await run_import(pilot, app.screen, tmp_path / "missing.csv")
        assert type(app.screen).__name__ == "ErrorModal"
        assert "文件不存在" in str(app.screen.query_one("#error-message").render())


RECORD_COLUMNS = "unit, period, indicator, clause, count, amount, value, date, reason, attrs, withdrawn_at"


async def test_one_import_the_dialog_and_kaohe_import_write_the_same_database(db_path, tmp_path):
    """The same file with a bad row, skipped, through the TUI's dialog and through `kaohe import`:
    the same records, the same rejects file, the same units."""
    ledger = tmp_path / "台账.csv"
    ledger.write_text(BAD + "党办,工作纪律,absent,1,2018Q2,二季度旷工1次\n", encoding="utf-8")
    units = tmp_path / "单位.csv"
    units.write_text("单位,类别,考核扎口科室\n新设科,二类,人教科\n", encoding="utf-8")
    app = make_app(db_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await run_import(pilot, dialog, ledger, skip=True)
        tui_rejects = (tmp_path / "台账.rejected.csv").read_text(encoding="utf-8")
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await run_import(pilot, app.screen, units, kind="units")
    cli_db = tmp_path / "cli.db"
    cli = Kaohe(cli_db, [FIXTURE])
    assert "已导入2条记录" in cli.run("import", "tui-fixture", ledger, "--skip-invalid").stdout
    assert (tmp_path / "台账.rejected.csv").read_text(encoding="utf-8") == tui_rejects
    cli.run("import", "tui-fixture", units, "--kind", "units")
    query = f"SELECT {RECORD_COLUMNS} FROM records WHERE scheme = 'tui-fixture' ORDER BY id"
    assert db_rows(db_path, query) == db_rows(cli_db, query)
    assert [r[0] for r in db_rows(db_path, query)] == ["党委办", "党委办"]  # 党办 is 党委办's alias
    query = ("SELECT name, category, assessed_by, aliases, attrs, sample FROM units"
             " WHERE scheme = 'tui-fixture' ORDER BY id")
    assert db_rows(db_path, query) == db_rows(cli_db, query)
    assert ("新设科", "二类", "人教科") in [r[:3] for r in db_rows(db_path, query)]
