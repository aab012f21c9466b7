"""The pure core in one call: text -> mentions -> alert intents. Used by `scan`, the daemon's
pipeline and the evaluation alike, so all three see the same results."""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.matching.matcher import Matcher, MatchSettings
from sanctionwatch.rules.evaluate import Trace, evaluate
from sanctionwatch.rules.model import RuleSet
from sanctionwatch.text.sentences import split_sentences
from sanctionwatch.types import AlertIntent, Mention, Sentence, Watchlist


@dataclass(frozen=True, slots=True)
class Analysis:
    mentions: tuple[Mention, ...]
    intents: tuple[AlertIntent, ...]
    sentences: tuple[Sentence, ...] = ()


class Analyzer:
    """A watchlist's matcher and a rule set, built once and used for many documents."""

    def __init__(self, watchlist: Watchlist, rules: RuleSet,
                 settings: MatchSettings | None = None, matcher: Matcher | None = None):
        self.watchlist = watchlist
        self.rules = rules
        # a matcher already built for this watchlist (loaded from the index cache) is used as is
        self.matcher = matcher if matcher is not None else Matcher(watchlist, settings)

    def analyze(self, text: str, trace: list[Trace] | None = None) -> Analysis:
        mentions = self.matcher.find(text)
        if not mentions:
            return Analysis((), ())
        sentences = split_sentences(text)
        intents = evaluate(self.rules, text, mentions, self.watchlist, sentences, trace)
        return Analysis(tuple(mentions), tuple(intents), tuple(sentences))
