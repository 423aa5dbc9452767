"""``kaohe bonus`` (附件6: apply, approve, reject, list) and ``kaohe oa-signing`` (附件5: one
signing event → the 信息管理 record it leads to): thin faces over ``bonus.py`` and ``oa.py``,
which check roles inside their transactions."""

from __future__ import annotations

import json

from kaohe_tui.api import fmt, get_scheme, open_store, t

SCHEME_ID = "bureau-departments"


def add_commands(add_command) -> None:
    p = add_command("bonus", "bureau-departments：附件6 考核附加分申报（申报、批准、驳回、列出）")
    steps = p.add_subparsers(dest="step", required=True, metavar="STEP", title="步骤")
    s = steps.add_parser("apply", help="单位申报：申报项目及其获奖证书")
    s.add_argument("--period", required=True)
    s.add_argument("--unit", required=True)
    s.add_argument("--project", required=True, help="申报项目")
    s.add_argument("--certificate", required=True, help="获奖证书（名称或编号）")
    s.set_defaults(handler=_apply)
    s = steps.add_parser("approve", help="局分管领导批准并赋分（管理员）")
    s.add_argument("application", metavar="APPLICATION", help="申报编号", type=int)
    s.add_argument("--points", required=True, help="最终赋分")
    s.add_argument("--opinion", required=True, help="局分管领导意见")
    s.set_defaults(handler=_approve)
    s = steps.add_parser("reject", help="局分管领导驳回并写明意见（管理员）")
    s.add_argument("application", metavar="APPLICATION", help="申报编号", type=int)
    s.add_argument("--opinion", required=True, help="局分管领导意见")
    s.set_defaults(handler=_reject)
    s = steps.add_parser("list", help="列出申报")
    s.add_argument("--period")
    s.add_argument("--state", choices=["pending", "approved", "rejected"])
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=_list)

    p = add_command("oa-signing", "bureau-departments：附件5 一次 OA 签收 → 由此产生的信息管理记录")
    p.add_argument("--period", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--kind", required=True, choices=["meeting", "other"],
                   help="meeting＝会议类通知（3小时）／other＝其他类文件（8小时）")
    p.add_argument("--hours", required=True, type=float, help="从发出到签收（至今）的工作小时数")
    p.add_argument("--clock-hours", type=float,
                   help="同一时段的自然小时数（48小时规则：未装客户端）；默认同 --hours")
    p.add_argument("--date")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=_oa)


def _open(args):
    return open_store(args.db), get_scheme(SCHEME_ID)


def _apply(args) -> int:
    from .bonus import apply_bonus

    store, scheme = _open(args)
    number = apply_bonus(store, scheme, args.period, args.unit, args.project, args.certificate)
    print(t("bonus_applied", id=number))
    return 0


def _approve(args) -> int:
    from .bonus import approve_bonus

    store, scheme = _open(args)
    record_id = approve_bonus(store, scheme, args.application, args.points, args.opinion)
    points = next(store.db.query("SELECT amount FROM records WHERE id = ?", [record_id]))["amount"]
    print(t("bonus_approved", id=args.application, points=fmt(points), record=record_id))
    return 0


def _reject(args) -> int:
    from .bonus import reject_bonus

    store, scheme = _open(args)
    reject_bonus(store, scheme, args.application, args.opinion)
    print(t("bonus_rejected", id=args.application))
    return 0


def _list(args) -> int:
    from .bonus import STATE_NAMES, list_applications

    store, scheme = _open(args)
    rows = list_applications(store, scheme, args.period, args.state)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        points = "" if r["points"] is None else f" 最终赋分{fmt(r['points'])}"
        opinion = f" 意见：{r['leader_opinion']}" if r["leader_opinion"] else ""
        print(f"#{r['id']} {r['period']} {r['unit']} {r['project']}（{r['certificate']}）"
              f"{STATE_NAMES[r['state']]}{points}{opinion}")
    return 0


def _oa(args) -> int:
    from .oa import record_signing, signing_message

    store, scheme = _open(args)
    status, record_id = record_signing(store, scheme, args.unit, args.kind, args.hours, period=args.period,
                                       reason=args.reason, clock_hours=args.clock_hours, date=args.date)
    print(signing_message(status, record_id))
    return 0
