"""Transliteration of names between Latin and Cyrillic script.

Letter-by-letter tables get names wrong (Jared -> Жаред, Washington ->
Wашингтон), so these rules read letter groups in context: English j is дж,
a word-initial e is э, y before a vowel makes it iotated (Aliyev -> Алиев),
Slavic endings map as wholes (-sky -> -ский, -vic -> -вич). Where a
spelling has several readings (h -> х or г, х -> kh or h) each rule lists
them, most likely first, and the few likeliest spellings are returned; the
caller keeps those that occur in the index.

Loanwords have rules of their own (loanword_terms): Latin and Greek words
keep their English form under Russian endings (-ция: -tion, -ический: -ic),
which the name rules would spell as a name (цитотоксический: tsitotoxicheski).
"""
from __future__ import annotations

import re

from search.languages import script_of
from search.languages.english import stem as english_stem
from search.languages.russian import lemma as russian_lemma
from search.translate import pinyin

# How many spellings to return; each one costs a lookup and a fuzzy match.
CANDIDATES = 4

_VOWEL = "aeiouy"
_RU_VOWEL = "аеёиоуыэюяьъ"  # and the signs: е after any of them reads ye


def _rules(table: list[tuple[str, str]]) -> list[tuple[re.Pattern, list[str]]]:
    # "a|b|" = readings a, b or nothing, in order of preference.
    return [(re.compile(pattern), readings.split("|")) for pattern, readings in table]


# Tried in order at each position; the first pattern that matches is used,
# so endings and letter groups come before single letters.
_TO_CYRILLIC = _rules([
    (r"sk(?:iy|yi|ii|y|i)$", "ский"),
    (r"vi(?:ch|c|ć|č)$", "вич"),
    (r"i(?:c|ć|č)$", "ич|ик"),
    (r"[iy]y$", "ий|ый"),
    (r"ia$", "ия"),
    (rf"(?<=[^{_VOWEL}])y$", "и|ий"),
    (r"stle$", "сл|стл"),  # silent t: Newcastle -> Ньюкасл
    (rf"(?<=[^{_VOWEL}])e$", "|е"),  # silent final e, as in Luke
    (r"shch", "щ"),
    (r"sch", "ш|сх"),
    (r"sh|sz|ş|š", "ш"),
    (r"ch", "ч|х|к"),
    (r"cz|ç|č|ć", "ч"),
    (r"zh|ž", "ж"),
    (r"kh", "х"),
    (r"ts|tz", "ц"),
    (r"th", "т|с"),
    (r"ph", "ф"),
    (r"gh", "г|"),
    (r"ck", "к"),
    (r"qu", "кв"),
    (r"dzh|dj|đ", "дж"),
    (r"x", "кс"),
    (r"ee|ea", "и"),
    (r"oo|ou", "у"),
    (r"ew", "ью|ев"),
    (rf"ow(?=[{_VOWEL}])", "ов|оу"),  # Howard: Говард, Bowie: Боуи
    (r"ow", "оу|ау"),  # Snowden: Сноуден, Brown: Браун
    (rf"a[iy](?![{_VOWEL}])", "ай|ей"),
    (rf"e[iy](?![{_VOWEL}])", "ей|эй"),
    (rf"o[iy](?![{_VOWEL}])", "ой"),
    (rf"(?<=[^{_VOWEL}])ya", "ья|я"),  # Ilya -> Илья
    (rf"(?<=[^{_VOWEL}])yu", "ью|ю"),
    (rf"(?<=[^{_VOWEL}])y[eo]", "ье|е"),
    (r"ya", "я"),
    (r"yu", "ю"),
    (r"y[eo]", "е"),  # Aliyev -> Алиев, Yerevan -> Ереван
    (r"y", "и|й"),
    (rf"^e|(?<=[{_VOWEL}])e", "э|е"),
    (r"e", "е|э"),
    (r"ə", "а|э"),
    (r"ı", "ы|и"),
    (r"ö", "е"),
    (r"ü", "ю|у"),
    (r"ğ", "г"),
    (r"j", "дж|й|ж"),
    (r"c(?=[eiy])", "с|ц"),  # scientific and Slavic c is ц
    (r"c", "к|ц"),
    (rf"l(?=[^{_VOWEL}]|$)", "л|ль"),  # Ilham -> Ильхам
    (r"w", "в|у"),
    (r"h", "х|г|"),
    (r"u", "у|а"),
    (r"a", "а"), (r"b", "б"), (r"d", "д"), (r"f", "ф"), (r"g", "г"), (r"i", "и"),
    (r"k", "к"), (r"l", "л"), (r"m", "м"), (r"n", "н"), (r"o", "о"), (r"p", "п"),
    (r"q", "к"), (r"r", "р"), (r"s", "с"), (r"t", "т"), (r"v", "в"), (r"z", "з"),
])

