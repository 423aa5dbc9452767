"""A scheme as data: units and categories, periods, the indicator tree with its clauses.

Rules are data: an indicator names a rule *type* (see ``kaohe_tui.rules``) and gives its
parameters; code exists only for rule types. Scheme files are TOML; loading a bad file raises
``SchemeError`` naming the file and the field, saving writes TOML back with tomli-w.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, model_validator

from kaohe_tui.errors import KaoheError, SchemeError
from kaohe_tui.messages import t
from kaohe_tui.names import norm

PATH_SEP = "/"


class _Model(BaseModel):
    # A typo in a scheme file must be reported, not silently ignored.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Clause(_Model):
    """One sentence of a 计分办法: what happened, and what it costs."""

    id: str
    text: str
    per: float | None = None  # points per occurrence (每起/每次/每人次/有一例扣 X 分)
    zero: bool = False  # 不得分: one occurrence zeroes the indicator
    min: float | None = None  # an amount the assessor chooses must lie in [min, max]
    max: float | None = None
    steps: list[float] | None = None  # escalating repeats: the n-th costs steps[min(n, len)-1]
    double_when: str | None = None  # a record whose attrs name this key deducts `factor` times
    factor: float = 2.0
    points: float | None = None  # a fixed number of points (a bonus item, a target item)
    weight: float | None = None  # a weight (closure-rate counts: on time 1, extended 0.6 …)
    tracks: bool = False  # recorded for the record (and derivations) but scores nothing itself
    once: bool = False  # a one-off deduction (无科室学习笔记扣2分): applies once however often recorded
    note: str | None = None  # the reading chosen where the document is ambiguous
    needs_attr: str | None = None  # a record under this clause must name this attribute (--attr 问题=…)


class Indicator(_Model):
    """A node of the indicator tree (考核指标 / 考核内容)."""

    name: str
    id: str | None = None
    aliases: list[str] = []
    points: float | None = None  # 分值; None where the document stops before defining it
    rule: str | None = None  # rule type; default "sum" for a parent, "per_occurrence" for a leaf
    params: dict[str, Any] = {}
    clauses: list[Clause] = []
    children: list[Indicator] = []
    text: str = ""  # 考核内容 / 测评要求, as written
    method: str = ""  # 计分办法 / 测评方式, as written
    responsible: list[str] = []  # 考核责任科室 / 责任部门
    cooperating: list[str] = []  # 配合科室
    cadence: Literal["any", "year", "quarter", "month"] = "any"  # periods it is scored for
    bonus: bool = False  # 加分: may take the total above the scheme's total
    # a score sheet's column with this title shows the points deducted (max − points), not those left
    # (district-categories: 通报扣分, 年度扣分); the name, and so records and parameter keys, stay
    shown_deducted: str | None = None

    @property
    def rule_type(self) -> str:
        if self.rule:
            return self.rule
        return "sum" if self.children else "per_occurrence"

    def clause(self, clause_id: str) -> Clause | None:
        for c in self.clauses:  # a stored record names its clause by its exact id: no normalising
            if c.id == clause_id:
                return c
        key = norm(clause_id)
        for c in self.clauses:
            if norm(c.id) == key or norm(c.text) == key:
                return c
        return None

    def applies_to(self, period_kind: str) -> bool:
        return self.cadence == "any" or self.cadence == period_kind


class Consequence(_Model):
    """A flag raised from results or ranking history (e.g. last place twice → 通报批评)."""

    type: str
    flag: str
    params: dict[str, Any] = {}
    text: str = ""  # the document's sentence


class Category(_Model):
    name: str
    aliases: list[str] = []
    value: float | None = None  # 年度分值 in a wider review (district categories)
    total: float | None = None  # the category's full marks, if it differs from the scheme's
    text: str = ""
    indicators: list[Indicator] = []  # its own tree; empty: the scheme's tree
    consequences: list[Consequence] = []
    ranked: bool = True


class Unit(_Model):
    name: str
    aliases: list[str] = []
    category: str | None = None
    assessed_by: str | None = None  # 考核扎口科室
    attrs: dict[str, Any] = {}
    sample: bool = False  # invented for a demo: leaves ranks once the office has real units


class UnitSource(_Model):
    """Units read from a CSV in ``data/``, as written in the document (anomalies are reported)."""

    file: str
    name: str  # column holding the unit's name
    category: str | None = None  # a fixed category for every row …
    category_column: str | None = None  # … or the column that holds it
    attrs: dict[str, str] = {}  # attribute name → column
    unique: list[str] = []  # columns whose values the document means to be unique
    assessed_by: str | None = None  # column holding the section that assesses the unit (考核扎口科室)
    # A source may describe units an earlier source listed instead of adding units: each row names
    # one (by name or alias) and adds its attrs; with ``alias_of`` the row's ``name`` becomes an
    # alias of the unit named in that column (附件4's short names). Unmatched rows are anomalies.
    describes: bool = False
    alias_of: str | None = None
    sample: bool = False  # its units are examples (示例), not the office's


class CaseFeed(_Model):
    """Counts from imported platform cases that become records of an indicator (see cases.py):
    ``clauses`` maps a clause id to a statistic (on_time, extended, overdue, due, red_light,
    extensions_after_first, failed_checks, rework …); ``value`` names a rate statistic."""

    indicator: str
    clauses: dict[str, str] = {}
    value: str | None = None
    category: str | None = None  # only units of this category


class Scheme(_Model):
    id: str
    title: str
    source: str = ""
    plugin: str | None = None  # filled in by the loader
    periods: list[str] = []
    cadence: Literal["year", "quarter", "month"] = "year"  # the ranking period
    total: float = 100
    sample: bool = False  # units invented for a demo (the document names none)
    notes: list[str] = []  # readings chosen where the document is ambiguous
    anomalies: list[str] = []  # what the document itself gets wrong (numbering, typing): lint reports each
    categories: list[Category] = []
    indicators: list[Indicator] = []
    units: list[Unit] = []
    unit_sources: list[UnitSource] = []
    consequences: list[Consequence] = []
    case_feeds: list[CaseFeed] = []
    # the same section written two ways (附件2: 政策法规科 / 法规科), for matching an assessor's section
    # with an indicator's ``responsible``
    section_aliases: dict[str, list[str]] = {}

    @model_validator(mode="after")
    def _known_categories(self) -> Scheme:
        names = {norm(c.name) for c in self.categories}
        for i, unit in enumerate(self.units):
            if unit.category and norm(unit.category) not in names:
                raise ValueError(t("scheme_unknown_category", i=i, category=unit.category, unit=unit.name))
        return self

    # -- the tree ---------------------------------------------------------------------------
    def category(self, name: str | None) -> Category | None:
        if not name:
            return None
        key = norm(name)
        for c in self.categories:
            if norm(c.name) == key or key in {norm(a) for a in c.aliases}:
                return c
        return None

    def tree(self, category: str | None = None) -> list[Indicator]:
        cat = self.category(category)
        if cat and cat.indicators:
            return cat.indicators
        return self.indicators

    def full_marks(self, category: str | None = None) -> float:
        cat = self.category(category)
        if cat and cat.total is not None:
            return cat.total
        return self.total

    def consequences_for(self, category: str | None) -> list[Consequence]:
        cat = self.category(category)
        return self.consequences + (cat.consequences if cat else [])

    def trees(self) -> Iterator[tuple[Category | None, list[Indicator]]]:
        """Each distinct indicator tree once, with the category that owns it (None: the scheme's)."""
        if self.indicators:
            yield None, self.indicators
        for cat in self.categories:
            if cat.indicators:
                yield cat, cat.indicators


def walk(nodes: list[Indicator], prefix: str = "") -> Iterator[tuple[str, Indicator]]:
    """Every node of a tree with its path (``基础管理/工作纪律``), parents before children."""
    for node in nodes:
        path = f"{prefix}{PATH_SEP}{node.name}" if prefix else node.name
        yield path, node
        yield from walk(node.children, path)


def resolve_indicator(nodes: list[Indicator], text: str) -> tuple[str, Indicator]:
    """Find a node by path, by unique name, or by alias; the error lists the candidates."""
    key = norm(text)
    nodes_by_path = list(walk(nodes))
    for path, node in nodes_by_path:
        if norm(path) == key or (node.id and norm(node.id) == key):
            return path, node
    matches = [
        (path, node)
        for path, node in nodes_by_path
        if norm(node.name) == key or key in {norm(a) for a in node.aliases}
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        options = "、".join(p for p, _ in matches)
        raise KaoheError(t("ambiguous_indicator", text=text, options=options))
    raise KaoheError(t("unknown_indicator", text=text))


# -- files ----------------------------------------------------------------------------------
def save_scheme(scheme: Scheme, path: Path) -> None:
    """Write a scheme back as TOML (e.g. next year's copy)."""
    data = scheme.model_dump(exclude_defaults=True, exclude_none=True, exclude={"plugin"})
    data = {"id": scheme.id, "title": scheme.title, **data}
    Path(path).write_text(tomli_w.dumps(data), encoding="utf-8")


# -- units from data/ -----------------------------------------------------------------------
class Anomaly(BaseModel):
    file: str
    row: int  # 1 = the first data row after the header
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}：{t('lint_anomaly', row=self.row, field=self.field, message=self.message)}"


def name_form_problems(raw: str) -> list[str]:
    """How a name's written form departs from the document's usual Chinese typography."""
    problems = []
    if raw != raw.strip():
        problems.append(t("name_edge_spaces"))
    if any(ch in raw for ch in "()[]"):
        problems.append(t("name_half_width"))
    if any(ch.isspace() for ch in raw.strip()):
        problems.append(t("name_inner_spaces"))
    return problems


def read_unit_source(source: UnitSource, data_dir: Path) -> tuple[list[Unit], list[Anomaly]]:
    """Units as the document lists them, and every anomaly found (reported, never fixed)."""
    path = data_dir / source.file
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = rows[0].keys() if rows else []
    except FileNotFoundError:
        raise SchemeError(t("unit_list_missing", path=path)) from None
    needed = [source.name, *source.attrs.values()] + ([source.category_column] if source.category_column else [])
    needed += [c for c in (source.assessed_by, source.alias_of) if c]
    missing = [c for c in needed if c not in header]
    if missing:
        raise SchemeError(t("unit_list_columns", path=path, columns="、".join(missing)))
    units: list[Unit] = []
    anomalies: list[Anomaly] = []
    seen_names: dict[str, int] = {}
    seen_values: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows, start=1):
        raw_name = row[source.name] or ""
        name = raw_name.strip()
        if not name:
            anomalies.append(Anomaly(file=source.file, row=i, field=source.name, message=t("unit_row_empty")))
            continue
        problems = name_form_problems(raw_name)
        if problems:
            anomalies.append(Anomaly(file=source.file, row=i, field=source.name,
                                     message=t("unit_name_form", raw=raw_name, problems="、".join(problems),
                                               matched=norm(name))))
        key = norm(name)
        if key in seen_names:
            anomalies.append(Anomaly(file=source.file, row=i, field=source.name,
                                     message=t("unit_row_listed", name=name, row=seen_names[key])))
            continue
        seen_names[key] = i
        for column in source.unique:
            value = norm(row.get(column) or "")
            if value and (column, value) in seen_values:
                anomalies.append(Anomaly(file=source.file, row=i, field=column,
                                         message=t("unit_value_repeats", value=row[column],
                                                   row=seen_values[(column, value)])))
            seen_values.setdefault((column, value), i)
        category = source.category or (row.get(source.category_column) if source.category_column else None)
        attrs = {attr: (row.get(column) or "").strip() for attr, column in source.attrs.items()}
        assessed_by = ((row.get(source.assessed_by) or "").strip() or None) if source.assessed_by else None
        aliases = [name] if source.alias_of else []  # see describe_units
        name = (row.get(source.alias_of) or "").strip() if source.alias_of else name
        units.append(Unit(name=name, aliases=aliases, category=category, assessed_by=assessed_by, attrs=attrs))
    return units, anomalies


