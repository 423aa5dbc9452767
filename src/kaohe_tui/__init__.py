"""kaohe — performance-assessment schemes in a terminal.

Plugins write ``@kaohe_tui.hookimpl``; everything else is imported from its module.
"""

from kaohe_tui.hookspecs import hookimpl

__all__ = ["hookimpl", "__version__"]
__version__ = "0.1.0"
