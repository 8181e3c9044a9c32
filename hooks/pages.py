"""Hand the generated site (generate/) to MkDocs: its pages, files, names and metadata.

* index.md and provenance.md: generated from source/ at build time, so
  nothing in docs/ can drift from it; a hand-written copy there fails the build;
* report.ar.txt (the download) and robots.txt;
* each page's title and description, as text (see ``as_html_text``).

A bad source file or data file fails the build with a PluginError naming
the file and the field or position.
"""

from __future__ import annotations

import platform
from importlib.metadata import version
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from shared import project_root

import report2md
import sitefonts
from generate.data import DataError, site_address
from generate.site import SOURCE, Site, check_drawable_texts, generate_site, read_inputs
from report2md import SourceError
from report2md.coverage import check_drawable


def tool_versions() -> dict[str, str]:
    return {
        "Python": platform.python_version(),
        "MkDocs": version("mkdocs"),
        "Material for MkDocs": version("mkdocs-material"),
        "pymdown-extensions": version("pymdown-extensions"),
        "Python-Markdown": version("markdown"),
        "fontTools": version("fonttools"),
        "report2md": report2md.__version__,
    }


def palette_toggles(config: MkDocsConfig) -> list[str]:
    """The names of the palette buttons in mkdocs.yml: texts we wrote, listed as additions."""
    palette = config.theme.get("palette") or []
    schemes = palette if isinstance(palette, list) else [palette]
    return [scheme["toggle"]["name"] for scheme in schemes if (scheme.get("toggle") or {}).get("name")]


def as_html_text(text: str) -> Markup:
    """``text`` escaped for HTML element text and quoted attributes, marked as such for Jinja.

    Material's templates print the site name, description and page titles
    without escaping; where they escape, Jinja leaves Markup as it is. The
    social plugin unescapes what it draws, so a card shows the text itself.
    """
    return Markup.escape(text)


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether this is `mkdocs serve`, whose site_url MkDocs sets itself."""
    global _serving
    _serving = command == "serve"


_serving = False


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Read and check source/, generate the site, and give MkDocs its name and description."""
    root = project_root(config)
    if not config.site_url:
        raise PluginError("hooks/pages.py: site_url is not set; link previews and the sitemap need absolute URLs")
    try:
        if not _serving:  # mkdocs serve sets its own http://IP:port/ address, from its checked --dev-addr
            site_address(config.site_url, "mkdocs.yml", "site_url (or the SITE_URL variable)")
        inputs = read_inputs(root)
        drawable = sitefonts.covered(root / "fonts")
        check_drawable(inputs.conversion.source, str(SOURCE), drawable, "fonts/")
        check_drawable_texts(inputs, drawable, "fonts/")
        site = generate_site(
            inputs, site_url=config.site_url, palette_toggles=palette_toggles(config), versions=tool_versions()
        )
    except (SourceError, DataError) as error:
        raise PluginError(f"hooks/pages.py: {error}") from None
    except OSError as error:
        raise PluginError(f"hooks/pages.py: cannot read {error.filename}: {error.strerror}") from None
    config.site_name = as_html_text(site.site_name)
    config.site_description = as_html_text(site.description)
    # For the templates (overrides/): the 404 texts and the JSON-LD.
    config.extra["generated"] = site
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and files; refuse hand-written files that would shadow them."""
    site: Site = config.extra["generated"]
    for path in [*site.pages, *site.files]:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"hooks/pages.py: docs/{path} must not exist; it is generated from source/")
    for path, content in site.pages.items():
        files.append(File.generated(config, path, content=content))
    for path, data in site.files.items():
        files.append(File.generated(config, path, content=data))
    return files


@event_priority(100)  # before the social plugin reads page.meta for the card
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give each generated page its title and description as escaped text.

    Passed in code rather than as YAML front matter, which MkDocs drops
    without a word when a value has a character YAML refuses.
    """
    meta = config.extra["generated"].meta.get(page.file.src_uri)
    if meta is not None:
        page.meta = {key: as_html_text(value) for key, value in meta.items()}
    return markdown


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """Rebuild when the source or the data files change.

    The Python packages are imported once per process: after changing them, restart `make serve`.
    """
    server.watch(str(project_root(config) / "source"))
    return server
