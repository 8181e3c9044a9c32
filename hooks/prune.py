"""Leave out of site/ the theme files that no page of this site uses.

Material ships assets for every site: a search engine in thirty languages,
source maps for debugging Material itself, a PNG favicon. Publishing them
costs nothing at page load but makes site/ larger than the product and hides
what the page really loads. Left out, by rule rather than by list, so an
update of Material keeps working:

* source maps (``*.map``);
* Material's search engine (its worker and lunr): the site's own search.js
  answers its search box (finish/search_box.py, search_index/);
* Material's default favicon when the site has its own;
* the social cards' layouts (``layouts/`` in overrides/), read at build time;
* ``sitemap.xml.gz``, which MkDocs writes beside ``sitemap.xml``: crawlers
  take the plain file named in robots.txt.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

_MATERIAL_SEARCH_ENGINE = re.compile(r"^assets/javascripts/(workers/search\.[0-9a-f]+\.min\.js|lunr/.*)$")
_DEFAULT_FAVICON = "assets/images/favicon.png"
_LAYOUTS = "layouts/"


def unused(path: str, favicon: str) -> bool:
    """Whether a theme file at ``path`` (its URI in site/) is used by no page of this site."""
    return (
        path.endswith(".map")
        or _MATERIAL_SEARCH_ENGINE.match(path) is not None
        or (path == _DEFAULT_FAVICON and favicon != _DEFAULT_FAVICON)
        or path.startswith(_LAYOUTS)
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Remove the unused theme files; files from docs/ are always kept."""
    favicon = config.theme.get("favicon") or _DEFAULT_FAVICON
    docs_dir = str(config.docs_dir)
    for file in list(files):
        from_theme = file.abs_src_path is not None and not file.abs_src_path.startswith(docs_dir)
        if from_theme and file.generated_by is None and unused(file.src_uri, favicon):
            files.remove(file)
    return files


def on_post_build(config: MkDocsConfig) -> None:
    """Remove the gzipped sitemap MkDocs always writes."""
    (Path(config.site_dir) / "sitemap.xml.gz").unlink(missing_ok=True)
