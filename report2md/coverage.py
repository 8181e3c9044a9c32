"""Which characters of the text no font can draw, found at conversion rather than in the built site."""

from collections.abc import Collection

from report2md.source import PREPENDED_CONCATENATION_MARKS, DecodedSource, SourceError, describe, is_visible


def needs_glyph(char: str) -> bool:
    """Whether a font must have ``char`` for it to show: white space and invisible format characters (ZWJ, the
    direction marks) need none, but the drawn ones such as U+06DD ARABIC END OF AYAH do."""
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
                problem = f"{char!r} {describe(char)} is in no font of {fonts} (README: adding a font)"
                raise SourceError(name, line_number, column, problem)
