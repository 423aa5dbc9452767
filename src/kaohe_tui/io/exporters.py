"""Exporting results: xlsx (a ranking sheet, numbers as numbers, widths fitted to Chinese text,
A4 printing), CSV (UTF-8 with BOM so Excel/WPS read Chinese, or GBK), JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.io.tabular import safe_cell, write_csv
from kaohe_tui.messages import t
from kaohe_tui.names import display_width
from kaohe_tui.scheme import Scheme
from kaohe_tui.scoring import PROVISIONAL_MARK, UnitResult, provisional


@dataclass
class Exporter:
    """``write_results(scheme, period_label, results, path)``; the label says when a period is
    closed (signed off), so a printed sheet shows it."""

    name: str
    suffix: str
    write_results: Callable[[Scheme, str, list[UnitResult], Path], None]


@dataclass
class UnitSheet:
    """A unit's score sheet: title lines, a header, rows (numbers stay numbers), signature lines."""

    name: str  # the worksheet's name (the unit)
    title: list[str]
    header: list[str]
    rows: list[list]
    signatures: list[str]
    highlight: list[int] | None = None  # row indexes to mark (e.g. a large self/assessed gap)


def add_unit_sheets(path: Path, sheets: list[UnitSheet]) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    mark = PatternFill("solid", fgColor="FFF2CC")
    book = openpyxl.load_workbook(path)
    used = set(book.sheetnames)
    for unit_sheet in sheets:
        name = _sheet_name(unit_sheet.name, used)
        sheet = book.create_sheet(name)
        for line in unit_sheet.title:
            sheet.append([line])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12 if sheet.max_row > 1 else 14)
        first = sheet.max_row + 1
        sheet.append(unit_sheet.header)
        for row in unit_sheet.rows:
            sheet.append([safe_cell(v) for v in row])
        for r in range(first, sheet.max_row + 1):
            for c in range(1, len(unit_sheet.header) + 1):
                cell = sheet.cell(r, c)
                cell.border = box
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if r == first:
                    cell.font = Font(bold=True)
                elif unit_sheet.highlight and (r - first - 1) in unit_sheet.highlight:
                    cell.fill = mark
        sheet.append([])
        for line in unit_sheet.signatures:
            sheet.append([line])
        fit_columns(sheet, [unit_sheet.header, *unit_sheet.rows])
        for column in ("E", "G"):  # reasons wrap rather than run off the page
            if sheet.column_dimensions[column].width > 40:
                sheet.column_dimensions[column].width = 40
        a4(sheet)
        sheet.page_setup.orientation = "portrait"
        sheet.print_title_rows = f"{first}:{first}"
    book.save(path)


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "单位"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:26]}_{n}", n + 1
    used.add(candidate)
    return candidate


def results_grid(scheme: Scheme, results: list[UnitResult]) -> tuple[list[str], list[list]]:
    from kaohe_tui.columns import score_columns

    columns = score_columns(scheme, results)
    categories = any(r.category for r in results)  # a scheme without categories gets no empty column
    header = ["排名", "单位", *(["类别"] if categories else []), *[c.title for c in columns], "总分", "标记"]
    rows = []
    for r in results:
        rows.append([r.rank if r.rank is not None else "—", r.unit, *([r.category or ""] if categories else []),
                     *[c.value(r) for c in columns], r.total, "；".join(r.flags)])
    return header, rows


def write_json(scheme: Scheme, period: str, results: list[UnitResult], path: Path) -> None:
    payload = {"scheme": scheme.id, "title": scheme.title, "period": period.split("（")[0],
               "closed": "已签发关闭" in period, "provisional": PROVISIONAL_MARK in period,
               "results": [r.as_json() | {"explanation": [i.as_dict() for i in r.indicators]} for r in results]}
    Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")


def csv_writer(encoding: str) -> Callable:
    def write(scheme: Scheme, period: str, results: list[UnitResult], path: Path) -> None:
        header, rows = results_grid(scheme, results)
        write_csv(Path(path), header, rows, encoding=encoding)  # a character GBK lacks: export_results says so
    return write


