"""An alert's message names the entities as the watchlist does, never by their ids."""

from __future__ import annotations


def test_the_message_names_the_target_by_its_listed_name(analyzer, watchlist):
    text = ("The United States will designate the Wagner Group as a transnational criminal "
            "organization, officials said.")
    (intent,) = [i for i in analyzer.analyze(text).intents if i.type == "designation"]
    name = watchlist.by_id["wagner-group"].name
    assert intent.message == f"{name} is to be designated (announced)"
    assert "wagner-group" not in intent.message and intent.role("target") == "wagner-group"
