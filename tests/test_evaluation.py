"""The evaluation machinery (src/sanctionwatch/evaluation) and the corpus in bench/eval.

Scoring rules are checked on small corpora written here; the real corpus is checked for
consistency and breadth, and its labels against the SDN rows they name (a public-domain slice
of the 2023-12-28 list in tests/data/ofac-eval, so that no ../shared is needed)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.analysis import Analysis
from sanctionwatch.errors import DataFileError
from sanctionwatch.evaluation import eval_watchlist
from sanctionwatch.evaluation.bbc import load_pairs, score_pairs
from sanctionwatch.evaluation.corpus import LABEL_COLUMNS, SOURCE_COLUMNS, load_corpus
from sanctionwatch.evaluation.report import as_json, format_text
from sanctionwatch.evaluation.scoring import score_corpus
from sanctionwatch.types import AlertIntent, Mention

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "bench" / "eval"
SLICE = Path(__file__).resolve().parent / "data" / "ofac-eval"


def write_corpus(folder: Path, docs: dict[str, str], labels: list[dict[str, str]],
                 kinds: dict[str, str] | None = None) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "sources").mkdir()
    (folder / "labels").mkdir()
    for name, text in docs.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    with (folder / "sources" / "en.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, SOURCE_COLUMNS)
        w.writeheader()
        for name in docs:
            w.writerow({"doc": name, "lang": name.split("_")[0], "programme": "SDGT",
                        "kind": (kinds or {}).get(name, "event"), "event": "e",
                        "event_date": "2023-10", "facts_checked": "x", "author": "a",
                        "reviewer": "b"})
    with (folder / "labels" / "en.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, LABEL_COLUMNS)
        w.writeheader()
        for row in labels:
            w.writerow({c: row.get(c, "") for c in LABEL_COLUMNS})
    return folder


def mention(eid: str, text: str, word: str) -> Mention:
    start = text.index(word)
    return Mention(eid, start, start + len(word), word, 1.0, word, "name")


def intent(kind: str, target: str, phase: str | None = None, supporter: str = "") -> AlertIntent:
    roles = (("target", target),) + ((("supporter", supporter),) if supporter else ())
    return AlertIntent(kind, "high", (target,), roles, "evidence", 0, 8, "r", 1, "why", phase)


TEXT = "Hamas and its financier Zaher were named; the Castle bakery is not listed."


def test_scoring_counts_mentions_alerts_phases_and_traps(tmp_path):
    folder = write_corpus(tmp_path, {"en_01_a.txt": TEXT}, [
        {"doc": "en_01_a.txt", "entity_id": "sdn:1", "present": "1"},
        {"doc": "en_01_a.txt", "entity_id": "sdn:1", "present": "1",
         "alert_type": "support_network", "supporter": "Zaher Jabarin"},
        {"doc": "en_01_a.txt", "entity_id": "sdn:2", "present": "1", "also": "sdn:3",
         "alert_type": "designation", "phase": "effective"},
        {"doc": "en_01_a.txt", "entity_id": "sdn:9", "present": "0", "trap": "Castle"},
    ])
    corpus = load_corpus(folder)
    found = Analysis(
        (mention("sdn:1", TEXT, "Hamas"), mention("sdn:3", TEXT, "Zaher"),
         mention("sdn:7", TEXT, "Castle")),
        (intent("designation", "sdn:3", "effective"), intent("designation", "sdn:3", "lifted"),
         intent("support_network", "sdn:1", supporter="ZAHER"),
         intent("support_network", "sdn:1", supporter="sdn:8")))
    report = score_corpus(corpus, lambda _t: found, {"sdn:1", "sdn:2", "sdn:3", "sdn:7"})
    m = report.mentions["all"]
    assert (m.tp, m.fp, m.fn) == (2, 1, 0)          # sdn:3 counts as sdn:2 (`also`)
    d = report.alerts[("designation", "en")]
    assert (d.tp, d.fp, d.fn) == (1, 0, 0)
    assert (report.phase_right, report.phase_total) == (0, 1)  # both phases: contradictory
    s = report.alerts[("support_network", "all")]
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)          # "ZAHER" is in "Zaher Jabarin"; sdn:8 is not
    assert [(f.what, f.detail) for f in report.trap_firings] == [
        ("sdn:7", "'Castle' on trap 'Castle'")]
    kinds = Counter(f.kind for f in report.findings)
    assert kinds == {"wrong_phase": 1, "extra_alert": 1, "extra_mention": 1, "trap": 1}
    text = format_text(report)
    assert "trap firings: 1" in text and "support sdn:8 -> sdn:1" in text
    assert as_json(report, corpus)["alerts"]["designation"]["all"]["tp"] == 1


def test_misses_are_listed_with_the_labels_note(tmp_path):
    folder = write_corpus(tmp_path, {"en_01_a.txt": TEXT, "en_02_b.txt": "Nothing here."}, [
        {"doc": "en_01_a.txt", "entity_id": "sdn:1", "present": "1",
         "alert_type": "designation", "phase": "announced", "notes": "set to be listed"},
        {"doc": "en_01_a.txt", "entity_id": "sdn:1", "present": "1",
         "alert_type": "support_network", "supporter": "sdn:2"},
    ], kinds={"en_02_b.txt": "negative"})
    report = score_corpus(load_corpus(folder), lambda _t: Analysis((), ()), {"sdn:1", "sdn:2"})
    assert report.documents == 2
    assert report.mentions["all"].fn == 1 and report.alert_counts().fn == 2
    assert {(f.kind, f.what, f.detail) for f in report.findings} == {
        ("missed_mention", "sdn:1", ""),
        ("missed_alert", "designation sdn:1 (announced)", "set to be listed"),
        ("missed_alert", "support sdn:2 -> sdn:1", ""),
    }


@pytest.mark.parametrize("row, message", [
    ({"present": "yes"}, "present must be 0 or 1"),
    ({"present": "1", "alert_type": "designation"}, "a designation needs a phase"),
    ({"present": "1", "alert_type": "support_network"}, "a support row names its supporter"),
    ({"present": "0", "alert_type": "designation", "phase": "effective"}, "carries no alert"),
    ({"present": "1", "phase": "lifted"}, "only designation rows have a phase"),
    ({"present": "1", "alert_type": "sanction"}, "unknown alert_type"),
])
def test_a_bad_label_is_reported_with_file_and_line(tmp_path, row, message):
    folder = write_corpus(tmp_path, {"en_01_a.txt": TEXT},
                          [{"doc": "en_01_a.txt", "entity_id": "sdn:1", **row}])
    with pytest.raises(DataFileError) as exc:
        load_corpus(folder)
    assert f"{folder / 'labels' / 'en.csv'}:2:" in str(exc.value)
    assert message in str(exc.value)


def test_a_document_without_sources_row_and_a_label_for_no_document_are_errors(tmp_path):
    folder = write_corpus(tmp_path, {"en_01_a.txt": TEXT}, [
        {"doc": "en_09_gone.txt", "entity_id": "sdn:1", "present": "1"}])
    (folder / "docs" / "en_02_orphan.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_corpus(folder)
    assert "en_02_orphan.txt:1:1: no row in sources/" in str(exc.value)
    assert "unknown document 'en_09_gone.txt'" in str(exc.value)


def test_languages_can_be_loaded_alone_while_others_are_being_written(tmp_path):
    folder = write_corpus(tmp_path, {"en_01_a.txt": TEXT},
                          [{"doc": "en_01_a.txt", "entity_id": "sdn:1", "present": "1"}])
    (folder / "docs" / "de_01_half_written.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DataFileError):
        load_corpus(folder)
    only = load_corpus(folder, ["en"])
    assert [d.name for d in only.documents] == ["en_01_a.txt"]
    with pytest.raises(DataFileError) as exc:
        load_corpus(folder, ["de", "en"])
    assert "de_01_half_written.txt:1:1: no row in sources/" in str(exc.value)


def test_bbc_pairs_precision_misses_and_unlabelled(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("article,entity_id,label,matched,note\n"
                    "business/1,sdn:1,true,Putin,the person\n"
                    "business/2,sdn:2,false,said,a verb\n"
                    "tech/3,sdn:3,true,PDVSA,the company\n", encoding="utf-8")
    labels = load_pairs(path)
    report = score_pairs({("business/1", "sdn:1"): "Putin", ("business/2", "sdn:2"): "said",
                          ("sport/4", "sdn:4"): "Castle"}, labels)
    assert (report.found, report.true_found, report.precision) == (3, 1, 0.5)
    assert [p.entity_id for p in report.true_missed] == ["sdn:3"]
    assert report.unlabelled == [("sport/4", "sdn:4", "Castle")]
    path.write_text("article,entity_id,label,matched,note\nbusiness/1,sdn:1,maybe,,\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match=r"pairs.csv:2:3: label must be true or false"):
        load_pairs(path)


# --- the corpus in bench/eval ---------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus():
    found = load_corpus(EVAL)
    if not found.documents:
        pytest.skip("the team's corpus is not written yet (issue 13 is open)")
    return found


def test_corpus_breadth(corpus):
    docs = corpus.documents
    langs = Counter(d.lang for d in docs)
    assert len(docs) >= 180
    assert set(langs) >= {"en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr",
                          "ar", "zh", "el"}
    assert min(langs.values()) >= 8, langs
    other = sum(d.programme not in ("RUSSIA", "NONE") for d in docs)
    assert other / len(docs) >= 0.6
    negatives = sum(d.kind in ("negative", "trap") for d in docs)
    assert 0.25 <= negatives / len(docs) <= 0.45


def test_every_document_has_provenance_and_a_reviewer(corpus):
    for d in corpus.documents:
        assert d.event and d.event_date and d.facts_checked, d.name
        assert d.author and d.reviewer and d.author != d.reviewer, d.name


def test_every_label_names_an_entry_of_the_list(corpus):
    """Ids are the list's own: every `ofac_sdn:` id is a row of the 2023-12-28 SDN list
    (the slice holds exactly the rows the labels name), the rest are curated."""
    watchlist = eval_watchlist(EVAL / "watchlist", SLICE)
    known = {e.id for e in watchlist.entities}
    assert sorted(corpus.entity_ids() - known) == []


def test_bbc_pairs_file_is_valid():
    labels = load_pairs(EVAL / "bbc_pairs.csv")
    assert len(labels) >= 100
    assert {lb.true for lb in labels.values()} == {True, False}
