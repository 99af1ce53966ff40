"""English word helpers used by the ``a``, ``s``, ``ed``, ``capitalize`` and ``title`` modifiers.

Pure functions with no dependencies (not even on the rest of gpbt): small tables of exceptions plus
the ordinary spelling rules. They aim at the words an essay generator meets, not at a full dictionary.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Modifiers run on every expansion, on a small vocabulary: the public functions are memoised, the patterns
# compiled once.
CACHE_SIZE = 4096
_BLANK = re.compile(r"\s")
_LEADING_NUMBER = re.compile(r"\d[\d,]*")
_WORD_BREAK = re.compile(r"[-‐‑–—/.']")
_LEADING_LETTERS = re.compile(r"[A-Za-z]+")
_PUNCTUATED_WORD = re.compile(r"^(\W*)(.*?)(\W*)$")
_BLANK_RUNS = re.compile(r"(\s+)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
_HYPHENS = re.compile(r"([-‐‑–—/])")

__all__ = [
    "indefinite_article",
    "plural",
    "plural_first",
    "past_tense",
    "capitalize",
    "title_case",
    "capitalize_words",
    "is_plural",
    "agree",
]

# --------------------------------------------------------------------------- articles

# Words (and prefixes) that begin with a vowel letter but a consonant sound: "a useful", "a one-off".
_CONSONANT_SOUND_PREFIXES = (
    "uni", "use", "usu", "uti", "ute", "ura", "uri", "uro", "ubiq", "ufo", "uk", "ukr", "unanim",
    "eu", "ewe", "one", "once", "uvu",
)
# ... with exceptions that are read with a vowel after all: "an uninformed", "an onerous".
_VOWEL_SOUND_EXCEPTIONS = (
    "unim", "unin", "unident", "onerous",
)
# Words that begin with a silent h: "an hour", "an honest", "an heir".
_SILENT_H_PREFIXES = ("hour", "honest", "honor", "honour", "heir")

# Upper-case words that are read as words, not spelt out: "a NASA probe", "a NATO summit".
_WORD_ACRONYMS = frozenset({
    "NASA", "NATO", "UNESCO", "UNICEF", "OPEC", "AIDS", "LASER", "RADAR", "SCUBA", "FIFA", "IKEA",
    "ASAP", "GIF", "JPEG", "COVID", "WHO", "OECD", "ASEAN", "UEFA", "NAFTA", "SARS", "MIT",
})
# Letters whose English names start with a vowel sound: A, E, F (eff), H (aitch), I, L, M, N, O, R, S, X.
_VOWEL_LETTER_NAMES = frozenset("AEFHILMNORSX")

_LEADING_SKIP = re.compile(r"^[^\w]+")


def _starts_with_vowel_sound(phrase: str) -> bool:
    """Whether the first word of ``phrase`` is pronounced with a leading vowel sound."""
    text = _LEADING_SKIP.sub("", phrase)
    if not text:
        return False
    word = _BLANK.split(text, maxsplit=1)[0]

    # Numbers: 8, 11, 18, 80, 800, 1100 (eleven hundred), 18000 (eighteen thousand) -> "an".
    digits = _LEADING_NUMBER.match(word)
    if digits:
        number = digits.group(0).replace(",", "")
        if number[0] == "8":
            return True
        if number[:2] in ("11", "18"):
            n = len(number)
            return n == 4 or n % 3 == 2
        return False

    # A single letter on its own or before a hyphen is read as its name: "an X-ray", "a U-turn".
    first_part = _WORD_BREAK.split(word, maxsplit=1)[0]
    if len(first_part) == 1 and first_part.isalpha():
        if first_part.upper() in _VOWEL_LETTER_NAMES and (len(word) == 1 or not word[1].isalpha()):
            return True
        if len(word) == 1 or not word[1].isalpha():
            return False

    # Acronyms spelt out letter by letter: "an MBA", "an FBI agent", "a UFO", "a URL". A long capitalised word
    # with vowels is shouted, not spelt: "a HOUSE", "an UNDERDOG".
    letters = _LEADING_LETTERS.match(word)
    core = letters.group(0) if letters else word
    shouted = len(core) >= 5 and any(vowel in core for vowel in "AEIOU")
    if len(core) > 1 and core.isupper() and core not in _WORD_ACRONYMS and not shouted:
        return core[0] in _VOWEL_LETTER_NAMES

    lower = core.lower()
    if lower.startswith(_SILENT_H_PREFIXES):
        return True
    if lower.startswith(_VOWEL_SOUND_EXCEPTIONS):
        return True
    if lower == "u":
        return False
    if lower.startswith(_CONSONANT_SOUND_PREFIXES):
        return False
    return lower[:1] in ("a", "e", "i", "o", "u")


@lru_cache(maxsize=CACHE_SIZE)
def indefinite_article(phrase: str) -> str:
    """Return ``phrase`` with "a " or "an " in front: ``an hour``, ``a useful``, ``an MBA``, ``a one-off``.

    The phrase itself is not changed (its capitalisation is kept); leading whitespace stays in front
    of the article; an empty or blank phrase is returned unchanged.
    """
    stripped = phrase.lstrip()
    if not stripped:
        return phrase
    lead = phrase[: len(phrase) - len(stripped)]
    article = "an" if _starts_with_vowel_sound(stripped) else "a"
    return f"{lead}{article} {stripped}"


# --------------------------------------------------------------------------- plurals

_IRREGULAR_PLURALS = {
    "child": "children", "person": "people", "man": "men", "woman": "women", "mouse": "mice",
    "louse": "lice", "goose": "geese", "foot": "feet", "tooth": "teeth", "ox": "oxen",
    "criterion": "criteria", "phenomenon": "phenomena", "automaton": "automata", "datum": "data",
    "medium": "media", "curriculum": "curricula", "memorandum": "memoranda", "bacterium": "bacteria",
    "stratum": "strata", "erratum": "errata",
    "cactus": "cacti", "fungus": "fungi", "nucleus": "nuclei", "radius": "radii", "stimulus": "stimuli",
    "alumnus": "alumni", "focus": "foci", "locus": "loci",
    "appendix": "appendices", "index": "indices", "matrix": "matrices", "vertex": "vertices",
    "axis": "axes", "quiz": "quizzes", "die": "dice",
}
# Compounds that take the same irregular ending: chairman -> chairmen, grandchild -> grandchildren.
_IRREGULAR_ENDINGS = ("woman", "man", "child", "person", "mouse", "tooth")
_REGULAR_MAN_WORDS = frozenset({
    "human", "german", "roman", "shaman", "talisman", "caiman", "ottoman", "walkman", "desman",
    "cayman", "brahman", "pullman",
})
_INVARIANT = frozenset({
    "sheep", "series", "species", "deer", "fish", "moose", "swine", "aircraft", "spacecraft",
    "offspring", "information", "equipment", "news", "rice", "advice", "furniture", "knowledge",
    "research", "evidence", "software", "hardware", "means", "headquarters", "crossroads", "salmon",
    "trout", "bison", "corps", "wildlife", "chassis", "progress", "feedback", "wisdom", "luggage", "homework",
})
_PLURAL_FORMS = frozenset(_IRREGULAR_PLURALS.values()) | {"people", "children"}
# Words in -f/-fe that become -ves; every other -f/-fe word takes -s (roof, chief, belief, safe).
_VES_ENDINGS = (
    "wolf", "half", "calf", "self", "shelf", "elf", "leaf", "loaf", "thief", "sheaf", "scarf",
    "wharf", "knife", "wife", "life",
)
_VES_EXCEPTIONS = frozenset({"wildlife", "chef", "belief"})
# Words in -o that take -es; every other -o word takes -s (photo, piano, video, zoo).
_OES_WORDS = frozenset({
    "hero", "potato", "tomato", "echo", "veto", "torpedo", "embargo", "volcano", "mosquito",
    "domino", "tornado", "buffalo", "cargo", "mango", "motto",
})
# Words in -ch that sound like k and so take -s.
_CH_K_WORDS = frozenset({"stomach", "epoch", "monarch", "patriarch", "matriarch", "tech", "loch", "eunuch"})


# Upper-case words that are spelt out although a vowel would let them be read (a URL, an FAQ, a CEO): their plural
# takes a lower-case s like every acronym (URLs, FAQs, CEOs), where a shouted word keeps shouting (BOX -> BOXES).
_SPELT_ACRONYMS = frozenset({
    "URL", "FAQ", "CEO", "CFO", "COO", "CTO", "ATM", "IBM", "UFO", "IOU", "API", "USB", "ETA", "EU", "UN", "OS", "AI",
    "IT", "TV", "PC", "ID", "IP", "OK", "VIP", "ISP", "ESG", "IPO", "ETF", "EV", "HR", "PR", "DIY",
})
# Consonant pairs that can start an English word: a capitalised word that starts with any other pair is spelt out
# (MBA, NGO, JPEG); one without a vowel (RPG, DVD, HTML) too.
_ONSETS = frozenset(
    "bl br ch cl cr dr dw fl fr gh gl gn gr kn ph pl pr ps qu rh sc sh sk sl sm sn sp st sw th tr tw wh wr".split()
)
# A word the modifiers inflect: letters and digits, joined by hyphens or apostrophes. A token with anything else
# in it (a path, markup, an address) is not a word, and takes the suffix at its very end, as Tracery puts it.
_WORD_CORE = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*")


def _is_acronym(core: str) -> bool:
    """Whether an upper-case ``core`` is an acronym (URL, MBA, RPG) rather than a shouted word (BOX, MONKEY)."""
    letters = "".join(c for c in core if c.isalpha())
    if len(letters) < 2 or not letters.isupper():
        return False
    if letters in _SPELT_ACRONYMS or letters in _WORD_ACRONYMS:
        return True
    lower = letters.lower()
    if not any(v in lower for v in "aeiou"):
        return True
    if len(lower) >= 5:
        return False  # long enough to be a word: MONKEY, TELLY, UNDERDOG
    return lower[0] not in "aeiou" and lower[1] not in "aeiouy" and lower[:2] not in _ONSETS


def _reshape(core: str, result: str) -> str:
    """Put the inflected lower-case ``result`` back into the shape of ``core``.

    The letters the inflection keeps are copied from ``core`` as they stand (McDonald, iPhone, X-ray keep their
    capitals); the letters it adds are lower-case, upper-case only when ``core`` is a shouted word (BOX -> BOXES),
    and capitalised when they replace the whole of a capitalised word (Go -> Went).
    """
    lower = core.lower()
    keep = 0
    while keep < min(len(lower), len(result)) and lower[keep] == result[keep]:
        keep += 1
    tail = result[keep:]
    letters = [c for c in core if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        tail = tail.upper()
    elif keep == 0 and core[:1].isupper():
        tail = tail[:1].upper() + tail[1:]
    return core[:keep] + tail


def _inflect_token(token: str, inflect_lower, tracery_suffix) -> str:
    """Inflect one whitespace-free token: the word inside its punctuation, or (not a word) the token's end."""
    m = _PUNCTUATED_WORD.match(token)
    assert m is not None
    before, core, after = m.groups()
    if not core or not core[-1].isalpha():
        return token
    if _WORD_CORE.fullmatch(core) is None:
        return tracery_suffix(token)
    if _is_acronym(core):
        return before + core + inflect_lower("") + after  # URLs, MBAs, RPGs
    return before + _reshape(core, inflect_lower(core.lower())) + after


