"""kaohe — performance-assessment schemes in a terminal.

Plugins import from ``kaohe_tui.api`` only (docs/PLUGINS.md); ``kaohe_tui.hookimpl`` is kept for
plugins written before it.
"""

from kaohe_tui.hookspecs import hookimpl

__all__ = ["hookimpl", "__version__"]
__version__ = "0.1.0"
