"""Entry point for ``python -m report2md``."""

from report2md.cli import main

raise SystemExit(main())
