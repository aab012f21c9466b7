"""`webhook`: one HTTP POST per alert (or one per digest period), JSON or Slack-compatible.

`format: json` posts `{"event": "alert.new"|"alert.update"|"alert.escalated", "delivery_id",
"alert": <the alert record of `alerts list --format jsonl`>, "command", "link"}`;
`format: slack` posts `{"text", "blocks"}` for a Slack (or Mattermost, Rocket.Chat) incoming
webhook. Every request carries `Idempotency-Key: sanctionwatch-<delivery id>` so a receiver
can drop a repeat. Any answer but 2xx, a connection error or a timeout (`timeout`, seconds) is a
failure; the outbox retries it later.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import httpx

from sanctionwatch.channels import render
from sanctionwatch.channels.base import alert_record
from sanctionwatch.errors import ChannelError, PartialDelivery
from sanctionwatch.types import Alert

FORMATS = ("json", "slack")
_SLACK_TEXT = 2900  # Slack refuses section texts over 3000 characters


class WebhookChannel:
    def __init__(self, name: str, url: str, *, format: str = "json", timeout: float = 10.0,
                 headers: dict[str, str] | None = None, link: str | None = None,
                 transport: httpx.BaseTransport | None = None):
        if format not in FORMATS:
            raise ChannelError(f"channel {name!r}: format must be one of {', '.join(FORMATS)}, "
                               f"not {format!r}")
        if not url.startswith(("http://", "https://")):
            raise ChannelError(f"channel {name!r}: url must start with http:// or https://")
        self.name, self.url, self.format, self.link = name, url, format, link
        self.timeout = timeout
        self.client = httpx.Client(timeout=timeout, headers=headers or {}, transport=transport)

    def close(self) -> None:
        self.client.close()

    def payload(self, alert: Alert) -> dict:
        if self.format == "slack":
            return _slack(alert, self.link)
        return {"event": f"alert.{alert.extra.get('reason', 'new')}",
                "delivery_id": alert.extra.get("delivery_id"), "alert": alert_record(alert),
                "command": render.command(alert), "link": render.link(alert, self.link) or None}

    def digest_payload(self, alerts: Sequence[Alert], start: datetime, end: datetime) -> dict:
        if self.format == "slack":
            text = render.digest_text(alerts, start, end, self.link)
            if len(text) > _SLACK_TEXT:
                text = text[:_SLACK_TEXT] + "\n… (more: sanctionwatch alerts list)"
            return {"text": render.digest_subject(alerts, start, end),
                    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
        return {"event": "alert.digest", "period_start": start.isoformat(),
                "period_end": end.isoformat(), "count": len(alerts),
                "delivery_ids": [a.extra.get("delivery_id") for a in alerts],
                "alerts": [alert_record(a) for a in alerts]}

    def _post(self, body: dict, key: str) -> None:
        try:
            resp = self.client.post(self.url, json=body, headers={"Idempotency-Key": key})
        except httpx.TimeoutException as exc:
            raise ChannelError(f"channel {self.name!r}: {self.url} did not answer within "
                               f"{self.timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise ChannelError(f"channel {self.name!r}: cannot reach {self.url}: {exc}") from exc
        if not 200 <= resp.status_code < 300:
            raise ChannelError(f"channel {self.name!r}: {self.url} answered HTTP "
                               f"{resp.status_code} {resp.text[:200]!r}")

    def send(self, alerts: Sequence[Alert]) -> None:
        for n, alert in enumerate(alerts):
            key = f"sanctionwatch-{alert.extra.get('delivery_id', f'alert-{alert.id}')}"
            try:
                self._post(self.payload(alert), key)
            except ChannelError as exc:
                raise PartialDelivery(str(exc), n) from exc

    def send_digest(self, alerts: Sequence[Alert], start: datetime, end: datetime) -> None:
        if alerts:
            first = alerts[0].extra.get("delivery_id", alerts[0].id)
            self._post(self.digest_payload(alerts, start, end),
                       f"sanctionwatch-digest-{start:%Y%m%dT%H%M}-{first}")


def _slack(alert: Alert, link_template: str | None) -> dict:
    head = render.subject(alert, "")
    body = f"*{head.strip()}*\n>{render.evidence_plain(alert)}"
    if len(body) > _SLACK_TEXT:
        body = body[:_SLACK_TEXT] + "…"
    see = f"`{render.command(alert)}`"
    if link_template:
        see += f"  <{render.link(alert, link_template)}|open alert #{alert.id}>"
    context = f"why: {alert.intent.why}"[:_SLACK_TEXT]
    return {"text": head.strip(), "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": see}]},
    ]}
