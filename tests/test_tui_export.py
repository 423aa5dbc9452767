"""ctrl+e and ``kaohe export`` are one export: the same core call, the same workbook sheet by
sheet (bureau-departments adds a signable 附件3 sheet per unit), and ctrl+e asks before it
replaces a file."""

from __future__ import annotations

import openpyxl

from conftest import SHEET_RECORDS, burst, open_scheme, settle
from conftest import add_records as add
from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

BUREAU = "bureau-departments"


def cells(path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {name: [tuple(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


async def test_ctrl_e_writes_the_same_workbook_as_the_cli(tmp_path):
    db = tmp_path / "k.db"
    add(db, BUREAU, SHEET_RECORDS)
    app = KaoheApp(db_path=db, export_dir=tmp_path)
    out = tmp_path / f"{BUREAU}-2018.xlsx"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BUREAU)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        note = str(app.screen.query_one(".field-note").render())
        assert str(tmp_path) in note  # the folder a relative path goes to, named
        await pilot.press("enter")
        await settle(pilot)
        assert out.exists() and app.screen.VIEW == "results"

        # the file exists now: ctrl+e ⏎ asks, and "no" leaves it as it was
        before = out.read_bytes()
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm"
        assert str(out) in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExportDialog" and out.read_bytes() == before
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.VIEW == "results"

    cli_out = tmp_path / "cli.xlsx"
    assert cli.main(["--db", str(db), "export", BUREAU, "--period", "2018", "--format", "xlsx",
                     "-o", str(cli_out)]) == 0
    tui, cli_book = cells(out), cells(cli_out)
    assert list(tui) == list(cli_book)
    assert list(tui)[0] == "排名" and "房管处" in tui and len(tui) > 2  # one signable sheet per unit
    for name in cli_book:
        assert tui[name] == cli_book[name], name
    # the ranking prints as a table: every cell of the grid boxed; no empty 类别 column (the
    # bureau's units have no category)
    book = openpyxl.load_workbook(out)
    ranking = book["排名"]
    header = [c.value for c in ranking[2]]
    assert header[:2] == ["排名", "单位"] and "类别" not in header and header[-2:] == ["总分", "标记"]
    for row in ranking.iter_rows(min_row=2, max_row=ranking.max_row, max_col=len(header)):
        assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in row)


async def test_score_sheet_opens_on_the_highlighted_unit(tmp_path):
    db = tmp_path / "k.db"
    add(db, BUREAU, SHEET_RECORDS)
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scheme(pilot, BUREAU)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#results")
        units = [str(table.get_row_at(i)[0]).lstrip("⚑") for i in range(table.row_count)]
        # a burst: the cursor reaches the fifth row before j opens the sheet (j is the plugin's key)

        burst(app, "down", "down", "down", "down", "j")
        await settle(pilot)
        assert type(app.screen).__name__ == "SheetScreen" and app.screen.unit == units[4] != units[0]
