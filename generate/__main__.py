"""``python -m generate OUT_DIR [SITE_URL]``: write the pages and files the render stage receives, without MkDocs.

For reading them, or for feeding another site generator. Exit status 1 with one line on bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generate.data import DataError, site_address
from generate.inputs import read_inputs
from generate.site import generate_site
from report2md import SourceError, __version__


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: python -m generate OUT_DIR [SITE_URL]", file=sys.stderr)
        return 2
    out = Path(argv[0])
    site_url = argv[1] if len(argv) == 2 else "https://example.org/"
    try:
        site_address(site_url, "python -m generate", "SITE_URL")
        site = generate_site(
            read_inputs(Path.cwd()), site_url=site_url, palette_toggles=[], versions={"report2md": __version__}
        )
    except (SourceError, DataError) as error:
        print(f"generate: error: {error}", file=sys.stderr)
        return 1
    for path, data in {**site.pages, **site.files}.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return 0


sys.exit(main(sys.argv[1:]))
