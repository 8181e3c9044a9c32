"""The render stage, the site's one MkDocs hook: the generated site (generate/) handed to MkDocs, then finished.

A build takes site_dir's place only once finished (finish/); under ``mkdocs serve`` a failed build shows its
error as the page, and no request waits for a build that cannot succeed.
"""

from __future__ import annotations

import json
import platform
import shutil
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import fontTools
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from PIL import features

import report2md
import sitefonts
from finish import FinishError, SiteFacts, finish_site
from finish.material import UNUSED_THEME_FILES, UNUSED_THEME_FOLDERS, MaterialChanged
from generate.data import DataError, site_address
from generate.inputs import SOURCE, check_drawable_texts, check_published, check_tree, read_inputs
from generate.site import ARTICLE, Site, at_host_root, generate_site
from report2md import SourceError, escape_text
from report2md.source import check_drawable
from search_index import keys
from sitefonts.cache import cache_file, kept, write_if_changed

# The family the card layout (overrides/layouts/report.yml) asks for, and its styles' weights.
CARD_FAMILY, CARD_STYLES = "Report Naskh", {"Regular": 400, "Bold": 700}
STAGING_SUFFIX = ".building"
# The tools that made the site, for the provenance page: their names, and their packages'.
TOOLS = {
    "MkDocs": "mkdocs",
    "Material for MkDocs": "mkdocs-material",
    "pymdown-extensions": "pymdown-extensions",
    "Python-Markdown": "markdown",
    "fontTools": "fonttools",
    "tinyhtml5": "tinyhtml5",
    "qalsadi": "qalsadi",
}


@dataclass
class _Build:
    """What one `mkdocs build` or `serve` knows between events."""

    serving: bool = False
    site: Site | None = None
    error: str = ""  # under serve: the error the pages show instead of the site
    published: Path = field(default_factory=Path)  # site_dir as configured, where the finished site goes


_build = _Build()


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether the site is served by `mkdocs serve` (which sets its own address, and allows live reload)."""
    _build.serving = command == "serve"


def _generate(config: MkDocsConfig, root: Path) -> Site:
    # Every file the build reads or publishes is a regular file of the repository, docs/ holds nothing active,
    # and every font is the pinned one (sitefonts.covered checks the pins first), before anything is read.
    check_tree(root)
    check_published(Path(config.docs_dir))
    drawable = sitefonts.covered(root / "fonts")
    if not _build.serving:  # mkdocs serve sets its own http://IP:port/ address, from its checked --dev-addr
        site_address(config.site_url or "", "mkdocs.yml", "site_url (or the SITE_URL variable)")
    inputs = read_inputs(root)
    check_drawable(inputs.conversion.source, str(SOURCE), drawable, "fonts/")
    check_drawable_texts(inputs, drawable, "fonts/")
    palette = config.theme.get("palette") or []
    toggles = [p["toggle"]["name"] for p in palette if (p.get("toggle") or {}).get("name")]
    # The analyser's answers (search_index.keys), kept between builds: analysing a word takes milliseconds.
    key = ("singulars", version("qalsadi"))
    cache = cache_file(root / ".cache" / "search", key, [Path(keys.__file__)], ".json")
    known = json.loads(cache.read_text(encoding="utf-8")) if cache.is_file() else {}
    versions = {"Python": platform.python_version(), **{name: version(package) for name, package in TOOLS.items()}}
    versions["report2md"] = report2md.__version__
    site = generate_site(
        inputs, site_url=config.site_url or "", palette_toggles=toggles, versions=versions, known_singulars=known
    )
    write_if_changed(cache, json.dumps(known, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return site


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the site from source/, give MkDocs its texts, the card font its place, and a staging folder."""
    root = Path(config.config_file_path).resolve().parent
    try:
        site = _generate(config, root)
        _build.error = ""
    except (SourceError, DataError, sitefonts.FontError, OSError) as error:
        message = f"{error.filename}: {error.strerror}" if isinstance(error, OSError) else str(error)
        if not _build.serving or _build.site is None:  # under serve, with nothing built yet, it stops as a build does
            raise PluginError(f"hooks/render.py: {message}") from None
        _build.error = message  # shown instead of each page of the last good site (on_page_markdown)
        site = _build.site
    _build.site = site
    # Material prints these unescaped; escaped once here, as Markup, Jinja leaves them as they are.
    config.site_name = Markup.escape(site.additions.site_name)
    config.site_description = Markup.escape(site.meta[ARTICLE]["description"])
    config.extra["generated"] = site  # for overrides/: the 404 texts and the JSON-LD
    _card_font(config, root, site)
    _ignore_material_search_index(config)
    if not _build.serving:
        _build.published = Path(config.site_dir)
        config.site_dir = str(_build.published.with_name(_build.published.name + STAGING_SUFFIX))
    return config


