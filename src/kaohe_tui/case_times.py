"""Case-file times as platforms write them → ``YYYY-MM-DD HH:MM:SS`` (text that compares as time).

Forms seen in real exports (see PLATFORM-LAYOUTS.md): ``2019-04-25 09:32:09``, ``2019/4/25 9:32``,
``2019.04.25 09:32``, ``2019/04/25 09:32:09.123``, ``2019-04-25T09:32:09.123+08:00`` (kept in
China time), ``20220614130023``, ``2019年4月25日 9时32分``, ``04/25/2019 09:32:09 AM``, a date
alone, an Excel serial number (43580.4) from a sheet whose time cells lost their format; a
profile may add strptime forms. A date alone is the start of that day, except for a deadline,
which ends with that day (``end_of_day``). Fractions of a second are dropped.
"""

from __future__ import annotations

import datetime as dt
import re

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

CHINA = dt.timezone(dt.timedelta(hours=8))
_NUMERIC = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d{1,6})?)?)?")
_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[时:点](?:(\d{1,2})分?(?:(\d{1,2})秒?)?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])")
_SERIAL = re.compile(r"[2-7]\d{4}(?:\.\d+)?")  # 1954–2119 as Excel counts days
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_time(raw: str, column: str, *, required: bool = False, end_of_day: bool = False,
               forms: tuple[str, ...] = ()) -> str | None:
    if not raw:
        if required:
            raise KaoheError(t("case_time_empty", column=column))
        return None
    if len(raw) == 19 and raw[10] == " " and raw[13] == ":" == raw[16] and raw[4] == raw[7] == "-":
        try:  # kaohe's own form, the common case: C checks the calendar
            dt.datetime.fromisoformat(raw)
            return raw
        except ValueError:
            pass
    value, dated_only = _parse(raw, forms)
    if value is None:
        raise KaoheError(t("not_a_datetime", column=column, raw=raw))
    if dated_only and end_of_day:
        value = value.replace(hour=23, minute=59, second=59)
    return value.replace(microsecond=0).isoformat(sep=" ")


def _parse(raw: str, forms: tuple[str, ...]) -> tuple[dt.datetime | None, bool]:
    """(the time, whether only a date was written); (None, _) when no form fits or no such day."""
    try:
        for pattern in (_NUMERIC, _CHINESE, _COMPACT):
            match = pattern.fullmatch(raw)
            if match:
                y, mo, d, h, mi, s = match.groups()
                return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0)), h is None
        match = _US.fullmatch(raw)
        if match:
            mo, d, y, h, mi, s, half = match.groups()
            hour = int(h)
            if not 1 <= hour <= 12:
                return None, False
            hour = hour % 12 + (12 if half.lower() == "pm" else 0)
            return dt.datetime(int(y), int(mo), int(d), hour, int(mi), int(s or 0)), False
        if _SERIAL.fullmatch(raw):
            value = _EXCEL_EPOCH + dt.timedelta(days=float(raw))
            return value + dt.timedelta(microseconds=500_000) if value.microsecond >= 500_000 else value, "." not in raw
    except (ValueError, OverflowError):
        return None, False
    try:
        value = dt.datetime.fromisoformat(raw)  # T, a zone: kept in China time
        if value.tzinfo is not None:
            value = value.astimezone(CHINA).replace(tzinfo=None)
        return value, len(raw) == 10
    except ValueError:
        pass
    for form in forms:
        try:
            value = dt.datetime.strptime(raw, form)
            return value, not any(c in form for c in "HIMS")
        except ValueError:
            continue
    return None, False
