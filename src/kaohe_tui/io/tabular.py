"""Reading and writing the spreadsheets offices use: CSV in UTF-8 (with or without BOM) or GBK,
and xlsx. Rows come back numbered as a spreadsheet shows them (the header is row 1)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from kaohe_tui.errors import KaoheError

ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK: what Excel on Chinese Windows writes


def decode(raw: bytes, path: Path) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KaoheError(f"{path}: not UTF-8 or GBK text; save it as CSV UTF-8 or as xlsx")


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and numbered rows (row 2 is the first data row) of a CSV or xlsx file."""
    path = Path(path)
    if not path.exists():
        raise KaoheError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix not in (".csv", ".txt", ""):
        raise KaoheError(f"{path}: unsupported file type {suffix!r}; use .csv or .xlsx")
    text = decode(path.read_bytes(), path)
    if not text.strip():
        raise KaoheError(f"{path}: the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise KaoheError(f"{path}: row {number}: {len(values)} cells but the header has {len(header)}")
            yield number, dict(zip(header, (v.strip() for v in values)))

    return header, rows()


def _read_xlsx(path: Path):
    import openpyxl  # heavy: only when an xlsx is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise KaoheError(f"{path}: not a readable xlsx workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None:
        raise KaoheError(f"{path}: the first sheet is empty")
    header = ["" if h is None else str(h).strip() for h in first]

    def rows():
        for number, row in enumerate(values, start=2):
            cells = ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)).strip() for v in row]
            if not any(cells):
                continue
            yield number, dict(zip(header, cells))
        book.close()

    return header, rows()


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
