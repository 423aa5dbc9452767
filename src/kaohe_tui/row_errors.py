"""A refused row of an input file, kept as data: file, row, column and reason. It is also the
very line a user reads (``{file}：第{row}行[，{column}列]：{reason}``), so every place that
prints, writes or compares the messages as text keeps working, while a face that shows them in
columns (the TUI's list of refused rows) reads the fields instead of parsing the text."""

from __future__ import annotations

from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t


class RowError(str):
    file: str
    row: int | None
    column: str | None
    reason: str

    def __new__(cls, file: str | Path, row: int | None, reason: object, column: str | None = None) -> "RowError":
        where = t("row_column" if column else "row_where", row=row, column=column) if row is not None else ""
        text = t("row_error", file=file, where=where, reason=reason) if where else t("file_error", file=file, reason=reason)
        obj = super().__new__(cls, text)
        obj.file, obj.row, obj.column, obj.reason = str(file), row, column or None, str(reason)
        return obj

    def __reduce__(self):  # pickles (a worker process) as itself, not as a bare str
        return RowError, (self.file, self.row, self.reason, self.column)


class RowsRejected(KaoheError):
    """A file refused as a whole because of bad rows: nothing was written. ``str()`` is the text a
    user has always read (the first rows, then ``summary``); ``rejected`` holds every row."""

    def __init__(self, rejected: list[RowError], summary: str, shown: int = 20):
        self.rejected = list(rejected)
        self.summary = summary
        more = [f"… {len(self.rejected) - shown} more"] if len(self.rejected) > shown else []
        super().__init__("\n".join([*self.rejected[:shown], *more, summary]))
