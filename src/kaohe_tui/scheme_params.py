"""Parameters an office may change for a year, without editing TOML: points, rule parameters
(district figures, weights, quotas), clause amounts, category values, unit attributes.

A parameter is addressed by a key:
  ``total``                                  the scheme's full marks
  ``[类别].value`` / ``[类别].total``          a category's annual value / full marks
  ``[类别]路径.points``                        an indicator's points (``[类别]`` only for a category's own tree)
  ``路径.params.NAME[.NAME]``                  a number (or list of numbers) among the rule's parameters
  ``路径.clauses.ID.FIELD``                    per, min, max, steps, factor, points or weight of a clause
  ``unit[单位].ATTR``                          a unit's attribute in an office year (附件4 quota …)
``kaohe scheme params SCHEME --year Y`` lists every key with its value and the document's text.
Here: what the keys are, and a year's scheme built from the document's and the year's changes;
listing, checking and setting them for a year is ``param_changes``.
Only numbers that the document gives can be changed: a change never alters what a rule means.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.scheme import PATH_SEP, Indicator, Scheme, Unit, walk
from kaohe_tui.scheme_files import scheme_from_dict
from kaohe_tui.store import Store
from kaohe_tui.year_scheme import YearScheme

CLAUSE_FIELDS = ("per", "min", "max", "steps", "factor", "points", "weight")
_KEY = re.compile(r"^(?:\[(?P<cat>[^\]]+)\])?(?P<path>[^.]*?)\.(?P<field>points|params\..+|clauses\.[^.]+\.(?:"
                  + "|".join(CLAUSE_FIELDS) + r"))$")
_UNIT_KEY = re.compile(r"^unit\[(?P<unit>[^\]]+)\]\.(?P<attr>.+)$")


@dataclass
class Param:
    key: str
    value: Any
    text: str  # the document's words for it (indicator text / method, clause text …)
    kind: str  # total | category | points | param | clause | unit
    label: str = ""  # how a person reads it: the document's names (``label_of``); the key is for typing


# the document's names for the fields and rule parameters a key ends in (an unknown one: as is)
FIELD_NAMES = {"per": "每次扣分", "min": "最低", "max": "最高", "steps": "分档", "factor": "加倍系数",
               "points": "扣分", "weight": "权重", "value": "年度分值", "total": "满分"}
PARAM_NAMES = {"district_total": "全区总数", "district_units": "全区单位数", "scale": "录入满分", "weight": "权重",
               "on_time": "按期结案权重", "extended": "延期结案权重", "overdue": "超期结案权重",
               "full_at": "满分所需比率",
               "base": "基础分", "missing_points": "未报得分", "floor": "下限", "times": "次数", "standard": "标准",
               "per_month": "每月标准", "annual_shortfall": "年度不足扣分", "per_quarter": "每季度标准",
               "summary_due_day": "总结截止日", "bands": "分档", "ladder": "阶梯"}


def short(text: str, limit: int = 12) -> str:
    """The first phrase of a document's sentence (a row label, the whole text is shown beside)."""
    text = text.removeprefix("〔方案补充〕").strip()  # the marker of the office's supplement, not a name
    head = re.split(r"[，,。；;：:（(]", text, maxsplit=1)[0].strip() or text
    cut = head[:limit]
    return cut + ("…" if cut != text else "")


def label_of(key: str, kind: str, node_name: str = "", clause_text: str = "") -> str:
    """A category's value/total, a rule parameter or a clause field, as the document names it."""
    field = key.rsplit(".", 1)[-1]
    if kind == "category":
        return f"{key[1:key.index(']')]}：{FIELD_NAMES[field]}"
    if kind == "clause":
        return f"{node_name}·{short(clause_text)}：{FIELD_NAMES.get(field, field)}"
    return f"{node_name}：{PARAM_NAMES.get(field, field)}"


def _numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    return isinstance(value, list) and bool(value) and all(_numeric(v) and not isinstance(v, list) for v in value)


