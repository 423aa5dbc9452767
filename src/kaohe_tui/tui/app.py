"""The kaohe TUI: opens the database, holds the per-scheme state, and routes between screens.
Everything a screen shows comes from a core call; the App itself only wires things together."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ScreenStackError
from textual.screen import ModalScreen, Screen

from kaohe_tui import catalog, plugins
from kaohe_tui.messages import TEXTUAL, t
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store
from kaohe_tui.tui import cjk_compositor
from kaohe_tui.tui.app_keys import APP_BINDINGS
from kaohe_tui.tui.commands import ScreenActions
from kaohe_tui.tui.common import SchemeState, scheme_periods
from kaohe_tui.tui.early_keys import EarlyKeys
from kaohe_tui.tui.textual_zh import translate_textual

if TYPE_CHECKING:
    from kaohe_tui.score_cache import ScoreCache
    from kaohe_tui.tui.screens.explain import ExplainScreen
    from kaohe_tui.tui.screens.results import ResultsScreen

translate_textual()  # Textual's own key names, in Chinese, before any screen class is made
cjk_compositor.apply()  # no Chinese character drawn as two spaces under a drop-down (upstream bug)


# Textual's own focus and clipboard keys: not this app's actions
HELP_SKIPS = {"focus_next", "focus_previous", "app.focus_next", "app.focus_previous", "screen.copy_text",
              "copy_text", "app.copy_text"}


class KaoheApp(App[None]):
    CSS_PATH = "kaohe.tcss"
    TITLE = "考核 kaohe"
    COMMANDS = {ScreenActions}  # Textual's system commands are English and not this office's actions
    BINDINGS = APP_BINDINGS  # in their own module: the scheme views reserve them for plugin screens

    def __init__(self, db_path: str | Path | None = None, *, plugins_dirs: Iterable[str | Path] = (),
                 export_dir: str | Path | None = None, page_size: int = 200, **kwargs: Any):
        super().__init__(**kwargs)
        self.db_path = db_path
        self.plugins_dirs = [Path(d) for d in plugins_dirs]
        self.export_dir = Path(export_dir) if export_dir else None  # None: the working directory
        self.page_size = page_size  # rows per page of the ledger and the audit log
        self.store: Store | None = None  # opened by the first screen (``ensure_store``)
        self.states: dict[str, SchemeState] = {}
        self._scores: ScoreCache | None = None
        self.early_keys = EarlyKeys()

    async def on_event(self, event: events.Event) -> None:
        routed = await self.early_keys.route(self, event)  # keys typed ahead of a screen reach it
        if routed is not None:
            await super().on_event(routed)

    def get_default_screen(self) -> Screen[Any]:
        from kaohe_tui.tui.screens.schemes import SchemesScreen

        return SchemesScreen()

    # -- the database ----------------------------------------------------------------------------
    async def ensure_store(self) -> Store:
        """Open (and on first use create and seed) the database, off the event loop."""
        if self.store is None:
            self.store = await asyncio.to_thread(self._open_store)
            self.sub_title = self.store.path.name
        return self.store

    @property
    def opened_store(self) -> Store:
        """The database, for every screen after the scheme list (which opens it first)."""
        assert self.store is not None  # a bug if not: only the scheme list runs before ensure_store
        return self.store

    def _open_store(self) -> Store:
        from kaohe_tui.units import ensure_registered

        plugins.load_plugins(self.plugins_dirs)
        catalog.schemes()  # the scheme hooks run now, so their failures are listed at once
        store = Store(self.db_path)
        ensure_registered(store)
        return store

    @property
    def scores(self) -> ScoreCache:
        """Results kept per scheme and period until the next write (``score_cache``)."""
        from kaohe_tui.score_cache import ScoreCache

        if self._scores is None or self._scores.store is not self.store:
            self._scores = ScoreCache(self.opened_store)
        return self._scores

    def in_worker_store(self, fn: Callable, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(store, …)`` on a private connection (called inside a worker thread, so a
        long read or a preview's rolled-back transaction never touches the UI's connection)."""
        store = Store(self.opened_store.path)
        try:
            return fn(store, *args, **kwargs)
        finally:
            store.close()

    # -- schemes and their views -----------------------------------------------------------------
    def state(self, scheme: Scheme) -> SchemeState:
        if scheme.id not in self.states:
            periods = scheme_periods(scheme)
            self.states[scheme.id] = SchemeState(period=periods[0], ledger_period=periods[0])
        return self.states[scheme.id]

    def show_view(self, scheme: Scheme, view: str, **kwargs: Any) -> None:
        """Open one of a scheme's views; switching between them keeps the scheme list below."""
        from kaohe_tui.tui.screens.audit import AuditScreen
        from kaohe_tui.tui.screens.base import SchemeView
        from kaohe_tui.tui.screens.ledger import LedgerScreen
        from kaohe_tui.tui.screens.results import ResultsScreen
        from kaohe_tui.tui.screens.units import UnitsScreen

        if view != "results":  # its results start scoring now: ready by the time they are asked for
            self.warm_results(scheme)
        views = {"units": UnitsScreen, "ledger": LedgerScreen, "results": ResultsScreen, "audit": AuditScreen}
        screen: SchemeView
        if view == "results" and not kwargs:
            screen = results = self.kept_results(scheme)
            if results is self.screen:  # asked again (after an import): score again if anything changed
                results.check_fresh()
                return
        else:
            screen = views[view](scheme, **kwargs)
        if isinstance(self.screen, SchemeView):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # seconds between looks for another login's write (the screen on top decides what it means)
    WRITES_POLL = 1.0

    def on_mount(self) -> None:
        self.set_interval(self.WRITES_POLL, self.look_for_writes)

    def look_for_writes(self) -> None:
        """One look a second for every screen: the one on top, if it shows figures that a write
        may move, checks them against the database's write state (``follow_writes``)."""
        try:
            screen = self.screen
        except ScreenStackError:  # the app is closing
            return
        follow = getattr(screen, "follow_writes", None)
        # not a screen still being built, nor one being taken down (closing: ``display`` is False)
        if follow is not None and screen.is_mounted and screen.display and self.store is not None:
            follow()

    def warm_results(self, scheme: Scheme) -> None:
        """The scheme's results for its current period start scoring in the background
        (``results.warm``; the views call it here: a view's module importing the results' would
        make an import cycle)."""
        from kaohe_tui.tui.screens.results import warm

        warm(self, scheme)
        self.set_timer(0.1, lambda: self.results_ahead(scheme))

    def results_ahead(self, scheme: Scheme) -> None:
        """Out of view, once the view that asked has opened: the scheme's results screen is made
        (composed, mounted, and filled when its scoring ends), so that the key for the results
        only shows it (#18). Nothing if it is made already or the scheme is no longer in view."""
        from kaohe_tui.tui.screens.base import SchemeView

        try:
            shown = self.screen
        except ScreenStackError:  # the app is closing
            return
        if not isinstance(shown, SchemeView) or shown.scheme is not scheme:
            return
        screen = self.kept_results(scheme)
        if not screen.is_running and screen is not self.screen:
            self._get_screen(screen)  # Textual's own first step of showing a screen: it starts it

    def kept_results(self, scheme: Scheme) -> ResultsScreen:
        """The scheme's results screen, made once and kept (installed) while the app runs: going
        back to it shows its table as drawn, and it scores again only if something was written
        since (``ResultsScreen.on_screen_resume``). One per scheme object (a reloaded scheme
        gets a new one; an old one no longer shown is dropped)."""
        from kaohe_tui.tui.screens.results import ResultsScreen

        prefix = f"results:{scheme.id}:"
        name = f"{prefix}{id(scheme)}"
        for old in [n for n in self._installed_screens if n.startswith(prefix) and n != name]:
            if not any(self._installed_screens[old] in stack for stack in self._screen_stacks.values()):
                self.uninstall_screen(old)  # (one still on the stack goes when the next is made)
        if not self.is_screen_installed(name):
            self.install_screen(ResultsScreen(scheme), name)
        return self.get_screen(name, ResultsScreen)

    def kept_screen(self, name: str, kind: type[ExplainScreen], *args: Any) -> ExplainScreen:
        """One screen of ``kind`` made once and kept (installed), shown again with new content
        (``show(*args)``): its widgets are not mounted anew each time (the explanation)."""
        if self.is_screen_installed(name):
            screen = self.get_screen(name, kind)
            screen.show(*args)
            return screen
        screen = kind(*args)
        self.install_screen(screen, name)
        return screen

    # -- app-wide actions --------------------------------------------------------------------------
    def action_command_palette(self) -> None:
        from kaohe_tui.tui.palette import KaohePalette

        if not KaohePalette.is_open(self):
            self.push_screen(KaohePalette(id="--command-palette"))

    def action_help_quit(self) -> None:
        self.notify(TEXTUAL["Press [b]{key}[/b] to quit the app"].format(key="ctrl+q"),
                    title=TEXTUAL["Do you want to quit?"])

    def unsaved_form(self):
        """The open form with something typed in it, if any (ctrl+q must not lose it unasked)."""
        from kaohe_tui.tui.screens.form import FormModal

        return next((s for s in reversed(self.screen_stack) if isinstance(s, FormModal) and s.is_dirty()), None)

    async def action_quit(self) -> None:
        from kaohe_tui.tui.screens.confirm import Confirm, ask_then

        if self.unsaved_form() is None:
            self.exit()
            return

        if not isinstance(self.screen, Confirm):
            ask_then(self, t("quit_with_form"), self.exit, yes="放弃并退出", no="回到表单")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        from kaohe_tui.tui.palette import KaohePalette

        if action == "export" and isinstance(self.screen, ModalScreen) and not KaohePalette.is_open(self):
            return None  # finish the dialog first (the palette runs it on the screen below)
        return True

    def action_help(self) -> None:
        from kaohe_tui.tui.screens.help import HelpScreen

        if isinstance(self.screen, ModalScreen):
            return
        keys, seen = [], set()
        # the screen's and the app's actions first, then the focused widget's (cursor keys …)
        actives = sorted(self.screen.active_bindings.values(), key=lambda a: not isinstance(a.node, (Screen, App)))
        for active in actives:
            binding = active.binding
            if binding.action in HELP_SKIPS or binding.system:
                continue
            if binding.description and binding.action not in seen:
                seen.add(binding.action)
                keys.append((self.get_key_display(binding), binding.description))
        where = getattr(getattr(self.screen, "scheme", None), "title", "考核方案")
        self.push_screen(HelpScreen(keys, where, str(self.store.path) if self.store else ""))

    def export_target(self) -> tuple[Scheme, str] | None:
        screen = self.screen
        if hasattr(screen, "export_target"):
            return screen.export_target()
        scheme = getattr(screen, "scheme", None)
        return (scheme, self.state(scheme).period) if isinstance(scheme, Scheme) else None

    def action_export(self) -> None:
        from kaohe_tui.tui.screens.export import ExportDialog

        target = self.export_target() if self.store else None
        if not target:
            self.notify(t("no_export_target"), severity="warning")
            return
        scheme, period = target
        self.push_screen(ExportDialog(scheme, period, self.export_dir))

    def show_error(self, exc: BaseException | str, title: str = "出错了") -> None:
        from kaohe_tui.tui.screens.error import ErrorModal, describe

        self.push_screen(ErrorModal(exc if isinstance(exc, str) else describe(exc), title=title))
