"""What is wrong in a TOML file an office writes (a scheme, an import profile), said in Chinese:
tomllib's and pydantic's own messages are English, so they are turned into the catalogue's words
here, once, with the line and column or the key that is at fault."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kaohe_tui.messages import t

if TYPE_CHECKING:  # tomllib itself is imported only when a file is parsed (CLI start-up)
    import tomllib

# pydantic's error types, by what a clerk editing the file should do about them
_PYDANTIC = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（拼错了？）",
    "float_parsing": "应为数字", "float_type": "应为数字", "int_parsing": "应为整数", "int_type": "应为整数",
    "int_from_float": "应为整数", "string_type": "应为文字（加引号）", "list_type": "应为列表（[…]）",
    "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "dict_type": "应为表（{…} 或 [表名]）", "model_type": "应为表（{…} 或 [表名]）",
    "greater_than": "应大于 {gt}", "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}", "less_than_equal": "应不大于 {le}",
    "too_short": "至少要有 {min_length} 项", "too_long": "至多 {max_length} 项",
    "literal_error": "应为以下之一：{expected}", "enum": "应为以下之一：{expected}",
}


def pydantic_problem(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in Chinese. A validator of
    ours raises its ValueError with a catalogue text already: that text is kept as it is."""
    ctx = error.get("ctx") or {}
    if error["type"] == "value_error":
        return str(ctx.get("error") or error["msg"])
    text = _PYDANTIC.get(error["type"])
    if text is None:
        return f"值不合要求（{error['type']}）"
    try:
        return text.format(**{k: (v.replace(" or ", "、") if isinstance(v, str) else v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return text.split("{")[0].rstrip("：")


def toml_problem(path: object, exc: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error as the catalogue's line: file, line and column (when tomllib says them)."""
    hint = "检查引号、方括号和等号是否成对、写全"
    found = re.search(r"at line (\d+), column (\d+)", str(exc))
    if found:
        return t("scheme_bad_toml", path=path, line=found.group(1), column=found.group(2), hint=hint)
    return t("scheme_bad_toml_nowhere", path=path, hint=hint + "；文件在结尾处不完整")