def parameters(scheme: Scheme, units: list[Unit] | None = None) -> list[Param]:
    """Every parameter of ``scheme`` an office may change, in document order."""
    out = [Param("total", scheme.total, scheme.title, "total", "总分")]
    for category in scheme.categories:
        for fld in ("value", "total"):
            if getattr(category, fld) is not None:
                key = f"[{category.name}].{fld}"
                out.append(Param(key, getattr(category, fld), category.text, "category", label_of(key, "category")))
    for cat, tree in scheme.trees():
        prefix = f"[{cat.name}]" if cat else ""
        for path, node in walk(tree):
            text = node.text or node.method or node.name
            if node.points is not None:
                out.append(Param(f"{prefix}{path}.points", node.points, text, "points", f"{node.name}：分值"))
            for name, value in _flat(node.params):
                key = f"{prefix}{path}.params.{name}"
                out.append(Param(key, value, node.method or text, "param", label_of(key, "param", node.name)))
            for clause in node.clauses:
                for fld in CLAUSE_FIELDS:
                    value = getattr(clause, fld)
                    if value is not None and _numeric(value) and not (fld == "factor" and not clause.double_when):
                        key = f"{prefix}{path}.clauses.{clause.id}.{fld}"
                        out.append(Param(key, value, clause.text, "clause",
                                         label_of(key, "clause", node.name, clause.text)))
    for unit in units or []:
        for attr, value in unit.attrs.items():
            out.append(Param(f"unit[{unit.name}].{attr}", value, f"{unit.name}的{attr}", "unit",
                             f"{unit.name}：{attr}"))
    return out


def _flat(params: dict, prefix: str = ""):
    for name, value in params.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            yield from _flat(value, key + ".")
        elif _numeric(value):
            yield key, value


# -- applying changes ------------------------------------------------------------------------
def _tree_of(raw: dict, scheme: Scheme, category: str | None, path: str, key: str) -> dict:
    """The raw dict of the node at ``path`` in the scheme's tree or a category's tree."""
    if category is not None:
        cat = scheme.category(category)
        if cat is None or not cat.indicators:
            raise KaoheError(t("param_not_category_tree", param=key, category=category))
        index = scheme.categories.index(cat)
        trees = [(raw["categories"][index]["indicators"], cat.indicators)]
    else:
        trees = []
        if scheme.indicators:
            trees.append((raw["indicators"], scheme.indicators))
        trees += [(raw["categories"][i]["indicators"], c.indicators)
                  for i, c in enumerate(scheme.categories) if c.indicators]
    found = []
    for raw_tree, tree in trees:
        node = _find(raw_tree, tree, [norm(p) for p in path.split(PATH_SEP)])
        if node is not None:
            found.append(node)
    if len(found) > 1:
        names = "、".join(f"[{c.name}]" for c in scheme.categories if c.indicators)
        raise KaoheError(t("param_in_two_trees", param=key, path=path, names=names))
    if not found:
        raise KaoheError(t("param_not_a_path", param=key, path=path, scheme=scheme.id))
    return found[0]


def _find(raw_nodes: list[dict], nodes: list[Indicator], parts: list[str]) -> dict | None:
    for raw, node in zip(raw_nodes, nodes, strict=False):
        if norm(node.name) == parts[0]:
            return raw if len(parts) == 1 else _find(raw.get("children", []), node.children, parts[1:])
    return None


def apply(raw: dict, scheme: Scheme, key: str, value: Any) -> None:
    """Set ``key`` to ``value`` in the scheme's raw dict (as ``model_dump`` gives it)."""
    if key == "total":
        raw["total"] = value
        return
    m = re.match(r"^\[(?P<cat>[^\]]+)\]\.(?P<field>value|total)$", key)
    if m:
        cat = scheme.category(m["cat"])
        if cat is None:
            raise KaoheError(t("param_not_a_category", param=key, category=m["cat"], scheme=scheme.id))
        raw["categories"][scheme.categories.index(cat)][m["field"]] = value
        return
    m = _KEY.match(key)
    if not m or not m["path"]:
        raise KaoheError(t("param_bad_key", param=key, scheme=scheme.id))
    node = _tree_of(raw, scheme, m["cat"], m["path"], key)
    field = m["field"]
    if field == "points":
        node["points"] = value
    elif field.startswith("params."):
        names = field.split(".")[1:]
        holder = node.setdefault("params", {})
        for name in names[:-1]:
            holder = holder.get(name)
            if not isinstance(holder, dict):
                raise KaoheError(t("param_no_such", param=key, name=".".join(names)))
        holder[names[-1]] = value
    else:
        _, clause_id, fld = field.split(".")
        clause = next((c for c in node.get("clauses", []) if norm(c["id"]) == norm(clause_id)), None)
        if clause is None:
            ids = ", ".join(c["id"] for c in node.get("clauses", [])) or "none"
            raise KaoheError(t("param_not_a_clause", param=key, clause=clause_id, ids=ids))
        clause[fld] = value


