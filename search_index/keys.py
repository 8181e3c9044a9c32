"""Build-time word keys: the other forms of a word that light rules cannot reach (broken plurals).

The browser's search (docs/assets/javascripts/search.js) removes affixes with
light rules: article, proclitics, pronouns, plural and feminine endings. A
broken plural changes the inside of the word (بنك → البنوك، وزير → الوزراء،
حق → حقوق), which no affix rule can undo. Here, once per build, a maintained
morphological analyser (qalsadi's lemmatizer, over the Arramooz dictionary)
gives each word of the text its candidate lemmas; the index keeps, for each
word, the lemmas that say something the light rules do not, and the browser
keys the word by them too, so that it does no analysis of its own.

The analyser proposes lemmas by every reading it can make of a word, some of
them wrong for search (بنك as بن + ك "your son", فكرة as ف + كرة, جنسية as
جنس + ية). Two checks keep only the readings that change the word's inside:

* a lemma found whole inside the word with only affix letters around it
  (the letters of «سألتمونيها» and the proclitics ف ب ك ل) is an affix
  reading: the light rules already cover it when it is right, and when it is
  wrong (بنك → بن، وزير → زير، جنسية → جنس) it would join different words;
* a lemma whose strong letters (all but ا و ي ى ء ه) do not all appear in the
  word, in order, is not a form of it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, MutableMapping
from functools import cache
from itertools import groupby

__all__ = ["broken_forms", "is_inner_form", "may_be_broken_plural", "words"]

# Letters that make up Arabic affixes (the mnemonic «سألتمونيها»), with the
# proclitics ف ب ك ل and ة written before a suffix (ت) or folded (ه).
AFFIX_LETTERS = frozenset("سالتمونيهافبكل")
# Letters that change inside a broken plural or a weak root: not evidence that two words differ.
WEAK_LETTERS = frozenset("اويىءه")
# How hamza seats, alef forms, ى and ة are folded before comparing (as search.js folds them).
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه", "ـ": None})


def words(text: str) -> list[str]:
    """The words of ``text`` as search.js splits it: runs of letters, combining marks and digits."""
    runs = groupby(text, key=lambda char: unicodedata.category(char)[0] in "LMN")
    return ["".join(run) for in_word, run in runs if in_word]


def _folded(word: str) -> str:
    """The word without diacritics, with hamza seats, alef forms, ى and ة folded."""
    return "".join(char for char in word if unicodedata.category(char) != "Mn").translate(_FOLD)


def _is_arabic(word: str) -> bool:
    return any("\u0621" <= char <= "\u064a" for char in word)


def _strong(word: str) -> str:
    return "".join(char for char in word if char not in WEAK_LETTERS)


def _is_subsequence(needle: str, haystack: str) -> bool:
    letters = iter(haystack)
    return all(char in letters for char in needle)


def is_inner_form(word: str, lemma: str) -> bool:
    """Whether ``lemma`` is a form of ``word`` that changes its inside (a broken plural), not an affix reading."""
    word, lemma = _folded(word), _folded(lemma)
    core = lemma.removesuffix("ه")
    if len(core) < 2 or lemma == word:
        return False
    at = word.find(core)
    if at >= 0 and set(word[:at] + word[at + len(core) :]) <= AFFIX_LETTERS:
        return False
    return _is_subsequence(_strong(core), word)


# The number qalsadi gives a reading of a word that is a broken plural.
BROKEN_PLURAL = "جمع تكسير"


@cache
def _analyser():  # noqa: ANN202 (qalsadi has no type hints)
    """qalsadi's analyser, made once: loading its dictionary takes a moment."""
    import qalsadi.analex  # imported only when a text is keyed

    return qalsadi.analex.Analex()


def _singulars(word: str) -> list[str]:
    """The singulars of the readings of ``word`` that the analyser tags as a broken plural, without diacritics."""
    readings = _analyser().check_word(word)
    singulars = (
        getattr(reading, "lemma", "") for reading in readings if getattr(reading, "number", "") == BROKEN_PLURAL
    )
    return list(dict.fromkeys(_folded(singular) for singular in singulars if singular))


# Before a pronoun, ة is written ت: a word ending so is feminine, not a broken plural.
_FEMININE_END = ("ة", "ته", "تها", "تهم", "تهما", "تهن", "تنا", "تكم", "تي")
# A nisba adjective (التجاري، القومي) is not a broken plural either.
_NISBA_END = ("ي", "ى")
# The article, with the proclitics it may carry (a lone proclitic may be a letter of the word: وسائل).
_LEADING = ("وال", "بال", "كال", "فال", "لل", "ال")


def may_be_broken_plural(word: str, singular: str) -> bool:
    """Whether ``word`` can be a broken plural of ``singular``: not feminine, not a nisba, and not shorter than it.

    The analyser reads many singular words as plurals of a longer word
    (غير as a plural of غيور، الكرامة of كريم): broken plurals do not end in ة,
    and (but for rare patterns such as كتب) are not shorter than their singular.
    """
    folded = _folded(word)
    if word.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652").endswith(_FEMININE_END + _NISBA_END):
        return False
    leads = (lead for lead in _LEADING if folded.startswith(lead) and len(folded) - len(lead) >= 3)
    stem = folded[len(next(leads, "")) :]
    return len(stem) >= len(_folded(singular))


def broken_forms(texts: Iterable[str], known: MutableMapping[str, list[str]] | None = None) -> Mapping[str, list[str]]:
    """For each Arabic word of ``texts`` (as written), the lemmas that change its inside; words without any left out.

    Sorted by word, so that the index is the same bytes for the same text. ``known`` holds the analyser's
    singulars of words already analysed (the render stage keeps them between builds: analysis is slow), and
    takes those of new words.
    """
    known = {} if known is None else known
    found: dict[str, list[str]] = {}
    for word in sorted({word for text in texts for word in words(text) if _is_arabic(word)}):
        if word not in known:
            known[word] = _singulars(word)
        lemmas = [lemma for lemma in known[word] if is_inner_form(word, lemma) and may_be_broken_plural(word, lemma)]
        if lemmas:
            found[word] = lemmas
    return found