_TO_LATIN = _rules([
    (r"ский$", "sky|skiy|ski"),
    (r"ий$", "iy|y|i"),
    (r"ый$", "y|iy"),
    (r"ой$", "oy|oi"),
    (r"вич$", "vich|vic"),
    (r"ия$", "ia|iya"),
    (r"дж", "j|dzh"),
    (r"кс", "x|ks"),
    (r"ай", "ai|ay"),
    (r"ау", "au|ow"),  # Штраус: Strauss, Браун: Brown
    (r"ей", "ey|ei"),
    (rf"^е|(?<=[{_RU_VOWEL}])е", "ye|e"),  # Алиев -> Aliyev
    (r"е", "e"),
    (r"ё", "yo|e"),
    (r"э", "e|a|ai"),  # Пэнтерс -> Panthers, Блэр -> Blair
    (r"ю", "yu|u"),
    (r"я", "ya|a|ia"),
    (r"й", "y|i|"),
    (r"ы", "y|i"),
    (r"[ьъ]", ""),
    (r"х", "kh|h"),
    (r"ц", "ts|c|z"),
    (r"ч", "ch|c"),
    (r"ш", "sh"),
    (r"щ", "shch|sch"),
    (r"ж", "zh|j"),
    (r"г", "g|h"),
    (r"к", "k|c"),
    (r"а", "a"), (r"б", "b"), (r"в", "v"), (r"д", "d"), (r"з", "z"), (r"и", "i"),
    (r"л", "l"), (r"м", "m"), (r"н", "n"), (r"о", "o"), (r"п", "p"), (r"р", "r"),
    (r"с", "s"), (r"т", "t"), (r"у", "u"), (r"ф", "f"),
])


# Latin and Greek loanwords keep their English form under Russian endings
# and letters (цитотоксический: cytotoxic, декарбонизация: decarbonization):
# endings map as wholes, and ц, к, х, ф read as in scientific Latin.
_LOANWORD_TO_LATIN = _rules([
    (r"ический$", "ic|ical"),
    (r"ивный$", "ive"),
    (r"альный$", "al"),
    (r"ионный$", "ional|ion"),
    (r"ирование$", "ation|ing"),
    (r"ификация$", "ification"),
    (r"[ая]ция$", "ation"),
    (r"ция$", "tion"),
    (r"[зс]ия$", "sion|sia"),
    (r"изм$", "ism"),
    (r"ировать$", "ize|ate|"),
    (r"ия$", "y|ia"),
    (r"(?:ый|ий|ой|ть)$", ""),
    (r"граф", "graph"),
    (r"физ", "phys|fiz"),
    (r"ци(?=[аеиоуюя])", "ti|ci"),
    (r"кс", "x|ks"),
    (r"кв", "qu|kv"),
    (r"ц", "c|ts"),
    (r"к", "c|k"),
    (r"х", "ch|h"),
    (r"ф", "f|ph"),
    (r"з", "z|s"),
    (r"[ий]", "i|y"),
    (r"ы", "y|i"),
    (r"[еёэ]", "e"),
    (r"ю", "u|yu"),
    (r"я", "ia|ya"),
    (r"ж", "g|zh"),
    (r"[ьъ]", ""),
    (r"ч", "ch"), (r"ш", "sh"), (r"щ", "sch"), (r"г", "g|h"),
    (r"а", "a"), (r"б", "b"), (r"в", "v"), (r"д", "d"),
    (r"л", "l"), (r"м", "m"), (r"н", "n"), (r"о", "o"), (r"п", "p"), (r"р", "r"),
    (r"с", "s"), (r"т", "t"), (r"у", "u"),
])

# The same the other way: vaccination -> вакцинация, cytotoxic -> цитотоксический.
_LOANWORD_TO_CYRILLIC = _rules([
    (r"i[sz]ation$", "изация"),
    (r"ation$", "ация"),
    (r"tion$", "ция"),
    (r"sion$", "сия|зия"),
    (r"ic(?:al)?$", "ический"),
    (r"ive$", "ивный"),
    (r"al$", "альный"),
    (r"ism$", "изм"),
    (r"i[sz]e$", "изировать|ировать"),
    (r"(?<=[^aeiou])y$", "ия"),
    (r"qu", "кв"),
    (r"ph", "ф"),
    (r"th", "т"),
    (r"ch", "х|ч"),
    (r"sh", "ш"),
    (r"x", "кс"),
    (r"c(?=[eiy])", "ц|с"),
    (r"c", "к"),
    (r"[iy]", "и"),
    (r"^e", "э|е"),
    (r"e", "е|э"),
    (r"w", "в"),
    (r"h", "г|х|"),
    (r"j", "дж|ж"),
    (r"g(?=[eiy])", "г|ж"),
    (r"a", "а"), (r"b", "б"), (r"d", "д"), (r"f", "ф"), (r"g", "г"),
    (r"k", "к"), (r"l", "л"), (r"m", "м"), (r"n", "н"), (r"o", "о"), (r"p", "п"),
    (r"q", "к"), (r"r", "р"), (r"s", "с"), (r"t", "т"), (r"u", "у"), (r"v", "в"), (r"z", "з"),
])


