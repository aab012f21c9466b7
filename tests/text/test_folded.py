"""The folded view of a document: prefix search over the joined words agrees with a plain
word-by-word scan, in any script."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionwatch.text.folded import FoldedWords
from sanctionwatch.text.normalize import fold_word
from sanctionwatch.text.tokens import tokenize

WORDS = ["sanctions", "Санкции", "désignés", "OFAC", "said", "the", "Vagner", "embargo",
         "sankt", "Straße", "ǅemal", "x", "42", "naïve"]
PREFIXES = ("sanktsi", "sanction", "design", "ofac", "embarg", "strasse", "dz", "kim jong")


def test_prefix_positions_in_latin_and_cyrillic_text():
    text = "EU-Sanktionen: санкции против «Вагнера»; the OFAC designated it."
    doc = FoldedWords(text, tokenize(text))
    pos = doc.prefix_positions(("sankt", "design", "ofac"))
    assert [doc.tokens.words[i] for i in pos] == ["Sanktionen", "санкции", "OFAC", "designated"]
    assert doc.prefix_near(("design",), 0, 5) is None
    assert doc.prefix_near(("design",), 0, 100) == "designated"
    assert doc.prefixes_present(("ofac", "kim jong")) == {"ofac"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30),
       st.lists(st.sampled_from([" ", ", ", " — ", "«", "». ", "-"]), min_size=30, max_size=30),
       st.sets(st.sampled_from(PREFIXES), max_size=4))
def test_prefix_search_agrees_with_a_word_scan(words, gaps, prefixes):
    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    doc = FoldedWords(text, tokenize(text))
    prefixes = tuple(sorted(prefixes))
    assert doc.folded == [fold_word(w) for w in doc.tokens.words]
    singles = tuple(p for p in prefixes if " " not in p)
    expected = [i for i, w in enumerate(doc.folded) if singles and w.startswith(singles)]
    assert doc.prefix_positions(prefixes) == expected
    assert doc.prefixes_present(prefixes) == frozenset(
        p for p in singles if any(w.startswith(p) for w in doc.folded))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_token_offsets_slice_back_to_the_words_and_gaps(text):
    """Offsets are worked out on first use; they always point at the words, and the gaps
    are the text between them. A Han character is a word of its own, read as its pinyin; an
    Arabic-script word is read as its consonants."""
    from sanctionwatch.text.arabic import ARABIC, skeleton_word
    from sanctionwatch.text.han import HAN

    tokens = tokenize(text)
    spans = [text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True)]
    assert len(spans) == len(tokens.words)
    for span, word in zip(spans, tokens.words, strict=True):
        if HAN.fullmatch(span):
            assert word.isascii() or word == span  # its reading (or itself, if it has none)
        elif ARABIC.search(span):
            assert word == skeleton_word(span)
        else:
            assert span == word and not HAN.search(span)
    assert [text[tokens.ends[i]:tokens.starts[i + 1]]
            for i in range(len(tokens.words) - 1)] == tokens.gaps[:max(0, len(tokens) - 1)]
    assert [t.text for t in tokens] == tokens.words
