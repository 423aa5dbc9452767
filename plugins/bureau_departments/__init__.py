"""武进住建局 2018年局目标管理考核 (scheme ``bureau-departments``, seed 002).

The rules are data in ``schemes/bureau-departments.toml``; the units come from
``data/bureau-departments/``. This package adds what the TOML cannot say: the ``pooled_deductions``
rule type (信息宣传), the 附件3 score sheet with self-scores, the 附件6 bonus applications, the
附件5 OA signing (command and screen) and a demo year.

UI-free functions for the TUI and exporters:
``set_self_score`` / ``list_self_scores`` / ``score_sheet`` (附件3),
``apply_bonus`` / ``approve_bonus`` / ``reject_bonus`` / ``list_applications`` (附件6),
``classify_signing`` / ``oa_record`` / ``record_signing`` / ``oa_breaches`` (附件5).
"""

from __future__ import annotations

from kaohe_tui.api import bundled, hookimpl

from .bonus import apply_bonus, approve_bonus, list_applications, reject_bonus
from .demo import demo_records
from .oa import classify_signing, oa_record, record_signing
from .oa_list import oa_breaches
from .pooled import PooledDeductions
from .selfscore import list_self_scores, set_self_score
from .sheet import score_sheet
from .tables import SCHEME_ID, migrations

__all__ = ["apply_bonus", "approve_bonus", "reject_bonus", "list_applications", "set_self_score",
           "list_self_scores", "score_sheet", "classify_signing", "oa_record", "record_signing", "oa_breaches"]



@hookimpl
def kaohe_schemes():
    return [bundled("schemes") / f"{SCHEME_ID}.toml"]


@hookimpl
def kaohe_rule_types():
    return [PooledDeductions]


@hookimpl
def kaohe_migrations():
    return migrations


@hookimpl
def kaohe_demo_records(scheme):
    return demo_records(scheme)


@hookimpl
def kaohe_unit_attributes(scheme):
    return [("信息报送标准", "信息报送标准（附件4）"), ("政务信息全年最少条数", "政务信息全年最少条数（附件4备注4）")]


@hookimpl
def kaohe_unit_sheets(store, scheme, period, results):
    """附件3 for every unit in the xlsx export: standard points, self-score and reason, assessed
    score and reason, then 重点指标扣分, 现场考核分小计, 特别附加分, 合计分, and the signature lines."""
    from .export import unit_sheets

    return unit_sheets(store, scheme, period, results)


@hookimpl
def kaohe_screens(scheme):
    """计分表 (``j``, 附件3), 信息报送 (``x``, 附件4), 附加分申报 (``b``, 附件6) and OA签收 (``o``,
    附件5). Textual is imported only when a screen opens, so the CLI never loads it."""
    from kaohe_tui.api import SchemeScreen

    def sheet(app, store, scheme):
        from .sheet_screen import open_sheet

        return open_sheet(app, store, scheme)

    def info(app, store, scheme):
        from .info_grid import open_info_grid

        return open_info_grid(app, store, scheme)

    def bonus(app, store, scheme):
        from .bonus_screen import open_bonus

        return open_bonus(app, store, scheme)

    def oa(app, store, scheme):
        from .oa_screen import open_oa

        return open_oa(app, store, scheme)

    return [SchemeScreen("计分表", "j", sheet), SchemeScreen("信息报送", "x", info),
            SchemeScreen("附加分申报", "b", bonus), SchemeScreen("OA签收", "o", oa)]


@hookimpl
def kaohe_cli(add_command):
    """``kaohe self-score``: a unit enters its 附件3 self-score (自评分) and reason."""
    p = add_command("self-score", "bureau-departments：录入单位某一指标的自评分")
    p.add_argument("--period", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--indicator", required=True)
    p.add_argument("--points", required=True)
    p.add_argument("--reason", default="")
    p.set_defaults(handler=_self_score_command)
    from .commands import add_commands  # kaohe bonus …, kaohe oa-signing

    add_commands(add_command)


def _self_score_command(args) -> int:
    from kaohe_tui.api import fmt, get_scheme, open_store, t

    from .selfscore import set_self_score

    store = open_store(args.db)
    row = set_self_score(store, get_scheme(SCHEME_ID), args.period, args.unit, args.indicator, args.points, args.reason)
    print(t("selfscore_saved", unit=row["unit"], indicator=row["indicator"], points=fmt(row["points"])))
    return 0
