"""Build-time word keys: the singulars of the text's broken plurals (البنوك → بنك، حقوق → حق), which change the
inside of a word, out of reach of search.js's affix rules. qalsadi's analyser proposes lemmas by every reading of a
word, some wrong for search (بنك as بن + ك "your son"): only those that pass is_inner_form and may_be_broken_plural
are kept."""

import unicodedata
from collections.abc import Iterable, Mapping, MutableMapping
from functools import cache
from itertools import groupby

# Letters that make up Arabic affixes (the mnemonic «سألتمونيها»), with the proclitics ف ب ك ل.
AFFIX_LETTERS = frozenset("سالتمونيهافبكل")
# Letters that change inside a broken plural or a weak root: not evidence that two words differ.
WEAK_LETTERS = frozenset("اويىءه")
# How hamza seats, alef forms, ى and ة are folded before comparing (as search.js folds them).
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه", "ـ": None})
# The number qalsadi gives a reading of a word that is a broken plural.
BROKEN_PLURAL = "جمع تكسير"
# Not a broken plural: a feminine word (ة, written ت before a pronoun), or a nisba adjective (التجاري، القومي).
_FEMININE_OR_NISBA_END = ("ة", "ته", "تها", "تهم", "تهما", "تهن", "تنا", "تكم", "تي", "ي", "ى")
# The article, with the proclitics it may carry (a lone proclitic may be a letter of the word: وسائل).
_LEADING = ("وال", "بال", "كال", "فال", "لل", "ال")


def words(text: str) -> list[str]:
    """The words of ``text`` as search.js splits it: runs of letters, combining marks and digits."""
    runs = groupby(text, key=lambda char: unicodedata.category(char)[0] in "LMN")
    return ["".join(run) for in_word, run in runs if in_word]


def _folded(word: str) -> str:
    """The word without diacritics, with hamza seats, alef forms, ى and ة folded."""
    return "".join(char for char in word if unicodedata.category(char) != "Mn").translate(_FOLD)


def is_inner_form(word: str, lemma: str) -> bool:
    """Whether ``lemma`` is a form of ``word`` that changes its inside: not found whole in it with only affix letters
    around (an affix reading: the light rules cover it when right, and when wrong, as وزير → زير, it would join
    different words), and its strong letters (all but WEAK_LETTERS) all in the word, in order."""
    word, lemma = _folded(word), _folded(lemma)
    core = lemma.removesuffix("ه")
    if len(core) < 2 or lemma == word:
        return False
    at = word.find(core)
    if at >= 0 and set(word[:at] + word[at + len(core) :]) <= AFFIX_LETTERS:
        return False
    letters = iter(word)
    return all(char in letters for char in core if char not in WEAK_LETTERS)


def may_be_broken_plural(word: str, singular: str) -> bool:
    """Whether ``word`` can be a broken plural of ``singular``: not feminine, not a nisba, and not shorter than it
    (the analyser reads غير as a plural of غيور، الكرامة of كريم; plurals such as كتب are rare)."""
    if word.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith(_FEMININE_OR_NISBA_END):
        return False
    folded = _folded(word)
    leads = (lead for lead in _LEADING if folded.startswith(lead) and len(folded) - len(lead) >= 3)
    return len(folded) - len(next(leads, "")) >= len(_folded(singular))


@cache
def _analyser():  # noqa: ANN202 (qalsadi has no type hints)
    """qalsadi's analyser, made once (loading its dictionary takes a moment), and only when a text is keyed."""
    import qalsadi.analex

    return qalsadi.analex.Analex()


def broken_forms(texts: Iterable[str], known: MutableMapping[str, list[str]] | None = None) -> Mapping[str, list[str]]:
    """Each Arabic word of ``texts`` that has any, sorted -> the lemmas that change its inside. ``known``: the
    analyser's singulars of words already analysed (kept between builds: analysis is slow); takes the new ones."""
    known = {} if known is None else known
    found: dict[str, list[str]] = {}
    arabic = {word for text in texts for word in words(text) if any("\u0621" <= char <= "\u064a" for char in word)}
    for word in sorted(arabic):
        if word not in known:
            readings = _analyser().check_word(word)
            singulars = (
                getattr(reading, "lemma", "") for reading in readings if getattr(reading, "number", "") == BROKEN_PLURAL
            )
            known[word] = list(dict.fromkeys(_folded(singular) for singular in singulars if singular))
        lemmas = [lemma for lemma in known[word] if is_inner_form(word, lemma) and may_be_broken_plural(word, lemma)]
        if lemmas:
            found[word] = lemmas
    return found
