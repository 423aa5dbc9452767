"""A refused row of an input file, kept as data: file, row, column and reason. It is also the
very line a user reads (``{file}：第{row}行[，「{column}」列]：{reason}``, from the catalogue), so every place that
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

    def __new__(cls, file: str | Path, row: int | None, reason: object, column: str | None = None) -> RowError:
        key = "file_error" if row is None else "row_error_column" if column else "row_error"
        text = t(key, file=file, row=row, column=column, reason=reason)
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
        more = [t("more_problems", n=len(self.rejected) - shown)] if len(self.rejected) > shown else []
        super().__init__("\n".join([*self.rejected[:shown], *more, summary]))
