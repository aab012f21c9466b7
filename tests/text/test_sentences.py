"""Sentence splitting: the fast splitter cuts exactly where the plain rules say."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from sanctionwatch.text.sentences import _ABBREVIATIONS, split_sentences

# The rules as first written (slow: each dot searched its whole line for the word before it)
_PLAIN_END = re.compile(r"[.!?…]+[\"'”»)\]]*(?=\s)|[\"”»]\s*$")


def _plain_split(text: str) -> list[tuple[int, int, int]]:
    out, paragraph = [], 0

    def add(start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end, paragraph))

    for line in re.finditer(r"[^\n]+|\n\s*\n", text):
        chunk = line.group()
        if not chunk.strip():
            paragraph += 1
            continue
        start = 0
        for m in _PLAIN_END.finditer(chunk):
            if chunk[m.start()] == "." and m.end() - m.start() == 1:
                word = re.search(r"(\w+)\.$", chunk[:m.end()])
                if word and ((len(word.group(1)) == 1 and word.group(1).isalpha())
                             or word.group(1).casefold() in _ABBREVIATIONS):
                    continue
                if re.match(r"\s*[^\W\d_]", chunk[m.end():]) and re.match(
                        r"\s*(\S)", chunk[m.end():]).group(1).islower():
                    continue  # the next word begins in lower case: the sentence goes on
            add(line.start() + start, line.start() + m.end())
            start = m.end()
        add(line.start() + start, line.start() + len(chunk))
    return out


PIECES = st.sampled_from([*"ab _Xé.!?…\"'”»)]\n\t\r", "J.", "Mr.", "etc.", "г.", "x_y.", "Ⅻ.",
                          "².", "\n\n", "  \n"])


@given(st.lists(PIECES, max_size=40).map("".join))
@example("M. Kirby a dit. «Oui.» Fin")
@example("Dr. No.\n\n  \nGen. X!? „Y“ ”\n")
def test_split_cuts_where_the_plain_rules_do(text):
    got = split_sentences(text)
    assert [(s.start, s.end, s.paragraph) for s in got] == _plain_split(text)
    assert all(s.text == text[s.start:s.end] and s.index == i for i, s in enumerate(got))


def test_a_company_abbreviation_before_a_verb_does_not_end_the_sentence():
    text = "Koto Machinery Co. sold engines to HESA. Then a unit of Guilin Alpha Co. shipped."
    assert [s.text for s in split_sentences(text)] == [
        "Koto Machinery Co. sold engines to HESA.", "Then a unit of Guilin Alpha Co. shipped."]


def test_a_long_line_of_initials_splits_quickly():
    text = "J. K. Rowling met A. B. Smith. " * 2000
    sentences = split_sentences(text)
    assert len(sentences) == 2000
    assert sentences[0].text == "J. K. Rowling met A. B. Smith."
