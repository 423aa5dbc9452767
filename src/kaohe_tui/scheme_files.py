"""Scheme files: TOML → a validated ``Scheme``, the rule types checking their own parameters.

Above both ``scheme`` (the model) and ``rules`` (which read the model), so that neither imports
the other's caller. Errors name the file and the field.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kaohe_tui import scheme_cache
from kaohe_tui.errors import SchemeError
from kaohe_tui.file_problems import pydantic_problem, toml_problem
from kaohe_tui.messages import t
from kaohe_tui.rules import check_indicator_params
from kaohe_tui.scheme import Scheme, walk


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_scheme(path: Path, plugin: str | None = None) -> Scheme:
    """Read and validate one scheme file; errors name the file and the field."""
    try:
        raw = scheme_cache.parse(Path(path).read_bytes())  # parsed once per content (scheme_cache)
    except FileNotFoundError:
        raise SchemeError(t("scheme_file_missing", path=path)) from None
    except UnicodeDecodeError as exc:
        raise SchemeError(t("scheme_not_utf8", path=path, byte=exc.start + 1)) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError (tomllib is imported only when a file is parsed)
        raise SchemeError(toml_problem(path, exc)) from None  # type: ignore[arg-type]  # it is one
    return scheme_from_dict(raw, str(path), plugin)


def non_finite(value: Any, where: tuple = ()) -> tuple | None:
    """Where in ``value`` (a parsed scheme file) a NaN or infinity sits, if anywhere: TOML writes
    them ``nan``/``inf``, and one such parameter would make a total NaN that ranks first."""
    if isinstance(value, float) and not math.isfinite(value):
        return where
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = non_finite(item, (*where, key))
        if found is not None:
            return found
    return None


def scheme_from_dict(raw: dict, origin: str, plugin: str | None = None) -> Scheme:
    bad = non_finite(raw)
    if bad is not None:
        raise SchemeError(t("scheme_not_finite", path=origin, setting=_field_path(bad)))
    try:
        scheme = Scheme.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _field_path(first["loc"])
        more = t("scheme_key_more", n=exc.error_count() - 1) if exc.error_count() > 1 else ""
        if not where:  # a check of the whole file (ours): its text names the key itself
            raise SchemeError(t("file_error", file=origin, reason=pydantic_problem(first) + more)) from None
        raise SchemeError(t("scheme_key", path=origin, setting=where, problem=pydantic_problem(first),
                            more=more)) from None
    for _, tree in scheme.trees():
        for path, node in walk(tree):
            problem = check_indicator_params(node)
            if problem:
                raise SchemeError(t("scheme_indicator", path=origin, indicator=path, problem=problem))
    if plugin:
        scheme.plugin = plugin
    return scheme
