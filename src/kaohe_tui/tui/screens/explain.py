"""Why a number is what it is: the lines, clauses and records behind a unit's total or one of its
indicators (``Scorer.explain`` → ``IndicatorResult.lines/children``), and its quarterly trend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Sparkline, Static, Tree
from textual.widgets.tree import TreeNode

from kaohe_tui.ledger_edit import records_by_id
from kaohe_tui.messages import t
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import fmt
from kaohe_tui.scheme import Scheme, resolve_indicator
from kaohe_tui.scoring import IndicatorResult, UnitResult
from kaohe_tui.tui.common import FLAG, figure
from kaohe_tui.tui.widgets.footer import KFooter

if TYPE_CHECKING:
    from kaohe_tui.tui.app import KaoheApp

SHOWN = 50  # records listed under one line (a line may stand for 10^5 of them)


class ExplainScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="explain-back"),
        Binding("q", "app.pop_screen", "返回", show=False, id="explain-q-back"),
        Binding("a", "expand_all", "全部展开", id="explain-expand"),
    ]

    app: KaoheApp

    def __init__(self, scheme: Scheme, period: str, result: UnitResult, indicator: str | None,
                 trend: list[tuple[str, UnitResult | None]]):
        super().__init__()
        self.scheme = scheme
        self.period = period
        self.result = result
        self.indicator = indicator  # a top-level indicator's name, or None for the whole total
        self.trend = trend

    scored_at: tuple | None = None  # the write state the explained figures were scored at

    def compose(self) -> ComposeResult:
        yield Static(self.head(), id="explain-head")
        yield Static("", id="explain-stale")
        yield Static(self.flags(), id="explain-flags")
        with Horizontal(id="explain-trend"):
            yield Static(self.trend_text(), id="trend-text")
            yield Sparkline(self.trend_data(), id="trend-spark")
        yield Tree("", id="explain-tree")
        yield KFooter(compact=True)

    def head(self) -> str:
        r = self.result
        focus = f" · {self.indicator}" if self.indicator else ""
        return (f" [b]解释[/b] · {escape(r.unit)} · {self.period}{escape(focus)} · 总分 [b]{fmt(r.total)}[/b]"
                f"（{r.marks_label}）{r.rank_label}" + (f" · 类别 {escape(r.category)}" if r.category else ""))

    def flags(self) -> str:
        return " " + "；".join(f"[b reverse]{FLAG}{escape(f)}[/]" for f in self.result.flags)

    def trend_text(self) -> str:
        labels = "  ".join(f"{q[-2:]} {fmt(x.total)} 第{x.rank}" if x else f"{q[-2:]} —" for q, x in self.trend)
        return f" 季度：{labels}"

    def trend_data(self) -> list[float]:
        return [x.total if x else 0 for _, x in self.trend]

    def show(self, scheme: Scheme, period: str, result: UnitResult, indicator: str | None,
             trend: list[tuple[str, UnitResult | None]]) -> None:
        """Explain another number on this (kept) screen: its widgets stay, their content is
        replaced (issue 18: mounting a screen's widgets is most of the time it takes to open)."""
        self.scheme, self.period, self.result, self.indicator, self.trend = scheme, period, result, indicator, trend
        self.scored_at = None  # set by the results screen that shows it
        if self.is_mounted:
            self.query_one("#explain-stale", Static).display = False
            self.query_one("#explain-head", Static).update(self.head())
            self.query_one("#trend-text", Static).update(self.trend_text())
            self.query_one("#trend-spark", Sparkline).data = self.trend_data()
            self.fill()

    def on_mount(self) -> None:
        self.fill()

    def follow_writes(self) -> None:
        """On top, the app's look a second: a write since the explained figures were scored may
        have moved them, which this screen says (the results score again when back in view)."""
        stale = self.query_one("#explain-stale", Static)
        moved = self.scored_at is not None and self.app.scores.version() != self.scored_at
        if moved and not stale.display:
            stale.update(t("explain_stale"))
        stale.display = stale.display or moved

    def fill(self) -> None:
        flags = self.query_one("#explain-flags", Static)
        flags.display = bool(self.result.flags)  # a line only when the unit has consequences
        flags.update(self.flags())
        tree = self.query_one("#explain-tree", Tree)
        again = self.__dict__.get("_filled", False)
        if again:  # shown before: from an empty tree
            tree.clear()
        self._filled = True
        nodes = self.result.indicators
        if self.indicator:
            nodes = [n for n in nodes if n.name == self.indicator] or nodes
        ids = [rid for n in nodes for rid in _record_ids(n)]  # at most SHOWN per line
        self.records = records_by_id(self.app.opened_store, ids)
        tree.root.set_label(escape(f"{self.result.unit} · {self.indicator or '总分'}"))
        tree.show_root = False
        for node in nodes:
            self.add_node(tree.root, node)
        tree.root.expand_all()
        if again:  # the cursor and the view at the top, as on a new screen
            tree.cursor_line = 0
            tree.scroll_home(animate=False)
        tree.focus()

    def add_node(self, parent: TreeNode, node: IndicatorResult) -> None:
        label = f"[b]{escape(node.name)}[/b]  {fmt(node.points)}/{fmt(node.max)}"
        if node.bonus:
            label += "  加分项"
        if node.flags:
            label += "  " + " ".join(f"[reverse]{FLAG}{escape(f)}[/]" for f in node.flags)
        if not _has_lines(node):
            parent.add_leaf(label)  # nothing recorded: a plain line, so the points lost stand out
            return
        branch = parent.add(label, expand=True)
        for line in node.lines:
            delta = f"{'+' if line.delta > 0 else ''}{fmt(line.delta)}" if line.delta else "±0"
            text = f"{delta}  {escape(line.text)}"
            clause = self.clause_text(node, line.clause)
            if line.clause:
                said = f"：{escape(clause)}" if clause and clause not in line.text else ""
                text += f"  〔条款 {escape(line.clause)}{said}〕"
            if not line.records:
                branch.add_leaf(text)
                continue
            leaf = branch.add(text, expand=True)
            for rid in line.records[:SHOWN]:
                row = self.records.get(rid) if isinstance(rid, int) else None
                if row:
                    leaf.add_leaf(escape(f"记录#{rid} {row['period']} {row['date'] or ''} {figure(row)} {row['reason']}"
                                         .replace("  ", " ")))
                elif str(rid).startswith(("cases:", "case:")):  # made from platform cases: list them
                    leaf.add_leaf(escape(_cases_label(str(rid))), data=str(rid))
                else:
                    leaf.add_leaf(escape(f"派生记录 {rid}"))
            if len(line.records) > SHOWN:
                leaf.add_leaf(f"…… 另有{len(line.records) - SHOWN}条记录（在台账中查看）")
        for child in node.children:
            self.add_node(branch, child)

    def clause_text(self, node: IndicatorResult, clause_id: str | None) -> str | None:
        if not clause_id:
            return None
        try:
            _, indicator = resolve_indicator(self.scheme.tree(self.result.category), node.path)
        except Exception:
            return None
        clause = indicator.clause(clause_id)
        return clause.text if clause else None

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        from kaohe_tui.case_classes import LABELS
        from kaohe_tui.tui.screens.cases import CasesScreen

        rid = event.node.data
        if not isinstance(rid, str):
            return
        kind, _, what = rid.partition(":")
        period = Period.parse(self.period)
        if kind == "case":  # one case, named by its id
            self.app.push_screen(CasesScreen(self.scheme, period, self.result.unit, case_id=what))
        else:  # a count: the cases it counted (a rate: those it was taken over), or every case
            self.app.push_screen(CasesScreen(self.scheme, period, self.result.unit, what, LABELS.get(what, what)))

    def action_expand_all(self) -> None:
        self.query_one("#explain-tree", Tree).root.expand_all()


def _cases_label(rid: str) -> str:
    from kaohe_tui.case_classes import LABELS

    kind, _, what = rid.partition(":")
    if kind == "case":
        return f"案件{what}（回车：查看该案件）"
    return f"数字城管案件统计：{LABELS.get(what, what)}（回车：列出这些案件）"


def _has_lines(node: IndicatorResult) -> bool:
    return bool(node.lines) or any(_has_lines(c) for c in node.children)


def _record_ids(node: IndicatorResult) -> list:
    ids = [rid for line in node.lines for rid in line.records[:SHOWN]]
    for child in node.children:
        ids += _record_ids(child)
    return ids