def describe_units(units: list[Unit], source: UnitSource, data_dir: Path) -> tuple[list[Unit], list[Anomaly]]:
    """Apply a ``describes``/``alias_of`` source to the units already declared: each row names a
    unit (by name or alias) and adds its attrs (and, with ``alias_of``, its alias). A row naming
    no unit is an anomaly, reported and skipped."""
    read, anomalies = read_unit_source(source, data_dir)
    with (data_dir / source.file).open(encoding="utf-8-sig", newline="") as fh:
        row_of: dict[str, int] = {}  # the row's own name (or alias) → its data row number, for the anomaly
        for i, row in enumerate(csv.DictReader(fh), start=1):
            row_of.setdefault(norm(row.get(source.name) or ""), i)
    out = list(units)
    for described in read:
        key = norm(described.name)
        n = row_of.get(norm(described.aliases[0] if described.aliases else described.name), 0)
        at = next((i for i, u in enumerate(out) if key in {norm(u.name), *map(norm, u.aliases)}), None)
        if at is None:
            what = f"{described.aliases[0]} → {described.name}" if described.aliases else described.name
            anomalies.append(Anomaly(file=source.file, row=n, field=source.alias_of or source.name,
                                     message=t("unit_row_unknown", what=what)))
            continue
        unit = out[at]
        aliases = unit.aliases + [a for a in described.aliases
                                  if norm(a) not in {norm(unit.name), *map(norm, unit.aliases)}]
        out[at] = unit.model_copy(update={"aliases": aliases, "attrs": {**unit.attrs, **described.attrs}})
    return out, anomalies