def _ignore_material_search_index(config: MkDocsConfig) -> None:
    """Take out the search plugin's indexing: base.html draws the search box only while it is on; search.js answers."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    events = getattr(config.plugins, "events", {})
    found = 0
    for event in ("page_context", "post_build"):
        handlers = events.get(event, [])
        kept = [h for h in handlers if getattr(h, "__self__", None) is not search]
        found += len(handlers) - len(kept)
        events[event] = kept
    if search is None or found != 2:
        raise PluginError(f"hooks/render.py: {MaterialChanged('search plugin', f'{found} of its 2 events found')}")


def _card_font(config: MkDocsConfig, root: Path, site: Site) -> None:
    """The site's Noto Naskh where the social plugin looks for a family's files, so that it downloads nothing."""
    social = config.plugins.get("material/social") or config.plugins.get("social")
    if social is None or not social.config.enabled:
        return
    if not features.check("raqm") or not features.version("fribidi"):
        raise PluginError(
            "hooks/render.py: Pillow cannot shape Arabic: it needs Raqm and the FriBiDi library (Debian: apt-get"
            " install libfribidi0); without them the link-preview cards would show unjoined, left-to-right letters"
        )
    cache = Path(social.config.cache_dir)
    folder = (cache if cache.is_absolute() else root / cache) / "fonts" / CARD_FAMILY
    texts = [site.additions.title, site.additions.provenance_title, site.additions.site_name]
    # The first card face, and each further one only if it draws a character of the texts the others lack
    # (fewest faces: a merged font spaces Arabic slightly differently).
    first, *others = (sitefonts.source_path(face, root / "fonts") for face in sitefonts.CARD_FACES)
    sources, drawn = [first], sitefonts.codepoints(first)
    for source in others:
        own = sitefonts.codepoints(source)
        if any(ord(c) in own for text in texts for c in sitefonts.uncovered(text, drawn)):
            sources.append(source)
            drawn |= own
    for text in texts:
        if sitefonts.uncovered(text, drawn):
            raise PluginError(f"hooks/render.py: source/report.yml: the card font cannot draw {text!r}")
    pinned = [sitefonts.pinned_bytes(source) for source in sources]
    for style, weight in CARD_STYLES.items():
        # Instancing takes about a second a weight: kept by the faces' pinned files, the weight and the code.
        key = (pinned, weight, fontTools.version)
        made = partial(sitefonts.static_font, sources, weight)
        data = kept(root / ".cache" / "fonts", key, [Path(sitefonts.__file__)], ".ttf", made)
        target = folder / f"{style}.ttf"
        write_if_changed(target, data)
        try:
            found = Path(social._resolve_font(CARD_FAMILY, style))
        except (AttributeError, OSError) as error:
            raise PluginError(f"hooks/render.py: {MaterialChanged('social font cache', repr(error))}") from None
        if not found.is_file() or not found.samefile(target):
            raise PluginError(f"hooks/render.py: {MaterialChanged('social font cache', f'it reads {found}')}")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and files (none may be in docs/), and leave out the theme files no page uses."""
    site: Site = config.extra["generated"]
    for path in [*site.pages, *site.files]:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"hooks/render.py: docs/{path} must not exist; it is generated from source/")
    for path, content in {**site.pages, **site.files}.items():
        files.append(File.generated(config, path, content=content))
    theme = [f for f in files if f.abs_src_path and not f.abs_src_path.startswith(str(config.docs_dir))]
    unused = [f for f in theme if f.generated_by is None and _unused(f.src_uri)]
    for path in (*UNUSED_THEME_FILES, *UNUSED_THEME_FOLDERS):
        if not any(f.src_uri.startswith(path) for f in unused):
            raise PluginError(f"hooks/render.py: {MaterialChanged('unused theme files', f'no {path}')}")
    for file in unused:
        files.remove(file)
    return files


def _unused(path: str) -> bool:
    """Source maps, Material's search engine, its default favicon, the cards' layouts: used by no page."""
    return path.endswith(".map") or path.startswith(("layouts/", *UNUSED_THEME_FOLDERS)) or path in UNUSED_THEME_FILES


@event_priority(100)  # before the social plugin reads page.meta for the card
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Each generated page's title and description, as escaped text; under serve, a failed build's error."""
    meta = config.extra["generated"].meta.get(page.file.src_uri)
    if meta is not None:
        page.meta = {key: Markup.escape(value) for key, value in meta.items()}
    if _build.error:
        return f"# {escape_text('The build failed')}\n\n{escape_text(_build.error)}\n"
    return markdown


@event_priority(-100)  # after every other hook and plugin has written the site
def on_post_build(config: MkDocsConfig) -> None:
    """Finish the built site, then put it in place of the last one; a failed build leaves that one as it was."""
    built, site_url = Path(config.site_dir), config.site_url or ""
    root = Path(config.config_file_path).resolve().parent
    # Crawlers read a sitemap only through robots.txt at the host's root (generate.site.at_host_root).
    for leftover in ("sitemap.xml.gz", *([] if at_host_root(site_url) else ["sitemap.xml"])):
        (built / leftover).unlink(missing_ok=True)
    palette = config.theme.get("palette") or []
    facts = SiteFacts(
        palettes=[{k: str(p.get(k, "")) for k in ("media", "scheme", "primary", "accent")} for p in palette],
        fonts_dir=root / "fonts",
        cache_dir=root / ".cache" / "finish",
        site_url=site_url,
        serving=_build.serving,
    )
    try:
        finish_site(built, facts)
    except FinishError as error:
        if not _build.serving:
            shutil.rmtree(built, ignore_errors=True)
            raise PluginError(f"hooks/render.py: {error}; {_build.published} is left as it was") from None
        for page in built.rglob("*.html"):  # under serve: the error, as text, instead of unfinished pages
            page.write_text(f"<!doctype html><meta charset=utf-8><pre>{Markup.escape(str(error))}</pre>")
        return
    if not _build.serving:
        old = _build.published.with_name(_build.published.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if _build.published.exists():
            _build.published.rename(old)
        built.rename(_build.published)
        shutil.rmtree(old, ignore_errors=True)


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """Rebuild when the source or the data files change (the Python packages: restart `make serve`)."""
    server.watch(str(Path(config.config_file_path).resolve().parent / "source"))
    return server
