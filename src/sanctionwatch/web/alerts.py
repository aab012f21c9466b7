"""The alert queue, one alert's page, and the triage actions.

Triage goes through storage/alerts.py (`change_status`, `add_note`) exactly as the CLI does,
with the signed-in user as the actor, so the audit trail, suppressions and escalation
deliveries are the same whichever way an analyst works.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from sanctionwatch.errors import SanctionwatchError, TriageError
from sanctionwatch.text.spans import cut
from sanctionwatch.types import ALERT_STATUSES, SEVERITIES, QueueFilter, Session
from sanctionwatch.web import svg
from sanctionwatch.web.base import render, web_state
from sanctionwatch.web.params import int_param, path_id, text_param

FILTERS = ("status", "type", "severity", "entity", "source", "since", "until", "size")
ACTIONS = {"acknowledged": "Acknowledge", "escalated": "Escalate", "dismissed": "Dismiss",
           "new": "Reopen"}
PAGE_SIZE = 50


def _date(value: str, name: str) -> datetime | None:
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: not a date (YYYY-MM-DD): {value!r}") from None
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)


def _int(value: str | None, name: str) -> int | None:
    return int_param(value, name)


def parse_filter(params) -> tuple[QueueFilter, dict[str, str]]:
    raw = {k: text_param(str(params.get(k, "")).strip(), k) for k in FILTERS}
    if raw["status"] and raw["status"] not in ALERT_STATUSES:
        raise HTTPException(400, f"status: use one of {', '.join(ALERT_STATUSES)}")
    if raw["severity"] and raw["severity"] not in SEVERITIES:
        raise HTTPException(400, f"severity: use one of {', '.join(SEVERITIES)}")
    until = _date(raw["until"], "until")
    if until is not None and len(raw["until"]) <= 10:
        until += timedelta(days=1)  # a date: up to the end of that day
    _int(raw["size"], "size")
    f = QueueFilter(raw["status"] or None, raw["type"] or None, raw["severity"] or None,
                    raw["entity"] or None, raw["source"] or None,
                    _date(raw["since"], "since"), until)
    return f, {k: v for k, v in raw.items() if v}


def queue(request: Request, session: Session) -> Response:
    w = web_state(request)
    f, active = parse_filter(request.query_params)
    before = _int(request.query_params.get("before"), "before")
    after = _int(request.query_params.get("after"), "after")
    size = min(max(_int(request.query_params.get("size"), "size") or PAGE_SIZE, 1), 200)
    result = w.app.alerts.page(f, before=before, after=after, size=size)
    counts = w.app.alerts.counts(f)
    today = w.now().date()
    end = min(today, (f.until - timedelta(seconds=1)).date()) if f.until else today
    chart = svg.day_chart(w.app.alerts.per_day(f, end, 30))

    def link(**changes) -> str:
        params = {**active, **{k: v for k, v in changes.items() if v is not None}}
        params = {k: v for k, v in params.items() if v != ""}
        return "/?" + urlencode(params) if params else "/"

    return render(request, "queue.html", {
        "page": result, "counts": counts, "chart": chart, "filters": active,
        "statuses": ALERT_STATUSES, "severities": SEVERITIES,
        "types": sorted(set(w.app.alerts.values("type")) | set(counts.by_type)),
        "sources": w.app.alerts.values("source"), "link": link,
        "older": link(before=str(result.older)) if result.older else "",
        "newer": link(after=str(result.newer)) if result.newer else "",
        "first": link() if (before or after) else "", "self_url": _self(request),
    })


def _self(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def _safe_url(url: str) -> str:
    """An article link only when it is http(s): never `javascript:` or `data:`."""
    scheme = urlsplit(url).scheme.lower() if url else ""
    return url if scheme in ("http", "https") else ""


def detail(request: Request, session: Session, error: str = "", status: int = 200,
           form: dict | None = None) -> Response:
    w = web_state(request)
    alert_id = path_id(int(request.path_params["alert_id"]), "alert")
    try:
        d = w.app.alerts.get(alert_id)
    except TriageError as exc:
        raise HTTPException(404, str(exc)) from None
    i = d.alert.intent
    article_text = ""
    for article in w.app.alerts.sources(alert_id):
        if article.id == d.alert.article_id:
            article_text = article.data.text
    limit = 50_000
    spans = [(m.start, m.end) for m in i.mentions if m.end <= limit]
    entities = _entity_names(w, i.entity_ids)
    default_entity = i.role("target") if i.role("target") in i.entity_ids else (
        i.entity_ids[0] if i.entity_ids else "")
    return render(request, "alert.html", {
        "d": d, "a": d.alert, "i": i, "evidence": d.alert.segments(),
        "article": cut(article_text[:limit], spans),
        "article_cut": len(article_text) > limit, "entities": entities,
        "sources": [(s, _safe_url(s.url)) for s in d.sources], "actions": ACTIONS,
        "error": error, "form": form or {}, "default_entity": default_entity,
        "back": _back(request),
    }, status=status)


def _back(request: Request) -> str:
    from sanctionwatch.web.security import safe_next

    back = request.query_params.get("back", "")
    return safe_next(back) if back.startswith("/?") or back == "/" else "/"


def _entity_names(w, ids) -> dict[str, str]:
    from sanctionwatch.web.pages import entity_index

    index = entity_index(w)
    return {i: index[i].name if i in index else "" for i in ids}


def triage(request: Request, session: Session, form) -> Response:
    w = web_state(request)
    alert_id = path_id(int(request.path_params["alert_id"]), "alert")
    to_status = str(form.get("action", ""))
    note = str(form.get("note", ""))
    if to_status not in ACTIONS:
        raise HTTPException(400, f"action: use one of {', '.join(ACTIONS)}")
    suppress = None
    kind = str(form.get("suppress", ""))
    try:
        if kind in ("pattern", "source"):
            if to_status != "dismissed":
                raise TriageError("a suppression is made only when dismissing")
            value = str(form.get("suppress_value", "")).strip()
            days = _int(str(form.get("suppress_days", "90")), "suppress_days") or 90
            if days < 1:
                raise TriageError("the suppression must last at least one day")
            entity = str(form.get("suppress_entity", "")).strip()
            if not entity:
                entity = w.app.alerts.get(alert_id).alert.intent.entity_ids[0]
            suppress = {"entity_id": entity, "pattern": value if kind == "pattern" else None,
                        "source": value if kind == "source" else None,
                        "expires": w.now() + timedelta(days=days), "reason": note}
        w.app.alerts.triage(alert_id, to_status, actor=session.user.name, note=note,
                            suppress=suppress)
    except SanctionwatchError as exc:
        if isinstance(exc, TriageError) and "no such alert" in str(exc):
            raise HTTPException(404, str(exc)) from None
        return detail(request, session, error=str(exc), status=400, form=dict(form))
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)


def note(request: Request, session: Session, form) -> Response:
    w = web_state(request)
    alert_id = path_id(int(request.path_params["alert_id"]), "alert")
    try:
        w.app.alerts.note(alert_id, actor=session.user.name, note=str(form.get("note", "")))
    except SanctionwatchError as exc:
        if "no such alert" in str(exc):
            raise HTTPException(404, str(exc)) from None
        return detail(request, session, error=str(exc), status=400, form=dict(form))
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)
