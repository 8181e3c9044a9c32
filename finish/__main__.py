"""``python -m finish SITE_DIR``: run the finishing steps over a site built without hooks/finish_site.py.

For another generator of the same templates (a move off MkDocs): reads the
palettes and stylesheets from mkdocs.yml, the fonts from fonts/. Exit 1 with
one line when a page cannot be finished.
"""

from __future__ import annotations

import sys
from pathlib import Path

from finish import FinishError, finish_site
from finish.theme_color import config_theme_color_metas


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m finish SITE_DIR", file=sys.stderr)
        return 2
    from mkdocs.config import load_config  # only to read mkdocs.yml's palettes and stylesheets

    config = load_config("mkdocs.yml")
    try:
        metas = config_theme_color_metas(config.docs_dir, config.extra_css, config.theme.get("palette"))
        finish_site(Path(argv[0]), fonts_dir=Path("fonts"), theme_color_metas=metas)
    except FinishError as error:
        print(f"finish: error: {error}", file=sys.stderr)
        return 1
    return 0


sys.exit(main(sys.argv[1:]))
