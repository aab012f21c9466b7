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

FILTERS = ("status", "type", "severity", "entity", "assignee", "source", "since", "until",
           "size", "sort")
SORTS = {"severity": "severity, then newest", "newest": "newest first"}
UNASSIGNED = "-"   # the assignee filter's value for "nobody"
BULK = {"acknowledged": "Acknowledge", "dismissed": "Dismiss", "escalated": "Escalate",
        "assign": "Assign"}
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


def parse_filter(params, names=None) -> tuple[QueueFilter, dict[str, str]]:
    """The queue filter of a query string. `names(text)` -> entity ids: the entity filter
    takes an id or a name ("Wagner" selects every entity with Wagner in a name)."""
    raw = {k: text_param(str(params.get(k, "")).strip(), k) for k in FILTERS}
    if raw["sort"] and raw["sort"] not in SORTS:
        raise HTTPException(400, f"sort: use one of {', '.join(SORTS)}")
    if raw["status"] and raw["status"] not in ALERT_STATUSES:
        raise HTTPException(400, f"status: use one of {', '.join(ALERT_STATUSES)}")
    if raw["severity"] and raw["severity"] not in SEVERITIES:
        raise HTTPException(400, f"severity: use one of {', '.join(SEVERITIES)}")
    until = _date(raw["until"], "until")
    if until is not None and len(raw["until"]) <= 10:
        until += timedelta(days=1)  # a date: up to the end of that day
    _int(raw["size"], "size")
    entity_any: tuple[str, ...] = ()
    if raw["entity"]:
        matches = list(names(raw["entity"])) if names else []
        entity_any = tuple(dict.fromkeys([raw["entity"], *matches]))
    assignee = raw["assignee"]
    f = QueueFilter(raw["status"] or None, raw["type"] or None, raw["severity"] or None,
                    None, raw["source"] or None,
                    _date(raw["since"], "since"), until,
                    assignee=("" if assignee == UNASSIGNED else assignee) if assignee else None,
                    entity_any=entity_any)
    return f, {k: v for k, v in raw.items() if v}


def _cursor(value: str | None, name: str, sort: str):
    """A page cursor: an alert id (newest order) or `rank.id` (severity order)."""
    if value in (None, ""):
        return None
    if sort == "severity":
        rank, _, ident = value.partition(".")
        if not rank.isdigit() or len(rank) > 1:
            raise HTTPException(400, f"{name}: not a cursor of this order: {value[:40]!r}")
        return (int(rank), _int(ident, name) or 0)
    return _int(value, name)


def _cursor_text(cursor) -> str:
    return f"{cursor[0]}.{cursor[1]}" if isinstance(cursor, tuple) else str(cursor)


def _names(w):
    def names(text: str) -> list[str]:
        return [e.id for e in w.app.entities.search(text, limit=200)]
    return names


def entity_cells(w, intent) -> list[tuple[str, str, str, str]]:
    """(role, text, link, id) per role of an alert: entities by name with a link to their
    page; other values (a list's name, a change) as they are."""
    index = w.app.entities.by_id()
    cells = []
    ids = set(intent.entity_ids)
    for role, value in intent.roles or [("entity", e) for e in intent.entity_ids]:
        if value in ids:
            known = index.get(value)
            cells.append((role, known.name if known else value, _entity_url(value), value))
        else:
            cells.append((role, value, "", ""))
    return cells


def _entity_url(entity_id: str) -> str:
    from urllib.parse import quote

    return "/entities/" + quote(entity_id, safe="")


def queue(request: Request, session: Session, error: str = "", status: int = 200,
          form: dict | None = None) -> Response:
    w = web_state(request)
    f, active = parse_filter(request.query_params, _names(w))
    sort = active.get("sort", "severity")
    before = _cursor(request.query_params.get("before"), "before", sort)
    after = _cursor(request.query_params.get("after"), "after", sort)
    size = min(max(_int(request.query_params.get("size"), "size") or PAGE_SIZE, 1), 200)
    result = w.app.alerts.page(f, before=before, after=after, size=size, order=sort)
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
        "statuses": ALERT_STATUSES, "severities": SEVERITIES, "sorts": SORTS, "sort": sort,
        "types": sorted(set(w.app.alerts.values("type")) | set(counts.by_type)),
        "sources": w.app.alerts.values("source"), "link": link,
        "older": link(before=_cursor_text(result.older), after="") if result.older else "",
        "newer": link(after=_cursor_text(result.newer), before="") if result.newer else "",
        "first": link(before="", after="") if (before or after) else "",
        "self_url": _self(request), "cells": lambda a: entity_cells(w, a.intent),
        "bulk": BULK, "error": error, "form": form or {}, "unassigned": UNASSIGNED,
        "users": [u.name for u in w.app.users.list()],
    }, status=status)


