"""Moved to report2md.source; kept until finish/fonts.py imports needs_glyph from there."""

from report2md.source import needs_glyph

__all__ = ["needs_glyph"]
