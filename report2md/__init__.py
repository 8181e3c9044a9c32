"""report2md: one plain-text Arabic report into Markdown, losslessly. Pure functions (bytes in, Markdown out; no
MkDocs, no files: report2md.cli writes them), so the build, the tests and the command line run the same code."""

from collections.abc import Collection
from dataclasses import dataclass

from report2md.markdown import escape_text, render_markdown, script_json
from report2md.source import DecodedSource, SourceError, decode_source
from report2md.structure import (
    MAX_HEADING_CHARS,
    MAX_HEADING_WORDS,
    MAX_HEADINGS,
    SENTENCE_PUNCTUATION,
    Block,
    Kind,
    Reason,
    parse_blocks,
)

__version__ = "1.0.0"
__all__ = ["Block", "Conversion", "Kind", "Reason", "SourceError", "__version__", "convert", "escape_text"]
# JSON for a page's <script> data blocks, which generate and finish both write.
__all__ += ["script_json"]
# The heading rule's limits, which the provenance page states.
__all__ += ["MAX_HEADINGS", "MAX_HEADING_CHARS", "MAX_HEADING_WORDS", "SENTENCE_PUNCTUATION"]


@dataclass(frozen=True)
class Conversion:
    """The result of converting one source file."""

    source: DecodedSource
    blocks: tuple[Block, ...]
    markdown: str

    @property
    def headings(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.kind is Kind.HEADING)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.kind is Kind.PARAGRAPH)


def convert(data: bytes, name: str, accepted: Collection[str] = frozenset()) -> Conversion:
    """Convert the bytes of a source file named ``name`` (in messages), which may hold the invisible characters
    ``accepted`` (report2md.source.decode_source)."""
    source = decode_source(data, name, accepted)
    blocks = parse_blocks(source.lines)
    headings = [block for block in blocks if block.kind is Kind.HEADING]
    if len(headings) > MAX_HEADINGS:
        problem = f"the text has {len(headings):,} section headings; at most {MAX_HEADINGS:,} (MAX_HEADINGS)"
        raise SourceError(name, headings[MAX_HEADINGS].line, 1, problem)
    return Conversion(source, blocks, render_markdown(blocks))
