"""Prepare Material's social plugin to draw Arabic link-preview cards offline.

The plugin draws each page's 1200x630 card with Pillow, from the layout in
overrides/layouts/report.yml (text aligned to the right edge: "end"). Two
things it cannot do by itself here, done before it draws:

* a font without the internet: it looks for a family's files in its cache
  (``<cache_dir>/fonts/<family>/<style>.ttf``) and downloads from Google
  Fonts only when that folder is missing. This hook writes the site's own
  Noto Naskh Arabic there, as static Regular and Bold instances of the
  variable font in fonts/, so nothing is downloaded;
* a check that Arabic will be shaped: without Raqm (and the FriBiDi library
  it loads), Pillow draws Arabic letters unjoined and left to right, with no
  error. The build fails instead, saying what to install.
"""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from PIL import features
from shared import FONTS_DIR, NASKH_ARABIC, project_root

# The family name the layout asks for, and the font it is made from.
CARD_FAMILY = "Report Naskh"
CARD_SOURCE = FONTS_DIR / NASKH_ARABIC
CARD_STYLES = {"Regular": 400, "Bold": 700}


def check_text_shaping() -> None:
    """Fail unless Pillow can shape Arabic (Raqm with FriBiDi)."""
    if not features.check("raqm") or not features.version("fribidi"):
        raise PluginError(
            "hooks/social.py: Pillow cannot shape Arabic: it needs Raqm and the FriBiDi library "
            "(Debian/Ubuntu: apt-get install libfribidi0). Without them the link-preview cards "
            "would show unjoined, left-to-right letters."
        )


def static_instance(source: Path, weight: int) -> bytes:
    """One weight of the variable font, as a plain TrueType file Pillow can read."""
    font = TTFont(source)
    font.flavor = None
    instance = instantiateVariableFont(font, {"wght": weight}, updateFontNames=False)
    buffer = io.BytesIO()
    instance.save(buffer)
    return buffer.getvalue()


def out_of_date(target: Path, *inputs: Path) -> bool:
    """Whether ``target`` is missing or older than any of ``inputs`` (as make decides)."""
    return not target.is_file() or target.stat().st_mtime < max(path.stat().st_mtime for path in inputs)


def check_coverage(font: Path, texts: dict[str, str]) -> None:
    """Fail if a card text has a character the card font cannot draw (every weight has the same map)."""
    cmap = TTFont(font, lazy=True).getBestCmap()
    for name, text in texts.items():
        missing = sorted({char for char in text if not char.isspace() and ord(char) not in cmap})
        if missing:
            raise PluginError(f"hooks/social.py: the card font {CARD_SOURCE} has no glyph for {missing} in the {name}")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check Pillow's shaping and put the card font where the social plugin finds it."""
    social = config.plugins.get("material/social") or config.plugins.get("social")
    if social is None or not social.config.enabled:
        return config
    check_text_shaping()
    root = project_root(config)
    cache = Path(social.config.cache_dir)
    folder = (cache if cache.is_absolute() else root / cache) / "fonts" / CARD_FAMILY
    report = config.extra.get("report")
    if report is None:
        raise PluginError("hooks/social.py must come after hooks/report.py in mkdocs.yml")
    additions = report["additions"]
    texts = {"title": additions.title, "provenance title": additions.provenance_title, "site name": config.site_name}
    source = root / CARD_SOURCE
    check_coverage(source, texts)
    # Instancing takes about half a second per weight: only when the source
    # font or this hook (the weights) changed, not on every rebuild.
    for style, weight in CARD_STYLES.items():
        target = folder / f"{style}.ttf"
        if out_of_date(target, source, Path(__file__)):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(static_instance(source, weight))
    return config
