"""Importing the leader/liaison roster (附件2) from a spreadsheet: one row per unit and role,
with the form's columns (单位, 角色, 姓名, 职务, 手机, 办公电话, QQ; optional 报送日期, 盖章).
All or nothing: every bad row is named, and then no row is kept."""

from __future__ import annotations

from pathlib import Path

from kaohe_tui.api import Importer, KaoheError, RowError, RowsRejected, norm, parse_date, read_rows, t

from .roster import FIELDS, set_form, set_person, year_scheme

UNIT, ROLE, RECEIVED, STAMPED = "单位", "角色", "报送日期", "盖章"


def looks_like_roster(header: list[str]) -> bool:
    keys = {norm(h) for h in header}
    return {UNIT, ROLE, "姓名"} <= keys


def import_roster(store, scheme, path: Path) -> str:
    header, rows = read_rows(Path(path))
    missing = [c for c in (UNIT, ROLE, "姓名") if c not in header]
    if missing:
        raise KaoheError(t("roster_missing_columns", path=path, columns="、".join(missing)))
    errors: list[RowError] = []
    people = forms = 0
    with store.transaction():
        for number, row in rows:
            try:
                fields = {name: row[name] for name in FIELDS if row.get(name)}
                # a form's date names its year: the unit is one of that year's (an office year's own)
                year = parse_date(row[RECEIVED], RECEIVED).year if row.get(RECEIVED) else None
                dated = year_scheme(store, scheme, year) if year else scheme
                set_person(store, dated, row[UNIT], row[ROLE], reason=f"导入名单 {Path(path).name}", **fields)
                people += 1
                if year is not None:
                    stamped = norm(row.get(STAMPED, "是")) not in ("否", "无", "no", "0")
                    set_form(store, dated, row[UNIT], year, row[RECEIVED], stamped=stamped,
                             reason=f"导入名单 {Path(path).name}")
                    forms += 1
            except (KaoheError, ValueError) as exc:
                errors.append(RowError(path, number, exc))
        if errors:
            raise RowsRejected(errors, t("roster_rejected", path=path, n=len(errors)), shown=50)
    return t("roster_imported", people=people, forms=forms)


IMPORTER = Importer(kind="roster", title="分管领导及联络员名单（附件2）", run=import_roster, detect=looks_like_roster,
                    schemes=("district-categories",))
