"""The plugin manager: built-in plugins, the ``kaohe_tui`` entry-point group, plugin folders.

Loaded lazily, once. ``KAOHE_LOAD_PLUGINS`` (a comma list of plugin names) chooses exactly which
load. A plugin that fails to import, or whose hook raises, is recorded in ``failures`` and
skipped; the rest keep working.

Hooks are called through pluggy's own hook calling (so ``pm.add_hookcall_monitoring`` and hook
wrappers see them). A *scheme hook* (one with a ``scheme`` argument) reaches only the plugin that
provides that scheme and the general plugins that provide no scheme at all: a scheme plugin never
sees another plugin's schemes, and needs no check of its own.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import inspect
import os
import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from kaohe_tui import hookspecs, plugin_errors
from kaohe_tui.messages import t
from kaohe_tui.paths import bundled

pm = pluggy.PluginManager("kaohe_tui")
pm.add_hookspecs(hookspecs)

ENTRY_POINT_GROUP = "kaohe_tui"
LOAD_ENV = "KAOHE_LOAD_PLUGINS"

# the hooks called per scheme: those whose specification takes a ``scheme`` (kaohe_schemes, which
# provides them, takes none)
SCHEME_HOOKS = frozenset(name for name, spec in vars(hookspecs).items()
                         if name.startswith("kaohe_") and callable(spec)
                         and "scheme" in inspect.signature(spec).parameters)


@dataclass
class Failure:
    plugin: str
    where: str  # "import" or the hook's name
    error: str  # one line

    def __str__(self) -> str:
        return f"{self.plugin}（{self.place}）：{self.error}"

    @property
    def place(self) -> str:
        """``where`` as a user reads it (the JSON keeps "import" or the hook's name)."""
        return t("plugin_where_import") if self.where == "import" else self.where


failures: list[Failure] = []
_state: dict[str, Any] = {"loaded": False, "dirs": [], "generation": 0}


def report(failure: Failure) -> None:
    """Record a plugin's failure once (a hook called again fails again the same way)."""
    if str(failure) not in {str(f) for f in failures}:
        failures.append(failure)


def chosen() -> set[str] | None:
    """The plugin names ``KAOHE_LOAD_PLUGINS`` allows, or None when it is not set (all load)."""
    env = os.environ.get(LOAD_ENV)
    return None if env is None else {n.strip() for n in env.split(",") if n.strip()}


def plugin_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """The folders whose ``*.py`` files are loaded: built-ins, then ``--plugins-dir``, then
    ``KAOHE_PLUGINS_DIR`` (os.pathsep-separated)."""
    dirs = [bundled("plugins"), *map(Path, extra)]
    env = os.environ.get("KAOHE_PLUGINS_DIR")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs


def load_plugins(extra_dirs: Iterable[str | Path] = ()) -> None:
    """Register every plugin once; a later call with new folders loads just those."""
    extra = [Path(d) for d in extra_dirs]
    if _state["loaded"]:
        for folder in extra:
            if folder not in _state["dirs"]:
                _load_folder(folder)
        return
    _state["loaded"] = True
    for folder in plugin_dirs(extra):
        _load_folder(folder)
    if not getattr(sys, "_called_from_test", False) and not os.environ.get("KAOHE_NO_ENTRY_POINTS"):
        _load_entry_points()
    # found: registered, or reported already with the error that kept it from loading
    found = {n for n, _ in pm.list_name_plugin()} | {f.plugin for f in failures}
    for name in sorted((chosen() or set()) - found):
        report(Failure(name, "import", t("plugin_not_found", env=LOAD_ENV, name=name)))


def _load_folder(folder: Path) -> None:
    _state["dirs"].append(folder)
    if not folder.is_dir():
        if folder != bundled("plugins"):
            failures.append(Failure(str(folder), "import", t("plugin_folder_missing")))
        return
    problem = untrusted(folder)
    if problem:
        failures.append(Failure(str(folder), "import", t("plugin_refused", problem=problem)))
        print(f"kaohe: {t('plugin_folder_refused', folder=folder, problem=problem)}", file=sys.stderr)
        return
    allowed = chosen()
    for path in sorted(folder.glob("*.py")) + sorted(p.parent for p in folder.glob("*/__init__.py")):
        name = path.stem if path.suffix == ".py" else path.name
        if name.startswith("_") or (allowed is not None and name not in allowed):
            continue
        problem = untrusted(path)
        if problem:
            failures.append(Failure(name, "import", t("plugin_refused", problem=problem)))
            continue
        _load_path(path, name)


def untrusted(path: Path) -> str | None:
    """Code that another login could have changed is not run: a plugin folder or file (and
    every file of a plugin package) must belong to the login running kaohe or to root, and be
    writable by nobody else — neither its group (the office's shared folder) nor every user."""
    import stat

    package = path.is_dir() and (path / "__init__.py").exists()
    # a package: every module and every folder under it (a writable __pycache__ takes a planted .pyc)
    inside = sorted(p for p in path.rglob("*") if p.suffix == ".py" or p.is_dir()) if package else []
    for item in [path, *inside]:
        try:
            st = item.lstat()
        except OSError as exc:
            return t("trust_unreadable", item=item, error=exc.strerror)
        if st.st_uid not in (os.geteuid(), 0):
            return t("trust_owner", item=item, uid=st.st_uid)
        if stat.S_ISLNK(st.st_mode):
            return t("trust_symlink", item=item)
        if st.st_mode & stat.S_IWOTH:  # sticky or not: anyone could add a file to it
            return t("trust_world_writable", item=item)
        if st.st_mode & stat.S_IWGRP:
            return t("trust_group_writable", item=item)
    return None


def _load_path(path: Path, name: str) -> None:
    if _taken(name, str(path)):
        return
    module_name = f"kaohe_plugin_{name}"
    try:
        location = path if path.suffix == ".py" else path / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            module_name, location, submodule_search_locations=None if path.suffix == ".py" else [str(path)])
        if spec is None or spec.loader is None:
            raise ImportError(t("plugin_not_module", location=location))
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        register(module, name)
    except BaseException as exc:  # any error in someone else's code — even sys.exit() — is reported, skipped
        sys.modules.pop(module_name, None)
        failures.append(Failure(name, "import", _one_line(exc)))


