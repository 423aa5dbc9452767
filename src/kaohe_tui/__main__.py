import sys

from kaohe_tui.cli import main

sys.exit(main())
