"""Unit tests for gpbt.modifiers.english: articles, plurals, past tense, capitals."""

import pytest

from gpbt.modifiers import english
from gpbt.modifiers.english import (
    capitalize,
    indefinite_article,
    past_tense,
    plural,
    plural_first,
    title_case,
)


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("hour", "an hour"),
        ("honest mistake", "an honest mistake"),
        ("heir", "an heir"),
        ("hourly rate", "an hourly rate"),
        ("useful", "a useful"),
        ("university", "a university"),
        ("unicorn", "a unicorn"),
        ("one-off", "a one-off"),
        ("once-in-a-lifetime chance", "a once-in-a-lifetime chance"),
        ("MBA", "an MBA"),
        ("FBI agent", "an FBI agent"),
        ("UFO", "a UFO"),
        ("URL", "a URL"),
        ("X-ray", "an X-ray"),
        ("U-turn", "a U-turn"),
        ("apple", "an apple"),
        ("European", "a European"),
        ("8-bit", "an 8-bit"),
        ("1990s", "a 1990s"),
        ("11th", "an 11th"),
        ("18-year-old", "an 18-year-old"),
        ("100-page report", "a 100-page report"),
        ("1800s mill", "an 1800s mill"),
        ("banana", "a banana"),
        ("umbrella", "an umbrella"),
        ("unusual idea", "an unusual idea"),
        ("uninformed guess", "an uninformed guess"),
        ("onerous task", "an onerous task"),
        ("house", "a house"),
        ("HTML page", "an HTML page"),
        ("NASA probe", "a NASA probe"),
        ("NATO summit", "a NATO summit"),
        ("SQL query", "an SQL query"),
        ("“honest” answer", "an “honest” answer"),
        ("internet", "an internet"),
    ],
)
def test_indefinite_article(phrase, expected):
    assert indefinite_article(phrase) == expected


def test_indefinite_article_keeps_case_and_empty():
    assert indefinite_article("Apple") == "an Apple"
    assert indefinite_article("Hour of need") == "an Hour of need"
    assert indefinite_article("UNIVERSITY") == "a UNIVERSITY"
    assert indefinite_article("") == ""
    assert indefinite_article("   ") == "   "
    assert indefinite_article(" apple") == " an apple"


@pytest.mark.parametrize(
    "word, expected",
    [
        ("cat", "cats"),
        ("city", "cities"),
        ("day", "days"),
        ("box", "boxes"),
        ("church", "churches"),
        ("bus", "buses"),
        ("wish", "wishes"),
        ("wolf", "wolves"),
        ("knife", "knives"),
        ("life", "lives"),
        ("shelf", "shelves"),
        ("roof", "roofs"),
        ("chief", "chiefs"),
        ("belief", "beliefs"),
        ("hero", "heroes"),
        ("potato", "potatoes"),
        ("photo", "photos"),
        ("video", "videos"),
        ("child", "children"),
        ("person", "people"),
        ("man", "men"),
        ("woman", "women"),
        ("chairman", "chairmen"),
        ("human", "humans"),
        ("German", "Germans"),
        ("mouse", "mice"),
        ("criterion", "criteria"),
        ("phenomenon", "phenomena"),
        ("analysis", "analyses"),
        ("crisis", "crises"),
        ("sheep", "sheep"),
        ("series", "series"),
        ("species", "species"),
        ("stomach", "stomachs"),
        ("quiz", "quizzes"),
        ("people", "people"),
        ("data", "data"),
    ],
)
def test_plural(word, expected):
    assert plural(word) == expected


def test_plural_case_and_phrases():
    assert plural("BOX") == "BOXES"
    assert plural("City") == "Cities"
    assert plural("Child") == "Children"
    assert plural("data center") == "data centers"
    assert plural("social media strategy") == "social media strategies"
    assert plural("box,") == "boxes,"
    assert plural("") == ""
    assert plural_first("mother in law") == "mothers in law"
    assert plural_first("attorney general") == "attorneys general"
    assert plural_first("passer by") == "passers by"


@pytest.mark.parametrize(
    "verb, expected",
    [
        ("play", "played"),
        ("try", "tried"),
        ("copy", "copied"),
        ("stop", "stopped"),
        ("plan", "planned"),
        ("quiz", "quizzed"),
        ("bake", "baked"),
        ("agree", "agreed"),
        ("go", "went"),
        ("think", "thought"),
        ("rethink", "rethought"),
        ("undergo", "underwent"),
        ("relay", "relayed"),
        ("visit", "visited"),
        ("open", "opened"),
        ("rain", "rained"),
        ("fix", "fixed"),
        ("show", "showed"),
        ("admit", "admitted"),
        ("panic", "panicked"),
        ("walk", "walked"),
    ],
)
def test_past_tense(verb, expected):
    assert past_tense(verb) == expected


def test_past_tense_case_and_phrases():
    assert past_tense("Play") == "Played"
    assert past_tense("GO") == "WENT"
    assert past_tense("give up") == "gave up"
    assert past_tense("") == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hello", "Hello"),
        ("“hello", "“Hello"),
        ('"hello" she said', '"Hello" she said'),
        ("  ...well", "  ...Well"),
        ("Already", "Already"),
        ("iPhone sales", "iPhone sales"),
        ("8-bit music", "8-bit music"),
        ("", ""),
        ("!?", "!?"),
        ("主题", "主题"),
        ("éclair", "Éclair"),
        ("the internet of things", "The internet of things"),
    ],
)
def test_capitalize(text, expected):
    assert capitalize(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the internet", "The Internet"),
        ("the lord of the rings", "The Lord of the Rings"),
        ("of mice and men", "Of Mice and Men"),
        ("a tale of two cities", "A Tale of Two Cities"),
        ("what the future is made of", "What the Future Is Made Of"),
        ("on the meaning of the iPhone", "On the Meaning of the iPhone"),
        ("why an MBA matters", "Why an MBA Matters"),
        ("self-driving cars in the city", "Self-Driving Cars in the City"),
        ("remote work: a reflection on the office", "Remote Work: A Reflection on the Office"),
        ("The Truth About The Office", "The Truth About the Office"),
        ("  spaced   out  ", "  Spaced   Out  "),
        ("AI-first roadmap", "AI-First Roadmap"),
        ("a state-of-the-art plan", "A State-of-the-Art Plan"),
        ("", ""),
    ],
)
def test_title_case(text, expected):
    assert title_case(text) == expected


def test_capitalize_words_capitalises_every_word_and_changes_nothing_else():
    assert english.capitalize_words("the lord of the rings") == "The Lord Of The Rings"
    assert english.capitalize_words("mcDONALD's  “café”") == "mcDONALD's  “Café”"


def test_shouted_words_take_the_article_of_the_word():
    assert english.indefinite_article("HOUSE") == "a HOUSE"
    assert english.indefinite_article("UNDERDOG") == "an UNDERDOG"
    assert english.indefinite_article("HTTPS link") == "an HTTPS link"
