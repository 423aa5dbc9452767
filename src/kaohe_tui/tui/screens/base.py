"""What every view of a scheme shares: the navigation bar and keys, the plugins' screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from kaohe_tui import plugins
from kaohe_tui.messages import t
from kaohe_tui.scheme import Scheme
from kaohe_tui.tui.extension import SchemeScreen, screens_for
from kaohe_tui.tui.widgets.footer import KFooter
from kaohe_tui.tui.widgets.nav import NavBar

if TYPE_CHECKING:
    from textual.timer import Timer

    from kaohe_tui.store import Store
    from kaohe_tui.tui.app import KaoheApp
    from kaohe_tui.tui.common import SchemeState

NAV = Binding.Group("视图", compact=True)
PERIOD = Binding.Group("期间", compact=True)


class SchemeView(Screen):
    """Base of the units, ledger, results and audit screens of one scheme. Each focuses its table
    from the start (``AUTO_FOCUS``): Textual's default, the first field (a filter line, the
    period box), took the keys typed ahead of a view until its table was focused."""

    VIEW = ""
    BINDINGS = [
        Binding("1", "view('units')", "单位", group=NAV, id="view-units"),
        Binding("2", "view('ledger')", "台账", group=NAV, id="view-ledger"),
        Binding("3", "view('results')", "结果", group=NAV, id="view-results"),
        Binding("4", "view('audit')", "日志", group=NAV, id="view-audit"),
        # shown in the navigation bar (the footer has no room for them at 80 columns)
        Binding("p", "plugin_menu", "插件页", show=False, id="plugin-screens"),
        # in the palette and the help, not the footer (no room at 80 columns)
        Binding("i", "import_file", "导入文件", show=False, id="import-file"),
        Binding("escape", "back", "方案列表", show=False, id="back-to-schemes"),
        Binding("q", "back", "返回方案列表", show=False, id="q-back-to-schemes"),  # as in lazygit, k9s, VisiData
    ]

    app: KaoheApp
    _reload_timer: Timer | None = None

    def __init__(self, scheme: Scheme):
        super().__init__()
        self.scheme = scheme
        self.plugin_screens: list[SchemeScreen] = plugin_screens(scheme)
        # a plugin screen's key is a binding, not a key handler: a binding runs in turn with the
        # cursor keys of the same burst, a handler on the screen would run before them
        for entry in self.plugin_screens:
            self._bindings.bind(entry.key, f"open_plugin({entry.key!r})", show=False)

    @property
    def plugin_keys(self) -> set[str]:
        return {s.key for s in self.plugin_screens}

    @property
    def state(self) -> SchemeState:
        return self.app.state(self.scheme)

    @property
    def store(self) -> Store:
        return self.app.opened_store

    def compose(self) -> ComposeResult:
        yield NavBar(self.scheme.title, self.VIEW, [(s.key, s.title) for s in self.plugin_screens], id="nav")
        yield from self.compose_body()
        yield KFooter(compact=True)

    def on_screen_resume(self) -> None:
        """Back on a view (after a form, an import, a dialog): whatever was written meanwhile is
        scored in the background before the results are asked for (#18; nothing if nothing was)."""
        self.app.warm_results(self.scheme)

    def compose_body(self) -> ComposeResult:  # pragma: no cover - each view has its own
        yield from ()

    def reload(self) -> object:  # pragma: no cover - each view that filters has its own (maybe a worker)
        pass

    def schedule_reload(self) -> None:
        """Typing in a filter reloads once the user pauses (not on every key over a slow link)."""
        if self._reload_timer:
            self._reload_timer.stop()
        self._reload_timer = self.set_timer(0.15, lambda: self.reload())

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "plugin_menu":
            return bool(self.plugin_screens) or False  # hidden when the scheme has none
        return True

    # -- actions -------------------------------------------------------------------------------
    def action_view(self, view: str, **kwargs) -> None:
        self.app.show_view(self.scheme, view, **kwargs)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_plugin_menu(self) -> None:
        from kaohe_tui.tui.screens.plugin_menu import PluginMenu

        def chosen(screen: SchemeScreen | None) -> None:
            if screen:
                self.open_plugin_screen(screen)

        self.app.push_screen(PluginMenu(self.plugin_screens), chosen)

    def action_import_file(self) -> None:
        from kaohe_tui.tui.screens.import_file import ImportDialog

        def done(summary: str | None) -> None:
            if summary and self.is_current:
                self.action_view(self.VIEW)  # a fresh view reads what the import wrote

        self.app.push_screen(ImportDialog(self.scheme), done)

    def current_unit(self) -> str | None:
        """The unit under the cursor (each view that lists units says which)."""
        return None

    def open_plugin_screen(self, entry: SchemeScreen) -> None:
        # read from the cursor now, not from highlight messages still queued behind this key
        self.state.unit = self.current_unit() or self.state.unit
        try:
            screen = entry.factory(self.app, self.store, self.scheme)
        except Exception as exc:  # someone else's code: report it, keep working
            from kaohe_tui.tui.screens.error import ErrorModal, describe

            self.app.push_screen(ErrorModal(describe(exc), title=f"插件页「{entry.title}」打不开"))
            return
        self.app.push_screen(screen)

    def action_open_plugin(self, key: str) -> None:
        entry = next((e for e in self.plugin_screens if e.key == key), None)
        if entry:
            self.open_plugin_screen(entry)

    # -- ctrl+e ---------------------------------------------------------------------------------
    def export_target(self) -> tuple[Scheme, str]:
        """The scheme and period ``ctrl+e`` exports from this view."""
        return self.scheme, self.state.period


def reserved_keys() -> set[str]:
    """The keys a plugin screen may not take: each one the app, every screen and every scheme view
    binds (read from their bindings, so a new binding is reserved at once), and enter (a table's
    selection)."""
    from textual.app import App
    from textual.keys import key_to_character

    from kaohe_tui.tui.app_keys import APP_BINDINGS

    bound = [*App.BINDINGS, *APP_BINDINGS, *Screen.BINDINGS, *SchemeView.BINDINGS]
    keys = {binding.key for binding in Binding.make_bindings(bound)} | {"enter"}
    return keys | {c for k in keys if (c := key_to_character(k))}  # "?" as well as question_mark


def plugin_screens(scheme: Scheme) -> list[SchemeScreen]:
    """The plugins' screens for ``scheme``; one whose key is reserved is left out and reported."""
    reserved = reserved_keys()
    kept = []
    for plugin, screen in screens_for(scheme):
        if screen.key in reserved:
            plugins.report(plugins.Failure(plugin, "kaohe_screens",
                                           t("plugin_key_reserved", title=screen.title, binding=screen.key)))
            continue
        kept.append(screen)
    return kept
