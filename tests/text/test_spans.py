"""Cutting evidence at matched spans: the pieces always join back to the text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sanctionwatch.text.spans import cut


def test_marks_spans_and_keeps_the_rest():
    assert cut("groupe Wagner et Prigozhin", [(7, 13), (17, 26)]) == [
        ("groupe ", False), ("Wagner", True), (" et ", False), ("Prigozhin", True)]


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-5, 50), st.integers(-5, 50))))
def test_pieces_join_back_to_the_text(text, spans):
    pieces = cut(text, spans)
    assert "".join(p for p, _ in pieces) == text
    assert all(p for p, _ in pieces)
