"""附件2 分管领导及联络员名单: the roster each category-2/3 unit faxes, stamped, by 5 April.

The plugin's own tables (``kaohe_migrations``) hold the form as received: one row per unit and
role with the form's five fields, and one row per unit and year for the form itself (the date it
arrived, whether it was stamped, the unit's fax number). The functions here are UI-free; every
write is one transaction with an audit entry. ``roster_missing`` is the consequence type that
flags a unit whose roster was not in by the deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from sqlite_utils import Migrations

from kaohe_tui.api import (
    Consequence,
    KaoheError,
    Period,
    Scheme,
    Store,
    UnitIndex,
    authorize,
    clean_text,
    closed_months,
    load_units,
    norm,
    now,
    parse_date,
    scheme_for_period,
    t,
)

if TYPE_CHECKING:
    from kaohe_tui.api import Scorer, UnitResult

ROLES = ("分管领导", "联络员")
# The form's columns (姓  名 / 职  务 / 手  机 / 办公电话 / QQ) → table columns.
FIELDS = {"姓名": "name", "职务": "position", "手机": "mobile", "办公电话": "office_phone", "QQ": "qq"}
CATEGORIES = ("二类", "三类")  # 二、三类职能部门和单位 send the roster
PEOPLE = "district_categories_roster"
FORMS = "district_categories_roster_forms"

migrations = Migrations("district_categories")


@migrations()
def m001_roster(db) -> None:
    db[PEOPLE].create({"scheme": str, "unit": str, "role": str, **{c: str for c in FIELDS.values()},
                       "updated_by": str, "updated_at": str}, pk=("scheme", "unit", "role"))
    db[FORMS].create({"scheme": str, "unit": str, "year": int, "received_on": str, "stamped": int, "fax": str,
                      "updated_by": str, "updated_at": str}, pk=("scheme", "unit", "year"))


_PHONE = re.compile(r"[0-9０-９+\-－ ()（）]+")
_DIGITS = re.compile(r"[0-9]+")


def _unit(store: Store, scheme: Scheme, text: str) -> str:
    unit = UnitIndex(load_units(store, scheme)).resolve(text)
    category = scheme.category(unit.category)
    if category is None or category.name not in CATEGORIES:
        raise KaoheError(t("roster_category", unit=unit.name, category=unit.category))
    return unit.name


def _role(text: str) -> str:
    for role in ROLES:
        if norm(text) == norm(role):
            return role
    raise KaoheError(t("roster_role", text=text, roles="、".join(ROLES)))


def _fields(given: dict[str, Any]) -> dict[str, str]:
    """The form's fields by Chinese or English name, checked; unknown names are refused."""
    by_key = {norm(k).lower(): v for k, v in FIELDS.items()} | {v: v for v in FIELDS.values()}
    out: dict[str, str] = {}
    for key, value in given.items():
        column = by_key.get(norm(key).lower())
        if column is None:
            raise KaoheError(t("roster_unknown_field", key=key, fields="、".join(FIELDS)))
        label = next(k for k, v in FIELDS.items() if v == column)
        text = clean_text(str(value or ""), label, limit=100)
        if text and column in ("mobile", "office_phone") and not _PHONE.fullmatch(text):
            raise KaoheError(t("roster_not_phone", label=label, text=text))
        if text and column == "qq" and not _DIGITS.fullmatch(norm(text)):
            raise KaoheError(t("roster_not_qq", text=text))
        out[column] = text
    return out


def set_person(store: Store, scheme: Scheme, unit: str, role: str, reason: str = "", **fields: Any) -> str:
    """Write (or correct) one role's row of a unit's form; returns the unit's name as listed.
    ``fields`` by the form's names (姓名=…, 手机=…) or the columns' (name=…, mobile=…)."""
    unit_name, role = _unit(store, scheme, unit), _role(role)
    authorize(store, "record", scheme.id, unit_name)  # the office's own data: its recording rights
    values = _fields(fields)
    key = (scheme.id, unit_name, role)
    with store.transaction() as db:
        old = next(db.query(f"SELECT * FROM {PEOPLE} WHERE scheme = ? AND unit = ? AND role = ?", key), None)
        row = {**(old or {}), "scheme": scheme.id, "unit": unit_name, "role": role, **values,
               "updated_by": store.user, "updated_at": now()}
        if not row.get("name"):
            raise KaoheError(t("roster_needs_name", role=role))
        db[PEOPLE].upsert(row, pk=("scheme", "unit", "role"))
        store.audit("roster", scheme=scheme.id, unit=unit_name, old=old and {k: old[k] for k in FIELDS.values()},
                    new={"role": role, **{k: row.get(k) for k in FIELDS.values()}}, reason=reason or f"名单：{role}")
    return unit_name


def year_scheme(store: Store, scheme: Scheme, year: int) -> Scheme:
    """The scheme as it stands for ``year``: an office year has its own units."""
    return scheme_for_period(store, scheme, Period(int(year), "year", 0))


