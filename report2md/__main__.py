"""Entry point for ``python -m report2md``."""

import sys

from report2md.cli import main

sys.exit(main())
