"""A case file with headers kaohe does not know: the TUI's import opens the mapping dialog (each
column with its first values), imports by the mapping, and saves it as the office's profile,
which the next such file is read with by itself (Textual Pilot, 80×24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Kaohe, db_rows, open_fixture_cases, run_import, settle
from kaohe_tui.tui.app import KaoheApp

CORE = Path(__file__).parent / "fixtures" / "core_plugin"
FILE = ("流水号,负责街道,发现时间,要求完成时间,完成时间,群众评价\n"
        "N1,甲街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-06 10:00:00,满意\n"
        "N2,甲街道,2018-01-05 09:00:00,2018-01-06 17:00:00,2018-01-07 10:00:00,不满意\n")


pytestmark = pytest.mark.usefixtures("only_test_plugins")
TEST_PLUGINS = ("fixture_scheme",)  # tests/fixtures/core_plugin


async def test_unknown_case_headers_are_mapped_and_saved_as_a_profile(db_path, tmp_path):
    path = tmp_path / "另一平台.csv"
    path.write_text(FILE, encoding="utf-8")
    app = KaoheApp(db_path=db_path, plugins_dirs=[CORE], export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_fixture_cases(pilot)
        await pilot.press("i")
        await pilot.pause()
        await run_import(pilot, app.screen, path, kind="cases")
        dialog = app.screen
        assert type(dialog).__name__ == "CaseMapping"
        assert "案件文件缺少列：案件编号" in str(dialog.query(".field-note").first().render())
        # every column, with its first values; 负责街道 etc. are not known names: not used yet
        assert dialog.header == ["流水号", "负责街道", "发现时间", "要求完成时间", "完成时间", "群众评价"]
        assert dialog.samples[0] == ["N1", "N2"]
        assert set(dialog.mapping().values()) == {"ignore"}
        for i, fld in enumerate(["case_id", "unit", "reported_at", "deadline", "closed_at", "satisfaction"]):
            dialog.query_one(f"#map-{i}").value = fld
        dialog.query_one("#mapping-name").value = "另一平台"
        await pilot.pause()
        await pilot.click("#apply")
        await settle(pilot)
        await settle(pilot, 0.5)
    assert db_rows(db_path, "SELECT case_id, closed_at, satisfied FROM cases ORDER BY case_id") == [
        ("N1", "2018-01-06 10:00:00", 1), ("N2", "2018-01-07 10:00:00", 0)]
    saved = db_path.parent / "profiles" / "另一平台.toml"
    assert '"流水号" = "case_id"' in saved.read_text(encoding="utf-8")
    # the next export of that platform is read with the saved profile, from the CLI too
    again = tmp_path / "下周.csv"
    again.write_text(FILE.replace("N2", "N3"), encoding="utf-8")
    proc = Kaohe(db_path, [CORE]).run("import", "fixture-cases", again)
    assert "已导入1个案件；未变1个" in proc.stdout and "导入配置：另一平台" in proc.stderr
