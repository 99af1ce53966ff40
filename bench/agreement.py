"""Count the agreement and wording errors of issue 13 in the shipped styles.

    python bench/agreement.py [--essays 20] [--length 6000] [--verbose]

Writes 20 essays per style (seeds 1..20, the default length) and counts each class of error by pattern:

zh  person-pronoun  a woman (学姐, 阿姨 …) followed by 他, or a man (大爷, 表哥 …) followed by 她, in one sentence
    dou-hui         都会 with nothing before it in the sentence that it can sum up (每, 一切, 所有, 连, 们 …)
    shize           实则 with no 看似/表面上/乍看 … before it in the sentence
en  agreement       a verb right after the topic (or right before it, in a question) that disagrees with its number
    capitals        a sentence that starts with a word whose inner capital was broken (IPhone, EBay)
    stacked         two connectives at the start of one sentence ("For this very reason, in this way, …")
ja  stacked         two connectives at the start of one sentence (「誰もが知っているように、だからこそ…」)
    calque          phrases translated word for word from English (一時間の価値, 新しい光のもとで …)
    no-parse        a clause that does not parse (「主題も責任感もない学ぶということとは」)

The topics: 学生会退会 for zh and ja; for en a list of singular, plural and compound topics, one per seed,
each with the number a reader gives it. The patterns are heuristics: a reader's count of the same essays is
the ground truth; they are meant to find every instance of the classes quoted in the issue.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gpbt  # noqa: E402

ZH_TOPIC = "学生会退会"
JA_TOPIC = "学生会退会"
# (topic, plural?) — the en topics, one per seed in turn
EN_TOPICS = [
    ("the internet", False), ("umbrellas", True), ("freedom and responsibility", True), ("cats", True),
    ("iPhone", False), ("eBay", False), ("social media", False), ("video games", True),
    ("time", False), ("the iPhone", False), ("cats and dogs", True), ("remote work", False),
    ("URLs", True), ("politics", False), ("children", True), ("the news", False),
]

_ZH_SENT = re.compile(r"[^。！？]*[。！？]”?")
_FEMALE = "学姐|学妹|表姐|阿姨|奶奶|女士|老太太|大妈|姐姐|妹妹|妈妈|女生|女孩"
_MALE = "大爷|表哥|先生|师傅|小哥|爷爷|叔叔|大叔|哥哥|弟弟|男生|男孩"
_ZH_PRONOUN_CLASH = re.compile(rf"(?:{_FEMALE})[^“”]*?他|(?:{_MALE})[^“”]*?她")
_DOU_FRAME = re.compile(r"每|凡|街头巷尾|到处|所有|一切|连|们|许多|很多|不少|各|任何|无论|不管|谁|全都|大家|人人|处处|统统|一.{0,10}就")
_SHIZE_FRAME = re.compile(r"看似|表面|乍|似乎|看起来|虽然|虽|名为|说是|貌似|看上去")


def zh_counts(text: str) -> Counter:
    c: Counter = Counter()
    for s in _ZH_SENT.findall(text):
        body = re.sub(r"“[^”]*”", "", s)  # a quotation speaks for itself
        if _ZH_PRONOUN_CLASH.search(body):
            c["person-pronoun"] += 1
        for m in re.finditer("都会", body):
            if not _DOU_FRAME.search(body[: m.start()]):
                c["dou-hui"] += 1
        for m in re.finditer("实则", body):
            if not _SHIZE_FRAME.search(body[: m.start()]):
                c["shize"] += 1
    return c


_EN_SENT = re.compile(r"[^.?!]+[.?!]”?")
_EN_CONNECTIVES = [
    "clearly", "without a doubt", "in a very real sense", "strange as it may seem", "as we all know",
    "in the final analysis", "on closer inspection", "like it or not", "at the end of the day", "paradoxically",
    "by the same token", "in other words", "more importantly", "needless to say", "above all", "in many ways",
    "surprisingly enough", "put simply", "to put it another way", "for better or for worse", "in a sense",
    "when all is said and done", "upon reflection", "truth be told", "in all honesty", "on a deeper level",
    "taking everything into account", "broadly speaking", "philosophically speaking", "ultimately",
    "now more than ever", "in this light", "curiously", "and yet", "therefore", "on the other hand",
    "that being said", "with this in mind", "consequently", "for this very reason", "at the same time",
    "even so", "this being the case", "nevertheless", "as a matter of fact", "in this way", "this, in turn",
    "sooner or later", "in the end", "as always", "in conclusion", "to sum up", "all things considered",
    "to conclude", "in short", "thus", "hence", "moreover", "furthermore", "however", "so",
    "it follows that", "seen from this angle", "from a certain point of view", "it goes without saying that",
    "let us not forget that", "it must be said that", "one thing is certain:",
]
_CONN = "|".join(re.escape(c) for c in sorted(_EN_CONNECTIVES, key=len, reverse=True))
_EN_STACKED = re.compile(rf"^(?:{_CONN})(?:,| that| :)? (?:{_CONN})(?:,| )", re.IGNORECASE)
_BROKEN_CAPS = re.compile(r"^[“(]?(I[A-Z][a-z]+|E[A-Z][a-z]+)\b")
_SING_VERBS = r"is|was|has|does|seems|becomes|matters|remains|means|reminds|holds|touches|forces|deserves|sits|comes|teaches|shapes|invites|turns|keeps|tells|takes|asks"
_PLUR_VERBS = r"are|were|have|do|seem|become|matter|remain|mean|remind|hold|touch|force|deserve|sit|come|teach|shape|invite|turn|keep|tell|take|ask"


# a topic after one of these words is an object or follows an auxiliary: "the question of cats has", "does eBay shape"
_NOT_SUBJECT = re.compile(r"\b(?:of|about|to|understand|does|do|did|will|can|could|might|should|would|for|on|with|in|"
                          r"into|from|by|than|at|approach|face)\s*$", re.IGNORECASE)


def _subject_hits(pattern: re.Pattern, sentence: str) -> int:
    return sum(1 for m in pattern.finditer(sentence) if not _NOT_SUBJECT.search(sentence[: m.start()]))


def en_counts(text: str, topic: str, plural: bool) -> Counter:
    c: Counter = Counter()
    t = re.escape(topic)
    wrong = _SING_VERBS if plural else _PLUR_VERBS
    after = re.compile(rf"(?<![\w-]){t}(?:,[^,.?!]{{1,40}},)? (?:{wrong})\b", re.IGNORECASE)
    before = re.compile(rf"\b(?:{'is|was|has|does' if plural else 'are|were|have|do'}) {t}\b", re.IGNORECASE)
    body = text.split("\n", 1)[1] if "\n" in text else text
    for s in _EN_SENT.findall(body):
        s = s.strip()
        c["agreement"] += _subject_hits(after, s) + len(before.findall(s))
        if _BROKEN_CAPS.match(s):
            c["capitals"] += 1
        if _EN_STACKED.match(s):
            c["stacked"] += 1
    if "\n" in text:
        c["agreement"] += _subject_hits(after, text.split("\n", 1)[0])
    return c


_JA_SENT = re.compile(r"[^。？！]*[。？！]」?")
_JA_CONNECTIVES = [
    "言うまでもなく", "周知のとおり", "よく考えてみれば", "結局のところ", "逆に言えば", "実のところ", "冷静に考えると",
    "つまり", "とはいえ", "しかしながら", "だからこそ", "歴史を振り返れば", "誤解を恐れずに言えば", "率直に言って",
    "ある意味では", "突き詰めて言えば", "驚くべきことに", "当然ながら", "一方で", "さらに言えば", "それにもかかわらず",
    "皮肉なことに", "長い目で見れば", "こう考えると", "要するに", "裏を返せば", "何よりもまず", "現代においては",
    "いずれにせよ", "まさにそれゆえに", "多くの人は気づいていないが", "正直に言えば", "今さら言うまでもないが",
    "改めて考えると", "少し視点を変えれば", "大局的に見れば", "端的に言えば", "歴史が示すように", "経験が教えるように",
    "誰もが知っているように", "哲学的に言えば", "本質的には", "見方によっては", "意外なことに", "その意味で",
    "とりわけ", "このように考えると", "したがって", "それでもなお", "もっと言えば", "控えめに言っても", "同じように",
    "それと同時に", "この点を踏まえれば", "こうして", "まさにここで", "遅かれ早かれ", "例外があるとすれば",
    "ここで", "だから", "しかし", "そして", "では", "以上をまとめれば", "結論として言えば",
    "つまるところ", "ところが", "それゆえ", "ゆえに",
]
_JCONN = "|".join(re.escape(c) for c in sorted(_JA_CONNECTIVES, key=len, reverse=True))
_JA_STACKED = re.compile(rf"^　?(?:{_JCONN})、(?:{_JCONN})")
_JA_CALQUES = re.compile(
    r"一時間の価値|新しい光のもとで|言葉の本当の意味での|静かな英雄性|共に生きる技法|の前でしばしば|"
    r"への招待状|ここでの教訓は"
)
_JA_NOPARSE = re.compile(r"も[^、。？]{1,12}もない[^、。？]{1,20}とは")


def ja_counts(text: str) -> Counter:
    c: Counter = Counter()
    for s in _JA_SENT.findall(text):
        s = s.strip("\n")
        body = re.sub(r"「[^」]*」", "", s)
        if _JA_STACKED.match(body):
            c["stacked"] += 1
        c["calque"] += len(_JA_CALQUES.findall(body))
        c["no-parse"] += len(_JA_NOPARSE.findall(body))
    return c


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=20)
    parser.add_argument("--length", type=int, default=6000)
    parser.add_argument("--verbose", action="store_true", help="print every sentence that is counted")
    args = parser.parse_args(argv)
    seeds = range(1, args.essays + 1)
    totals: dict[str, Counter] = {"zh": Counter(), "en": Counter(), "ja": Counter()}
    zh, en, ja = gpbt.load_style("zh"), gpbt.load_style("en"), gpbt.load_style("ja")
    for seed in seeds:
        text = zh.generate(ZH_TOPIC, seed=seed, length=args.length)
        totals["zh"] += zh_counts(text)
        text = ja.generate(JA_TOPIC, seed=seed, length=args.length)
        totals["ja"] += ja_counts(text)
        topic, plural = EN_TOPICS[(seed - 1) % len(EN_TOPICS)]
        text = en.generate(topic, seed=seed, length=args.length)
        totals["en"] += en_counts(text, topic, plural)
        if args.verbose:
            for s in _EN_SENT.findall(text):
                if sum(en_counts(s.strip(), topic, plural).values()):
                    print("en", seed, s.strip())
    classes = {
        "zh": ["person-pronoun", "dou-hui", "shize"],
        "en": ["agreement", "capitals", "stacked"],
        "ja": ["stacked", "calque", "no-parse"],
    }
    print(f"{args.essays} essays per style, seeds 1..{args.essays}, length {args.length}")
    for lang, names in classes.items():
        print(f"{lang}: " + ", ".join(f"{name} {totals[lang][name]}" for name in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
