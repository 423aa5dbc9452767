"""What a case import reports (``CaseImport``) and the scheme facts both import paths use: the
months its periods cover and the note for a file without deadlines. Its own module because the
careful path (``case_import``) hands files to the bulk path (``case_bulk``) and both fill the
report: neither imports the other back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kaohe_tui.case_classes import DEADLINE_STATS
from kaohe_tui.periods import Period
from kaohe_tui.row_errors import RowError
from kaohe_tui.scheme import Scheme


@dataclass
class CaseImport:
    path: Path
    imported: int = 0  # new cases
    rejected: list[RowError] = field(default_factory=list)
    updated: int = 0  # cases of earlier imports changed by this file (a later export)
    unchanged: int = 0  # cases of earlier imports this file repeats as they were
    ignored: list[str] = field(default_factory=list)  # the file's columns no field uses
    profile: str = "default"
    notes: list[str] = field(default_factory=list)  # what the user must know (no deadline column …)
    rejects_file: Path | None = None  # --skip-invalid: the refused rows, beside the file


def scheme_months(scheme: Scheme) -> set[str] | None:
    """The months (``YYYY-MM``) of the scheme's periods: a case outside them would score nowhere."""
    if not scheme.periods:
        return None
    return {str(month) for text in scheme.periods for month in Period.parse(text).months()}


def untimed_note(scheme: Scheme) -> str:
    uses = [f.indicator for f in scheme.case_feeds
            if {*f.clauses.values(), f.value} & set(DEADLINE_STATS)]
    where = f"（{'、'.join(dict.fromkeys(uses))}）" if uses else ""
    return (f"文件没有处置时限列：其案件不能计算按期结案率与红灯{where}，这些指标不由它们计分，评分时标明；"
            "若有时限列，用 --map '列名=deadline' 指定")
