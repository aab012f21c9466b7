"""`web`: serve the triage page (uvicorn) — queue, alert detail and triage, entity,
watchlist and source-health pages. Users sign in (`sanctionwatch users add`)."""

from __future__ import annotations

from typing import Annotated

import typer

from sanctionwatch.cli._common import ConfigOpt, DbOpt, app, err, fail, make_settings, out
from sanctionwatch.errors import SanctionwatchError


@app.command()
def web(
    host: Annotated[str | None, typer.Option(help="address to listen on (default: web.host, "
                                             "127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default: web.port, 8000)")] = None,
    config: ConfigOpt = None, db: DbOpt = None,
) -> None:
    """Serve the web triage page until Ctrl-C."""
    import uvicorn

    from sanctionwatch.web import create_app

    try:
        settings = make_settings(config, db=db)
        asgi = create_app(settings)
    except SanctionwatchError as exc:
        fail(exc)
        return
    host = host or settings.web.host
    port = settings.web.port if port is None else port
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.web.secure_cookies:
        err.print(f"note: listening on {host} without web.secure_cookies: serve it behind "
                  "HTTPS and set secure_cookies: true", markup=False)
    out.print(f"sanctionwatch web: http://{host}:{port}/ (Ctrl-C stops)", markup=False)
    uvicorn.run(asgi, host=host, port=port, log_level="info", server_header=False,
                proxy_headers=False)
