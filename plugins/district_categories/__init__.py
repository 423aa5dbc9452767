"""Scheme ``district-categories``: 武城委办发〔2017〕8号, the annual values of the departments in
Wujin's 城镇长效综合管理 (一类 2 分, 二类 1 分, 三类 0.5 分).

- 二类: notices on a ladder (1 → −0.5, 2 → all); a problem recurring 3 times in a month becomes
  a notice by itself (``recurrence.py``).
- 三类: four work requirements tracked by month and quarter as flags (``rules.py``), and the
  office's annual deduction of 0.1–0.5.
- Both: the 分管领导/联络员 roster of 附件2 in the plugin's own tables (``roster.py``), flagged
  when it is not in by 5 April.
"""

from __future__ import annotations

from kaohe_tui.api import bundled, hookimpl

from . import demo, roster
from .recurrence import RECURRENCE, derive_notices
from .rules import QuarterlyActivity, Requirement

SCHEME_ID = "district-categories"



@hookimpl
def kaohe_schemes():
    return [bundled("schemes") / f"{SCHEME_ID}.toml"]


@hookimpl
def kaohe_rule_types():
    return [Requirement, QuarterlyActivity]


@hookimpl
def kaohe_migrations():
    return roster.migrations


@hookimpl
def kaohe_derive_records(scheme, period, entries):
    return derive_notices(entries, RECURRENCE)


@hookimpl
def kaohe_consequence_types():
    return {"roster_missing": roster.roster_missing}


@hookimpl
def kaohe_unit_attributes(scheme):
    return [("挂钩社区", "挂钩社区"), ("社区所在镇、开发区", "所在镇")]


@hookimpl
def kaohe_demo_records(scheme):
    return demo.records()


@hookimpl
def kaohe_screens(scheme):
    """名单 (``m``): the roster of 附件2 and the paired communities. Textual is imported only when
    the screen opens, so the CLI never loads it."""
    from kaohe_tui.api import SchemeScreen

    def factory(app, store, scheme):
        from .screens import open_roster

        return open_roster(app, store, scheme)

    return [SchemeScreen("名单", "m", factory)]


@hookimpl
def kaohe_import_formats():
    """``kaohe import district-categories roster.xlsx``: the 附件2 roster from a spreadsheet."""
    from .roster_import import IMPORTER

    return [IMPORTER]


@hookimpl
def kaohe_export_tables(scheme):
    """``kaohe export district-categories --what communities|roster``: 附件1 and 附件2 to print
    (a scheme hook: pluggy asks this plugin for its own scheme only)."""
    from .lists import tables

    return tables()
