"""The literal prefilter never hides a match: wherever a trigger matches, one string of each
of its required groups is in the sentence (checked on every shipped pattern and real
sentences, and on made-up patterns and sentences)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sanctionwatch.rules.prefilter import required_groups
from sanctionwatch.text.normalize import fold
from sanctionwatch.text.sentences import split_sentences

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def _sentences(seed_text: str) -> list[str]:
    texts = [seed_text] + [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    return [fold(s.text) for t in texts for s in split_sentences(t)]


def test_shipped_patterns_on_real_sentences(rules, seed_text):
    sentences = _sentences(seed_text)
    # lemma patterns run on the lemmas of sentences that name an entity: no prefilter
    triggers = [t for r in rules.rules for t in (*r.triggers, *r.negations) if not t.lemma]
    with_filter = [t for t in triggers if t.required]
    assert len(with_filter) > len(triggers) // 2, "most patterns should be filterable"
    for t in triggers:
        for s in sentences:
            if t.pattern.search(s):
                assert all(any(r in s for r in group) for group in t.required), (t.source, s)


def test_required_strings_of_simple_shapes():
    assert required_groups("sanctions? (?:[\\w'-]+ ){0,3}(?:on|against)") == (
        ("sanction ", "sanctions "),)
    assert required_groups("(?:designated|sanctioned) (?:[\\w'-]+ ){0,3}") == (
        ("designated ", "sanctioned "),)
    # a common prefix the regex parser factors out ("pa") joins what follows it
    assert required_groups("(?:pay|pays|paid|paying) (?:[\\w'-]+ ){0,2}(?:money|cash) to") == (
        ("cash to", "money to"), ("paid ", "pay ", "paying ", "pays "))
    assert required_groups("(?:ha|hanno) (?:armato|finanziato)") == (
        ("ha armato", "ha finanziato", "hanno armato", "hanno finanziato"),)
    # a two-letter word with its space is selective enough ("if "); one letter is not
    assert required_groups("\\b(?:if|whether|unless|should) ") == (
        ("if ", "should ", "unless ", "whether "),)
    assert required_groups("\\b(?:a|or) ") == ()
    assert required_groups("(?:a|b)") == ()  # too short to help
    assert required_groups("x*y*") == ()
    assert required_groups("(?i)sanctions") == ()


SOURCES = ["(?:abc|bcd)e? (?:[\\w'-]+ ){0,2}fgh", "abc(?:def|gh)", "(?:ab+c|dd)",
           "(?:abc|abd|abcd)(?:e|f)? (?:[\\w'-]+ )?gh[ab]{2,3}", "(?:(?:ab|ac) de|fgh)\\w* bad",
           "\\bcab(?=e)(?:ee|e f)", "(?:a+bc|d) ?efg(?:h|)", "ab(?:cd)+e", "(?:abc)?def"]


@given(st.text(alphabet="abcdefgh ", max_size=30))
def test_required_strings_are_necessary(sentence):
    import re
    for source in SOURCES:
        if re.search(source, sentence):
            for group in required_groups(source):
                assert any(r in sentence for r in group), (source, group)


def test_prefiltered_search_finds_exactly_what_every_pattern_finds(rules, seed_text,
                                                                   monkeypatch):
    """Also when the chosen triggers come from the memo (second pass), and when the memo is
    full and starts afresh (a memo of two sets)."""
    from sanctionwatch.rules import prefilter
    from sanctionwatch.rules.prefilter import Prefilter

    sentences = _sentences(seed_text)
    for memo in (prefilter.MEMO, 2):
        monkeypatch.setattr(prefilter, "MEMO", memo)
        for rule in rules.rules:
            for triggers in (rule.triggers, rule.negations):
                pf = Prefilter(triggers)
                for _pass in range(2):
                    for s in sentences:
                        brute = [(t.source, m.span()) for t in triggers
                                 for m in t.pattern.finditer(s)]
                        fast = [(t.source, m.span()) for t in pf.candidates(s)
                                for m in t.pattern.finditer(s)]
                        assert fast == brute, (rule.id, s)
                assert len(pf._chosen) <= memo
