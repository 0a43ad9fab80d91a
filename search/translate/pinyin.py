"""Chinese names between Hanyu Pinyin and the Palladius system.

English news spells Chinese names in pinyin (Xi Jinping, Shenzhen, Huawei);
Russian news in the Palladius system (Си Цзиньпин, Шэньчжэнь, Хуавэй),
which maps each pinyin syllable to a fixed Cyrillic one. Letter rules for
English names get these wrong (Jinping: Джинпинг, Xi: Кси), so a word that
reads whole as pinyin syllables is also spelled syllable by syllable.

A word reads as pinyin when it splits into syllables of the standard table,
every syllable after the first starting with a consonant, as pinyin writes
an apostrophe before a medial a, o or e (Xi'an; Jinan is ji-nan). Many
English words read so by chance (Song, Long, Man): the caller keeps only the
spellings that the index holds.
"""
from __future__ import annotations

import functools
import re

# The syllables of Standard Chinese in pinyin, by initial; ü written v.
_SYLLABLES = frozenset("""
a o e ai ei ao ou an en ang eng er
yi ya yo ye yao you yan yin yang ying yong yu yue yuan yun
wu wa wo wai wei wan wen wang weng
ba bo bai bei bao ban ben bang beng bi bie biao bian bin bing bu
pa po pai pei pao pou pan pen pang peng pi pie piao pian pin ping pu
ma mo me mai mei mao mou man men mang meng mi mie miao miu mian min ming mu
fa fo fei fou fan fen fang feng fu
da de dai dei dao dou dan den dang deng dong di die diao diu dian ding du duo dui duan dun
ta te tai tao tou tan tang teng tong ti tie tiao tian ting tu tuo tui tuan tun
na ne nai nei nao nou nan nen nang neng nong ni nie niao niu nian nin niang ning nu nuo nuan nv nve nue
la le lai lei lao lou lan lang leng long li lia lie liao liu lian lin liang ling lu luo luan lun lv lve lue
ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang
ka ke kai kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang
ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang
ji jia jie jiao jiu jian jin jiang jing jiong ju jue juan jun
qi qia qie qiao qiu qian qin qiang qing qiong qu que quan qun
xi xia xie xiao xiu xian xin xiang xing xiong xu xue xuan xun
zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong zhu zhua zhuo zhuai zhui zhuan zhun zhuang
cha che chi chai chao chou chan chen chang cheng chong chu chua chuo chuai chui chuan chun chuang
sha she shi shai shei shao shou shan shen shang sheng shu shua shuo shuai shui shuan shun shuang
re ri rao rou ran ren rang reng rong ru ruo rui ruan run
za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun
ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun
sa se si sai sao sou san sen sang seng song su suo sui suan sun
""".split())

_INITIALS = (("zh", "чж"), ("ch", "ч"), ("sh", "ш"), ("b", "б"), ("p", "п"), ("m", "м"),
             ("f", "ф"), ("d", "д"), ("t", "т"), ("n", "н"), ("l", "л"), ("g", "г"),
             ("k", "к"), ("h", "х"), ("j", "цз"), ("q", "ц"), ("x", "с"), ("r", "ж"),
             ("z", "цз"), ("c", "ц"), ("s", "с"))

# Finals after an initial; the ones that read otherwise after some initials
# are in _final below.
_FINALS = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу",
    "an": "ань", "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр",
    "i": "и", "ia": "я", "ie": "е", "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь",
    "iang": "ян", "ing": "ин", "iong": "юн",
    "u": "у", "ua": "уа", "uo": "о", "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь",
    "uang": "уан", "v": "юй", "ve": "юэ", "ue": "юэ",
}

# Syllables without an initial, and y- and w- syllables, read whole.
_WHOLE = {
    "yi": "и", "ya": "я", "yo": "йо", "ye": "е", "yao": "яо", "you": "ю", "yan": "янь",
    "yin": "инь", "yang": "ян", "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ",
    "yuan": "юань", "yun": "юнь",
    "wu": "у", "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань",
    "wen": "вэнь", "wang": "ван", "weng": "вэн",
    "hui": "хуэй",
}


def _final(initial: str, final: str) -> str:
    if initial in ("z", "c", "s") and final == "i":
        return "ы"  # zi, ci, si: цзы, цы, сы
    if initial in ("j", "q", "x"):
        # After j, q, x the u is ü: ju цзюй, xue сюэ, quan цюань, xun сюнь.
        return {"u": "юй", "ue": "юэ", "uan": "юань", "un": "юнь"}.get(final, _FINALS[final])
    return _FINALS[final]


@functools.cache
def _palladius(syllable: str) -> str:
    if syllable in _WHOLE:
        return _WHOLE[syllable]
    for initial, cyrillic in _INITIALS:
        if syllable.startswith(initial) and syllable != initial:
            return cyrillic + _final(initial, syllable[len(initial):])
    return _FINALS[syllable]


# Palladius spelling -> the pinyin syllables written so.
_PINYIN: dict[str, list[str]] = {}
for _syllable in sorted(_SYLLABLES):
    _PINYIN.setdefault(_palladius(_syllable), []).append(_syllable)


def _split(word: str, table, vowel_initial: str) -> list[str] | None:
    """`word` as a sequence of keys of `table`, longest first, every key
    after the first starting with no letter of `vowel_initial`; None when
    there is none."""
    if not word:
        return []
    for end in range(min(len(word), 6), 0, -1):
        head = word[:end]
        if head in table:
            rest = _split_rest(word[end:], table, vowel_initial)
            if rest is not None:
                return [head] + rest
    return None


def _split_rest(word: str, table, vowel_initial: str) -> list[str] | None:
    if not word:
        return []
    if word[0] in vowel_initial:
        return None
    return _split(word, table, vowel_initial)


def syllables(word: str) -> list[str] | None:
    """A Latin word's pinyin syllables (Jinping: jin, ping); None when it
    does not read as pinyin."""
    found = []
    # An apostrophe marks a boundary before a vowel (Xi'an: xi, an).
    for part in re.split("['’]", word.lower().replace("ü", "v")):
        if not part.isascii() or not part.isalpha():
            return None
        split = _split(part, _SYLLABLES, "aoe")
        if split is None:
            return None
        found += split
    return found


def to_palladius(word: str) -> str | None:
    """The Palladius spelling of a pinyin word, lower-cased (Jinping:
    цзиньпин, Huawei: хуавэй); None when it does not read as pinyin."""
    found = syllables(word)
    return "".join(_palladius(s) for s in found) if found else None


def from_palladius(word: str) -> list[str]:
    """The pinyin spellings of a lower-cased Palladius word (цзиньпин:
    jinping, си: xi); [] when it does not read as Palladius syllables."""
    word = word.replace("ё", "е")
    # Without apostrophes, a medial vowel-initial syllable (Сиань: си, ань)
    # is read only when nothing else is.
    found = _split(word, _PINYIN, "аоэеяюиуы") or _split(word, _PINYIN, "")
    if not found:
        return []
    spellings = [""]
    for syllable in found:
        spellings = [s + p for s in spellings for p in _PINYIN[syllable]]
    return spellings
