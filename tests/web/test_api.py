"""The JSON API (/api/v1) over real HTTP: the real server (uvicorn) on 127.0.0.1, a real SQLite
file filled by a pipeline cycle, tokens made as `sanctionwatch tokens add` makes them.

Every route with a viewer and an analyst token, without a token, with a bad or revoked one;
malformed, oversized and invalid bodies; the rate limit; a batch of 1,000 names in one request;
the records are the CLI's (`screen --format jsonl`, `scan --format jsonl`)."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from sanctionwatch.app import make_app

from .conftest import Site, fill, serve, write_config

ROUTES = [("POST", "/api/v1/screen", {"name": "Wagner Group"}),
          ("POST", "/api/v1/scan", {"text": "Nothing to see here."}),
          ("GET", "/api/v1/alerts", None),
          ("GET", "/api/v1/alerts/1", None),
          ("POST", "/api/v1/alerts/1/triage", {"status": "acknowledged"}),
          ("GET", "/api/v1/entities/wagner-group", None),
          ("GET", "/api/v1/watchlist/versions", None)]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    settings = fill(write_config(folder, api_max_body_bytes=200_000, api_max_batch=1500,
                                 api_rate_per_minute=100_000))
    app = make_app(settings)
    try:
        _, analyst = app.tokens.add("case-system", "analyst")
        _, viewer = app.tokens.add("onboarding", "viewer")
        _, revoked = app.tokens.add("old-client", "analyst")
        app.tokens.revoke("old-client")
    finally:
        app.close()
    with serve(settings) as base:
        clients = {name: httpx.Client(base_url=base, timeout=60, headers={
            "Authorization": f"Bearer {tok}"}) for name, tok in
            (("analyst", analyst), ("viewer", viewer), ("revoked", revoked))}
        clients["none"] = httpx.Client(base_url=base, timeout=60)
        try:
            yield Site(settings, base, folder), clients
        finally:
            for c in clients.values():
                c.close()


def _call(client, method, path, body):
    return client.request(method, path, json=body) if body is not None else client.request(
        method, path)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_route_refuses_a_missing_or_bad_token(api, method, path, body):
    site, c = api
    for client, code in ((c["none"], "unauthorized"), (c["revoked"], "invalid_token")):
        r = _call(client, method, path, body)
        assert r.status_code == 401, r.text
        assert r.json()["error"]["code"] == code
        assert r.headers["www-authenticate"].startswith("Bearer")
    with httpx.Client(base_url=site.base, headers={"Authorization": "Bearer sw_not-a-token"}
                      ) as forged, httpx.Client(base_url=site.base, headers={
                          "Authorization": "Basic YWxpY2U6cHc="}) as basic:
        assert _call(forged, method, path, body).json()["error"]["code"] == "invalid_token"
        assert _call(basic, method, path, body).json()["error"]["code"] == "unauthorized"
    assert all(a.status == "new" for a in site.alerts()) or path != "/api/v1/alerts/1/triage"


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_route_with_each_role(api, method, path, body):
    _site, c = api
    viewer = _call(c["viewer"], method, path, body)
    if path.endswith("/triage"):
        assert viewer.status_code == 403 and viewer.json()["error"]["code"] == "forbidden"
    else:
        assert viewer.status_code == 200, viewer.text
    analyst = _call(c["analyst"], method, path, body)
    assert analyst.status_code == 200, analyst.text
    assert analyst.headers["content-type"] == "application/json"


def test_screen_gives_the_cli_records(api):
    site, c = api
    names = ["Wagner Group", "Yevgeniy Prigozhin", "Concord Management"]
    r = c["viewer"].post("/api/v1/screen", json={"queries": [{"name": n} for n in names],
                                                 "limit": 5})
    assert r.status_code == 200
    from sanctionwatch.cli import app as cli

    cfg = site.folder / "config.yaml"
    out = CliRunner().invoke(cli, ["screen", "--format", "jsonl", "--limit", "5",
                                   "--config", str(cfg), *names])
    assert out.exit_code == 0, out.output
    assert r.json()["results"] == [json.loads(line) for line in out.stdout.splitlines()]
    assert r.json()["results"][0]["candidates"][0]["entity_id"] == "wagner-group"
    assert r.json()["results"][0]["candidates"][0]["match"] is True


def test_screen_with_type_country_and_birth_date(api):
    _site, c = api
    one = c["viewer"].post("/api/v1/screen", json={"name": "Wagner Group",
                                                   "type": "organization", "country": "RU"})
    best = one.json()["results"][0]["candidates"][0]
    assert best["entity_id"] == "wagner-group"
    assert best["checks"]["type"] == "match" and best["checks"]["country"] in (
        "match", "conflict", "unknown")
    as_person = c["viewer"].post("/api/v1/screen", json={"name": "Wagner Group",
                                                         "type": "person"})
    assert all(x["entity_id"] != "wagner-group"
               for x in as_person.json()["results"][0]["candidates"])
    bad = c["viewer"].post("/api/v1/screen", json={"name": "X", "country": "Narnia"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    bad = c["viewer"].post("/api/v1/screen", json={"name": "X", "birth_date": "1960-02-30"})
    assert bad.status_code == 422
    bad = c["viewer"].post("/api/v1/screen", json={"name": "X", "birth_date": "12/03/1960"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["loc"] == ["birth_date"]


def test_a_batch_of_1000_names_in_one_request(api):
    _site, c = api
    names = [f"{first} {last}" for first in ("Ivan", "Olga", "Ali", "Maria", "Chen", "Omar",
                                             "Anna", "Pavel", "Fatima", "John")
             for last in [f"Testname{i}" for i in range(100)]]
    names[500] = "Yevgeniy Prigozhin"
    assert len(names) == 1000
    r = c["viewer"].post("/api/v1/screen", json={"queries": [{"name": n} for n in names]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["query"] for x in results] == names
    assert any(x["candidates"] and x["candidates"][0]["entity_id"] == "prigozhin-yevgeniy"
               for x in results if x["query"] == "Yevgeniy Prigozhin")


def test_scan_gives_the_cli_records_and_stores_nothing(api):
    site, c = api
    text = (site.folder / "drop" / "hostile.txt").read_text(encoding="utf-8")
    before = len(site.alerts())
    r = c["viewer"].post("/api/v1/scan", json={"articles": [
        {"id": "hostile.txt", "text": text}, {"text": "A quiet day at the harbour."}]})
    assert r.status_code == 200
    records = r.json()["records"]
    from sanctionwatch.cli import app as cli

    out = CliRunner().invoke(cli, ["scan", "--format", "jsonl", "--config",
                                   str(site.folder / "config.yaml"),
                                   str(site.folder / "drop" / "hostile.txt")])
    cli_records = [json.loads(line) for line in out.stdout.splitlines()]
    for rec in cli_records:
        rec["document"] = "hostile.txt"
    assert records == cli_records
    assert any(x["kind"] == "alert" and x["type"] == "designation" for x in records)
    assert len(site.alerts()) == before
    single = c["viewer"].post("/api/v1/scan", json={"text": text}).json()["records"]
    assert {x["document"] for x in single} == {"#1"}


def test_alerts_filters_and_keyset_pages(api):
    site, c = api
    stored = site.alerts()
    assert len(stored) >= 2
    seen = []
    page = c["viewer"].get("/api/v1/alerts", params={"limit": 1}).json()
    while True:
        seen += [a["id"] for a in page["alerts"]]
        if page["older"] is None:
            break
        page = c["viewer"].get("/api/v1/alerts", params={"limit": 1,
                                                         "before": page["older"]}).json()
    assert seen == sorted((a.id for a in stored), reverse=True)
    newest = c["viewer"].get("/api/v1/alerts", params={"after": min(seen)}).json()
    assert [a["id"] for a in newest["alerts"]] == seen[:-1]
    t = stored[0].intent.type
    typed = c["viewer"].get("/api/v1/alerts", params={"type": t}).json()["alerts"]
    assert typed and all(a["type"] == t for a in typed)
    assert c["viewer"].get("/api/v1/alerts", params={"status": "nope"}).status_code == 422
    assert c["viewer"].get("/api/v1/alerts", params={"since": "yesterday"}).status_code == 422
    assert c["viewer"].get("/api/v1/alerts", params={"limit": "ten"}).status_code == 422
    assert c["viewer"].get("/api/v1/alerts", params={"colour": "red"}).json()["error"][
        "code"] == "invalid_request"
    assert c["viewer"].get("/api/v1/alerts", params={"since": "2999-01-01"}).json()[
        "alerts"] == []
    unassigned = c["viewer"].get("/api/v1/alerts", params={"assignee": ""}).json()["alerts"]
    assert len(unassigned) <= len(stored)


def test_triage_is_in_the_audit_trail_with_the_token_name(api):
    site, c = api
    target = max(a.id for a in site.alerts())
    r = c["analyst"].post(f"/api/v1/alerts/{target}/triage",
                          json={"status": "escalated", "note": "needs a decision",
                                "assignee": "dana"})
    assert r.status_code == 200, r.text
    detail = r.json()
    assert detail["status"] == "escalated" and detail["assignee"] == "dana"
    last = detail["events"][-1]
    assert last["actor"] == "api:case-system" and last["to_status"] == "escalated"
    assert last["note"].startswith("needs a decision")
    again = c["viewer"].get(f"/api/v1/alerts/{target}").json()
    assert again["events"][-1]["actor"] == "api:case-system"
    assigned = c["viewer"].get("/api/v1/alerts", params={"assignee": "dana"}).json()["alerts"]
    assert [a["id"] for a in assigned] == [target]
    r = c["viewer"].post(f"/api/v1/alerts/{target}/triage", json={"status": "dismissed"})
    assert r.status_code == 403
    assert c["viewer"].get(f"/api/v1/alerts/{target}").json()["status"] == "escalated"


def test_not_found_and_bad_routes_are_json(api):
    _site, c = api
    for method, path, status, code in (
            ("GET", "/api/v1/alerts/999999", 404, "not_found"),
            ("POST", "/api/v1/alerts/999999/triage", 404, "not_found"),
            ("GET", "/api/v1/entities/no-such-entity", 404, "not_found"),
            ("GET", "/api/v1/nowhere", 404, "not_found"),
            ("GET", "/api/v1/alerts/abc", 404, "not_found"),
            ("GET", "/api/v1/screen", 405, "method_not_allowed"),
            ("DELETE", "/api/v1/alerts/1", 405, "method_not_allowed")):
        body = {"status": "acknowledged"} if method == "POST" else None
        r = _call(c["analyst"], method, path, body)
        assert r.status_code == status, (path, r.text)
        assert r.json()["error"]["code"] == code


def test_malformed_and_invalid_bodies(api):
    _site, c = api
    client = c["analyst"]
    for content, ctype, status, code in (
            (b"{not json", "application/json", 400, "invalid_json"),
            (b"", "application/json", 400, "invalid_json"),
            (b"\xff\xfe", "application/json", 400, "invalid_json"),
            (b'{"name": "x"}', "text/plain", 415, "unsupported_media_type"),
            (b'["Wagner"]', "application/json", 422, "invalid_request"),
            (b'{"name": ""}', "application/json", 422, "invalid_request"),
            (b'{"name": 5}', "application/json", 422, "invalid_request"),
            (b'{"name": "a", "queries": [{"name": "b"}]}', "application/json", 422,
             "invalid_request"),
            (b'{"name": "a", "colour": "red"}', "application/json", 422, "invalid_request"),
            (b'{"name": "a", "limit": 0}', "application/json", 422, "invalid_request"),
            (b'{"name": "a", "type": "spaceship"}', "application/json", 422,
             "invalid_request")):
        r = client.post("/api/v1/screen", content=content, headers={"Content-Type": ctype})
        assert r.status_code == status, (content, r.text)
        assert r.json()["error"]["code"] == code
    r = client.post("/api/v1/scan", json={"text": "a", "articles": [{"text": "b"}]})
    assert r.status_code == 422
    r = client.post("/api/v1/alerts/1/triage", json={"status": "closed"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["loc"] == ["status"]


def test_oversized_bodies_and_batches(api):
    _site, c = api
    client = c["analyst"]
    big = json.dumps({"text": "x" * 250_000})
    r = client.post("/api/v1/scan", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: the limit holds while reading
        yield b'{"text": "'
        for _ in range(30):
            yield b"y" * 10_000
        yield b'"}'

    r = client.post("/api/v1/scan", content=chunks(),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    r = client.post("/api/v1/screen", json={"queries": [{"name": "a"}] * 1501})
    assert r.status_code == 413 and r.json()["error"]["code"] == "batch_too_large"


def test_the_rate_limit_is_per_token(tmp_path):
    settings = fill(write_config(tmp_path, api_rate_per_minute=3))
    app = make_app(settings)
    try:
        _, first = app.tokens.add("first", "viewer")
        _, second = app.tokens.add("second", "viewer")
    finally:
        app.close()
    with serve(settings) as base, httpx.Client(base_url=base, headers={
            "Authorization": f"Bearer {first}"}) as a, httpx.Client(base_url=base, headers={
            "Authorization": f"Bearer {second}"}) as b:
        codes = [a.get("/api/v1/watchlist/versions").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = a.get("/api/v1/watchlist/versions")
        assert r.json()["error"]["code"] == "rate_limited" and int(r.headers["retry-after"]) >= 1
        assert b.get("/api/v1/watchlist/versions").status_code == 200


def test_tokens_last_use_is_recorded_and_revocation_holds_at_once(tmp_path):
    settings = fill(write_config(tmp_path))
    from sanctionwatch.cli import app as cli

    cfg = str(tmp_path / "config.yaml")
    runner = CliRunner()
    made = runner.invoke(cli, ["tokens", "add", "erp", "--role", "analyst", "--config", cfg])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("sw_") and len(token) > 40
    app = make_app(settings)
    try:
        assert app.tokens.list()[0].last_used is None
        assert token not in (tmp_path / "web.db").read_bytes().decode("latin-1")
    finally:
        app.close()
    with serve(settings) as base, httpx.Client(base_url=base, headers={
            "Authorization": f"Bearer {token}"}) as client:
        assert client.get("/api/v1/alerts").status_code == 200
        listed = runner.invoke(cli, ["tokens", "list", "--config", cfg])
        assert "erp" in listed.stdout and "never" not in listed.stdout
        assert runner.invoke(cli, ["tokens", "revoke", "erp", "--config", cfg]).exit_code == 0
        r = client.get("/api/v1/alerts")
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"
    dup = runner.invoke(cli, ["tokens", "add", "erp", "--config", cfg])
    assert dup.exit_code == 1
    assert runner.invoke(cli, ["tokens", "add", "x", "--role", "boss", "--config",
                               cfg]).exit_code == 2


def test_entity_with_relations_and_versions(api):
    _site, c = api
    e = c["viewer"].get("/api/v1/entities/wagner-group").json()
    assert e["id"] == "wagner-group" and e["type"] == "organization"
    assert e["relations"] and all("wagner-group" in (r["source"], r["target"])
                                  for r in e["relations"])
    assert isinstance(e["links_found"], list)
    v = c["viewer"].get("/api/v1/watchlist/versions").json()["versions"]
    assert v and v[0]["list"] == "curated" and v[0]["entities"] > 0
    assert c["viewer"].get("/api/v1/watchlist/versions",
                           params={"limit": 0}).status_code == 422


def test_openapi_comes_from_the_validating_schemas(api):
    site, _c = api
    r = httpx.get(site.base + "/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert {"/screen", "/scan", "/alerts", "/alerts/{alert_id}", "/alerts/{alert_id}/triage",
            "/entities/{entity_id}", "/watchlist/versions"} <= set(doc["paths"])
    from sanctionwatch.web.api_schemas import ScreenRequest, TriageRequest

    schemas = doc["components"]["schemas"]
    assert set(schemas["ScreenRequest"]["properties"]) == set(ScreenRequest.model_fields)
    assert schemas["TriageRequest"]["properties"]["status"]["enum"] == list(
        TriageRequest.model_fields["status"].annotation.__args__)
    params = {p["name"] for p in doc["paths"]["/alerts"]["get"]["parameters"]}
    assert {"status", "type", "entity", "severity", "since", "assignee", "before", "after",
            "limit"} <= params
