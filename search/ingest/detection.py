"""The language of a document: "en", "ru" or "other".

Documents take a fast script check first: Cyrillic against Latin letters,
letters that rule Russian out, and for Latin text the share of English
function words. langdetect is asked only when that is not conclusive: it is
slow to load, and wrong on short text (газ -> uk, NATO -> vi), which is why
queries are judged by their script alone (languages.script_of).
"""
from __future__ import annotations

import re

# The check reads the start of a text: enough letters to decide, and cheap on
# a megabyte-long document. langdetect's time grows with its input; a
# paragraph is enough for it.
_SAMPLE_CHARS = 1000
_LANGDETECT_CHARS = 600

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]", re.I)
_LETTER = re.compile(r"[^\W\d_]")
# Cyrillic letters that Russian does not have: Ukrainian, Belarusian,
# Serbian and Macedonian.
_NOT_RUSSIAN = re.compile(r"[іїєґўђјљњћџѓќѕІЇЄҐЎЂЈЉЊЋЏЃЌЅ]")
# Bulgarian, Serbian and Macedonian have none of these (Belarusian, which
# has, is ruled out by і and ў): long Cyrillic text without any is not taken
# for Russian without asking langdetect.
_ONLY_RUSSIAN = re.compile(r"[ыэёЫЭЁ]")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?", re.I)
_ENGLISH_FUNCTION_WORDS = frozenset("""
    the of and to a an in is are was were be been that this for on with as by
    at from it its not or but have has had will would which who their they he
    his she her said
""".split())

# Function words of other languages written in Latin letters (German,
# French, Spanish, Italian, Portuguese, Dutch, Polish, Turkish, Indonesian),
# none of them English words. Latin text with few English function words
# and none of these either is terse English (market reports, tables:
# "Shr 1.21 dlrs vs 1.01 dlrs") and needs no langdetect, which reads such
# text as Swedish or Dutch and takes ~10 ms a document over it.
_OTHER_FUNCTION_WORDS = frozenset("""
    der die das und ist nicht ein eine zu mit den von sich auch auf für dem des im wird
    le la les et est un une du dans pour que qui pas sur au avec ce il elle sont
    el los las y es una del por con para se su lo como más
    il gli di che per della sono non
    os um uma da em não
    het een en van dat niet op te voor zijn
    się na jest że nie do
    ve bir bu ile için
    yang dan di ini itu dengan untuk dari
""".split())
_NOT_ASCII_LATIN = re.compile(r"[\u00c0-\u024f]")
# A share of the words (other function words) or letters (accented) above
# which Latin text may be another language and langdetect is asked.
_OTHER_RATIO = 0.05

# Below these sizes a text is judged by its script alone: neither the
# letter or word statistics nor langdetect can be trusted on a few words.
_SHORT_CYRILLIC = 200  # letters; 2% of Russian letters are ы/э/ё
_SHORT_LATIN = 8  # words
# English prose is about 35% function words (by the list above), German or
# French under 5%.
_ENGLISH_RATIO = 0.15
# langdetect's probability above which another language overrules the script.
_SURE = 0.9


def detect(text: str) -> str:
    """'en', 'ru' or 'other' for a document's text; deterministic."""
    sample = text[:_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return "other"
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if cyrillic >= latin and cyrillic * 2 >= letters:
        if len(_NOT_RUSSIAN.findall(sample)) * 100 >= cyrillic:
            return "other"
        if cyrillic < _SHORT_CYRILLIC or _ONLY_RUSSIAN.search(sample):
            return "ru"
        return _langdetect(sample, "ru")
    if latin * 2 >= letters:
        words = _WORD.findall(sample)
        function = sum(w.lower() in _ENGLISH_FUNCTION_WORDS for w in words)
        if len(words) < _SHORT_LATIN or function >= _ENGLISH_RATIO * len(words):
            return "en"
        other = sum(w.lower() in _OTHER_FUNCTION_WORDS for w in words)
        if other < _OTHER_RATIO * len(words) and len(_NOT_ASCII_LATIN.findall(sample)) < _OTHER_RATIO * latin:
            return "en"
        return _langdetect(sample, "en")
    return "other"  # Greek, Arabic, CJK...


def _langdetect(sample: str, script: str) -> str:
    """langdetect's answer when it is en or ru or sure of another language;
    else the script's (tables of figures read as Swedish at 0.7)."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # its sampling is random otherwise
    try:
        best = detect_langs(sample[:_LANGDETECT_CHARS])[0]
    except LangDetectException:
        return script
    if best.lang in ("en", "ru"):
        return best.lang
    return "other" if best.prob >= _SURE else script
