"""What an action has to say, as data: a catalogue key (``messages.MESSAGES``) and its fields.
A face shows ``text()``; a test or a face that needs a figure reads ``fields``."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaohe_tui.messages import t


@dataclass(frozen=True)
class Note:
    code: str
    fields: dict = field(default_factory=dict)
    more: tuple[str, ...] = ()  # further keys whose text follows (optional parts of one sentence)

    def text(self) -> str:
        return "".join(t(code, **self.fields) for code in (self.code, *self.more))

    def __str__(self) -> str:
        return self.text()