def _taken(name: str, where: str) -> bool:
    """A second plugin of a name already loaded (a built-in's, say) is refused, and said so."""
    if not pm.has_plugin(name):
        return False
    first = getattr(pm.get_plugin(name), "__file__", None) or name
    failures.append(Failure(name, "import", t("plugin_name_taken", where=where, first=first)))
    return True


def _load_entry_points() -> None:
    import importlib.metadata  # 30 ms: only when entry points are looked for

    allowed = chosen()
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if (allowed is not None and ep.name not in allowed) or _taken(ep.name, f"entry point {ep.value}"):
            continue
        try:
            register(ep.load(), ep.name)
        except BaseException as exc:  # as a folder plugin: even sys.exit() at import is only reported
            failures.append(Failure(ep.name, "import", _one_line(exc)))


def register(plugin: object, name: str) -> None:
    """Register ``plugin`` under ``name``, each of its hook implementations isolated: pluggy stops
    a whole hook call at the first implementation that raises, kaohe reports that plugin and
    goes on with the others."""
    pm.register(plugin, name=name)
    _state["generation"] += 1
    for caller in pm.get_hookcallers(plugin) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper):
                impl.function = _isolated(impl.function, name, caller.name)  # type: ignore[misc]


@dataclass
class _Call:
    """What one ``call`` collects beside pluggy's results: which plugin gave each one."""

    guard: Callable[[], AbstractContextManager] | None
    by_plugin: list[tuple[str, Any]] = field(default_factory=list)


_current: ContextVar[_Call | None] = ContextVar("kaohe_hook_call", default=None)


def _isolated(function: Callable, plugin: str, hook: str) -> Callable:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        current = _current.get()
        try:
            with current.guard() if current and current.guard else contextlib.nullcontext():
                result = function(*args, **kwargs)
        except (Exception, SystemExit) as exc:  # a hook calling sys.exit() must not end kaohe
            report(Failure(plugin, hook, _one_line(exc)))
            return None
        if result is not None and current is not None:
            current.by_plugin.append((plugin, result))
        return result

    return run


def _one_line(exc: BaseException) -> str:
    """Why a plugin failed, in one Chinese line (``plugin_errors``: Python's kinds glossed)."""
    return plugin_errors.one_line(exc)


def hook_caller(hook: str, scheme: Any = None) -> pluggy.HookCaller:
    """pluggy's caller for ``hook``; for a scheme hook, one that leaves out the plugins providing
    other schemes than ``scheme``'s (general plugins, which provide none, are still called)."""
    caller = getattr(pm.hook, hook)
    if hook not in SCHEME_HOOKS or scheme is None:
        return caller
    own = getattr(scheme, "plugin", None)
    others = {impl.plugin for impl in pm.hook.kaohe_schemes.get_hookimpls() if impl.plugin_name != own}
    return pm.subset_hook_caller(hook, others)


def call(hook: str, guard: Callable[[], AbstractContextManager] | None = None, **kwargs: Any) -> list[Any]:
    """Call ``hook`` (scheme hooks: only for ``kwargs['scheme']``'s plugin and general plugins);
    an implementation that raises is reported and skipped. ``guard`` (e.g.
    ``store.transaction``) wraps each implementation, so that a plugin that fails half-way leaves
    nothing behind. Returns the non-None results in pluggy's order (the last registered first)."""
    load_plugins()
    token = _current.set(_Call(guard))
    try:
        results = hook_caller(hook, kwargs.get("scheme"))(**kwargs)
    finally:
        _current.reset(token)
    return results


def call_by_plugin(hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Like ``call`` but keeps which plugin gave each result."""
    load_plugins()
    collected = _Call(None)
    token = _current.set(collected)
    try:
        hook_caller(hook, kwargs.get("scheme"))(**kwargs)
    finally:
        _current.reset(token)
    return collected.by_plugin


def generation() -> int:
    """Changes whenever a plugin is registered or all are forgotten (caches keyed on it)."""
    return _state["generation"]


def get_plugins() -> list[dict]:
    """Name, origin and hooks of each loaded plugin (``kaohe plugins``)."""
    load_plugins()
    out = []
    for name, plugin in pm.list_name_plugin():
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        origin = getattr(plugin, "__file__", None) or getattr(plugin, "__name__", "")
        out.append({"name": name, "origin": str(origin), "hooks": hooks})
    return sorted(out, key=lambda p: p["name"])


def reset_for_tests() -> None:
    """Forget every plugin and failure (tests load plugins afresh in each process)."""
    for name, plugin in list(pm.list_name_plugin()):
        pm.unregister(plugin, name=name)
    failures.clear()
    _state.update(loaded=False, dirs=[], generation=_state["generation"] + 1)
