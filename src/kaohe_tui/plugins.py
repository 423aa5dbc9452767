"""The plugin manager: built-in plugins, the ``kaohe_tui`` entry-point group, plugin folders.

Loaded lazily, once. A plugin that fails to import, or whose hook raises, is recorded in
``failures`` and skipped; the rest keep working.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterable

import pluggy

from kaohe_tui import hookspecs
from kaohe_tui.paths import bundled

pm = pluggy.PluginManager("kaohe_tui")
pm.add_hookspecs(hookspecs)

ENTRY_POINT_GROUP = "kaohe_tui"


@dataclass
class Failure:
    plugin: str
    where: str  # "import" or the hook's name
    error: str  # one line

    def __str__(self) -> str:
        return f"{self.plugin}: {self.where}: {self.error}"


failures: list[Failure] = []
_state = {"loaded": False, "dirs": []}


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
    _register_plugin_rule_types()


def _load_folder(folder: Path) -> None:
    _state["dirs"].append(folder)
    if not folder.is_dir():
        if folder != bundled("plugins"):
            failures.append(Failure(str(folder), "import", "plugin folder not found"))
        return
    problem = untrusted(folder)
    if problem:
        failures.append(Failure(str(folder), "import", f"refused: {problem}"))
        print(f"kaohe: warning: plugin folder {folder} refused: {problem}", file=sys.stderr)
        return
    for path in sorted(folder.glob("*.py")) + sorted(p.parent for p in folder.glob("*/__init__.py")):
        problem = untrusted(path)
        if problem:
            failures.append(Failure(path.stem, "import", f"refused: {problem}"))
            continue
        _load_path(path)


def untrusted(path: Path) -> str | None:
    """Code that another login could have changed is not run: a plugin folder or file (and
    every file of a plugin package) must belong to the login running kaohe or to root, and be
    writable by nobody else — neither its group (the office's shared folder) nor every user."""
    import stat

    for item in [path, *(sorted(path.rglob("*.py")) if path.is_dir() and path.suffix != ".py" and
                         (path / "__init__.py").exists() else [])]:
        try:
            st = item.lstat()
        except OSError as exc:
            return f"cannot read {item} ({exc.strerror})"
        if st.st_uid not in (os.geteuid(), 0):
            return f"{item} belongs to uid {st.st_uid}, not to this login or root"
        if stat.S_ISLNK(st.st_mode):
            return f"{item} is a symlink"
        if st.st_mode & stat.S_IWOTH:  # sticky or not: anyone could add a file to it
            return f"{item} is writable by every user (chmod o-w {item})"
        if st.st_mode & stat.S_IWGRP:
            return f"{item} is writable by its group (chmod g-w {item})"
    return None


def _load_path(path: Path) -> None:
    name = path.stem if path.suffix == ".py" else path.name
    if name.startswith("_"):
        return
    if pm.has_plugin(name):  # a second plugin of this name would be silently dropped: say so
        first = getattr(pm.get_plugin(name), "__file__", None) or name
        failures.append(Failure(name, "import", f"refused: {path} has the name of the plugin already loaded from {first}"))
        return
    module_name = f"kaohe_plugin_{name}"
    try:
        location = path if path.suffix == ".py" else path / "__init__.py"
        spec = importlib.util.spec_from_file_location(module_name, location,
                                                      submodule_search_locations=None if path.suffix == ".py" else [str(path)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        pm.register(module, name=name)
    except BaseException as exc:  # any error in someone else's code — even sys.exit() — is reported, skipped
        sys.modules.pop(module_name, None)
        failures.append(Failure(name, "import", _one_line(exc)))


def _load_entry_points() -> None:
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if pm.has_plugin(ep.name):
            continue
        try:
            pm.register(ep.load(), name=ep.name)
        except BaseException as exc:  # as a folder plugin: even sys.exit() at import is only reported
            failures.append(Failure(ep.name, "import", _one_line(exc)))


def _register_plugin_rule_types() -> None:
    from kaohe_tui import rules

    for types in call("kaohe_rule_types"):
        for rule_type in types or []:
            rules.register(rule_type)


def _one_line(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)
    at = f" ({Path(where[-1].filename).name}:{where[-1].lineno})" if where else ""
    return f"{type(exc).__name__}: {exc}".splitlines()[0] + at


def call(hook: str, guard: Callable[[], ContextManager] | None = None, **kwargs: Any) -> list[Any]:
    """Call every implementation of ``hook`` one by one; one that raises is reported and
    skipped. ``guard`` (e.g. ``store.transaction``) wraps each call, so that a plugin that fails
    half-way leaves nothing behind. Returns the non-None results, in registration order."""
    load_plugins()
    results = []
    caller = getattr(pm.hook, hook)
    for impl in reversed(caller.get_hookimpls()):  # pluggy keeps LIFO order; we want FIFO
        try:
            with guard() if guard else contextlib.nullcontext():
                result = impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        except (Exception, SystemExit) as exc:  # a hook calling sys.exit() must not end kaohe
            failure = Failure(impl.plugin_name, hook, _one_line(exc))
            if str(failure) not in {str(f) for f in failures}:
                failures.append(failure)
            continue
        if result is not None:
            results.append(result)
    return results


def call_by_plugin(hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Like ``call`` but keeps which plugin gave each result."""
    load_plugins()
    out = []
    for impl in reversed(getattr(pm.hook, hook).get_hookimpls()):
        try:
            result = impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        except (Exception, SystemExit) as exc:
            failures.append(Failure(impl.plugin_name, hook, _one_line(exc)))
            continue
        if result is not None:
            out.append((impl.plugin_name, result))
    return out


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
    _state["loaded"] = False
    _state["dirs"] = []
