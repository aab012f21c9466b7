"""The JSON API's schemas (pydantic): the request models validate every request body and query,
and, with the response models, make the OpenAPI document at `/api/v1/openapi.json` — one
definition, so the document cannot drift from what the server accepts.

The response models describe what the server sends (the `scan --format jsonl` and `screen`
records of DESIGN.md, `alerts list`'s record); responses are built by the same functions as
the CLI's output (app.py), not through these models, and may carry more fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import models_json_schema

from sanctionwatch import __version__
from sanctionwatch.types import ALERT_STATUSES, ENTITY_TYPES, ROLES, SEVERITIES

EntityType = Literal[ENTITY_TYPES]  # type: ignore[valid-type]
Status = Literal[ALERT_STATUSES]  # type: ignore[valid-type]
Severity = Literal[SEVERITIES]  # type: ignore[valid-type]
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


# -- requests -------------------------------------------------------------------------------

class ScreenQuery(_Strict):
    """One name to screen, with what else is known of it."""

    name: str = Field(min_length=1, max_length=500, description="the name as written")
    type: EntityType | None = Field(None, description="candidates of another type are left "
                                    "out")
    birth_date: str | None = Field(None, pattern=DATE, description="YYYY, YYYY-MM or "
                                   "YYYY-MM-DD; a candidate whose listed birth date "
                                   "contradicts it is no match (its score is kept)")
    country: str | None = Field(None, min_length=2, max_length=100, description="ISO 3166-1 "
                                "alpha-2 code or country name; compared and reported only")


class ScreenRequest(_Strict):
    """One name (`name`, with `type`, `birth_date`, `country` when known) or a batch
    (`queries`); `limit` candidates per name, best first."""

    name: str | None = Field(None, min_length=1, max_length=500)
    type: EntityType | None = None
    birth_date: str | None = Field(None, pattern=DATE)
    country: str | None = Field(None, min_length=2, max_length=100)
    queries: list[ScreenQuery] | None = Field(None, min_length=1)
    limit: int = Field(10, ge=1, le=100)

    @model_validator(mode="after")
    def _one_form(self) -> ScreenRequest:
        if (self.name is None) == (self.queries is None):
            raise ValueError("give either `name` (one query) or `queries` (a batch)")
        if self.queries is not None and (self.type or self.birth_date or self.country):
            raise ValueError("in a batch, give `type`, `birth_date` and `country` per query")
        return self

    def items(self) -> list[ScreenQuery]:
        if self.queries is not None:
            return self.queries
        return [ScreenQuery(name=self.name or "", type=self.type, birth_date=self.birth_date,
                            country=self.country)]


class ScanArticle(_Strict):
    id: str | None = Field(None, max_length=500, description="the record's `document` "
                           "(default: the article's position in the batch, `#1`, `#2` ...)")
    text: str = Field(max_length=2_000_000)


class ScanRequest(_Strict):
    """A text (`text`, optionally named by `id`) or a batch (`articles`); nothing is stored."""

    id: str | None = Field(None, max_length=500)
    text: str | None = Field(None, max_length=2_000_000)
    articles: list[ScanArticle] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_form(self) -> ScanRequest:
        if (self.text is None) == (self.articles is None):
            raise ValueError("give either `text` (one article) or `articles` (a batch)")
        if self.articles is not None and self.id is not None:
            raise ValueError("in a batch, give `id` per article")
        return self

    def items(self) -> list[ScanArticle]:
        if self.articles is not None:
            return self.articles
        return [ScanArticle(id=self.id, text=self.text or "")]


class TriageRequest(_Strict):
    """Move an alert to a status (as `alerts ack|escalate|dismiss|reopen`); the token's name
    is the actor in the audit trail (`api:NAME`)."""

    status: Literal["acknowledged", "escalated", "dismissed", "new"]
    note: str = Field("", max_length=10_000)
    assignee: str | None = Field(None, max_length=200, description="hand the alert to NAME "
                                 "('' for nobody)")


class AlertsQuery(_Strict):
    """The query of `GET /api/v1/alerts`: the `alerts list` filters and a keyset page."""

    status: Status | None = None
    type: str | None = Field(None, max_length=40)
    severity: Severity | None = None
    entity: str | None = Field(None, max_length=300, description="entity id")
    source: str | None = Field(None, max_length=200)
    assignee: str | None = Field(None, max_length=200, description="'' for unassigned")
    since: str | None = Field(None, description="ISO date or datetime (UTC), created at or "
                              "after")
    until: str | None = Field(None, description="ISO date (to the end of that day) or "
                              "datetime, created before")
    before: int | None = Field(None, ge=1, description="the `older` cursor of a page")
    after: int | None = Field(None, ge=0, description="the `newer` cursor of a page, or the "
                              "highest id seen, to follow new alerts")
    limit: int = Field(50, ge=1, le=500)

    @model_validator(mode="after")
    def _one_cursor(self) -> AlertsQuery:
        if self.before is not None and self.after is not None:
            raise ValueError("give `before` or `after`, not both")
        return self


class VersionsQuery(_Strict):
    list: str | None = Field(None, max_length=200, description="one list (default: all)")
    limit: int = Field(100, ge=1, le=1000)


# -- responses (documentation) -----------------------------------------------------------

class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Candidate(_Open):
    entity_id: str
    name: str
    matched_alias: str
    score: float
    match: bool
    type: str
    why: str
    checks: dict[str, Literal["match", "conflict", "unknown"]] | None = Field(
        None, description="only for the facts the query gave")


class ScreenResult(_Open):
    query: str
    candidates: list[Candidate]


class ScreenResponse(_Open):
    results: list[ScreenResult] = Field(description="one per query, in input order")


class ScanRecord(_Open):
    """A `scan --format jsonl` record: kind `mention` (entity_id, matched, start, end, score)
    or kind `alert` (type, entity_ids, severity, evidence, phase / target / supporter)."""

    kind: Literal["mention", "alert"]
    document: str


class ScanResponse(_Open):
    records: list[ScanRecord]


class AlertRecord(_Open):
    id: int
    type: str
    status: str
    severity: str
    entity_ids: list[str]
    created: str


class AlertsPage(_Open):
    alerts: list[AlertRecord] = Field(description="newest first")
    older: int | None = Field(description="pass as `before` for the next, older page")
    newer: int | None = Field(description="pass as `after` for the page above")


class AlertDetail(AlertRecord):
    sources: list[dict[str, Any]]
    events: list[dict[str, Any]]


class EntityRecord(_Open):
    id: str
    type: str
    name: str
    aliases: list[str]
    relations: list[dict[str, Any]]
    links_found: list[dict[str, Any]]


class VersionsResponse(_Open):
    versions: list[dict[str, Any]]


class Error(BaseModel):
    code: str = Field(description="stable: unauthorized, invalid_token, forbidden, not_found, "
                      "method_not_allowed, invalid_json, unsupported_media_type, "
                      "invalid_request, payload_too_large, batch_too_large, rate_limited, "
                      "conflict, internal_error")
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorResponse(BaseModel):
    error: Error


REQUESTS = (ScreenRequest, ScanRequest, TriageRequest)
RESPONSES = (ScreenResponse, ScanResponse, AlertsPage, AlertDetail, EntityRecord,
             VersionsResponse, ErrorResponse)


def _params(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema()
    return [{"name": name, "in": "query", "required": False, "schema": prop,
             "description": prop.get("description", "")}
            for name, prop in schema["properties"].items()]


def openapi() -> dict:
    """The OpenAPI 3.1 document of /api/v1, from the models above."""
    _, defs = models_json_schema([(m, "validation") for m in (*REQUESTS, *RESPONSES)],
                                 ref_template="#/components/schemas/{model}")
    schemas = defs.get("$defs", {})

    def ref(model) -> dict:
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    def body(model) -> dict:
        return {"required": True, "content": {"application/json": {"schema": ref(model)}}}

    def ok(model, status: str = "200") -> dict:
        errors = {code: {"description": what, "content": {"application/json": {
            "schema": ref(ErrorResponse)}}} for code, what in (
            ("400", "malformed JSON"), ("401", "missing, unknown or revoked token"),
            ("403", "the token's role may not do this"), ("413", "body or batch too large"),
            ("415", "not application/json"), ("422", "the body or query does not validate"),
            ("429", "rate limit of the token (see Retry-After)"))}
        return {status: {"description": "OK", "content": {"application/json": {
            "schema": ref(model)}}}, **errors}

    alert_id = {"name": "alert_id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "sanctionwatch API", "version": __version__,
                 "description": "Screening, stateless scanning and alert triage. Every route "
                 "needs `Authorization: Bearer TOKEN` (`sanctionwatch tokens add NAME "
                 "--role viewer|analyst`); only analyst tokens triage. Roles: "
                 + ", ".join(ROLES) + "."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/screen": {"post": {"summary": "Screen one name or a batch", "requestBody":
                                 body(ScreenRequest), "responses": ok(ScreenResponse)}},
            "/scan": {"post": {"summary": "Scan a text or a batch of articles (stateless)",
                               "requestBody": body(ScanRequest), "responses": ok(ScanResponse)}},
            "/alerts": {"get": {"summary": "Stored alerts, newest first, keyset pages",
                                "parameters": _params(AlertsQuery),
                                "responses": ok(AlertsPage)}},
            "/alerts/{alert_id}": {"get": {"summary": "One alert with sources and audit trail",
                                           "parameters": [alert_id],
                                           "responses": ok(AlertDetail)}},
            "/alerts/{alert_id}/triage": {"post": {
                "summary": "Change an alert's status (analyst tokens)",
                "parameters": [alert_id], "requestBody": body(TriageRequest),
                "responses": ok(AlertDetail)}},
            "/entities/{entity_id}": {"get": {
                "summary": "A watchlist entity with its relations and the links alerts found",
                "parameters": [{"name": "entity_id", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": ok(EntityRecord)}},
            "/watchlist/versions": {"get": {"summary": "Stored watchlist and list versions",
                                            "parameters": _params(VersionsQuery),
                                            "responses": ok(VersionsResponse)}},
        },
    }
