"""Reading and writing the spreadsheets offices use: CSV in UTF-8 (with or without BOM) or GBK,
and xlsx. Rows come back numbered as a spreadsheet shows them (the header is row 1)."""

from __future__ import annotations

import codecs
import csv
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


def sniff_encoding(path: Path, probe: int = 1 << 20) -> str:
    """UTF-8 (with or without BOM) or GB18030, judged from the first megabyte; a file that turns
    out otherwise later is reported when it is read."""
    with open(path, "rb") as fh:
        head = fh.read(probe)
    if not head.strip():
        raise KaoheError(f"{path}: the file is empty")
    for encoding in ENCODINGS:
        try:
            # incremental: a character cut in half at the end of the probe is not an error
            codecs.getincrementaldecoder(encoding)().decode(head, final=len(head) < probe)
            return encoding
        except UnicodeDecodeError:
            continue
    raise KaoheError(f"{path}: not UTF-8 or GBK text; save it as CSV UTF-8 or as xlsx")


def open_csv(path: Path):
    """The CSV file opened for streaming in its own encoding."""
    return open(path, encoding=sniff_encoding(path), newline="", errors="strict")


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and numbered rows (row 2 is the first data row) of a CSV or xlsx file."""
    header, rows = read_table(path)
    return header, ((number, dict(zip(header, values))) for number, values in rows)


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and numbered rows as lists of stripped cells (the fast path for big files)."""
    path = Path(path)
    if not path.exists():
        raise KaoheError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix not in (".csv", ".txt", ""):
        raise KaoheError(f"{path}: unsupported file type {suffix!r}; use .csv or .xlsx")
    fh = open_csv(path)
    reader = csv.reader(fh)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, UnicodeDecodeError):
        fh.close()
        raise KaoheError(f"{path}: no header row, or not UTF-8/GBK text") from None
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for number, values in enumerate(reader, start=2):
                if len(values) != width:
                    if not any(v.strip() for v in values):
                        continue
                    if len(values) > width:
                        raise KaoheError(f"{path}: row {number}: {len(values)} cells but the header has {width}")
                    values = values + [""] * (width - len(values))
                yield number, [v.strip() for v in values]
        except UnicodeDecodeError:
            raise KaoheError(f"{path}: after row {number}: not UTF-8/GBK text (mixed encodings?)") from None
        except csv.Error as exc:
            raise KaoheError(f"{path}: row {number + 1}: {exc}") from None
        finally:
            fh.close()

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
            cells = [_cell_text(v) for v in row][:len(header)]
            if not any(cells):
                continue
            yield number, cells + [""] * (len(header) - len(cells))
        book.close()

    return header, rows()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):  # a date or date-time cell
        text = value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
        return text[:10] if text.endswith(" 00:00:00") else text
    return str(value).strip()


def find_columns(header: list[str], columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
                 path: Path) -> dict[str, int]:
    """field → index of the column that holds it, by any of its accepted names (Chinese or
    English, compared after NFKC, case-insensitively); a missing required column is an error."""
    from kaohe_tui.names import norm

    by_key = {norm(h).lower(): i for i, h in enumerate(header) if h}
    found = {}
    for fld, names in columns.items():
        for name in names:
            if norm(name).lower() in by_key:
                found[fld] = by_key[norm(name).lower()]
                break
    missing = [f"{f}/{columns[f][1]}" for f in required if f not in found]
    if missing:
        raise KaoheError(f"{path}: missing column(s) {', '.join(missing)} (header: {', '.join(header)})")
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
