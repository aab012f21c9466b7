"""A document's units: folded character by character however the fold is computed, and
offsets that lead from the fold back to the text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from sanctionwatch.rules.document import Document, Folding, fold_text
from sanctionwatch.rules.prefilter import Scanner
from sanctionwatch.text.normalize import fold_char
from sanctionwatch.types import Sentence

# ASCII, Windows-1252 (accents, quotes, dashes, "ß" and "æ" that fold to two letters), and
# characters it cannot write (Cyrillic, "ł", U+0081)
MIXED = st.text(st.sampled_from(list("aZ`' .é»“’–…ßæÿщЖłİ\u0081\u00ad")), max_size=40)


@given(MIXED)
@example("Les États-Unis l’ont désigné « organisation criminelle »")
@example("Straße")
@example("Пригожин")
def test_fold_text_folds_every_character(s):
    assert fold_text(s) == "".join(fold_char(c) for c in s)


@given(MIXED)
def test_offsets_lead_back_to_the_character_folded(s):
    f = Folding(s)
    assert f.folded == fold_text(s)
    for i in range(len(f.folded)):
        j = f.orig(i)
        before = "".join(fold_char(c) for c in s[:j])
        assert len(before) <= i < len(before) + len(fold_char(s[j]))
    for pos in range(len(s) + 1):
        assert f.folded_index(pos) == len(fold_text(s[:pos]))


@given(MIXED, st.integers(0, 40), st.integers(0, 40))
@example("Пригожин и «Вагнер»", 9, 19)
@example("sanctions\xad against", 0, 9)  # a soft hyphen after the unit folds to ""
def test_a_slice_of_the_documents_fold_is_the_fold_of_the_slice(s, i, j):
    """The document is folded once; a unit and the words between a trigger and a name are
    slices of that fold, and lead back to the same characters."""
    i, j = sorted((min(i, len(s)), min(j, len(s))))
    doc = Document(s, [Sentence(0, i, j, s[i:j])], Scanner(()))
    assert doc.fold(i, j) == fold_text(s[i:j])
    unit = doc.unit("sentence", doc.sentences[0])
    assert unit.folded == fold_text(s[i:j])
    alone = Folding(s[i:j])
    for k in range(len(unit.folded) + 1):
        assert unit.orig(k) == i + alone.orig(k)
        assert doc.orig_in_fold(i, j, k) == i + alone.orig(k)
