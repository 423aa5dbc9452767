"""The ``context`` a sign-off snapshot pins (``signed_inputs``): everything scoring reads besides
the records, the cases and their monthly counts, which verify checks one by one.

- the scheme version and the units' standings (``signoff.context_digest``);
- the code that scores: kaohe's version and its core files (all but the TUI: an edit in place on a
  shared server moves figures without a new version), and each loaded plugin's name, version and
  module files (an upgrade that moves a figure makes verify score again and name it);
- every table of the file that is not one of kaohe's own (``CORE``): the plugins' tables
  (a roster, self-scores, targets …), whatever their plugin reads while scoring. Small tables:
  each row quoted whole by SQLite and hashed in a fixed order.

A legitimate change of any of these (another year's roster, an upgrade) only makes verify score
again, and then it names just the figures that moved.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe_tui.signoff import context_digest, digest

if TYPE_CHECKING:
    from kaohe_tui.scheme import Scheme
    from kaohe_tui.store import Store

# kaohe's own tables: checked by verify one by one (records, cases and their counts, units and
# standings, the scheme version), or bookkeeping that changes with every action and that scoring
# does not read (audit, periods, roles, sign-offs, migrations, imports' log). A new core table
# that changes in use belongs here, or every verify scores again.
CORE = frozenset({
    "records", "cases", "case_month_stats", "case_imports", "units", "year_units", "schemes",
    "scheme_years", "scheme_params", "signed_versions", "signoffs", "audit", "periods", "roles",
    "_sqlite_migrations",
})


def context(store: Store, scheme: Scheme, standings: dict) -> str | None:
    """The digest pinned as ``context`` at a close and compared by verify."""
    base = context_digest(scheme, standings)
    return None if base is None else digest([base, code(), tables(store.db.conn)])[:16]


def tables(conn) -> dict[str, str]:
    """Each non-core table's digest: its rows, every column quoted by SQLite, in sorted order
    (not by rowid: a VACUUM may renumber rowids)."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {}
    for name in names:
        if name in CORE or name.startswith("sqlite_"):
            continue
        quoted = '"' + name.replace('"', '""') + '"'
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({quoted})")]
        row = " || ',' || ".join(f"""quote("{c.replace('"', '""')}")""" for c in columns) or "''"
        h = hashlib.sha256()
        for (text,) in conn.execute(f"SELECT {row} FROM {quoted} ORDER BY 1"):
            h.update(text.encode("utf-8", "surrogatepass") + b"\n")
        out[name] = h.hexdigest()[:16]
    return out


def code() -> dict:
    """kaohe's version and core files, and each loaded plugin's ``__version__`` and module files."""
    import kaohe_tui
    from kaohe_tui import plugins

    return {"kaohe": [kaohe_tui.__version__, _core_digest(Path(kaohe_tui.__file__).parent)],
            "plugins": {name: _plugin(plugin) for name, plugin in sorted(plugins.pm.list_name_plugin())}}


@functools.cache
def _core_digest(root: Path) -> str:  # once a process: verify asks for every snapshot
    return core_files(root)


def core_files(root: Path) -> str:
    """One digest of kaohe's Python files but the TUI's (drawing moves no figure)."""
    return _files_digest(root, [p for p in sorted(root.rglob("*.py")) if p.relative_to(root).parts[0] != "tui"])


def _plugin(plugin: object) -> list:
    module = inspect.getmodule(plugin)
    version = getattr(plugin, "__version__", None) or getattr(module, "__version__", None)
    try:
        file = Path(inspect.getfile(module or type(plugin)))
    except (TypeError, OSError):
        return [version, None]
    files = sorted(file.parent.rglob("*.py")) if file.name == "__init__.py" else [file]
    return [version, _files_digest(file.parent, files)]


def _files_digest(root: Path, files: list[Path]) -> str:
    h = hashlib.sha256()
    for path in files:
        try:
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            h.update(str(path).encode() + b"\0?")
    return h.hexdigest()[:16]