def unit_overrides(scheme: Scheme, units: list[Unit]) -> list[Unit]:
    changes = {k: v for k, v in getattr(scheme, "changes", {}).items() if k.startswith("unit[")}
    if not changes:
        return units
    out = []
    for unit in units:
        attrs = dict(unit.attrs)
        for key, value in changes.items():
            m = _UNIT_KEY.match(key)
            if m and norm(m["unit"]) in {norm(unit.name), *map(norm, unit.aliases)}:
                attrs[m["attr"]] = value
        out.append(unit.model_copy(update={"attrs": attrs}))
    return out


def build(store: Store, base: Scheme, year: int, version: int, office: bool) -> Scheme:
    """The scheme for ``year`` at parameter ``version``: the built-in with the overrides applied."""
    changes = overrides_at(store, base.id, year, version)
    scheme = _with(base, changes, f"{base.id} {year}")
    fields = {name: getattr(scheme, name) for name in Scheme.model_fields}
    if office:
        fields["periods"] = [str(year)]
        fields["title"] = f"{base.title}（{year}年度）"
    return YearScheme.model_construct(**fields, year=year, version=version, office=office, changes=changes)


def _with(base: Scheme, changes: dict[str, Any], origin: str) -> Scheme:
    tree_changes = {k: v for k, v in changes.items() if not k.startswith("unit[")}
    if not tree_changes:
        return base
    raw = base.model_dump(exclude={"plugin"})
    for key, value in tree_changes.items():
        apply(raw, base, key, value)
    return scheme_from_dict(raw, origin, base.plugin)


def overrides_at(store: Store, scheme_id: str, year: int, version: int) -> dict[str, Any]:
    """Each key's value as of ``version`` (the latest row at or before it)."""
    out: dict[str, Any] = {}
    for r in store.db.query("SELECT key, value FROM scheme_params WHERE scheme = ? AND year = ? AND version <= ? "
                            "ORDER BY version, id", [scheme_id, year, version]):
        out[r["key"]] = json.loads(r["value"])
    return out


def history(store: Store, scheme_id: str, year: int | None = None) -> list[dict]:
    sql = "SELECT * FROM scheme_params WHERE scheme = ? AND version > 0" + (" AND year = ?" if year else "")
    return list(store.db.query(sql + " ORDER BY year, id", [scheme_id, *([year] if year else [])]))


# -- changing them -------------------------------------------------------------------------
def parse_value(key: str, text: str, old: Any) -> Any:
    """A new value of the same shape as the old: a finite number, or a list of them; a unit
    attribute stays text."""
    text = text.strip()
    if isinstance(old, str):
        if not text:
            raise KaoheError(t("param_no_value", param=key))
        return text
    try:
        value = json.loads(text)
    except ValueError:
        raise KaoheError(t("param_not_a_number", param=key, text=text)) from None
    if isinstance(old, list):
        if not _numeric(value) or not isinstance(value, list):
            raise KaoheError(t("param_not_a_list", param=key, text=text))
        return [float(v) for v in value]
    if not _numeric(value) or isinstance(value, list):
        raise KaoheError(t("param_not_finite", param=key, text=text))
    if value < 0 and not key.endswith(".params.floor"):
        raise KaoheError(t("param_negative", param=key, text=text))
    return float(value)


def split_pairs(pairs: list[str]) -> list[tuple[str, str]]:
    out = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise KaoheError(t("param_pair", pair=pair))
        out.append((key.strip(), value))
    return out
