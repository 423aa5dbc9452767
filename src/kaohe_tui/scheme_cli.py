"""``kaohe scheme …``: an office's own years and parameters (thin: parse → one core call → print).

  kaohe scheme new-year SCHEME YEAR [--reason TEXT]
  kaohe scheme set SCHEME --year YEAR KEY=VALUE... --reason TEXT
  kaohe scheme params SCHEME [--year YEAR] [--changed] [--json]
  kaohe scheme targets SCHEME [--year YEAR] [--unit U] [--json]
"""

from __future__ import annotations

import argparse

from kaohe_tui.cli_support import json_out, open_store, print_table
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t


def add_commands(cmd, common: argparse.ArgumentParser) -> None:
    group = cmd("scheme", "办公室自己的方案年度及其参数")
    sub = group.add_subparsers(dest="scheme_command", metavar="ACTION", required=True, title="操作")

    def action(name: str, help: str, handler) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(handler=handler)
        p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
        return p

    p = action("new-year", "从上一年沿用，建立办公室自己的 SCHEME 方案 YEAR 年度版本", cmd_new_year)
    p.add_argument("year", metavar="YEAR", help="年度，如 2019", type=_year)
    p.add_argument("--reason", default="")
    p = action("set", "修改某一年度的参数（当即检查，审计记录旧值→新值）", cmd_set)
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("pairs", nargs="+", metavar="KEY=VALUE")
    p.add_argument("--reason", required=True)
    p = action("params", "办公室可改的每个参数，及其值与文件原文", cmd_params)
    p.add_argument("--year", type=_year)
    p.add_argument("--changed", action="store_true", help="只列与文件原文不同的")
    p.add_argument("--json", action="store_true")
    p = action("targets", "某年度的目标责任书项目（含分值）", cmd_targets)
    p.add_argument("--year", type=_year)
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(t("year_format", text=text))
    return int(text)


def _store(args):
    return open_store(args)


def cmd_new_year(args) -> int:
    from kaohe_tui.scheme_years import new_year

    store = _store(args)
    carried = new_year(store, args.scheme, args.year, args.reason)
    print(t("new_year_started", scheme=args.scheme, year=args.year, source=carried["from"], units=carried["units"],
            parameters=carried["parameters"], targets=carried["targets"]))
    return 0


def cmd_set(args) -> int:
    from kaohe_tui.param_changes import set_params
    from kaohe_tui.rules.base import fmt

    store = _store(args)
    for change in set_params(store, args.scheme, args.year, args.pairs, args.reason):
        print(t("param_changed", year=args.year, param=change.key, old=_show(change.old, fmt),
                new=_show(change.new, fmt)))
    closed = [r["period"] for r in store.db.query(
        "SELECT period FROM periods WHERE scheme = ? AND status = 'closed' AND substr(period, 1, 4) = ? "
        "ORDER BY period",
        [args.scheme, str(args.year)])]
    if closed:
        print(t("param_signed_keep", periods="、".join(closed)))
    return 0


def _show(value, fmt) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    return fmt(value) if isinstance(value, (int, float)) else str(value)


def cmd_params(args) -> int:
    from kaohe_tui.param_changes import year_parameters
    from kaohe_tui.report import table
    from kaohe_tui.rules.base import fmt

    store = _store(args)
    scheme, rows = year_parameters(store, args.scheme, args.year)
    if args.changed:
        rows = [r for r in rows if r["changed"]]
    if args.json:
        json_out(rows)
        return 0
    year = getattr(scheme, "year", 0) or "、".join(scheme.periods)
    print_table(table(["参数", "值", "文件原值", "文件原文"],
                 [[r["key"], _show(r["value"], fmt), "" if not r["changed"] else _show(r["document"], fmt),
                   r["text"][:60]] for r in rows], title=f"{scheme.title} · {year}：{len(rows)}个参数"))
    return 0


def cmd_targets(args) -> int:
    from kaohe_tui import catalog
    from kaohe_tui.report import table
    from kaohe_tui.rules.base import fmt
    from kaohe_tui.scheme_years import for_year, latest, units_of_year
    from kaohe_tui.target_lists import items, year_of
    from kaohe_tui.units import UnitIndex

    store = _store(args)
    base = catalog.get(args.scheme)
    scheme = for_year(store, base, args.year) if args.year else latest(store, base)
    year = year_of(scheme)
    unit = UnitIndex(units_of_year(store, scheme)).resolve(args.unit).name if args.unit else None
    rows = items(store, scheme.id, year, unit)
    if args.json:
        json_out(rows)
        return 0
    if not rows:
        raise KaoheError(t("no_targets", scheme=scheme.id, year=year, unit=f"（{unit}）" if unit else ""))
    print_table(table(["单位", "指标", "序号", "主题", "任务", "分值", "来源"],
                 [[r["unit"], r["indicator"], r["number"], r["theme"], r["task"], fmt(r["points"]), r["source"]]
                  for r in rows],
                 title=f"{scheme.title} · {year}：目标责任书项目{len(rows)}项"))
    return 0


def changes_text(store, scheme) -> list[str]:
    """Lines for ``kaohe rules``: every parameter changed from the document, per year, old → new."""
    import json

    from kaohe_tui import catalog
    from kaohe_tui.rules.base import fmt
    from kaohe_tui.scheme_params import parameters

    document = {p.key: p.value for p in parameters(catalog.get(scheme.id))}
    year = getattr(scheme, "year", None)
    sql = ("SELECT * FROM scheme_params WHERE scheme = ?" + (" AND year = ?" if year else "")
           + " ORDER BY year, version, id")
    last: dict[tuple, object] = {}
    lines = []
    for row in store.db.query(sql, [scheme.id, *([year] if year else [])]):
        new = json.loads(row["value"])
        old = last.get((row["year"], row["key"]), document.get(row["key"]))
        last[(row["year"], row["key"])] = new
        how = row["reason"] if row["version"] else f"{row['reason']}（沿用上年的调整）"
        lines.append(t("rules_changed", year=row["year"], version=row["version"], param=row["key"],
                       old=_show(old, fmt) if old is not None else "—", new=_show(new, fmt), how=how,
                       by=row["changed_by"], at=row["changed_at"]))
    return lines
