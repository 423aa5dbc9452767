"""The subcommands of ``kaohe``: parse → core call → print. One function per command."""

from __future__ import annotations

import contextlib
import json
import sys
from collections import Counter
from pathlib import Path

from kaohe_tui import catalog, plugins
from kaohe_tui.cli import json_out
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.periods import Period
from kaohe_tui.store import Store


def open_store(args) -> Store:
    from kaohe_tui.units import ensure_registered

    store = Store(getattr(args, "db", None))
    ensure_registered(store)
    return store


def scheme_for(store: Store, args):
    """The scheme as it stands for ``--period`` (an office year's own version; see scheme_years)."""
    from kaohe_tui.scheme_years import for_period

    return for_period(store, args.scheme, getattr(args, "period", None))


def _print(renderable) -> None:
    from kaohe_tui.report import render

    print(render(renderable, width=max(100, _terminal_width())))


@contextlib.contextmanager
def progress(label: str):
    """A live line on stderr while long work runs (only in a terminal: scripts and pipes stay
    clean); yields a callback taking the count done so far."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console

    with Console(stderr=True).status(label) as status:
        yield lambda n: status.update(f"{label} {n:,}")


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((160, 40)).columns


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
                   "、".join(f"{y['year']}" + ("（办公室）" if y["kind"] == "office" else "") for y in r.years),
                   r.units, r.plugin] for r in rows]))
    return 0


def _print_failures() -> None:
    for failure in plugins.failures:
        print(f"kaohe: plugin failed: {failure}", file=sys.stderr)


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
            raise KaoheError(f"--attr {pair!r}: write KEY=VALUE")
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
    print(f"recorded #{record_id}")
    return 0


def cmd_withdraw(args) -> int:
    from kaohe_tui.actions.recording import withdraw

    store = open_store(args)
    withdraw(store, catalog.get(args.scheme), args.record_id, args.reason)
    print(f"withdrew #{args.record_id}")
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


def _print_rejected(rejected: list[str]) -> None:
    from kaohe_tui.messages import t

    for message in rejected[:50]:
        print(message, file=sys.stderr)
    if len(rejected) > 50:
        print(t("import_more_rejected", more=len(rejected) - 50), file=sys.stderr)


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
        json_out([{**r, "attrs": json.loads(r["attrs"]) if r["attrs"] else {}, "withdrawn": bool(r["withdrawn_at"])} for r in rows])
        return 0
    from kaohe_tui.report import table
    from kaohe_tui.rules.base import fmt

    def figure(r):
        return next((f"{k}={fmt(r[k])}" for k in ("count", "amount", "value") if r[k] is not None), "")

    _print(table(["#", "期间", "日期", "单位", "指标", "条款", "数", "事由", "状态"],
                 [[r["id"], r["period"], r["date"] or "", r["unit"], r["indicator"], r["clause"] or "", figure(r), r["reason"],
                   f"已撤回（{r['withdrawn_reason']}）" if r["withdrawn_at"] else ""] for r in rows],
                 title=f"{scheme.title} · {args.period}：{len(rows)}条记录"))
    return 0


TABLE_LIMIT = 2000  # rows a table prints; beyond, a count per unit and class (a terminal is not a file)


def cmd_cases(args) -> int:
    from kaohe_tui.cases import LABELS, STATUS_LABELS, counted_in, iter_cases
    from kaohe_tui.units import UnitIndex, load_units

    keep = counted_in(args.counted) if args.counted else None
    if args.counted and keep is None:
        known = [k for k in LABELS if counted_in(k)]
        raise KaoheError(f"--counted {args.counted!r}: one of {', '.join(known)}")
    store = open_store(args)
    scheme = scheme_for(store, args)
    if args.imports:
        return _case_imports(store, scheme, args)
    if not args.period and args.import_id is None:
        raise KaoheError("kaohe cases: --period (or --import N, or --imports)")
    unit = UnitIndex(load_units(store, scheme)).resolve(args.unit).name if args.unit else None
    period = Period.parse(args.period) if args.period else None
    rows = iter_cases(store, scheme, period, unit, args.status, args.import_id)
    if keep:
        rows = filter(keep, rows)
    if args.json:  # streamed: a city's year does not have to fit in memory twice
        sys.stdout.write("[")
        for i, row in enumerate(rows):
            sys.stdout.write(("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        sys.stdout.write("\n]\n")
        return 0
    from kaohe_tui.report import table

    shown, counted, per_unit = [], Counter(), Counter()
    for row in rows:
        counted[row["status"]] += 1
        per_unit[(row["unit"], row["status"])] += 1
        if len(shown) < TABLE_LIMIT:
            shown.append(row)
    total = sum(counted.values())
    summary = "，".join(f"{STATUS_LABELS[k]}{counted[k]}" for k in STATUS_LABELS if counted[k])
    what = f" · {LABELS[args.counted]}" if args.counted else ""
    where = args.period or f"导入#{args.import_id}"
    title = f"{scheme.title} · {where}{' · ' + unit if unit else ''}{what}：{total}件（{summary or '无'}）"
    if total > TABLE_LIMIT:
        units = sorted({u for u, _ in per_unit})
        _print(table(["单位", *STATUS_LABELS.values()], [[u, *(per_unit[(u, k)] or "" for k in STATUS_LABELS)] for u in units],
                     title=title))
        print(f"{total}件，表格只列{TABLE_LIMIT}件以内：用 --unit、--status 缩小范围，或 --json 取全部")
        return 0
    _print(table(["案件编号", "单位", "上报时间", "处置时限", "结案时间", "延期", "核查未通过", "回访", "归类"],
                 [[r["case_id"], r["unit"], r["reported_at"], r["deadline"] or "", r["closed_at"] or "",
                   r["extensions"] or "", r["failed_checks"] or "", r["satisfaction"] or "", STATUS_LABELS[r["status"]]]
                  for r in shown], title=title))
    return 0


def _case_imports(store, scheme, args) -> int:
    from kaohe_tui.case_withdraw import list_imports
    from kaohe_tui.report import table

    rows = list_imports(store, scheme)
    if args.json:
        json_out(rows)
        return 0
    _print(table(["#", "文件", "时间", "登录", "新案件", "更新", "导入配置", "撤回"],
                 [[r["id"], r["file"] or "", r["at"], r["user"] or "", r["cases"] or 0, r["updated"], r["profile"] or "",
                   r["withdrawn_at"] or ""] for r in rows], title=f"{scheme.title}：案件导入{len(rows)}次"))
    return 0


def cmd_withdraw_import(args) -> int:
    from kaohe_tui.case_withdraw import withdraw_import

    store = open_store(args)
    scheme = catalog.get(args.scheme)
    n = withdraw_import(store, scheme, args.import_id, args.reason)
    print(f"withdrew import {args.import_id}: {n} case(s)")
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
    label = f"exporting {args.what}: row" if args.what != "results" else f"scoring and exporting {args.scheme} {args.period}"
    with progress(label) as step:
        done = export(store, scheme_for(store, args), args.period, args.format, Path(args.output), args.what,
                      force=args.force, progress=step if args.what != "results" else None)
    if args.what != "results":
        print(f"exported {done.rows} {args.what} row(s) of {args.scheme} to {args.output}")
    else:
        print(f"exported {args.scheme} {args.period} to {done.path}")
    return 0


def cmd_close(args) -> int:
    from kaohe_tui.actions.periods import close

    signed = close(open_store(args), catalog.get(args.scheme), args.period, args.reason)
    print(f"closed {args.scheme} {args.period}: its records and scores can no longer change")
    print(f"signed: {signed.snapshot} (audit chain head #{signed.audit_id} "
          f"{signed.audit_hash[:16]}); keep it with the signed paper, kaohe verify checks it")
    return 0


def cmd_reopen(args) -> int:
    from kaohe_tui.actions.periods import reopen

    reopen(open_store(args), catalog.get(args.scheme), args.period, args.reason)
    print(f"reopened {args.scheme} {args.period}")
    return 0


def cmd_verify(args) -> int:
    from kaohe_tui.verify import verify

    store = open_store(args)
    if args.scheme:
        catalog.get(args.scheme)
    report = verify(store, args.scheme, args.period)
    for line in report.checked:
        print(f"ok: {line}")
    for line in report.problems:
        print(f"CHANGED: {line}")
    if report.problems:
        raise KaoheError(f"verify: {len(report.problems)} problem(s): {report.problems[0]}")
    return 0


def cmd_roles(args) -> int:
    from kaohe_tui.roles import grants

    store = open_store(args)
    rows = [g.__dict__ for g in grants(store)]
    if args.json:
        json_out(rows)
        return 0
    from kaohe_tui.report import table

    _print(table(["登录名", "角色", "方案", "科室", "单位"], [[r["login"], r["role"], r["scheme"], r["section"], r["unit"]] for r in rows]))
    return 0


def cmd_grant(args) -> int:
    from kaohe_tui.roles import grant

    store = open_store(args)
    if args.scheme:
        catalog.get(args.scheme)
    grant(store, args.login, args.role, args.scheme, args.section, args.unit, args.reason or "")
    print(f"granted {args.role} to {args.login}")
    return 0


def cmd_revoke(args) -> int:
    from kaohe_tui.roles import revoke

    store = open_store(args)
    n = revoke(store, args.login, args.role, args.reason or "")
    print(f"revoked {n} {args.role} grant(s) from {args.login}")
    return 0


def cmd_plugins(args) -> int:
    from kaohe_tui import catalog as cat

    cat.schemes()  # scheme hooks run, so their failures are known too
    info = plugins.get_plugins()
    failed = [{"plugin": f.plugin, "where": f.where, "error": f.error} for f in plugins.failures]
    if args.json:
        json_out({"plugins": info, "failed": failed})
        return 0
    from kaohe_tui.report import table

    _print(table(["插件", "来源", "钩子"], [[p["name"], p["origin"], ", ".join(p["hooks"])] for p in info], title="已加载插件"))
    if failed:
        _print(table(["插件", "位置", "错误"], [[f["plugin"], f["where"], f["error"]] for f in failed], title="加载失败"))
    return 0


def cmd_lint(args) -> int:
    from kaohe_tui.lint import lint_scheme

    schemes = [catalog.get(args.scheme)] if args.scheme else list(catalog.schemes().values())
    errors = 0
    for scheme in schemes:
        findings = lint_scheme(scheme)
        errors += sum(1 for f in findings if f.level == "error")
        for finding in findings:
            print(finding)
        if not any(f.level == "error" for f in findings):
            warned = sum(1 for f in findings if f.level == "warning")
            print(f"ok: {scheme.id}" + (f"（{warned}条警告：见上，多为原文自身的问题）" if warned else ""))
    _print_failures()
    if errors:
        raise KaoheError(f"lint: {errors} error(s)")
    return 0


def cmd_demo(args) -> int:
    from kaohe_tui.demo import load_demo, remove_demo

    store = open_store(args)
    schemes = [catalog.get(args.scheme)] if args.scheme else list(catalog.schemes().values())
    for scheme in schemes:
        if args.remove:
            print(f"{scheme.id}: withdrew {remove_demo(store, scheme)} demo record(s)")
        else:
            print(f"{scheme.id}: loaded {load_demo(store, scheme)} demo record(s)")
    return 0


def cmd_history(args) -> int:
    from kaohe_tui.audit import history

    store = open_store(args)
    rows = history(store, unit=args.unit, since=args.since)
    if args.json:
        json_out(rows)
        return 0
    from kaohe_tui.report import table

    _print(table(["#", "时间", "用户", "操作", "方案", "单位", "记录", "事由"],
                 [[r["id"], r["at"], r["user"], r["action"], r["scheme"] or "", r["unit"] or "", r["record_id"] or "", r["reason"]] for r in rows]))
    return 0


def cmd_backup(args) -> int:
    store = Store(getattr(args, "db", None))
    target = store.backup(Path(args.file), force=args.force)
    print(f"backed up {store.path} to {target}")
    return 0


def cmd_restore(args) -> int:
    from kaohe_tui.paths import default_db_path
    from kaohe_tui.restoring import restore_backup

    target = Path(getattr(args, "db", None) or default_db_path())
    digest = restore_backup(Path(args.file), target, args.reason or "")
    print(f"restored {target} from {args.file} (sha256 {digest})")
    return 0


def cmd_init_office(args) -> int:
    from kaohe_tui.office import init_office

    db = init_office(Path(args.folder), args.group)
    args.db = str(db)
    open_store(args).close()  # created, migrated and seeded: its creator (the file's owner) administers it
    print(f"office folder {db.parent}: group {args.group}, setgid; database {db}\n"
          f"every member of {args.group} sets: export KAOHE_DB={db} KAOHE_GROUP={args.group}")
    return 0


def cmd_serve(args) -> int:
    from kaohe_tui.serve import serve

    serve(args)
    return 0
