"""A document's units: folded character by character however the fold is computed, and
offsets that lead from the fold back to the text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from sanctionwatch.rules.document import Folding, fold_text
from sanctionwatch.text.normalize import fold_char

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