def _tracery_plural(text: str) -> str:
    """Tracery's own rule for a token that is not a word: -es after s, h or x, -ies after a consonant and y."""
    last = text[-1:].lower()
    if last in ("s", "h", "x"):
        return text + "es"
    if last == "y" and len(text) > 1 and text[-2].lower() not in "aeiou":
        return text[:-1] + "ies"
    return text + "s"


def _tracery_past(text: str) -> str:
    """Tracery's rule for a token that is not a word: -d after e, -ied after a consonant and y, else -ed."""
    last = text[-1:].lower()
    if last == "e":
        return text + "d"
    if last == "y" and len(text) > 1 and text[-2].lower() not in "aeiou":
        return text[:-1] + "ied"
    return text + "ed"


def _plural_word(word: str) -> str:
    """Plural of a single word, keeping any punctuation around it and the word's own shape."""
    return _inflect_token(word, lambda w: _plural_lower(w) if w else "s", _tracery_plural)


def _plural_lower(w: str) -> str:
    if w in _INVARIANT or w in _PLURAL_FORMS:
        return w
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    for ending in _IRREGULAR_ENDINGS:
        if w.endswith(ending) and w not in _REGULAR_MAN_WORDS:
            return w[: -len(ending)] + _IRREGULAR_PLURALS[ending]
    if w.endswith("sis"):
        return w[:-3] + "ses"
    if w.endswith(_VES_ENDINGS) and w not in _VES_EXCEPTIONS:
        if w.endswith("fe"):
            return w[:-2] + "ves"
        return w[:-1] + "ves"
    if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    if w.endswith("o") and w in _OES_WORDS:
        return w + "es"
    if w.endswith("ch") and w in _CH_K_WORDS:
        return w + "s"
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    return w + "s"


