"""`jsonl` and `csv` bulk sources: field mapping, chunks skipped when unchanged, appended
records read alone, bad records reported with file and line while the others are read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sanctionwatch.errors import ConfigError, SourceError
from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.csv import CsvSource
from sanctionwatch.sources.jsonl import JsonlSource
from sanctionwatch.sources.records import FieldMap


def _split(results):
    items = [r for r in results if isinstance(r, SourceItem)]
    problems = [r for r in results if isinstance(r, ItemProblem)]
    return items, problems


def _export(path, n, start=0):
    with path.open("a", encoding="utf-8") as fh:
        for i in range(start, start + n):
            fh.write(json.dumps({"uid": f"r{i}", "headline": f"Headline {i}",
                                 "body": f"Body of report {i}.", "link": f"https://x.example/{i}"
                                 "?utm_source=export", "date": "2023-01-26T10:00:00Z"}) + "\n")


MAPPING = FieldMap.from_config({"id": "uid", "title": "headline", "text": ["headline", "body"],
                                "url": "link", "published": "date"}, "test")


def test_jsonl_field_mapping_and_chunks(tmp_path):
    f = tmp_path / "export.jsonl"
    _export(f, 5)
    src = JsonlSource("bulk", f, MAPPING, chunk=2)
    items, problems = _split(list(src.fetch({})))
    assert not problems
    assert [i.key for i in items] == ["export.jsonl:1-2", "export.jsonl:3-4", "export.jsonl:5-5"]
    a = items[0].articles[0]
    assert (a.external_id, a.title, a.text) == ("export.jsonl#r0", "Headline 0",
                                                 "Headline 0\n\nBody of report 0.")
    assert a.url == "https://x.example/0"
    assert a.published == datetime(2023, 1, 26, 10, tzinfo=UTC)
    seen = {i.key: i.fingerprint for i in items}
    assert list(src.fetch(seen)) == []
    _export(f, 2, start=5)  # appended: only the last, changed chunk and the new one
    again, _ = _split(list(src.fetch(seen)))
    assert [i.key for i in again] == ["export.jsonl:5-6", "export.jsonl:7-7"]


def test_jsonl_bad_lines_are_reported_and_the_rest_read(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text('{"id": "1", "text": "fine"}\n{not json\n[1, 2]\n{"id": "4", "title": "t"}\n'
                 '{"id": "5", "text": "also fine"}\n', encoding="utf-8")
    items, problems = _split(list(JsonlSource("bulk", f).fetch({})))
    assert [a.text for i in items for a in i.articles] == ["fine", "also fine"]
    msgs = [p.message for p in problems]
    assert msgs[0].startswith(f"{f}:2:2: invalid JSON")
    assert msgs[1] == f"{f}:3: expected a JSON object on each line"
    assert msgs[2] == f"{f}:4: no text in field(s) text"


def test_jsonl_folder_reads_every_export(tmp_path):
    (tmp_path / "a").mkdir()
    _export(tmp_path / "a" / "one.jsonl", 1)
    _export(tmp_path / "two.ndjson", 1)
    (tmp_path / "notes.txt").write_text("not an export", encoding="utf-8")
    items, _ = _split(list(JsonlSource("bulk", tmp_path, MAPPING).fetch({})))
    assert sorted(i.key for i in items) == ["a/one.jsonl:1-1", "two.ndjson:1-1"]


def test_missing_path_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        list(JsonlSource("bulk", tmp_path / "nope.jsonl").fetch({}))


def test_csv_with_mapping_delimiter_and_multiline_fields(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text('guid;headline;story;when\n'
                 'c1;Wagner designated;"First line.\nSecond line; with a semicolon.";'
                 'Thu, 26 Jan 2023 10:00:00 +0000\n'
                 'c2;Empty;;\n'
                 'c3;Other;Third story.;2023-01-27\n', encoding="utf-8")
    fields = FieldMap.from_config({"id": "guid", "title": "headline", "text": "story",
                                   "published": "when"}, "test")
    src = CsvSource("csv", f, fields, delimiter=";")
    items, problems = _split(list(src.fetch({})))
    arts = [a for i in items for a in i.articles]
    assert [(a.external_id, a.text) for a in arts] == [
        ("export.csv#c1", "First line.\nSecond line; with a semicolon."),
        ("export.csv#c3", "Third story.")]
    assert arts[0].published == datetime(2023, 1, 26, 10, tzinfo=UTC)
    assert arts[1].published == datetime(2023, 1, 27, tzinfo=UTC)
    assert [p.message for p in problems] == [f"{f}:4: no text in field(s) story"]
    seen = {i.key: i.fingerprint for i in items}
    assert list(src.fetch(seen)) == []  # the chunk is unchanged: not even re-parsed


def test_csv_without_the_text_column_names_the_columns(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text("id,body\n1,hello\n", encoding="utf-8")
    _, problems = _split(list(CsvSource("csv", f).fetch({})))
    assert problems[0].message == \
        f"{f}:1: no column 'text' for the article text (columns: id, body)"


def test_csv_in_a_wrong_encoding_is_reported(tmp_path):
    f = tmp_path / "export.csv"
    f.write_bytes("id,text\n1,café\n".encode("latin-1"))
    _, problems = _split(list(CsvSource("csv", f).fetch({})))
    assert "not valid utf-8-sig at byte" in problems[0].message
    items, _ = _split(list(CsvSource("csv", f, encoding="latin-1").fetch({})))
    assert items[0].articles[0].text == "café"


def test_field_mapping_rejects_unknown_fields():
    with pytest.raises(ConfigError, match="unknown article field"):
        FieldMap.from_config({"body": "text"}, "source 'x'")
