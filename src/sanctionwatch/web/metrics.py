"""`GET /metrics`: Prometheus text exposition (prometheus-client) of the store's counts.

A custom collector asks the App for the counts at every scrape (`App.metrics`), so the numbers
are those of the database — the daemon's work included, across restarts — not of this process.
The endpoint needs no sign-in (scrapers have no browser session) and therefore carries only
aggregate numbers: counts by alert type, severity and status, by channel and by source (names
from the config); never an entity, a user, an address or a text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sanctionwatch.errors import StorageError

if TYPE_CHECKING:  # the App's metrics(), read here by attribute
    from sanctionwatch.storage.metrics import Counts

PREFIX = "sanctionwatch_"


class StoreCollector(Collector):
    """Metric families built from `counts()` (one database read per scrape)."""

    def __init__(self, counts: Callable[[], Counts]):
        self.counts = counts

    def collect(self) -> Iterator[Metric]:
        c = self.counts()
        yield GaugeMetricFamily(PREFIX + "articles", "Articles stored.", value=c.articles)
        yield GaugeMetricFamily(PREFIX + "mentions", "Watchlist mentions stored.",
                                value=c.mentions)
        alerts = GaugeMetricFamily(PREFIX + "alerts", "Alerts stored, by type, severity and "
                                   "status.", labels=["type", "severity", "status"])
        for type_, severity, status, n in c.alerts:
            alerts.add_metric([type_, severity, status], n)
        yield alerts
        families = {
            "pending": GaugeMetricFamily(PREFIX + "deliveries_pending", "Deliveries waiting "
                                         "to be sent, by channel.", labels=["channel"]),
            "sent": GaugeMetricFamily(PREFIX + "deliveries_sent", "Deliveries sent (still "
                                      "stored), by channel.", labels=["channel"]),
            "failing": GaugeMetricFamily(PREFIX + "deliveries_failing", "Deliveries waiting "
                                         "after at least one failed attempt, by channel.",
                                         labels=["channel"]),
            "failed_attempts": GaugeMetricFamily(PREFIX + "delivery_failed_attempts",
                                                 "Failed send attempts of the stored "
                                                 "deliveries, by channel.", labels=["channel"]),
        }
        for q in c.channels:
            for key, family in families.items():
                family.add_metric([q.channel], getattr(q, key))
        yield from families.values()
        failures = GaugeMetricFamily(PREFIX + "source_failures", "Failed runs in a row, by "
                                     "source (0 after a successful run).", labels=["source"])
        success = GaugeMetricFamily(PREFIX + "source_last_success_timestamp_seconds",
                                    "When the source last ran without failing (Unix time).",
                                    labels=["source"])
        error = GaugeMetricFamily(PREFIX + "source_last_error_timestamp_seconds",
                                  "When the source or one of its items last failed (Unix "
                                  "time).", labels=["source"])
        cycle = GaugeMetricFamily(PREFIX + "source_last_cycle_seconds",
                                  "How long the source's last run took.", labels=["source"])
        for s in c.sources:
            failures.add_metric([s.source], s.failures)
            if s.last_success is not None:
                success.add_metric([s.source], s.last_success.timestamp())
            if s.last_error_at is not None:
                error.add_metric([s.source], s.last_error_at.timestamp())
            if s.last_cycle_seconds is not None:
                cycle.add_metric([s.source], s.last_cycle_seconds)
        yield from (failures, success, error, cycle)


def registry(counts: Callable[[], Counts]) -> CollectorRegistry:
    """A registry of its own per web app (not the process-global one)."""
    reg = CollectorRegistry(auto_describe=False)
    reg.register(StoreCollector(counts))
    return reg


def endpoint(reg: CollectorRegistry) -> Callable:
    """The route: the text format the scraper asks for (Accept), 503 without a database."""
    async def metrics(request: Request) -> Response:
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        try:
            body = await run_in_threadpool(encoder, reg)
        except StorageError:
            return Response("database unavailable\n", status_code=503,
                            media_type="text/plain")
        return Response(body, headers={"Content-Type": content_type})
    return metrics