@lru_cache(maxsize=CACHE_SIZE)
def plural(word: str) -> str:
    """Plural of a word or phrase; a phrase pluralises its last word (``data center`` -> ``data centers``).

    Handles -y/-ies, -es after s/x/z/ch/sh, -f/-ves, -o/-oes, -sis/-ses, irregulars (child, person,
    mouse, criterion, ...) and invariant nouns (sheep, series). Only the suffix is added: the word keeps its
    shape (McDonald -> McDonalds, iPhone -> iPhones, BOX -> BOXES), an acronym takes a lower-case s (URL ->
    URLs, MBA -> MBAs), punctuation around the word stays around it (``(cat)`` -> ``(cats)``), and a token that
    is not a word (``Myo{./img/myo.png}``) takes the suffix at its end, as in Tracery.
    """
    parts = _BLANK_RUNS.split(word)
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] and not parts[i].isspace():
            parts[i] = _plural_word(parts[i])
            break
    return "".join(parts)


@lru_cache(maxsize=CACHE_SIZE)
def plural_first(phrase: str) -> str:
    """Plural of the first word of a phrase: ``mother in law`` -> ``mothers in law``."""
    parts = _BLANK_RUNS.split(phrase)
    for i, part in enumerate(parts):
        if part and not part.isspace():
            parts[i] = _plural_word(part)
            break
    return "".join(parts)


