"""The deploy files say what the program does: deploy/Dockerfile (line by line),
deploy/compose.yaml (YAML) and deploy/sanctionwatch.service (INI) run commands the console
script has, on the port the web command listens on by default, with a database URL the config
and the installed extras accept. No image is built here."""

from __future__ import annotations

import configparser
import functools
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
SCRIPT = str(Path(sys.executable).with_name("sanctionwatch"))


def _help(command: list[str]) -> str:
    """`sanctionwatch COMMAND --help` through the real console script; fails if unknown."""
    return _help_cached(tuple(command))


@functools.cache
def _help_cached(command: tuple[str, ...]) -> str:
    done = subprocess.run([SCRIPT, *command, "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    return done.stdout


def _check_command(argv: list[str]) -> None:
    """`argv` (after the program) is a subcommand whose every option is in its help."""
    words = [a for a in argv if not a.startswith("-")]
    text = _help(words[:1])
    for option in (a.split("=")[0] for a in argv if a.startswith("--")):
        assert option in text, (argv, option)


def _web_default_port() -> int:
    from sanctionwatch.config import WebSettings

    port = WebSettings().port
    assert str(port) in _help(["web"])  # and the help says so
    return port


# -- Dockerfile --------------------------------------------------------------------------------

def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, pending = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def _stages(path: Path) -> dict[str, list[tuple[str, str]]]:
    stages: dict[str, list[tuple[str, str]]] = {}
    current = None
    for word, rest in _instructions(path):
        if word == "FROM":
            image, *alias = rest.split(" AS ") if " AS " in rest else (rest,)
            current = alias[0].strip() if alias else image.strip()
            stages[current] = [(word, image.strip())]
        else:
            assert current is not None, f"{word} before FROM"
            stages[current].append((word, rest))
    return stages


def _apt_packages(stage: list[tuple[str, str]]) -> set[str]:
    found: set[str] = set()
    for word, rest in stage:
        if word != "RUN":
            continue
        for part in rest.split("&&"):
            args = shlex.split(part)
            if args[:2] == ["apt-get", "install"]:
                found |= {a for a in args[2:] if not a.startswith("-")}
    return found


def test_dockerfile_builds_pyicu_in_a_build_stage_and_runs_the_cli():
    stages = _stages(DEPLOY / "Dockerfile")
    assert list(stages) == ["build", "runtime"]
    build, runtime = stages["build"], stages["runtime"]
    assert {"g++", "pkg-config", "libicu-dev"} <= _apt_packages(build)
    # The runtime image has the ICU library PyICU links to, and no compiler or headers.
    runtime_pkgs = _apt_packages(runtime)
    assert any(re.fullmatch(r"libicu\d+", p) for p in runtime_pkgs), runtime_pkgs
    assert not {"g++", "pkg-config", "libicu-dev"} & runtime_pkgs
    # Same Debian release in both stages (the ICU library matches the headers built with).
    assert build[0][1] == runtime[0][1]
    pip = " ".join(rest for word, rest in build if word == "RUN" and "pip install" in rest)
    assert ".[postgres]" in pip
    # What the build copies exists in the repository.
    for word, rest in build + runtime:
        if word == "COPY" and not rest.startswith("--from"):
            for src in rest.split()[:-1]:
                assert (REPO / src).exists(), src
    keys = {w: r for w, r in runtime if w in ("ENTRYPOINT", "CMD", "EXPOSE", "USER",
                                              "STOPSIGNAL")}
    assert yaml.safe_load(keys["ENTRYPOINT"]) == ["sanctionwatch"]
    _check_command(yaml.safe_load(keys["CMD"]))
    assert int(keys["EXPOSE"]) == _web_default_port()
    assert keys["USER"] not in ("root", "0")
    assert keys["STOPSIGNAL"] == "SIGTERM"
    config = next(r for w, r in runtime if w == "COPY" and r.startswith("deploy/config.yaml"))
    env = " ".join(r for w, r in runtime if w == "ENV")
    assert f"SANCTIONWATCH_CONFIG={config.split()[-1]}" in env


# -- compose.yaml ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _substitute(text: str) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?message}, with a stand-in value."""
    return re.sub(r"\$\{([A-Z_]+)(:[-?][^}]*)?\}", "stand-in", text)


def test_compose_runs_daemon_web_and_postgres_15(compose):
    services = compose["services"]
    assert set(services) == {"daemon", "web", "postgres"}
    assert services["postgres"]["image"] == "postgres:15"
    for name in ("daemon", "web"):
        s = services[name]
        assert s["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (DEPLOY / s["build"]["context"] / s["build"]["dockerfile"]).is_file()
        assert s["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert s["stop_signal"] == "SIGTERM"
        _check_command(s["command"])
    assert services["daemon"]["command"][0] == "run"
    assert services["web"]["command"][0] == "web"


def test_compose_ports_agree_with_the_web_command(compose):
    web = compose["services"]["web"]
    port = _web_default_port()
    command = web["command"]
    assert int(command[command.index("--port") + 1]) == port
    host, published, container = web["ports"][0].split(":")
    assert host == "127.0.0.1" and int(published) == int(container) == port
    probe = " ".join(web["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/healthz" in probe


def test_compose_database_url_is_the_postgres_service(compose, monkeypatch):
    from sanctionwatch.config import load_settings

    env = compose["services"]["daemon"]["environment"]
    url = sa.engine.make_url(_substitute(env["SANCTIONWATCH_DATABASE_URL"]))
    pg = compose["services"]["postgres"]["environment"]
    assert url.get_backend_name() == "postgresql"
    assert url.host == "postgres" and url.port == 5432
    assert url.database == pg["POSTGRES_DB"] and url.username == pg["POSTGRES_USER"]
    assert env["SANCTIONWATCH_DATABASE_URL"].count("${SANCTIONWATCH_DB_PASSWORD") == 1
    assert pg["POSTGRES_PASSWORD"].startswith("${SANCTIONWATCH_DB_PASSWORD")
    # The driver is the one the `postgres` extra installs (and the image installs the extra).
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["postgres"]
    assert url.get_driver_name() == "psycopg"
    assert any(e.startswith("psycopg") for e in extras)
    # The image's config takes the URL from the environment compose sets.
    monkeypatch.setenv("SANCTIONWATCH_DATABASE_URL", str(url.render_as_string(False)))
    settings = load_settings(DEPLOY / "config.yaml")
    assert sa.engine.make_url(settings.database_url) == url


def test_compose_volumes_hold_what_the_image_config_writes(compose, monkeypatch):
    from sanctionwatch.config import load_settings

    monkeypatch.delenv("SANCTIONWATCH_DATABASE_URL", raising=False)
    settings = load_settings(DEPLOY / "config.yaml")
    daemon = compose["services"]["daemon"]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in daemon["volumes"]}
    assert set(mounts.values()) <= set(compose["volumes"])
    assert "pgdata" in compose["volumes"]
    assert compose["services"]["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]

    def on_a_volume(path) -> bool:
        return any(Path(path).is_relative_to(m) for m in mounts)

    assert on_a_volume(settings.database_url.removeprefix("sqlite:///"))
    assert on_a_volume(settings.resolve(settings.watchlist.path))
    paths = [cfg.options.path for cfg in list(settings.sources) + list(settings.channels)
             if getattr(cfg.options, "path", None)]
    assert len(paths) == 2  # the inbox folder and the alerts file
    for path in paths:
        assert on_a_volume(settings.resolve(path)), path
    # The Dockerfile declares the data folder a volume too.
    runtime = _stages(DEPLOY / "Dockerfile")["runtime"]
    declared = yaml.safe_load(next(r for w, r in runtime if w == "VOLUME"))
    assert set(declared) <= set(mounts)


# -- systemd unit ------------------------------------------------------------------------------

def test_systemd_unit_runs_the_daemon_as_its_own_user():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "sanctionwatch.service", encoding="utf-8")
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    assert service["Type"] == "simple"
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["TimeoutStopSec"] == "30"
    assert service["User"] not in ("", "root") and service["Group"] == service["User"]
    argv = shlex.split(service["ExecStart"])
    assert Path(argv[0]).name == "sanctionwatch" and Path(argv[0]).is_absolute()
    _check_command(argv[1:])
    assert argv[1] == "run"
    assert service["ReadWritePaths"] == service["WorkingDirectory"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"