def bulk(request: Request, session: Session, form) -> Response:
    """The queue's bulk form (POSTed to the queue's own address, filters kept): the selected
    alerts acknowledged, dismissed (a note required), escalated or assigned, each in its own
    audit trail. A failure re-renders the queue with the error, at the same address."""
    w = web_state(request)
    action_ = str(form.get("bulk", ""))
    note_ = str(form.get("note", ""))
    ids = [path_id(_int(str(v), "alert") or 0, "alert") for v in form.getlist("id")]
    here = dict(form)
    here["ids"] = set(ids)
    try:
        if action_ not in BULK:
            raise TriageError(f"action: use one of {', '.join(BULK)}")
        if not ids:
            raise TriageError("select at least one alert (the boxes in the first column)")
        if action_ == "assign":
            who = str(form.get("assignee", "")).strip()
            for alert_id in ids:
                w.app.alerts.assign(alert_id, who, actor=session.user.name, note=note_)
            skipped: dict[int, str] = {}
        else:
            _, skipped = w.app.alerts.bulk(ids, action_, actor=session.user.name, note=note_)
    except SanctionwatchError as exc:
        return queue(request, session, error=str(exc), status=400, form=here)
    if skipped:
        return queue(request, session, status=200, form={}, error="Not changed: " + "; ".join(
            skipped.values()))
    return RedirectResponse(_self(request), status_code=303)


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
        "back": _back(request), "users": [u.name for u in w.app.users.list()],
        "self_url": _self(request),
    }, status=status)


def _back(request: Request) -> str:
    from sanctionwatch.web.security import safe_next

    back = request.query_params.get("back", "")
    return safe_next(back) if back.startswith("/?") or back == "/" else "/"


def _entity_names(w, ids) -> dict[str, str]:
    index = w.app.entities.by_id()
    return {i: index[i].name if i in index else "" for i in ids}


def act(request: Request, session: Session, form) -> Response:
    """Every action of an alert's page, POSTed to the page's own address (so a failure is
    shown on that page, at that address): `action` a status, `note` or `assign`."""
    what = str(form.get("action", ""))
    if what == "note":
        return note(request, session, form)
    if what == "assign":
        return assign(request, session, form)
    return triage(request, session, form)


def _done(request: Request, alert_id: int) -> Response:
    back = request.query_params.get("back", "")
    target = f"/alerts/{alert_id}" + (f"?{urlencode({'back': back})}" if back else "")
    return RedirectResponse(target, status_code=303)


def assign(request: Request, session: Session, form) -> Response:
    w = web_state(request)
    alert_id = path_id(int(request.path_params["alert_id"]), "alert")
    who = str(form.get("assignee", "")).strip()
    if form.get("me"):
        who = session.user.name
    try:
        if len(who) > 200:
            raise TriageError("the assignee's name is too long (at most 200 characters)")
        w.app.alerts.assign(alert_id, who, actor=session.user.name,
                            note=str(form.get("note", "")))
    except SanctionwatchError as exc:
        if "no such alert" in str(exc):
            raise HTTPException(404, str(exc)) from None
        return detail(request, session, error=str(exc), status=400, form=dict(form))
    return _done(request, alert_id)


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
    return _done(request, alert_id)


def note(request: Request, session: Session, form) -> Response:
    w = web_state(request)
    alert_id = path_id(int(request.path_params["alert_id"]), "alert")
    try:
        w.app.alerts.note(alert_id, actor=session.user.name, note=str(form.get("note", "")))
    except SanctionwatchError as exc:
        if "no such alert" in str(exc):
            raise HTTPException(404, str(exc)) from None
        return detail(request, session, error=str(exc), status=400, form=dict(form))
    return _done(request, alert_id)