# --------------------------------------------------------------------------- past tense

_IRREGULAR_PAST = {
    "be": "was", "go": "went", "have": "had", "do": "did", "make": "made", "say": "said", "get": "got",
    "take": "took", "see": "saw", "come": "came", "know": "knew", "think": "thought", "give": "gave",
    "find": "found", "tell": "told", "become": "became", "leave": "left", "feel": "felt",
    "bring": "brought", "begin": "began", "keep": "kept", "hold": "held", "write": "wrote",
    "stand": "stood", "hear": "heard", "let": "let", "mean": "meant", "set": "set", "meet": "met",
    "run": "ran", "pay": "paid", "sit": "sat", "speak": "spoke", "lead": "led", "read": "read",
    "grow": "grew", "lose": "lost", "fall": "fell", "send": "sent", "build": "built",
    "understand": "understood", "draw": "drew", "break": "broke", "spend": "spent", "cut": "cut",
    "rise": "rose", "drive": "drove", "buy": "bought", "wear": "wore", "choose": "chose",
    "seek": "sought", "throw": "threw", "catch": "caught", "deal": "dealt", "win": "won",
    "forget": "forgot", "teach": "taught", "sell": "sold", "fight": "fought", "put": "put",
    "eat": "ate", "sing": "sang", "swim": "swam", "fly": "flew", "lay": "laid", "shine": "shone",
    "sleep": "slept", "light": "lit", "hit": "hit", "shut": "shut", "quit": "quit", "cost": "cost",
    "hurt": "hurt", "bear": "bore", "blow": "blew", "shake": "shook", "steal": "stole",
    "strike": "struck", "swear": "swore", "wake": "woke", "bend": "bent", "bind": "bound",
    "bite": "bit", "dig": "dug", "feed": "fed", "flee": "fled", "forgive": "forgave",
    "freeze": "froze", "hide": "hid", "ride": "rode", "ring": "rang", "shoot": "shot",
    "sink": "sank", "slide": "slid", "spin": "spun", "spread": "spread", "stick": "stuck",
    "sting": "stung", "swing": "swung", "tear": "tore", "weep": "wept", "wind": "wound",
    "withdraw": "withdrew", "arise": "arose", "awake": "awoke", "forbid": "forbade",
    "foresee": "foresaw", "undergo": "underwent", "overcome": "overcame", "undertake": "undertook",
    "cast": "cast", "broadcast": "broadcast", "forecast": "forecast", "burst": "burst",
}
# Words that look like prefix + irregular verb but are regular: relay -> relayed.
_NOT_PREFIXED = frozenset({"relay", "remit", "unwed"})
_PAST_PREFIXES = ("re", "un", "over", "under", "out", "mis", "with", "up", "fore")
# Two-syllable verbs stressed on the last syllable double their last consonant.
_DOUBLING_VERBS = frozenset({
    "remit", "admit", "commit", "submit", "omit", "permit", "transmit", "emit", "prefer", "refer", "confer",
    "defer", "infer", "occur", "recur", "incur", "concur", "regret", "control", "patrol", "compel",
    "propel", "expel", "repel", "equip", "rebut", "abhor", "deter", "acquit", "outwit", "begin",
    "forget", "unzip", "extol",
})
_CK_VERBS = frozenset({"panic", "picnic", "mimic", "traffic", "frolic"})
_VOWELS = "aeiou"


