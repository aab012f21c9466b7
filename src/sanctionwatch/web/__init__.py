"""The web triage page (`sanctionwatch web`): alert queue, alert detail with triage, entity,
watchlist and source-health pages, over `make_app(settings)`. See web/app.py."""

from sanctionwatch.web.app import create_app

__all__ = ["create_app"]
