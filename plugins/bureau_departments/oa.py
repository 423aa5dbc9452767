"""附件5《局OA办公系统考核附则》: classifying one signing event.

会议类通知 must be signed within 3 working hours, other documents within 8; a document still
unsigned 48 hours after it was sent counts as "OA client not installed" (未安装OA客户端), and
breaches by someone without the client are deducted twice (附件2 信息管理, clause ``oa``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kaohe_tui.api import Draft, KaoheError, add_record, scheme_for_period, t

if TYPE_CHECKING:
    from kaohe_tui.api import Scheme, Store

ON_TIME = "on-time"
LATE = "late"
NOT_INSTALLED = "not-installed"

MEETING = "meeting"  # 会议类通知
OTHER = "other"  # 其他类文件

DOUBLE_ATTR = "未安装客户端"  # the clause's double_when key in the scheme
INDICATOR, CLAUSE = "基础管理/信息管理", "oa"  # 附件2 信息管理: 流程不及时回复…有一例扣0.5分


@dataclass(frozen=True)
class OaLimits:
    """The limits of 附件5 第3条, as parameters."""

    meeting_hours: float = 3  # 所有会议类通知必须确保3小时（工作时间）内签收
    other_hours: float = 8  # 其他类文件不得超过8小时（工作时间）签收
    unsigned_hours: float = 48  # 文件接收者在48小时内未签收将被视为未安装OA客户端


def classify_signing(kind: str, hours: float, *, clock_hours: float | None = None,
                     limits: OaLimits = OaLimits()) -> str:
    """``on-time``, ``late`` or ``not-installed`` for one document sent to one person.

    ``hours``: working hours from sending to signing (so far, if still unsigned), compared with
    the 3/8 working-hour limits. ``clock_hours``: clock hours over the same span, compared with
    the 48 hours (附件5 does not call those working hours); defaults to ``hours``. Signed within
    the limits, or unsigned but still within them, is on time.
    """
    if kind not in (MEETING, OTHER):
        raise ValueError(t("oa_bad_kind", kind=kind, meeting=MEETING, other=OTHER))
    clock = hours if clock_hours is None else clock_hours
    if hours < 0 or clock < 0:
        raise ValueError(t("oa_negative_hours"))
    if clock > limits.unsigned_hours:
        return NOT_INSTALLED
    limit = limits.meeting_hours if kind == MEETING else limits.other_hours
    return LATE if hours > limit else ON_TIME


def oa_record(unit: str, kind: str, hours: float, *, period: str, reason: str,
              clock_hours: float | None = None, date: str | None = None,
              limits: OaLimits = OaLimits()) -> dict | None:
    """The ledger row (``kaohe record`` fields) a breach leads to, or None when signed on time.

    Whether a late signing "影响工作" enough to be deducted is the assessor's call: this only
    prepares the record."""
    status = classify_signing(kind, hours, clock_hours=clock_hours, limits=limits)
    if status == ON_TIME:
        return None
    row = {"unit": unit, "indicator": INDICATOR, "clause": CLAUSE, "count": 1, "period": period,
           "date": date, "reason": reason}
    if status == NOT_INSTALLED:
        row["attrs"] = {DOUBLE_ATTR: "1"}
    return row


def record_signing(store: Store, scheme: Scheme, unit: str, kind: str, hours: float, *, period: str,
                   reason: str, clock_hours: float | None = None, date: str | None = None,
                   source: str = "cli") -> tuple[str, int | None]:
    """One signing event: its status and the record it led to (None when on time, nothing
    written). The one call behind ``kaohe oa-signing`` and the OA screen's form; ``add_record``
    checks unit, period and rights inside its transaction, against the scheme as it stands for
    ``period`` (an office year's own parameters and units)."""
    try:
        status = classify_signing(kind, hours, clock_hours=clock_hours)
    except ValueError as exc:
        raise KaoheError(str(exc)) from None
    row = oa_record(unit, kind, hours, period=period, reason=reason, clock_hours=clock_hours, date=date)
    if row is None:
        return status, None
    return status, add_record(store, scheme_for_period(store, scheme, period), Draft(**row), source=source)


def signing_message(status: str, record: int | None) -> str:
    """What a user reads after a signing is entered (both faces)."""
    if record is None:
        return t("oa_on_time")
    return t("oa_not_installed" if status == NOT_INSTALLED else "oa_late", record=record)
