"""Which characters of the text no font can draw, found at conversion rather than in the built site.

Pure: the caller says which code points its fonts have (the site's are in
sitefonts). A character needs a glyph unless it is white space or an
invisible format character (ZWJ, ZWNJ, the direction marks), which browsers
handle without one; the prepended concatenation marks such as U+06DD ARABIC
END OF AYAH are format characters that are drawn, so they do need one.
"""

from __future__ import annotations

from collections.abc import Collection

from report2md.errors import SourceError
from report2md.source import PREPENDED_CONCATENATION_MARKS, DecodedSource, describe, is_visible


def needs_glyph(char: str) -> bool:
    """Whether a font must have ``char`` for it to show."""
    return is_visible(char) or char in PREPENDED_CONCATENATION_MARKS


def check_drawable(source: DecodedSource, name: str, drawable: Collection[int], fonts: str) -> None:
    """Raise SourceError at the first character that needs a glyph none of ``drawable`` has; ``fonts`` names them."""
    # Each distinct character is looked up once; the text is searched only when one is missing.
    missing = {char for char in set(source.text) - {"\n"} if ord(char) not in drawable and needs_glyph(char)}
    if not missing:
        return
    for line_number, line in enumerate(source.lines, start=1):
        for column, char in enumerate(line, start=1):
            if char in missing:
                raise SourceError(
                    name,
                    line_number,
                    column,
                    f"{char!r} {describe(char)} is in no font of {fonts} (README: adding a font)",
                )
