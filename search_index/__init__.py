"""The search index: each block's address and text, verbatim (search.js normalises it as it does the query), and
what no light rule in the browser can reach (broken plurals, other names), computed at build time."""

import json
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import asdict, dataclass
from types import MappingProxyType

from search_index.keys import broken_forms


@dataclass(frozen=True)
class Block:
    """One block of a page: ``url`` opens it, ``section`` is its heading's text, ``text`` its own."""

    url: str
    section: str
    text: str


def index_json(
    all_blocks: Sequence[Block],
    other_names: Mapping[str, Sequence[str]] = MappingProxyType({}),
    known_singulars: MutableMapping[str, list[str]] | None = None,
) -> bytes:
    """The index file, compact UTF-8 JSON: ``blocks``, verbatim and in site order; ``forms``, the singulars of each
    word that is a broken plural (search_index.keys); ``names``, each other name (a Latin spelling, a common variant)
    -> the name as the text writes it (``other_names`` maps the latter to the former), so that a search for the other
    name finds, and highlights, the name where it stands (generate.site checks that the text holds each name).
    """
    texts = [text for block in all_blocks for text in (block.section, block.text)]
    index = {
        "blocks": [asdict(block) for block in all_blocks],
        "forms": broken_forms(texts, known_singulars),
        "names": {other.strip(): name for name, others in other_names.items() for other in others},
    }
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
