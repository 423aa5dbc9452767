"""The document's lists for leaders to print (``kaohe export district-categories --what …``):
``communities`` — 附件1, every 三类 unit with its 挂钩社区 and the town it lies in; ``roster`` —
附件2 as received for the period's year, every 二类/三类 unit with its status against the
deadline and both people's five fields (the same rows as the 名单 screen). Each list is the
period's own year's (``scheme_for_period``: an office year has its own units)."""

from __future__ import annotations

from kaohe_tui.api import ListTable as Table
from kaohe_tui.api import load_units, scheme_for_period

from . import roster

COMMUNITY, TOWN = "挂钩社区", "社区所在镇、开发区"


def community_rows(store, scheme, period):
    scheme = scheme_for_period(store, scheme, period)
    units = [u for u in load_units(store, scheme) if u.category == "三类"]
    for number, unit in enumerate(units, start=1):  # the list's order; 附件1's own 序号 repeats 52
        yield [number, unit.name, unit.attrs.get(COMMUNITY, ""), unit.attrs.get(TOWN, "")]


def roster_rows(store, scheme, period):
    scheme = scheme_for_period(store, scheme, period)
    units = {u.name: u for u in load_units(store, scheme)}
    for row in roster.list_roster(store, scheme, period.year):
        due, roles = "04-05", roster.ROLES  # the scheme's roster_missing rule says otherwise below
        for rule in scheme.consequences_for(row["category"]):
            if rule.type == "roster_missing":
                due, roles = str(rule.params.get("due", due)), tuple(rule.params.get("roles", roles))
        found = roster.problems(row, roster.due_date(period.year, due), roles)
        form, attrs = row["form"] or {}, units[row["unit"]].attrs if row["unit"] in units else {}
        cells = [row["unit"], row["category"], attrs.get(COMMUNITY, ""), attrs.get(TOWN, ""),
                 "；".join(found) if found else "齐全", form.get("received_on", ""),
                 ("是" if form["stamped"] else "否") if form else ""]
        for role in roster.ROLES:
            person = row["people"].get(role, {})
            cells += [person.get(label, "") for label in roster.FIELDS]
        yield cells


def tables() -> list[Table]:
    people = [role if label == "姓名" else f"{role}{label}" for role in roster.ROLES for label in roster.FIELDS]
    return [Table("communities", "附件1 挂钩联系社区清单", ["序号", "职能部门、单位", "挂钩社区", "社区所在镇、开发区"],
                  community_rows),
            Table("roster", "附件2 分管领导及联络员名单",
                  ["单位", "类别", "挂钩社区", "所在镇", "状态", "收到日期", "盖章", *people], roster_rows)]
