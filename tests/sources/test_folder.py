"""The drop folder: processed files are remembered, edited and new files are read, a broken
file is reported while the others are read."""

from __future__ import annotations

from sanctionwatch.sources.base import ItemProblem, SourceItem
from sanctionwatch.sources.folder import FolderSource


def _seen(results):
    return {r.key: r.fingerprint for r in results if isinstance(r, SourceItem)}


def test_drop_folder_remembers_and_rereads_edits(tmp_path):
    (tmp_path / "a.txt").write_text("Wagner Group news.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# B\n\nMore news.", encoding="utf-8")
    (tmp_path / "README.md").write_text("Drop files here.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("not an article", encoding="utf-8")
    src = FolderSource("drop", tmp_path)
    first = list(src.fetch({}))
    seen = _seen(first)
    assert sorted(seen) == ["a.txt", "sub/b.md"]
    assert list(src.fetch(seen)) == []
    (tmp_path / "a.txt").write_text("Wagner Group news, corrected.", encoding="utf-8")
    (tmp_path / "c.json").write_text('{"id": "c", "text": "JSON article"}', encoding="utf-8")
    again = list(src.fetch(seen))
    assert sorted(r.key for r in again) == ["a.txt", "c.json"]
    texts = {r.key: r.articles[0].text for r in again}
    assert texts["a.txt"] == "Wagner Group news, corrected."


def test_a_broken_file_is_a_problem_and_the_others_are_read(tmp_path):
    (tmp_path / "bad.json").write_text('{"id": "x", "text": ', encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    results = list(FolderSource("drop", tmp_path).fetch({}))
    problems = {r.key: r.message for r in results if isinstance(r, ItemProblem)}
    assert set(problems) == {"bad.json", "latin.txt"}
    assert "invalid JSON" in problems["bad.json"]
    assert "not valid UTF-8" in problems["latin.txt"]
    assert _seen(results).keys() == {"good.txt"}
