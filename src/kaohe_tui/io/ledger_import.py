"""Importing ledger rows (CSV or xlsx) with the DESIGN.md columns, Chinese or English headers.

All or nothing by default: one bad row and nothing is written, every bad row reported with file,
row, column and reason. With ``skip_invalid`` the good rows go in and the rejected ones are
written, with their reasons, to a file beside the input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kaohe_tui.closed import closed_months, refuse_if_closed
from kaohe_tui.errors import KaoheError
from kaohe_tui.io.tabular import FORMULA_START, find_columns, read_rows, write_csv
from kaohe_tui.ledger import Draft, check_record, insert_many
from kaohe_tui.messages import FIELDS, t
from kaohe_tui.periods import Period
from kaohe_tui.row_errors import RowError
from kaohe_tui.scheme import Scheme
from kaohe_tui.scheme_years import for_period, office_rows
from kaohe_tui.store import Store
from kaohe_tui.units import UnitIndex, load_units

COLUMNS: dict[str, tuple[str, ...]] = {  # field → accepted headers
    "unit": ("unit", "单位"),
    "indicator": ("indicator", "指标"),
    "clause": ("clause", "条款"),
    "count": ("count", "次数"),
    "amount": ("amount", "分值"),
    "value": ("value", "数值"),
    "period": ("period", "期间"),
    "date": ("date", "日期"),
    "reason": ("reason", "事由"),
    "attrs": ("attrs", "附加"),  # key=value; key2=value2 (e.g. 未安装客户端=1, 问题=…)
    "status": ("status", "状态"),  # in kaohe's own ledger export: withdrawn rows are not re-imported
}
WITHDRAWN = ("已撤回", "withdrawn")
REQUIRED = ("unit", "indicator", "reason")
DEDUP_FIELDS = ("unit", "indicator", "clause", "count", "amount", "value", "period", "date", "reason", "attrs")


@dataclass
class ImportReport:
    path: Path
    imported: int = 0
    rejected: list[RowError] = field(default_factory=list)
    rejects_file: Path | None = None


def map_header(header: list[str], path: Path) -> dict[str, str]:
    """field → the header the file uses for it."""
    return {fld: header[i] for fld, i in find_columns(header, COLUMNS, REQUIRED, path).items()}


def import_ledger(store: Store, scheme: Scheme, path: Path, period: str | None = None,
                  skip_invalid: bool = False, progress: Callable[[int], None] | None = None,
                  supersede: bool = False) -> ImportReport:
    """``supersede``: a row may replace the figure a one-figure input already has (inputs.py)."""
    from kaohe_tui.inputs import check_import_figures
    from kaohe_tui.rights import authorize_in_write

    path = Path(path)
    header, rows = read_rows(path)
    mapping = map_header(header, path)
    index = UnitIndex(load_units(store, scheme))
    report = ImportReport(path)
    good: list[dict] = []
    numbers: list[int] = []  # each good row's row number
    bad_rows: list[tuple[int, dict, str]] = []
    seen = existing_keys(store, scheme)
    memo: dict = {}
    for number, row in rows:
        values = {fld: unguard(row.get(col, "")) for fld, col in mapping.items()}
        if values.get("status") in WITHDRAWN:
            continue
        try:
            row_period = values.get("period") or period
            if not row_period:
                raise KaoheError(t("no_period_column"))
            draft = Draft(unit=values["unit"], indicator=values["indicator"], reason=values["reason"],
                          period=row_period, clause=values.get("clause") or None,
                          count=values.get("count"), amount=values.get("amount"), value=values.get("value"),
                          date=values.get("date") or None, attrs=parse_attrs(values.get("attrs", "")))
            checked = check_record(store, scheme, draft, index, memo)
            key = dedup_key(checked)
            if key in seen:
                raise KaoheError(t("duplicate_row", where=seen[key]))
            seen[key] = t("where_row", row=number)
            good.append(checked)
            numbers.append(number)
        except KaoheError as exc:
            report.rejected.append(RowError(path, number, exc, _column_of(str(exc), mapping)))
            bad_rows.append((number, row, str(exc)))
        if progress and number % 1000 == 0:
            progress(number)
    if report.rejected and not skip_invalid:
        return report  # nothing written
    with store.transaction() as db:
        refuse_closed_rows(db.conn, scheme.id, good, numbers, path)
        for unit, indicator, year in sorted({(r["unit"], r["indicator"], r["period"][:4]) for r in good}):
            authorize_in_write(store, db, scheme, "record", unit, indicator, year)  # rights now, under the lock
        replacing = check_import_figures(db, scheme, good, numbers, path, supersede)  # under the write lock
        first, last = insert_many(store, db, good, source=f"import:{path.name}")
        new = {"file": str(path), "records": len(good), "ids": [first, last], "rejected": len(bad_rows)}
        if replacing:  # which new record replaced which figure
            new["superseded"] = {first + i: what for i, what in replacing.items()}
        store.audit("import", scheme=scheme.id, new=new, reason=f"import {path.name}")
    report.imported = len(good)
    if bad_rows:
        from kaohe_tui.io.safe_files import protected_paths, writing

        # never over anything: a file already there (or planted) leaves this one a fresh name
        with writing(path.with_name(path.stem + ".rejected.csv"), unique=True,
                     protect=protected_paths(store.path)) as slot:
            write_csv(slot.path, ["行号", *header, "原因"],
                      [[n, *[r.get(h, "") for h in header], why] for n, r, why in bad_rows])
        report.rejects_file = slot.final
    return report


def for_ledger_file(store: Store, scheme: Scheme, path) -> Scheme:
    """A ledger file whose rows all lie in one office year is checked against that year's
    scheme (read twice only when the scheme has office years)."""
    if not any(r["kind"] == "office" for r in office_rows(store, scheme.id).values()):
        return scheme
    from kaohe_tui.io.tabular import read_rows

    header, rows = read_rows(path)
    column = map_header(header, path).get("period")
    years = {str(row.get(column) or "").strip()[:4] for _, row in rows} if column else set()
    if len(years) == 1 and (year := years.pop()).isdigit():
        return for_period(store, scheme, Period(int(year), "year", 0))
    return scheme


def refuse_closed_rows(conn, scheme_id: str, rows: list[dict], numbers: list[int], path: Path) -> None:
    """The rows were checked before the write lock was taken: a period closed since then refuses
    the whole import (read again here, under the lock, where no close can slip in)."""
    frozen = closed_months(conn, scheme_id)
    if not frozen:
        return
    for number, row in zip(numbers, rows, strict=False):
        try:
            refuse_if_closed(conn, scheme_id, row["period"], row["date"], frozen)
        except KaoheError as exc:
            raise KaoheError(t("row_error", file=path, row=number,
                               reason=t("row_closed_meanwhile", error=exc))) from None


def parse_attrs(text: str) -> dict:
    attrs = {}
    for part in (text or "").replace("；", ";").split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise KaoheError(t("file_attrs_format", part=part.strip()))
        attrs[key.strip()] = value.strip()
    return attrs


def format_attrs(attrs: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in attrs.items())


def unguard(text: str) -> str:
    """Undo the apostrophe an export puts before text Excel would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def dedup_key(row: dict) -> tuple:
    return tuple(str(row.get(f)) if row.get(f) is not None else "" for f in DEDUP_FIELDS)


def existing_keys(store: Store, scheme: Scheme) -> dict[tuple, str]:
    rows = store.db.query("SELECT * FROM records WHERE scheme = ? AND withdrawn_at IS NULL", [scheme.id])
    return {dedup_key(r): t("where_record", id=r["id"]) for r in rows}


def _column_of(message: str, mapping: dict[str, str]) -> str | None:
    head = message.replace("：", ":", 1).split(":", 1)[0].strip()
    field = next((f for f, name in FIELDS.items() if name == head), head)  # the catalogue names fields in Chinese
    return mapping.get(field)
