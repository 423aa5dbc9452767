"""``kaohe cases`` and ``kaohe withdraw-import``: the platform cases of a period, each with the
class it was counted in, and the imports of case files. Parse → core call → print."""

from __future__ import annotations

import json
import sys
from collections import Counter

from kaohe_tui import catalog
from kaohe_tui.cli_support import json_out, open_store, scheme_for
from kaohe_tui.cli_support import print_table as _print
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.periods import Period

TABLE_LIMIT = 2000  # rows a table prints; beyond, a count per unit and class (a terminal is not a file)


def cmd_cases(args) -> int:
    from kaohe_tui.case_classes import FIGURES, LABELS, STATUS_LABELS
    from kaohe_tui.cases import iter_cases
    from kaohe_tui.units import UnitIndex, load_units

    if args.counted and args.counted not in FIGURES:
        raise KaoheError(t("option_one_of", option="--counted", value=args.counted, known="、".join(FIGURES)))
    store = open_store(args)
    scheme = scheme_for(store, args)
    if args.imports:
        return _case_imports(store, scheme, args)
    if not args.period and args.import_id is None:
        raise KaoheError(t("cases_need_period"))
    unit = UnitIndex(load_units(store, scheme)).resolve(args.unit).name if args.unit else None
    period = Period.parse(args.period) if args.period else None
    rows = iter_cases(store, scheme, period, unit, args.status, args.import_id, counted=args.counted)
    if args.json:  # streamed: a city's year does not have to fit in memory twice
        sys.stdout.write("[")
        for i, row in enumerate(rows):
            sys.stdout.write(("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        sys.stdout.write("\n]\n")
        return 0
    from kaohe_tui.report import table

    shown: list[dict] = []
    counted: Counter[str] = Counter()
    per_unit: Counter[tuple[str, str]] = Counter()
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
        _print(table(["单位", *STATUS_LABELS.values()],
                     [[u, *(per_unit[(u, k)] or "" for k in STATUS_LABELS)] for u in units], title=title))
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
                 [[r["id"], r["file"] or "", r["at"], r["user"] or "", r["cases"] or 0, r["updated"],
                   r["profile"] or "", r["withdrawn_at"] or ""] for r in rows],
                 title=f"{scheme.title}：案件导入{len(rows)}次"))
    return 0


def cmd_withdraw_import(args) -> int:
    from kaohe_tui.case_withdraw import withdraw_import

    store = open_store(args)
    scheme = catalog.get(args.scheme)
    n = withdraw_import(store, scheme, args.import_id, args.reason)
    print(t("cli_withdrew_import", id=args.import_id, n=n))
    return 0
