"""The command palette's view of the current screen: every action of the screen and of the app (the
same actions the footer and the help show, in Chinese), the scheme's views and its plugin screens,
grouped by where they act. The focused widget's own cursor keys are left to the help: they are not
things one searches for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

SKIP_ACTIONS = {"command_palette", "app.command_palette", "focus_next", "focus_previous", "app.focus_next",
                "app.focus_previous", "screen.copy_text", "copy_text", "app.copy_text", "help_quit"}


def screen_name(screen: Screen) -> str:
    scheme = getattr(screen, "scheme", None)
    where = {"units": "单位", "ledger": "台账", "results": "结果", "audit": "日志"}.get(getattr(screen, "VIEW", ""), "")
    if scheme is not None:
        return f"{where or '本页'} · {scheme.title}"
    return "方案列表" if type(screen).__name__ == "SchemesScreen" else "本页"


class ScreenActions(Provider):
    def _commands(self) -> Iterator[tuple[str, Callable, str]]:
        screen = self.screen
        here = screen_name(screen)
        seen: set[str] = set()
        views: list[tuple[str, Callable, str]] = []
        everywhere: list[tuple[str, Callable, str]] = []
        own = {b.action for b in type(screen).__dict__.get("BINDINGS", []) if hasattr(b, "action")}
        # this screen's own actions first, then those every view of a scheme shares
        actives = sorted(screen.active_bindings.values(), key=lambda a: a.binding.action not in own)
        for active in actives:
            binding = active.binding
            if not isinstance(active.node, (Screen, App)):
                continue  # a widget's cursor keys
            if not binding.description or binding.system or binding.action in SKIP_ACTIONS:
                continue
            # app actions are judged against this screen, not the palette now on top of it
            enabled = active.enabled if not isinstance(active.node, App) else True
            if not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            entry = (f"{binding.description}（{self.app.get_key_display(binding)}）",
                     partial(self.app.run_action, binding.action, active.node))
            if isinstance(active.node, App):
                everywhere.append((*entry, "全局"))
            elif binding.action.startswith("view("):
                views.append((f"切换到{entry[0]}", entry[1], "视图"))
            else:
                yield (*entry, here)
        from kaohe_tui.tui.screens.base import SchemeView

        if isinstance(screen, SchemeView):
            for page in screen.plugin_screens:
                yield f"插件页：{page.title}（{page.key}）", partial(screen.open_plugin_screen, page), "插件提供的页面"
        yield from views
        yield from everywhere

    async def discover(self) -> Hits:
        for title, command, help_text in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help_text in self._commands():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)
