"""Reading and writing the spreadsheets offices use: CSV in UTF-8 (with or without BOM) or GBK,
xlsx, and .xls/.ods (python-calamine). Rows come back numbered as a spreadsheet shows them (the
header is row 1, or the row it was found on below title rows)."""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK: what Excel on Chinese Windows writes


def decode(raw: bytes, path: Path) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KaoheError(t("file_not_text", path=path))


def sniff_encoding(path: Path, probe: int = 1 << 20) -> str:
    """UTF-8 (with or without BOM) or GB18030, judged from the first megabyte; a file that turns
    out otherwise later is reported when it is read."""
    with open(path, "rb") as fh:
        head = fh.read(probe)
    if not head.strip():
        raise KaoheError(t("file_empty", path=path))
    for encoding in ENCODINGS:
        try:
            # incremental: a character cut in half at the end of the probe is not an error
            codecs.getincrementaldecoder(encoding)().decode(head, final=len(head) < probe)
            return encoding
        except UnicodeDecodeError:
            continue
    raise KaoheError(t("file_not_text", path=path))


def open_csv(path: Path):
    """The CSV file opened for streaming in its own encoding."""
    return open(path, encoding=sniff_encoding(path), newline="", errors="strict")


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and numbered rows (row 2 is the first data row) of a CSV or xlsx file."""
    header, rows = read_table(path)
    return header, ((number, dict(zip(header, values, strict=False))) for number, values in rows)


HEADER_SCAN = 30  # rows searched for the header below a sheet's title rows
# a CSV cell may be large (a platform's 问题描述, 10 MB seen): Python's default limit (128 KiB) refused
# a case file the bulk path took; beyond 16 MB a cell is a broken file, said with its row
csv.field_size_limit(16 << 20)


def read_table(path: Path, known: Callable[[str], bool] | None = None
               ) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and numbered rows as lists of stripped cells (the fast path for big files).
    ``known``: a test for header names; with it the header is looked for below title rows (a
    评分表's caption, an export's "导出时间" line) and a two-row header (merged group cells above
    the column names) is read as one."""
    path = Path(path)
    if not path.exists():
        raise KaoheError(t("file_missing", path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        numbered = _xlsx_rows(path)
    elif suffix in (".xls", ".ods"):
        numbered = _calamine_rows(path)
    elif suffix in (".csv", ".txt", ""):
        numbered = _csv_rows(path)
    else:
        raise KaoheError(t("file_type_unknown", path=path, suffix=suffix))
    head: list[tuple[int, list[str]]] = []
    for number, cells in numbered:
        head.append((number, cells))
        if known is None or len(head) >= HEADER_SCAN:
            break
    if not head:
        raise KaoheError(t("file_no_header", path=path))
    at, header = find_header([cells for _, cells in head], known) if known else (1, head[0][1])
    header = [h.strip() for h in header]
    while header and not header[-1]:
        header.pop()  # empty trailing header cells: a sheet's formatting, not columns
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in itertools.chain(head[at:], numbered):
            if not any(v.strip() for v in values):
                continue  # a blank line, or a row of empty cells
            if len(values) != width:
                if len(values) > width:
                    if any(v.strip() for v in values[width:]):
                        raise KaoheError(t("row_error", file=path, row=number,
                                           reason=t("too_many_cells", cells=len(values), width=width)))
                    values = values[:width]  # empty trailing cells (a trailing comma): nothing dropped
                else:
                    values = values + [""] * (width - len(values))
            yield number, [v.strip() for v in values]

    return header, rows()


def find_header(rows: list[list[str]], known: Callable[[str], bool]) -> tuple[int, list[str]]:
    """(index of the first data row, header): the row naming most known columns, or two rows
    read as one where the second names columns under the first's merged group cells."""
    def score(row: list[str]) -> int:
        return sum(1 for c in row if c.strip() and known(c.strip()))

    best = (0, 1, rows[0])
    for i, row in enumerate(rows):
        candidates = [(score(row), i + 1, row)]
        if i + 1 < len(rows):
            below = rows[i + 1]
            # the row below names columns only where this one is blank or a group name
            if score(below) and all(j >= len(row) or not row[j].strip() or not known(row[j].strip())
                                    for j, c in enumerate(below) if c.strip()):
                merged = [b.strip() or a for a, b in itertools.zip_longest(row, below, fillvalue="")]
                candidates.append((score(merged), i + 2, merged))
        for candidate in candidates:
            if candidate[0] > best[0]:
                best = candidate
    return best[1], best[2]


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    fh = open_csv(path)
    reader = csv.reader(fh)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values
    except UnicodeDecodeError:
        raise KaoheError(t("mixed_encoding", file=path, row=number)) from None
    except csv.Error as exc:
        raise KaoheError(t("row_error", file=path, row=number + 1, reason=_csv_reason(exc))) from None
    finally:
        fh.close()


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # heavy: only when an xlsx is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        # the same sheet as written: a formula whose value was never computed (a file written by a
        # program, not saved by Excel/WPS) reads as empty above, and must not pass for a blank cell
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:
        raise KaoheError(t("file_unreadable", path=path, kind="xlsx", error=type(exc).__name__)) from None
    sheet, written = book.worksheets[0], formulas.worksheets[0]
    try:
        for number, (row, source) in enumerate(zip(sheet.iter_rows(values_only=True),
                                                   written.iter_rows(values_only=True), strict=False), start=1):
            for j, (value, raw) in enumerate(zip(row, source, strict=False)):
                if value is None and isinstance(raw, str) and raw.startswith("="):
                    raise KaoheError(t("row_error_column", file=path, row=number, column=_column_letter(j),
                                       reason=t("formula_no_value", formula=raw)))
            yield number, [_cell_text(v) for v in row]
    finally:
        book.close()
        formulas.close()


def _calamine_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """.xls (Excel 97–2003, what many platforms still export) and .ods, by python-calamine."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise KaoheError(t("file_unreadable", path=path, kind="", error=type(exc).__name__)) from None
    for number, row in enumerate(rows, start=1):
        yield number, [_cell_text(v) for v in row]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):  # a date or date-time cell
        text = value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
        return text[:10] if text.endswith(" 00:00:00") else text
    return str(value).strip()



def match_columns(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → index of the column that holds it, by the first of its accepted names the header
    has (Chinese or English, compared after NFKC, case-insensitively); a field without one is left out."""
    from kaohe_tui.names import norm

    by_key: dict[str, int] = {}
    for i, h in enumerate(header):
        if h:
            by_key[norm(h).lower()] = i  # a repeated header: the last one, as a dict of the row reads it
    found = {}
    for fld, names in columns.items():
        at = next((by_key[k] for k in (norm(n).lower() for n in names) if k in by_key), None)
        if at is not None:
            found[fld] = at
    return found


def header_names(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, str | None]:
    """field → the header the file uses for it (None: the file lacks the column)."""
    found = match_columns(header, columns)
    return {fld: header[found[fld]] if fld in found else None for fld in columns}


def find_columns(header: list[str], columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
                 path: Path) -> dict[str, int]:
    """``match_columns``; a missing required column is an error."""
    found = match_columns(header, columns)
    missing = [f"{f}/{columns[f][1]}" for f in required if f not in found]
    if missing:
        raise KaoheError(t("file_missing_columns", path=path, missing="、".join(missing), header="、".join(header)))
    return found


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that Excel/WPS would run as a formula is written with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8-sig") -> None:
    with open(path, "w", encoding=encoding, newline="", errors="strict") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's English, said in Chinese where it is the usual one: an oversized cell."""
    if "field larger than field limit" in str(exc):
        return t("cell_too_large", limit=csv.field_size_limit() // (1024 * 1024))
    return t("csv_error", error=exc)
