"""信息报送 (``x``): 附件4's month grid, units × months of items adopted against each unit's
standard (``month_grid``); a short month is marked as well as coloured."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from kaohe_tui.api import Scheme, fmt, month_runs

from .month_grid import UnitMonths, month_grid
from .screens import _num
from .year_keys import YearKeys, year_bindings

if TYPE_CHECKING:
    from kaohe_tui.api import Store

SHORT = "✗"  # a month below standard: a mark as well as a colour
MISSING_MONTH = "—"  # a month nobody entered: neither below standard nor up to it (未录入)


class InfoGridScreen(YearKeys, Screen):
    DEFAULT_CSS = """
    InfoGridScreen #info { height: 1fr; }
    InfoGridScreen #info-detail { max-height: 3; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="info-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="info-back-q"),
        *year_bindings("info"),
    ]

    def __init__(self, store: Store, scheme: Scheme, period: str):
        super().__init__()
        self.store, self.scheme = store, scheme
        self.start_year(store, scheme, period)
        self.rows: list[UnitMonths] = []
        self.path = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        yield DataTable(id="info", cursor_type="row", zebra_stripes=True, fixed_columns=2)  # 单位 and 得分 stay
        yield Static("", id="info-detail", classes="detail")
        yield Static("", id="info-status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()
        self.query_one("#info", DataTable).focus()

    def load(self) -> None:
        try:
            self.path, node, self.rows = month_grid(self.store, self.scheme, self.year)
        except Exception as exc:
            self.app.show_error(exc, "信息报送表打不开")
            return
        per_month = node.params.get("per_month", 1)
        self.query_one("#title-bar", Static).update(
            f" [b]信息报送[/b]（附件4）· {self.year}年 · 区政府门户网站录用条数 · "
            f"{SHORT}＝当月未达标（扣{fmt(per_month)}分） │ [b]esc[/b] 返回")
        self.fill()

    def fill(self) -> None:
        table = self.query_one("#info", DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        # 单位 and 得分 first and frozen: at 80 columns the months scroll, the points do not
        table.add_column("单位", key="unit")
        table.add_column("得分", key="points")
        table.add_column("标准", key="standard")
        for m in range(1, 13):
            table.add_column(f"{m}月", key=f"m{m}")
        for key, title in [("year", "全年"), ("short", "未达标月")]:
            table.add_column(title, key=key)
        for row in self.rows:
            short = set(row.short_months)
            cells: list = [row.unit, Text(_num(row.points), justify="right"), self.standard_label(row)]
            for m in range(1, 13):
                got = row.months.get(m)
                if got is None:
                    cells.append(Text(MISSING_MONTH, style="dim", justify="right"))  # 未录入, not 0
                elif m in short:
                    cells.append(Text(f"{SHORT}{fmt(got)}", style="bold red", justify="right"))
                else:
                    cells.append(Text(fmt(got), justify="right"))
            year = fmt(row.counted) + (f"+{fmt(row.extra)}" if row.extra else "")
            cells.append(Text((SHORT if row.short_year else "") + year, style="bold red" if row.short_year else "",
                              justify="right"))
            cells.append(Text(month_runs(sorted(short)) if short else "", style="bold red"))
            table.add_row(*cells, key=row.unit)
        table.cursor_coordinate = keep
        below = sum(1 for r in self.rows if r.short_months or r.short_year)
        gaps = sum(1 for r in self.rows if len(r.months) < 12)
        self.query_one("#info-status", Static).update(
            f"{len(self.rows)}个单位 · {SHORT}{below}个单位未达标 · {MISSING_MONTH}{gaps}个单位有月份未录入"
            f" · 全年＝录用条数+专题加条 · 得分为「{self.path}」")
        self.show_detail()

    @staticmethod
    def standard_label(row: UnitMonths) -> str:
        if row.standard is None:
            return "—"
        kind, target = row.standard
        return f"{fmt(target)}/月" if kind == "month" else f"全年≥{fmt(target)}"

    def show_detail(self) -> None:
        table = self.query_one("#info", DataTable)
        detail = self.query_one("#info-detail", Static)
        if not table.row_count:
            detail.update("")
            return
        row = self.rows[table.cursor_row]
        text = f"[b]{escape(row.unit)}[/b] 标准 {escape(row.standard_text or '—')} · 全年{fmt(row.counted)}条"
        text += f"（专题另加{fmt(row.extra)}条）" if row.extra else ""
        if row.points is not None:
            text += f" · 得分 [b]{fmt(row.points)}[/b]/{_num(row.max)}"
        lines = [ln for ln in row.lines if ln]
        detail.update(text + (" · " + escape("；".join(lines)) if lines else " · 达标"))

    def on_data_table_row_highlighted(self, event) -> None:
        self.show_detail()



def open_info_grid(app, store: Store, scheme: Scheme) -> InfoGridScreen:
    return InfoGridScreen(store, scheme, app.state(scheme).period)