def _syllables(word: str) -> int:
    """Rough count of vowel groups ('qu' counts as a consonant; a final silent e is ignored)."""
    w = word.replace("qu", "q")
    if w.endswith("e") and len(w) > 2:
        w = w[:-1]
    return len(_VOWEL_GROUPS.findall(w))


def _past_lower(v: str) -> str:
    if v in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[v]
    for prefix in _PAST_PREFIXES:
        if v in _NOT_PREFIXED:
            break
        rest = v[len(prefix):]
        if v.startswith(prefix) and len(rest) >= 2 and rest in _IRREGULAR_PAST:
            return prefix + _IRREGULAR_PAST[rest]
    if v in _CK_VERBS:
        return v + "ked"
    if v.endswith("e"):
        return v + "d"
    if v.endswith("y") and len(v) > 1 and v[-2] not in _VOWELS:
        return v[:-1] + "ied"
    if v in _DOUBLING_VERBS:
        return v + v[-1] + "ed"
    w = v.replace("qu", "q")  # the u of "qu" is not a vowel here: quiz -> quizzed
    if (
        len(w) >= 3
        and w[-1] not in _VOWELS + "wxy"
        and w[-2] in _VOWELS
        and w[-3] not in _VOWELS
        and _syllables(v) == 1
    ):
        return v + v[-1] + "ed"
    return v + "ed"


# Words that, after a verb, make a phrasal verb: "give up", "look after", "set out on".
_PARTICLES = frozenset({
    "up", "down", "out", "off", "on", "in", "over", "away", "back", "through", "around", "about", "along",
    "forward", "together", "apart", "aside", "by", "after", "across", "into", "onto", "upon", "with", "for",
    "to", "at", "from", "behind", "ahead", "round", "under",
})


@lru_cache(maxsize=CACHE_SIZE)
def past_tense(verb: str) -> str:
    """Simple past of a verb: play -> played, try -> tried, stop -> stopped, bake -> baked, go -> went.

    A phrasal verb changes its verb (``give up`` -> ``gave up``); any other phrase changes its last word, like
    ``s`` (``stir fry`` -> ``stir fried``, ``Bamboo Hat Kim`` -> ``Bamboo Hat Kimmed``). The word keeps its shape
    as with ``plural``, and a token that is not a word takes ``ed`` at its end.
    """
    parts = _BLANK_RUNS.split(verb)
    words = [i for i, part in enumerate(parts) if part and not part.isspace()]
    if not words:
        return verb
    rest = [_EDGE_PUNCTUATION.sub("", parts[i]).lower() for i in words[1:]]
    i = words[0] if rest and all(w in _PARTICLES for w in rest) else words[-1]
    parts[i] = _inflect_token(parts[i], lambda v: _past_lower(v) if v else "ed", _tracery_past)
    return "".join(parts)