def _spellings(word: str, rules) -> list[str]:
    """The CANDIDATES spellings with the fewest less-preferred readings."""
    # Beam of (cost, spelling so far); cost = sum of reading ranks.
    beam = [(0, "")]
    pos = 0
    while pos < len(word):
        for pattern, readings in rules:
            m = pattern.match(word, pos)
            if m:
                pos = m.end()
                break
        else:  # a character no rule knows (digit, apostrophe) is kept
            readings = [word[pos]]
            pos += 1
        beam = sorted(((cost + rank, text + reading) for cost, text in beam
                       for rank, reading in enumerate(readings)),
                      key=lambda c: c[0])[:CANDIDATES]
    return list(dict.fromkeys(text for _, text in beam))


def to_cyrillic(word: str) -> list[str]:
    """Cyrillic spellings of a Latin name, lower-cased, likeliest first."""
    return _spellings(word.lower(), _TO_CYRILLIC)


def to_latin(word: str) -> list[str]:
    """Latin spellings of a Cyrillic name, lower-cased, likeliest first."""
    return _spellings(word.lower(), _TO_LATIN)


def transliterated_terms(word: str) -> list[str]:
    """Index terms of a name's spellings in the other script.

    Cyrillic spellings go through pymorphy3 as names, since the index holds
    the lemma of every inflected form (Шахбазова -> шахбазов); the spelling
    itself is kept too, as the lemmatizer mangles some foreign names.
    """
    if script_of(word) == "en":
        terms = []
        for spelling in to_cyrillic(word):
            terms += [russian_lemma(spelling, capitalized=True), spelling]
        return list(dict.fromkeys(terms))
    if script_of(word) == "ru":
        return list(dict.fromkeys(english_stem(s) for s in to_latin(word)))
    return []


def chinese_terms(word: str) -> list[str]:
    """Index terms of a Chinese name's spelling in the other script, pinyin
    for Palladius and back (Jinping: цзиньпин, Цзиньпина: jinp); [] for a
    word that does not read whole as Chinese syllables. Many words do by
    chance (НАТО: na-to, natuo), so these are for exact matches only, never
    a start for lookalikes."""
    if script_of(word) == "en":
        chinese = pinyin.to_palladius(word)
        if not chinese:
            return []
        # pymorphy3 guesses the lemma of each case form of an unknown
        # name apart (Шэньчжэне: шэньчжэн), so all of them are looked for.
        forms = [russian_lemma(form, capitalized=True) for form in _case_forms(chinese)]
        return list(dict.fromkeys(forms + [chinese]))
    if script_of(word) == "ru":
        spellings = [s for form in _uninflected(word) for s in pinyin.from_palladius(form)]
        return list(dict.fromkeys(english_stem(s) for s in spellings))
    return []


def _case_forms(name: str) -> list[str]:
    """The singular case forms Russian gives a foreign name declined as a
    masculine noun (Шэньчжэнь, Шэньчжэня, Шэньчжэню, Шэньчжэнем,
    Шэньчжэне); the name alone when it ends in a vowel (Циндао)."""
    if name.endswith(("ь", "й")):
        return [name] + [name[:-1] + ending for ending in ("я", "ю", "ем", "е")]
    if name and name[-1] not in _RU_VOWEL:
        return [name] + [name + ending for ending in ("а", "у", "ом", "е")]
    return [name]


def _uninflected(lemma: str) -> list[str]:
    """A Chinese name's possible spellings given the lemma pymorphy3 guessed
    for one of its forms, which may have dropped a final ь or й or taken one
    for a case ending (Шэньчжэне: шэньчжэн, Хуавэй: хуавэя)."""
    forms = [lemma]
    if lemma.endswith("н"):
        forms.append(lemma + "ь")
    if lemma.endswith(("я", "а")):
        forms += [lemma[:-1] + "ь", lemma[:-1] + "й"]
    return forms


def loanword_terms(word: str) -> list[str]:
    """Index terms of a Latin or Greek loanword's spellings in the other
    script: цитотоксический (a lemma) -> citotox, the index's cytotox being
    close enough for a fuzzy match; vaccination (as written) -> вакцинация."""
    if script_of(word) == "en":
        return _spellings(word.lower(), _LOANWORD_TO_CYRILLIC)
    if script_of(word) == "ru":
        return list(dict.fromkeys(english_stem(s) for s in _spellings(word.lower(), _LOANWORD_TO_LATIN)))
    return []
