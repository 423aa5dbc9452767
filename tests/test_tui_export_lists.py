"""ctrl+e offers what `kaohe export --what` offers (#14's known limit): district-categories' 附件1
community list and 附件2 roster, written by the same core export as the CLI's."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from textual.widgets import Input, Select

from conftest import open_scheme, settle
from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

DC = "district-categories"
ROSTER = ("单位,角色,姓名,职务,手机,报送日期,盖章\n区委办,分管领导,张三,副主任,13800000000,2017-04-01,是\n"
          "区委办,联络员,李四,科员,13900000000,,\n")


async def choose(pilot, select_id: str, label: str) -> None:
    """Pick ``label`` in a dropdown with the keys a clerk uses: focus it, open it, move, enter."""
    select = pilot.app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.press("enter")
    await settle(pilot)
    labels = [str(option[0]) for option in select._options]
    for _ in range(labels.index(label)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def export_with_ctrl_e(pilot, what: str, fmt: str) -> str:
    await pilot.press("ctrl+e")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "ExportDialog"
    await choose(pilot, "export-what", what)
    await choose(pilot, "export-format", fmt)
    path = pilot.app.screen.query_one("#export-path", Input)
    path.focus()
    written = path.value
    await pilot.press("enter")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ != "ExportDialog"
    return written


async def test_ctrl_e_exports_the_community_list_and_the_roster(tmp_path):
    db = tmp_path / "k.db"
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert cli.main(["--db", str(db), "import", DC, str(roster)]) == 0
    app = KaoheApp(db_path=db, export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, DC)
        await pilot.press("3")
        await settle(pilot)
        communities = await export_with_ctrl_e(pilot, "附件1 挂钩联系社区清单", "csv")
        listed = await export_with_ctrl_e(pilot, "附件2 分管领导及联络员名单", "xlsx")
    # the file name follows the choice: the scheme, what, the period
    assert communities == str(tmp_path / f"{DC}-communities-2017.csv")
    assert listed == str(tmp_path / f"{DC}-roster-2017.xlsx")
    # seed 000 附件1: 56 三类 units, each with its 挂钩社区 and the town it lies in
    rows = list(csv.reader(Path(communities).open(encoding="utf-8-sig")))
    assert rows[0] == ["序号", "职能部门、单位", "挂钩社区", "社区所在镇、开发区"]
    assert len(rows) == 1 + 56
    assert rows[1] == ["1", "区委办", "淹城社区", "湖塘镇"] and rows[56][1:] == ["残联", "东新社区", "湖塘镇"]
    # the same file as the CLI's: one export
    by_cli = tmp_path / "cli.csv"
    assert cli.main(["--db", str(db), "export", DC, "--period", "2017", "--what", "communities", "--format", "csv",
                     "-o", str(by_cli)]) == 0
    assert by_cli.read_bytes() == Path(communities).read_bytes()
    # 附件2: 14 二类 + 56 三类 units; 区委办's two people, received 1 April, stamped
    sheet = openpyxl.load_workbook(listed).active
    header = [c.value for c in sheet[1]]
    table = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(table) == 14 + 56
    assert table["区委办"]["分管领导"] == "张三" and table["区委办"]["联络员"] == "李四"
    assert table["区委办"]["状态"] == "齐全" and table["民政局"]["状态"] == "未报送"
