"""Why a plugin failed, in one Chinese line for the office (``kaohe plugins``, the CLI's
``插件加载失败`` line, the TUI's scheme list).

Python's own exception text is English: the common kinds get a Chinese gloss built from the
exception's attributes (the module, attribute, name or file it names); the original text stays,
in parentheses, only where it carries a name the gloss cannot (a TypeError's or ValueError's
message). Unknown kinds keep their kind and text for whoever maintains the plugin.
"""

from __future__ import annotations

import re
import traceback
import types
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

# Python's own words for ``from X import Y`` where X has no Y: the only place the missing name is
_CANNOT_IMPORT = re.compile(r"cannot import name '([^']+)' from '([^']+)'")


def one_line(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)
    at = t("plugin_at", file=Path(where[-1].filename).name, line=where[-1].lineno) if where else ""
    if isinstance(exc, KaoheError):  # already one line for a user (a scheme file naming its key)
        return str(exc).splitlines()[0]
    if isinstance(exc, SyntaxError):
        return t("plugin_syntax", file=Path(exc.filename or "?").name, line=exc.lineno, at="")
    return _gloss(exc, at) or t("plugin_exception", kind=type(exc).__name__, error=_first(exc), at=at)


def _first(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else ""


def _gloss(exc: BaseException, at: str) -> str | None:  # noqa: PLR0911 - one answer per kind
    if isinstance(exc, ModuleNotFoundError):
        return t("plugin_no_module", module=exc.name, at=at)
    if isinstance(exc, ImportError):
        found = _CANNOT_IMPORT.match(str(exc))
        if found:
            return t("plugin_no_name", module=found[2], name=found[1], at=at)
        return t("plugin_import_error", error=_first(exc), at=at)
    if isinstance(exc, AttributeError) and exc.name:
        obj = exc.obj
        owner = (t("plugin_module_named", module=obj.__name__) if isinstance(obj, types.ModuleType)
                 else t("plugin_object_of", kind=type(obj).__name__))
        return t("plugin_no_attribute", owner=owner, name=exc.name, at=at)
    if isinstance(exc, NameError) and exc.name:
        return t("plugin_undefined_name", name=exc.name, at=at)
    if isinstance(exc, KeyError):
        return t("plugin_no_key", name=_first(exc), at=at)
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return t("plugin_no_file", file=exc.filename, at=at)
    if isinstance(exc, PermissionError) and exc.filename:
        return t("plugin_no_permission", file=exc.filename, at=at)
    if isinstance(exc, ZeroDivisionError):
        return t("plugin_zero_division", at=at)
    if isinstance(exc, RecursionError):
        return t("plugin_recursion", at=at)
    if isinstance(exc, SystemExit):
        return t("plugin_exit", code="" if exc.code is None else exc.code, at=at)
    if isinstance(exc, KeyboardInterrupt):
        return t("plugin_interrupt", at=at)
    for kind, key in ((TypeError, "plugin_type_error"), (ValueError, "plugin_value_error"),
                      (IndexError, "plugin_index_error")):
        if isinstance(exc, kind):
            return t(key, error=_first(exc), at=at)
    return None
