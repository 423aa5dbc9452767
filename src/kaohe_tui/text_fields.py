"""Free text a person types (a reason, a name, a note): trimmed, no control characters, not
longer than a limit. One check for every door that writes text."""

from __future__ import annotations

import unicodedata

from kaohe_tui.errors import RecordError
from kaohe_tui.messages import field as msg_field
from kaohe_tui.messages import t

MAX_REASON = 2000


def clean_text(text: str, field: str, limit: int = MAX_REASON) -> str:
    text = (text or "").strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t" for ch in text):
        raise RecordError(t("control_chars", field=msg_field(field)))
    if len(text) > limit:
        raise RecordError(t("too_long", field=msg_field(field), length=len(text), limit=limit))
    return text
