"""The compact form and pair tables give back exactly the forms and pairs put in, also after
a round trip through the index cache's pickle."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionwatch.matching.forms import NameForm, name_forms
from sanctionwatch.matching.formtable import FormTable, PairTable
from sanctionwatch.types import Entity

WORDS = st.sampled_from(["prigozin", "evgeni", "vagner", "said", "al", "kim", "korea", "nord"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(WORDS, min_size=1,
                                                                      max_size=4),
                          st.booleans(), st.booleans()), max_size=30))
def test_forms_and_pairs_come_back_as_stored(specs):
    table = FormTable()
    forms = [NameForm(e, f"{e.upper()} {' '.join(ws)}", tuple(ws), tuple(w + "x" for w in ws),
                      strong, "name" if strong else "short", org)
             for e, ws, strong, org in specs]
    pairs = PairTable(table)
    ids = [table.add(f) for f in forms]
    expected: dict[tuple[str, str], list[int]] = {}
    for n, f in zip(ids, forms, strict=True):
        if len(f.keys) > 1:
            pairs.add(f.keys[0], f.keys[1], n)
            expected.setdefault(f.keys[:2], []).append(n)
    pairs.freeze()
    table2, pairs2 = pickle.loads(pickle.dumps((table, pairs)))
    for t, p in ((table, pairs), (table2, pairs2)):
        assert [t[n] for n in ids] == forms
        assert [t.entity_id(n) for n in ids] == [f.entity_id for f in forms]
        for (k0, k1), ns in expected.items():
            assert p.get(k0, k1) == tuple(ns)
        assert p.get("nobody", "else") == ()
        assert p.firsts() == frozenset(k0 for k0, _ in expected)


def test_real_entity_forms_round_trip():
    e = Entity("prigozhin", "person", "PRIGOZHIN, Yevgeniy Viktorovich",
               aliases=("Евгений Пригожин",))
    table = FormTable()
    ids = [table.add(f) for f in name_forms(e)]
    assert [table[n] for n in ids] == list(name_forms(e))
