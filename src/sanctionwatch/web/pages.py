"""Entity, watchlist and source-health pages.

The entity page reads the watchlist in force (curated folder plus the official lists merged
for matching, as the App's analyser has it) and the store: recent mentions, and the links
that alerts found (support_network and network_link alerts). The graph draws both,
distinguished: relations on the watchlist solid, links found in news dashed.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sanctionwatch.types import CURATED_LIST, Entity, Session, Watchlist
from sanctionwatch.web import svg
from sanctionwatch.web.base import WebState, render, web_state
from sanctionwatch.web.params import int_param, text_param

LINK_TYPES = ("support_network", "network_link")
PROVENANCE_KEYS = ("list", "list_entry_id", "list_date")


def entity_index(w: WebState) -> dict[str, Entity]:
    """Entity id -> entity of the watchlist in force (rebuilt when the analyser changes)."""
    return w.app.entities.by_id()


INDEX_PAGE = 100


def entities(request: Request, session: Session) -> Response:
    """The entity index: every entity of the watchlist in force by name, or those whose
    name or id matches `q`, of one origin (curated or an official list) if asked."""
    w = web_state(request)
    q = text_param(request.query_params.get("q", "").strip(), "q")
    origin = text_param(request.query_params.get("origin", "").strip(), "origin")
    start = int_param(request.query_params.get("start", ""), "start") or 0
    found, total, origins = w.app.entities.index(q, origin, start, INDEX_PAGE)
    if q and total == 1 and start == 0 and request.query_params.get("go"):
        from starlette.responses import RedirectResponse

        return RedirectResponse(_url(found[0].id), status_code=303)

    def link(**changes) -> str:
        from urllib.parse import urlencode

        params = {k: v for k, v in {"q": q, "origin": origin, **changes}.items() if v}
        return "/entities" + ("?" + urlencode(params) if params else "")

    return render(request, "entities.html", {
        "q": q, "origin": origin, "origins": origins, "found": found, "total": total,
        "start": start, "url": _url,
        "next": link(start=str(start + INDEX_PAGE)) if start + INDEX_PAGE < total else "",
        "prev": link(start=str(max(start - INDEX_PAGE, 0)) if start > INDEX_PAGE else "")
        if start else "",
    })


def _url(entity_id: str) -> str:
    from urllib.parse import quote

    return "/entities/" + quote(entity_id, safe="")


def entity(request: Request, session: Session) -> Response:
    w = web_state(request)
    entity_id = request.path_params["entity_id"]
    index = entity_index(w)
    e = index.get(entity_id)
    in_force = e is not None
    list_name = entity_id.split(":", 1)[0] if ":" in entity_id else CURATED_LIST
    if e is not None and e.origin != "curated":
        list_name = dict(e.extra).get("list", e.origin)
    if e is None and ":" in entity_id:
        e = w.app.entities.stored(entity_id, list_name)
    history = w.app.entities.history(entity_id, list_name) if e is not None else []
    alerts = w.app.alerts.of_entity(entity_id, limit=20)
    if e is None and not alerts:
        raise HTTPException(404, f"entity {entity_id!r}: not on the watchlist in force and "
                                 "in no alert")
    wl = w.app.analyzer.watchlist
    relations = [r for r in wl.relations if entity_id in (r.source, r.target)]
    links = w.app.alerts.of_entity(entity_id, LINK_TYPES, limit=200)
    center = svg.Node(entity_id, e.name if e else entity_id, _url(entity_id))
    nodes: dict[str, svg.Node] = {entity_id: center}
    edges: list[svg.Edge] = []

    def node(key: str) -> str:
        if key not in nodes:
            known = index.get(key)
            nodes[key] = svg.Node(key, known.name if known else key,
                                  _url(key) if known else "")
        return key

    for r in relations:
        edges.append(svg.Edge(node(r.source), node(r.target), r.relation, "watchlist"))
    found: dict[tuple[str, str, str], int] = {}
    for a in links:
        roles = dict(a.intent.roles)
        if a.intent.type == "support_network":
            src, dst, label = roles.get("supporter"), roles.get("target"), "supports"
        else:
            others = [v for r, v in a.intent.roles if r != "target"]
            src, dst, label = (others[0] if others else None), roles.get("target"), "linked"
        if not src or not dst or entity_id not in (src, dst):
            continue
        key = (src, dst, label)
        found[key] = found.get(key, 0) + 1
        if found[key] == 1:
            edges.append(svg.Edge(node(src), node(dst), f"{label} (alert #{a.id})", "alert",
                                  f"/alerts/{a.id}"))
    graph = svg.network(center, list(nodes.values()), edges)
    provenance = {k: v for k, v in (e.extra if e else ()) if k in PROVENANCE_KEYS}
    return render(request, "entity.html", {
        "e": e, "entity_id": entity_id, "relations": relations, "index": index,
        "mentions": w.app.alerts.recent_mentions(entity_id), "alerts": alerts,
        "graph": graph, "links": found, "provenance": provenance, "url": _url,
        "extra": [(k, v) for k, v in (e.extra if e else ()) if k not in PROVENANCE_KEYS and v],
        "in_force": in_force, "history": history, "list_name": list_name,
    })


def watchlist(request: Request, session: Session) -> Response:
    w = web_state(request)
    name = request.query_params.get("list", CURATED_LIST)
    lists = w.app.versions.lists()
    history = w.app.versions.history(name, limit=100)
    if not history and name != CURATED_LIST:
        raise HTTPException(404, f"list {name!r}: no stored version")
    return render(request, "watchlist.html", {
        "lists": lists, "name": name, "history": history,
        "in_force": w.app.watcher.version if w.app.watcher else None,
        "entities": len(w.app.analyzer.watchlist.entities),
        "relations": len(w.app.analyzer.watchlist.relations),
    })


def watchlist_diff(request: Request, session: Session) -> Response:
    w = web_state(request)
    new_id = int_param(request.query_params.get("new", ""), "new")
    if new_id is None:
        raise HTTPException(400, "new: a version id is required")
    new = w.app.versions.get(new_id)
    if new is None:
        raise HTTPException(404, f"watchlist version {new_id}: no such version")
    old_param = request.query_params.get("old", "")
    if old_param:
        old = w.app.versions.get(int_param(old_param, "old"))
        if old is None:
            raise HTTPException(404, f"watchlist version {old_param}: no such version")
    else:
        old = w.app.versions.previous(new)
    if old is None:
        diff = w.app.diff_watchlists(Watchlist(()), w.app.versions.snapshot(new.id))
    else:
        diff = w.app.diff_watchlists(w.app.versions.snapshot(old.id),
                                     w.app.versions.snapshot(new.id))
    return render(request, "diff.html", {"old": old, "new": new, "diff": diff, "url": _url,
                                         "limit": 500})


def health(request: Request, session: Session) -> Response:
    w = web_state(request)
    return render(request, "health.html", {"status": w.app.status()})
