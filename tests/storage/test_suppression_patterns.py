"""An analyst's suppression pattern never holds the monitor: patterns are searched by the
`regex` engine under a time limit, and one that times out is reported and skipped."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import pytest

from sanctionwatch.storage import suppressions
from sanctionwatch.storage.suppressions import Suppression

SENTENCE = ("The Treasury said on Tuesday that the network had moved money for the group "
            "through three exchanges in Beirut")


def sup(pattern: str) -> Suppression:
    return Suppression(1, "wagner-group", pattern, None, None, "noise", datetime.now(UTC),
                       "alice", None)


def test_a_catastrophic_pattern_answers_at_once():
    """`(\\w+\\s?)*$@` made Python's `re` spin for minutes on a 14-word sentence."""
    done: list[bool] = []
    worker = threading.Thread(target=lambda: done.append(
        sup(r"(\w+\s?)*$@").matches(SENTENCE, "feed", "")), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert done == [False], "the pattern search did not return within 5 s"


def test_a_pattern_that_times_out_is_reported_and_skipped(monkeypatch, caplog):
    def slow(*args, **kwargs):
        raise TimeoutError("regex time-out")

    monkeypatch.setattr(suppressions.regex, "search", slow)
    with caplog.at_level(logging.WARNING, logger="sanctionwatch.suppressions"):
        assert sup("Beirut").matches(SENTENCE, "feed", "") is False
    assert "suppression #1" in caplog.text and "skipped" in caplog.text


def test_ordinary_patterns_still_match_case_insensitively():
    assert sup(r"three exchanges in beirut").matches(SENTENCE, "feed", "")
    with pytest.raises(suppressions.SuppressionError, match="not a valid regular expression"):
        suppressions.validate("x", "(unclosed", None, None, datetime.now(UTC))
