"""The command palette's view of the current screen: every key binding with a description (the
same actions the footer shows) and the scheme's plugin screens."""

from __future__ import annotations

from functools import partial
from typing import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

SKIP_ACTIONS = {"command_palette", "app.command_palette", "focus_next", "focus_previous", "app.focus_next",
                "app.focus_previous", "screen.copy_text", "copy_text", "app.copy_text"}


class ScreenActions(Provider):
    def _commands(self) -> Iterator[tuple[str, Callable, str]]:
        screen = self.screen
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.system or binding.action in SKIP_ACTIONS:
                continue
            if not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            yield (f"{binding.description}（{self.app.get_key_display(binding)}）",
                   partial(self.app.run_action, binding.action, active.node),
                   "本页操作")
        for entry in getattr(screen, "plugin_screens", []):
            yield f"插件页：{entry.title}（{entry.key}）", partial(screen.open_plugin_screen, entry), "插件提供的页面"

    async def discover(self) -> Hits:
        for title, command, help_text in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)
