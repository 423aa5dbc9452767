"""Where things live: the built-in plugins/schemes/data, and the default database."""

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """``plugins``, ``schemes`` or ``data``: inside the installed package (a wheel), or at the
    top of the source checkout (an editable install)."""
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name


def default_db_path() -> Path:
    env = os.environ.get("KAOHE_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs  # (and tempfile, random…) only when no --db or KAOHE_DB names the file

    return Path(platformdirs.user_data_dir("kaohe", appauthor=False)) / "kaohe.db"