def set_form(store: Store, scheme: Scheme, unit: str, year: int, received_on: str, stamped: bool = True,
             fax: str = "", reason: str = "") -> str:
    """The form as received for ``year``: its date (faxed), whether it bears the unit's stamp.
    The unit is one of that year's."""
    scheme = year_scheme(store, scheme, year)
    unit_name = _unit(store, scheme, unit)
    authorize(store, "record", scheme.id, unit_name)
    day = parse_date(str(received_on), "received_on")
    fax = clean_text(fax, "传真", limit=40)
    if fax and not _PHONE.fullmatch(fax):
        raise KaoheError(t("roster_not_fax", text=fax))
    key = (scheme.id, unit_name, int(year))
    with store.transaction() as db:
        _refuse_closed_year(db.conn, scheme.id, int(year))
        old = next(db.query(f"SELECT * FROM {FORMS} WHERE scheme = ? AND unit = ? AND year = ?", key), None)
        row = {"scheme": scheme.id, "unit": unit_name, "year": int(year), "received_on": day.isoformat(),
               "stamped": int(bool(stamped)), "fax": fax, "updated_by": store.user, "updated_at": now()}
        db[FORMS].upsert(row, pk=("scheme", "unit", "year"))
        store.audit("roster-form", scheme=scheme.id, unit=unit_name,
                    old=old and {k: old[k] for k in ("received_on", "stamped", "fax")},
                    new={k: row[k] for k in ("year", "received_on", "stamped", "fax")}, reason=reason or "名单报送表")
    return unit_name


def _refuse_closed_year(conn, scheme_id: str, year: int) -> None:
    """The form of ``year`` is an input of that year's periods ending on or after its due date
    (``roster_missing``): none of them may be closed (read under the write lock)."""
    due = f"{year}-{due_date(year).month:02d}"
    for month, period in sorted(closed_months(conn, scheme_id).items()):
        if month.startswith(f"{year}-") and month >= due:
            raise KaoheError(t("roster_year_closed", year=year, period=period))


def list_roster(store: Store, scheme: Scheme, year: int, unit: str | None = None) -> list[dict]:
    """Every category-2/3 unit of ``year`` (or just ``unit``, its listed name) with its form for
    ``year`` (None if not received) and its people by role, keyed by the form's field names."""
    return _roster_of(store, year_scheme(store, scheme, year), year, unit)


def _roster_of(store: Store, scheme: Scheme, year: int, unit: str | None) -> list[dict]:
    """``list_roster`` with ``scheme`` already the year's."""
    where, args = ("scheme = ?", [scheme.id]) if unit is None else ("scheme = ? AND unit = ?", [scheme.id, unit])
    people: dict[str, dict] = {}
    for r in store.db.query(f"SELECT * FROM {PEOPLE} WHERE {where}", args):
        people.setdefault(r["unit"], {})[r["role"]] = {label: r[col] or "" for label, col in FIELDS.items()}
    forms = {r["unit"]: r
             for r in store.db.query(f"SELECT * FROM {FORMS} WHERE {where} AND year = ?", [*args, int(year)])}
    out = []
    for u in load_units(store, scheme):
        category = scheme.category(u.category)
        if category is None or category.name not in CATEGORIES or (unit is not None and u.name != unit):
            continue
        form = forms.get(u.name)
        out.append({"unit": u.name, "category": category.name,
                    "form": form and {"received_on": form["received_on"], "stamped": bool(form["stamped"]),
                                      "fax": form["fax"] or ""},
                    "people": people.get(u.name, {})})
    return out


def due_date(year: int, due: str = "04-05") -> dt.date:
    month, day = (int(x) for x in due.split("-"))
    return dt.date(year, month, day)


def problems(entry: dict, due: dt.date, roles: tuple[str, ...] = ROLES) -> list[str]:
    """What is wrong with one unit's roster (a ``list_roster`` row) against the deadline."""
    form = entry["form"]
    if form is None:
        return ["未报送"]
    found = []
    received = dt.date.fromisoformat(form["received_on"])
    if received > due:
        found.append(f"{received}报送，逾期")
    missing = [r for r in roles if not entry["people"].get(r, {}).get("姓名")]
    if missing:
        found.append(f"缺{'、'.join(missing)}")
    if not form["stamped"]:
        found.append("未加盖公章")
    return found


def roster_missing(rule: Consequence, scorer: Scorer, period: Period, result: UnitResult) -> str | None:
    """Consequence type: once ``params.due`` (MM-DD, inclusive) has passed within the period
    scored, a unit without a complete, stamped roster received by then is flagged."""
    due = due_date(period.year, str(rule.params.get("due", "04-05")))
    if period.end < due:
        return None
    roles = tuple(rule.params.get("roles", ROLES))
    rows = _roster_of(scorer.store, scorer.scheme, period.year, result.unit)  # scored with the period's scheme
    found = problems(rows[0], due, roles) if rows else []
    return f"{rule.flag}（{'；'.join(found)}）" if found else None
