"""The TUI's scheme list shows every year a scheme has, as `kaohe schemes` does (#15's known
limit: it showed only the document's year), with the id column still whole at 80×24."""

from __future__ import annotations

import json

from conftest import settle, visible
from kaohe_tui import cli
from kaohe_tui.tui.app import KaoheApp

BD = "bureau-departments"


async def test_the_scheme_list_shows_the_offices_years_at_80_columns(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the CLI's table whole on one line (a worker's console may be narrower)
    db = tmp_path / "k.db"
    assert cli.main(["--db", str(db), "scheme", "new-year", BD, "2019"]) == 0
    assert cli.main(["--db", str(db), "scheme", "new-year", BD, "2020"]) == 0
    assert cli.main(["--db", str(db), "scheme", "new-year", "street-linkage", "2014"]) == 0  # 2013 skipped
    capsys.readouterr()
    assert cli.main(["--db", str(db), "schemes", "--json"]) == 0
    listed = {s["id"]: [y["year"] for y in s["years"]] for s in json.loads(capsys.readouterr().out)}
    assert listed[BD] == [2018, 2019, 2020] and listed["street-linkage"] == [2012, 2014]
    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#schemes")
        rows = {str(table.get_row_at(i)[-1]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        assert rows[BD][1] == "2018、2019–2020（办公室）"
        assert rows["street-linkage"][1] == "2012、2014（办公室）"
        assert rows["city-coordination"][1] == "2018"  # not carried on: its document's year only
        # on screen, whole, with the id after it (what the CLI takes)
        line = next(line for line in visible(pilot) if "2019–2020（办公室）" in line)
        assert "2018、2019–2020（办公室）" in line and line.rstrip().endswith(BD)
        assert "年度" in visible(pilot)[1]