def write_xlsx(scheme: Scheme, period: str, results: list[UnitResult], path: Path) -> None:
    import openpyxl  # heavy: imported only when exporting

    book = openpyxl.Workbook()
    groups: dict = {}
    for r in results:
        groups.setdefault(r.category, []).append(r)
    # categories with their own indicators and ranking get a sheet each (no columns of the other's)
    split = len(groups) > 1 and any(c.indicators for c in scheme.categories)
    for i, (category, members) in enumerate(groups.items() if split else [(None, results)]):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = _sheet_name(f"排名（{category}）", set(book.sheetnames) - {sheet.title}) if split else "排名"
        _ranking_sheet(sheet, scheme, period + (f" · {category}" if split else ""), members)
    book.save(path)


def _ranking_sheet(sheet, scheme: Scheme, period: str, results: list[UnitResult]) -> None:
    from openpyxl.styles import Alignment, Font

    header, rows = results_grid(scheme, results)
    sheet.append([f"{scheme.title} · {period}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    box(sheet, 2, sheet.max_row, len(header))  # a grid that prints: no numbers floating on the page
    fit_columns(sheet, [header, *rows])
    sheet.freeze_panes = "C3"
    a4(sheet)
    sheet.print_title_rows = "2:2"


def box(sheet, first_row: int, last_row: int, columns: int) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    for r in range(first_row, last_row + 1):
        for c in range(1, columns + 1):
            sheet.cell(r, c).border = Border(left=thin, right=thin, top=thin, bottom=thin)


def fit_columns(sheet, rows: list[list]) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in rows:
        for i, value in enumerate(row, start=1):
            text = "" if value is None else str(value)
            widths[i] = max(widths.get(i, 0), display_width(text))
    for i, width in widths.items():
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(6, width + 2))


def a4(sheet) -> None:
    sheet.page_setup.paperSize = "9"  # A4 (openpyxl: Worksheet.PAPERSIZE_A4)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


BUILTIN = [
    Exporter("xlsx", ".xlsx", write_xlsx),
    Exporter("csv", ".csv", csv_writer("utf-8-sig")),
    Exporter("csv-gbk", ".csv", csv_writer("gbk")),
    Exporter("json", ".json", write_json),
]


def exporters() -> dict[str, Exporter]:
    from kaohe_tui import plugins

    found = {e.name: e for e in BUILTIN}
    for extra in plugins.call("kaohe_export_formats"):
        for exporter in extra:
            found[exporter.name] = exporter
    return found


def period_label(store, scheme: Scheme, period) -> str:
    from kaohe_tui.period_records import period_status

    status = period_status(store, scheme.id, period)
    if status is None:
        return str(period)
    return f"{period}（已签发关闭：{status['changed_by']} {status['changed_at'][:10]}）"


def export_results(store, scheme: Scheme, period, fmt: str, path: Path, results: list[UnitResult] | None = None,
                   force: bool = False) -> Path:
    """Score (unless given results) and write ``path`` whole or not at all; an existing file is
    replaced only with ``force``, the database never (see ``safe_files``)."""
    from kaohe_tui.io.safe_files import check_target, protected_paths, writing
    from kaohe_tui.scoring import score

    known = exporters()
    if fmt not in known:
        raise KaoheError(t("export_format", fmt=fmt, known="、".join(known)))
    path = Path(path)
    protect = protected_paths(store.path)
    check_target(path, force=force, protect=protect)  # before scoring: a refusal costs nothing
    results = results if results is not None else score(store, scheme, period)
    label = period_label(store, scheme, period)
    if provisional(results):  # every sheet's title says it, the plugins' unit sheets too
        label += f"（{PROVISIONAL_MARK}）"
    try:
        with writing(path, force=force, protect=protect) as slot:
            known[fmt].write_results(scheme, label, results, slot.path)  # the slot keeps the suffix openpyxl wants
            if fmt == "xlsx":
                from kaohe_tui import plugins

                sheets = [s for found in plugins.call("kaohe_unit_sheets", store=store, scheme=scheme, period=label,
                                                      results=results) for s in found]
                if sheets:
                    add_unit_sheets(slot.path, sheets)
    except UnicodeEncodeError as exc:  # named by the file asked for (the slot is a temporary name)
        raise KaoheError(t("export_not_encodable", path=path, text=exc.object[exc.start:exc.end],
                           encoding=exc.encoding.upper(), instead="csv")) from None
    return path