# --------------------------------------------------------------------------- capitals

@lru_cache(maxsize=CACHE_SIZE)
def capitalize(text: str) -> str:
    """Upper-case the first letter, skipping leading quotes, punctuation and spaces (“hello -> “Hello).

    Only the first alphanumeric character is considered: text that starts with a digit ("8-bit") or
    has no letter at all is returned unchanged, and so is a first word written with a lower-case first
    letter and a capital inside (iPhone, eBay, iOS, mRNA): that is its name, and "IPhone" would break it.
    The rest of the text is left as it is.
    """
    for i, ch in enumerate(text):
        if ch.isalnum():
            if ch.islower() and _has_inner_capital(text, i):
                return text
            if ch.isalpha():
                up = ch.upper()
                if len(up) == 1:
                    return text[:i] + up + text[i + 1:]
            return text
    return text


def _has_inner_capital(text: str, start: int) -> bool:
    """Whether the word that starts at ``start`` has an upper-case letter after its first letter."""
    for ch in text[start + 1:]:
        if ch.isspace():
            return False
        if ch.isupper():
            return True
    return False


_SMALL_WORDS = frozenset({
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "of", "in", "on", "at", "to",
    "by", "as", "up", "via", "per", "from", "into", "onto", "with", "over", "than", "vs", "vs.",
})


def _title_piece(piece: str, force: bool) -> str:
    """Title-case one hyphen-free piece of a word; ``force`` capitalises even a small word."""
    core = _EDGE_PUNCTUATION.sub("", piece)
    if not force and core.lower() in _SMALL_WORDS and not (len(core) > 1 and core.isupper()):
        return piece.lower()
    if any(c.isupper() for c in core[1:]):  # iPhone, McDonald, MBA: leave as written
        return piece
    return capitalize(piece)


def _title_word(word: str, force: bool) -> str:
    """Title-case one whitespace-free word; each part of a hyphenated word is capitalised (Self-Driving)."""
    pieces = _HYPHENS.split(word)
    out = []
    for j, piece in enumerate(pieces):
        out.append(piece if j % 2 == 1 else _title_piece(piece, force if j == 0 else False))
    return "".join(out)


# capitalizeAll starts a new word after a blank, a hyphen or dash, a slash, or an opening bracket or quote.
_WORD_STARTS = re.compile(r"(?:^|(?<=[\s\-‐‑–—/(\[{“‘\"«「]))[^\s\-‐‑–—/]+")


@lru_cache(maxsize=CACHE_SIZE)
def capitalize_words(text: str) -> str:
    """Every word capitalised, small words too, as Tracery's capitalizeAll does: "the lord of the rings" -> "The
    Lord Of The Rings", "big-city" -> "Big-City". Only first letters change. Unlike Tracery, a letter after an
    apostrophe or a dot inside a word stays as it is (don't -> Don't, node.js -> Node.js), and a word with a
    capital inside keeps its shape (iPhone, eBay)."""
    return _WORD_STARTS.sub(lambda m: capitalize(m.group(0)), text)


@lru_cache(maxsize=CACHE_SIZE)
def title_case(text: str) -> str:
    """English title case: every word capitalised except small words (a, an, the, of, and, in, on, to,
    for, ...) that stand neither first, last, nor right after a colon or dash.

    ``the lord of the rings`` -> ``The Lord of the Rings``; mixed-case words (iPhone, MBA) are kept.
    """
    parts = _BLANK_RUNS.split(text)
    word_idx = [i for i, p in enumerate(parts) if p and not p.isspace()]
    if not word_idx:
        return text
    first, last = word_idx[0], word_idx[-1]
    after_break = True
    for i in word_idx:
        word = parts[i]
        force = i in (first, last) or after_break
        parts[i] = _title_word(word, force)
        after_break = word.endswith((":", "—", "–", "?", "!", ".")) or word in ("-", "—", "–")
    return "".join(parts)


