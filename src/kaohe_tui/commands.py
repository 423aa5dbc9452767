"""The subcommands of ``kaohe``: parse → one core call (mostly ``kaohe_tui.actions``) → print.
One function per command; the case commands are in commands_cases.py, the administrative ones in
commands_admin.py (re-exported here: cli.py finds every ``cmd_*`` on this module)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kaohe_tui import catalog
from kaohe_tui.cli_support import json_out, open_store, progress, scheme_for  # noqa: F401
from kaohe_tui.cli_support import print_failures as _print_failures
from kaohe_tui.cli_support import print_rejected as _print_rejected
from kaohe_tui.cli_support import print_table as _print
from kaohe_tui.commands_admin import (  # noqa: F401
    cmd_backup,
    cmd_demo,
    cmd_grant,
    cmd_history,
    cmd_init_office,
    cmd_lint,
    cmd_plugins,
    cmd_restore,
    cmd_revoke,
    cmd_roles,
    cmd_serve,
    cmd_verify,
)
from kaohe_tui.commands_cases import cmd_cases, cmd_withdraw_import  # noqa: F401
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import EXPORT_WHAT, t
from kaohe_tui.periods import Period


def cmd_schemes(args) -> int:
    from kaohe_tui.actions.listing import scheme_summaries

    rows = scheme_summaries(open_store(args))
    _print_failures()  # on stderr, so --json output stays clean
    if args.json:
        json_out([r.as_json() for r in rows])
        return 0
    from kaohe_tui.report import table

    _print(table(["id", "名称", "期间", "年度", "单位数", "插件"],
                 [[r.id, r.display_title, "、".join(r.periods),
                   r.years_text(),
                   r.units, r.plugin] for r in rows]))
    return 0


def cmd_units(args) -> int:
    from kaohe_tui.units import load_units, retire_unit

    store = open_store(args)
    scheme = catalog.get(args.scheme)
    if getattr(args, "year", None):
        from kaohe_tui.scheme_years import for_year

        scheme = for_year(store, scheme, args.year)
    if args.retire:
        unit = retire_unit(store, scheme, args.retire, args.reason or "")
        print(t("unit_retired", unit=unit.name))
        return 0
    units = load_units(store, scheme)
    if args.json:
        json_out([u.model_dump() for u in units])
        return 0
    from kaohe_tui.actions.listing import display_unit, unit_columns
    from kaohe_tui.report import table

    columns = unit_columns(scheme, units)  # the plugins' columns, as the TUI's units view shows them
    _print(table(["单位", "类别", "考核扎口科室", "别名", *(title for _, title in columns)],
                 [[display_unit(u), u.category or "", u.assessed_by or "", "、".join(u.aliases),
                   *(_cell(u.attrs.get(k)) for k, _ in columns)] for u in units],
                 title=f"{scheme.title}：{len(units)}个单位"))
    return 0


def _cell(value) -> str:
    return "" if value is None else str(value)


def cmd_rules(args) -> int:
    from kaohe_tui.report import rules_json, rules_tree
    from kaohe_tui.scheme_cli import changes_text
    from kaohe_tui.scheme_years import for_year

    store = open_store(args)
    scheme = catalog.get(args.scheme)
    scheme = for_year(store, scheme, args.year) if getattr(args, "year", None) else scheme
    changes = changes_text(store, scheme)  # "changed for YEAR", old → new
    if args.json:
        json_out(rules_json(scheme) | {"changes": changes})
    else:
        _print(rules_tree(scheme))
        for line in changes:
            print(line)
    return 0


def _attrs(pairs: list[str]) -> dict:
    attrs = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise KaoheError(t("cli_attr_format", pair=pair))
        attrs[key.strip()] = value.strip()
    return attrs


def cmd_record(args) -> int:
    from kaohe_tui.actions.recording import Draft, record

    store = open_store(args)
    scheme = scheme_for(store, args)
    draft = Draft(unit=args.unit, indicator=args.indicator, period=args.period, reason=args.reason,
                  clause=args.clause, count=args.count, amount=args.amount, value=args.value, date=args.date,
                  attrs=_attrs(args.attr))
    record_id = record(store, scheme, draft, supersede=args.supersede)
    print(t("cli_recorded", id=record_id))
    return 0


def cmd_withdraw(args) -> int:
    from kaohe_tui.actions.recording import withdraw

    store = open_store(args)
    withdraw(store, catalog.get(args.scheme), args.record_id, args.reason)
    print(t("cli_withdrew", id=args.record_id))
    return 0


def cmd_import(args) -> int:
    from kaohe_tui.actions.importing import import_file
    from kaohe_tui.case_profiles import parse_overrides
    from kaohe_tui.messages import t

    store = open_store(args)
    scheme = scheme_for(store, args)

    def row_by_row() -> None:
        print(f"kaohe: {t('import_row_by_row', file=args.file)}", file=sys.stderr)

    with progress(f"导入 {args.file}：已处理") as step:
        outcome = import_file(store, scheme, Path(args.file), args.kind, period=args.period,
                              skip_invalid=args.skip_invalid, supersede=args.supersede, profile=args.profile,
                              overrides=parse_overrides(args.map), progress=step, row_by_row=row_by_row)
    _print_rejected(outcome.rejected)
    if not outcome.written:
        hint = t("import_skip_hint_cli") if outcome.skippable else ""
        raise KaoheError(f"{args.file}：{outcome.headline.text()}{hint}")
    first, *rest = outcome.lines()
    print(first)
    for line in rest:
        print(f"kaohe: {line}", file=sys.stderr)
    return 0


def cmd_score(args) -> int:
    from kaohe_tui.scoring import score

    store = open_store(args)
    scheme = scheme_for(store, args)
    results = score(store, scheme, Period.parse(args.period))
    if args.json:
        json_out([r.as_json() for r in results])
        return 0
    from kaohe_tui.report import results_table

    _print(results_table(scheme, results, args.period))
    return 0


def cmd_status(args) -> int:
    from kaohe_tui.report import status_table
    from kaohe_tui.status import status

    store = open_store(args)
    scheme = catalog.get(args.scheme)
    result = status(store, scheme, Period.parse(args.period))
    if args.json:
        json_out(result.as_dict())
    else:
        _print(status_table(scheme, result))
    return 0


def cmd_ledger(args) -> int:
    from kaohe_tui.ledger import list_records
    from kaohe_tui.units import UnitIndex, load_units

    store = open_store(args)
    scheme = scheme_for(store, args)
    unit = UnitIndex(load_units(store, scheme)).resolve(args.unit).name if args.unit else None
    rows = list_records(store, scheme, Period.parse(args.period), unit)
    if args.json:
        json_out([{**r, "attrs": json.loads(r["attrs"]) if r["attrs"] else {}, "withdrawn": bool(r["withdrawn_at"])}
                  for r in rows])
        return 0
    from kaohe_tui.report import table
    from kaohe_tui.rules.base import fmt

    def figure(r):
        return next((f"{k}={fmt(r[k])}" for k in ("count", "amount", "value") if r[k] is not None), "")

    _print(table(["#", "期间", "日期", "单位", "指标", "条款", "数", "事由", "状态"],
                 [[r["id"], r["period"], r["date"] or "", r["unit"], r["indicator"], r["clause"] or "", figure(r),
                   r["reason"], f"已撤回（{r['withdrawn_reason']}）" if r["withdrawn_at"] else ""] for r in rows],
                 title=f"{scheme.title} · {args.period}：{len(rows)}条记录"))
    return 0


def cmd_explain(args) -> int:
    from kaohe_tui.report import explain_tree
    from kaohe_tui.scoring import Scorer
    from kaohe_tui.units import UnitIndex, load_units

    store = open_store(args)
    scheme = scheme_for(store, args)
    period = Period.parse(args.period)
    unit = UnitIndex(load_units(store, scheme)).resolve(args.unit)
    scorer = Scorer(store, scheme)
    result = scorer.explain(period, unit.name)
    if args.json:
        json_out(result.as_json() | {"explanation": [i.as_dict() for i in result.indicators]})
        return 0
    records = {e.id: e._asdict() for e in scorer.entries(period, unit.name)}
    _print(explain_tree(result, records, str(period)))
    if any(str(key).startswith("cases:") for key in records):
        print(f"案件明细（每件归入哪一类）：kaohe cases {scheme.id} --period {period} --unit {unit.name}")
    return 0


def cmd_export(args) -> int:
    from kaohe_tui.actions.exporting import export

    store = open_store(args)
    label = (t("cli_exporting_rows", what=EXPORT_WHAT.get(args.what, args.what)) if args.what != "results"
             else t("cli_exporting", scheme=args.scheme, period=args.period))
    with progress(label) as step:
        done = export(store, scheme_for(store, args), args.period, args.format, Path(args.output), args.what,
                      force=args.force, progress=step if args.what != "results" else None)
    if args.what != "results":
        print(t("cli_exported_rows", scheme=args.scheme, what=EXPORT_WHAT.get(args.what, args.what), rows=done.rows,
                path=args.output))
    else:
        print(t("cli_exported", scheme=args.scheme, period=args.period, path=done.path))
    return 0


def cmd_close(args) -> int:
    from kaohe_tui.actions.periods import close

    signed = close(open_store(args), catalog.get(args.scheme), args.period, args.reason)
    print(t("cli_closed", scheme=args.scheme, period=args.period))
    print(t("cli_signed", snapshot=signed.snapshot, audit_id=signed.audit_id, head=signed.audit_hash[:16]))
    return 0


def cmd_reopen(args) -> int:
    from kaohe_tui.actions.periods import reopen

    reopen(open_store(args), catalog.get(args.scheme), args.period, args.reason)
    print(t("cli_reopened", scheme=args.scheme, period=args.period))
    return 0
