"""Prepare Material's social plugin to draw Arabic link-preview cards offline.

The plugin draws each page's 1200x630 card with Pillow, from the layout in
overrides/layouts/report.yml (text aligned to the right edge: "end"). Two
things it cannot do by itself here, done before it draws:

* a font without the internet: it looks for a family's files in its cache
  (``<cache_dir>/fonts/<family>/<style>.ttf``) and downloads from Google
  Fonts only when that folder is missing. This hook writes the site's own
  Noto Naskh Arabic there (its Arabic and Latin files merged, so a title
  with Latin letters draws too), as static Regular and Bold instances, so
  nothing is downloaded;
* a check that Arabic will be shaped: without Raqm (and the FriBiDi library
  it loads), Pillow draws Arabic letters unjoined and left to right, with no
  error. The build fails instead, saying what to install.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from PIL import features
from shared import project_root

import sitefonts
from finish.material import MaterialChanged
from generate.data import DataError
from generate.site import read_inputs
from report2md import SourceError
from sitefonts import CARD_FACES, Face, covered, source_path, static_font, uncovered

# The family name the layout asks for, and the faces it is made from.
CARD_FAMILY = "Report Naskh"
CARD_STYLES = {"Regular": 400, "Bold": 700}


def check_text_shaping() -> None:
    """Fail unless Pillow can shape Arabic (Raqm with FriBiDi)."""
    if not features.check("raqm") or not features.version("fribidi"):
        raise PluginError(
            "hooks/social.py: Pillow cannot shape Arabic: it needs Raqm and the FriBiDi library "
            "(Debian/Ubuntu: apt-get install libfribidi0). Without them the link-preview cards "
            "would show unjoined, left-to-right letters."
        )


def out_of_date(target: Path, *inputs: Path) -> bool:
    """Whether ``target`` is missing or older than any of ``inputs`` (as make decides)."""
    return not target.is_file() or target.stat().st_mtime < max(path.stat().st_mtime for path in inputs)


def card_faces(texts: dict[str, str]) -> tuple[Face, ...]:
    """The first card face, and each further one only if it draws a character of the texts the others lack.

    Fewest faces, since a merged font shapes Arabic spacing slightly
    differently. Fails if a text has a character no card face can draw.
    """
    chosen = CARD_FACES[:1]
    for face in CARD_FACES[1:]:
        missing = {ord(char) for text in texts.values() for char in uncovered(text, covered(faces=chosen))}
        if missing & covered(faces=(face,)):
            chosen += (face,)
    for name, text in texts.items():
        missing = uncovered(text, covered(faces=chosen))
        if missing:
            raise PluginError(f"hooks/social.py: source/report.yml: {name}: the card font has no glyph for {missing}")
    return chosen


def check_plugin_finds(social: Any, folder: Path) -> None:
    """Fail, naming the coupling, unless the plugin's own font lookup finds the files written in ``folder``."""
    for style in CARD_STYLES:
        try:
            found = Path(social._resolve_font(CARD_FAMILY, style))
        except (AttributeError, OSError) as error:
            raise PluginError(f"hooks/social.py: {MaterialChanged('social font cache', repr(error))}") from None
        if not found.is_file() or not found.samefile(folder / f"{style}.ttf"):
            raise PluginError(f"hooks/social.py: {MaterialChanged('social font cache', f'it reads {found}')}")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check Pillow's shaping and put the card font where the social plugin finds it."""
    social = config.plugins.get("material/social") or config.plugins.get("social")
    if social is None or not social.config.enabled:
        return config
    check_text_shaping()
    root = project_root(config)
    cache = Path(social.config.cache_dir)
    folder = (cache if cache.is_absolute() else root / cache) / "fonts" / CARD_FAMILY
    try:
        additions = read_inputs(root).additions
    except (SourceError, DataError) as error:
        raise PluginError(f"hooks/social.py: {error}") from None
    texts = {"title": additions.title, "provenance_title": additions.provenance_title, "site_name": additions.site_name}
    sources = [source_path(face) for face in card_faces(texts)]
    # Instancing takes about a second per weight: only when a source font,
    # the font helper or the faces chosen changed, not on every rebuild.
    stamp = folder / "faces.txt"
    chosen = "\n".join(str(source) for source in sources)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") != chosen:
        stamp.unlink()
    for style, weight in CARD_STYLES.items():
        target = folder / f"{style}.ttf"
        if not stamp.is_file() or out_of_date(target, *sources, Path(__file__), Path(sitefonts.__file__)):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(static_font(sources, weight))
    stamp.write_text(chosen, encoding="utf-8")
    check_plugin_finds(social, folder)
    return config