# --------------------------------------------------------------------------- number agreement

# Words after which a phrase's head noun has ended: "the history of cats" is about a history.
_HEAD_ENDS = frozenset({
    "of", "in", "on", "for", "with", "about", "from", "to", "at", "by", "under", "without", "between", "among",
    "versus", "vs", "vs.", "against", "during", "through", "like", "that", "which", "who",
})
# Words in -s that are singular: a field of study, a -ness or -us word, and a few more.
_SINGULAR_IN_S = frozenset({
    "news", "series", "species", "means", "lens", "bus", "gas", "bias", "atlas", "canvas", "chaos", "cosmos", "ethos",
    "pathos", "christmas", "this", "its", "yes", "us", "his", "hers", "whereas", "always", "perhaps", "plus",
    "minus", "chess", "mathematics", "physics", "economics", "politics", "ethics", "athletics", "linguistics",
    "statistics", "genetics", "logistics", "aesthetics", "electronics", "gymnastics", "measles", "diabetes",
    "billiards", "dominoes", "thanks", "alas", "status", "campus", "virus", "focus", "bonus", "census", "consensus",
    "crisis", "analysis", "thesis", "basis", "diagnosis", "synthesis", "emphasis", "hypothesis", "oasis",
})
_PLURAL_WORDS = frozenset({
    "people", "children", "men", "women", "police", "cattle", "feet", "teeth", "mice", "geese", "lice", "oxen",
    "criteria", "phenomena", "these", "those", "they", "we", "both", "many", "few", "several", "folks", "clergy",
})
_NUMBER_WORDS = {"singular": False, "plural": True}


@lru_cache(maxsize=CACHE_SIZE)
def is_plural(phrase: str) -> bool:
    """Whether an English noun phrase is grammatically plural, by a heuristic good for essay topics.

    Plural: a coordination (``freedom and responsibility``, ``cats & dogs``), or a head noun — the last word
    before ``of``, ``in``, ``for``… — in a plural form (``cats``, ``iPhones``, ``URLs``, ``children``, ``people``).
    Singular: everything else, including words in -s that are singular (``news``, ``politics``, ``crisis``,
    ``chess``, -ss, -us, -ness), acronyms ending in a capital S (``iOS``, ``GPS``) and text in other scripts. A
    phrase that starts with ``singular`` or ``plural`` is that number (how a style passes a ``number`` slot); one
    that starts with ``auto`` is judged on the rest.
    """
    words = phrase.split()
    if words and words[0].lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[words[0].lower()]
    if words and words[0].lower() == "auto":
        words = words[1:]
    head_phrase = []
    for word in words:
        if word.lower() in _HEAD_ENDS and head_phrase:
            break
        head_phrase.append(word)
    if len(head_phrase) > 2 and any(w.lower() in ("and", "&") for w in head_phrase[1:-1]):
        return True
    if len(head_phrase) == 3 and head_phrase[1].lower() in ("and", "&"):
        return True
    if not head_phrase:
        return False
    head = _EDGE_PUNCTUATION.sub("", head_phrase[-1])
    lower = head.lower()
    if lower in _PLURAL_WORDS or lower in _PLURAL_FORMS - {"data", "media"}:
        return True
    if lower.endswith(("men", "people", "children")) and lower not in _REGULAR_MAN_WORDS:
        return not lower.endswith(("omen", "amen", "specimen", "regimen", "abdomen", "acumen", "stamen"))
    if not head.endswith("s") or len(lower) < 3:
        return False  # a capital S ends an acronym (iOS, GPS); a lone letter is not a noun
    if head[:-1].isupper() and len(head) > 2:
        return True  # URLs, MBAs
    if lower in _SINGULAR_IN_S or lower.endswith(("ss", "us", "is", "ics", "ness", "'s", "’s")):
        return False
    return True


@lru_cache(maxsize=CACHE_SIZE)
def agree(phrase: str, singular: str, plural_form: str) -> str:
    """``singular`` or ``plural_form``, whichever agrees with the number of ``phrase`` (see ``is_plural``)."""
    return plural_form if is_plural(phrase) else singular
