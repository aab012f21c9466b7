"""Text is cleaned once where it enters: control characters, zero-width and bidi controls and
piles of combining marks never reach the matcher, in articles and in watchlist names alike."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.text.clean import clean_text
from sanctionwatch.types import ArticleData, Entity, Watchlist

runner = CliRunner()


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_nothing_invisible(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert not any(c in once for c in "\x00\x1b\x7f\u200b\u200d\u202e\u2066\ufeff")


def test_ordinary_text_is_left_as_it_is():
    for text in ("Plain ASCII.\tWith a tab\nand lines.", "Tiếng Việt, Prigožin, حِزْبُ الله",
                 "Пригожин и «Вагнер»"):
        assert clean_text(text) == text


def test_an_article_is_stored_cleaned():
    data = ArticleData("feed", "1", "Le groupe Wag\u200bner\x00 a été sanctionné.", "T\x00itre")
    assert data.text == "Le groupe Wagner a été sanctionné." and data.title == "Titre"


def test_evasions_inside_a_name_are_found_by_scan(tmp_path, repo):
    """A NUL, a zero-width space and a pile of combining marks inside "Wagner", in a real
    file read by `scan` with the repository's watchlist."""
    doc = tmp_path / "hostile.txt"
    doc.write_bytes("Le groupe Wag\u200bner\x00 a été sanctionné par les États-Unis. "
                    "Le groupe W\u0301\u0301\u0301\u0301agner recrute.".encode())
    result = runner.invoke(app, ["scan", "--format", "jsonl", "--watchlist",
                                 str(repo / "watchlist"), str(doc)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    matched = [r["matched"] for r in records if r["kind"] == "mention"]
    assert matched == ["groupe Wagner", "groupe Wagner"]
    assert any(r["kind"] == "alert" and "\x00" not in r["evidence"] for r in records)


def test_a_nul_inside_a_listed_name_is_cleaned_like_the_text():
    entity = Entity("x", "organization", "BLENDER\x00.IO", aliases=("BLEND\u200bERIO",))
    assert entity.name == "BLENDER.IO" and entity.aliases == ("BLENDERIO",)
    found = Matcher(Watchlist((entity,))).find("OFAC sanctioned Blender.io, a mixer.")
    assert [m.matched for m in found] == ["Blender.io"]
