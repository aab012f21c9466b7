"""The command line's own edges: `--version`, a filter value outside its choices is a usage
error naming them rather than an empty answer; and, through the real console script, global
options anywhere, help without type labels, JSON log lines, `init`, no database created by a
command that only reads, and one-line errors for database URLs that cannot work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from sanctionwatch import __version__
from sanctionwatch.cli import app
from sanctionwatch.storage.store import Store

runner = CliRunner()


def _plain(output: str) -> str:
    """The words of a Rich error box, without its frame and line breaks."""
    return " ".join(w for w in output.replace("│", " ").split() if w.strip("─╭╮╰╯"))


def test_version_prints_and_exits_without_a_command():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"sanctionwatch {__version__}"


def test_an_unknown_status_or_severity_is_a_usage_error(tmp_path):
    db = str(tmp_path / "sw.db")
    Store(f"sqlite:///{db}").close()
    bad = runner.invoke(app, ["alerts", "list", "--status", "bogus", "--db", db])
    assert bad.exit_code == 2 and "'bogus' is not one of" in _plain(bad.output)
    assert "acknowledged" in _plain(bad.output)
    bad = runner.invoke(app, ["alerts", "list", "--severity", "urgent", "--db", db])
    assert bad.exit_code == 2 and "low, medium, high, critical" in _plain(bad.output)
    good = runner.invoke(app, ["alerts", "list", "--status", "new", "--db", db])
    assert good.exit_code == 0, good.output


SCRIPT = str(Path(sys.executable).with_name("sanctionwatch"))


def sw(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def test_help_shows_words_not_type_labels():
    for command in (["alerts", "list"], ["scan"], ["alerts", "escalate"], ["lists", "refresh"],
                    ["rescreen"], ["init"]):
        page = sw(*command, "--help").stdout
        assert "Usage: sanctionwatch" in page
        for label in ("<str>", "<bool>", "<int>", "<path>", "<list", "{"):
            assert label not in page, (command, label)
    assert "table|json|jsonl|csv" in sw("alerts", "list", "--help").stdout
    assert "scan [OPTIONS] PATHS..." in sw("scan", "--help").stdout
    assert "[NAMES]..." in sw("lists", "refresh", "--help").stdout
    assert "includes escalated are notified" in " ".join(
        sw("alerts", "escalate", "--help").stdout.split())


def test_init_sets_up_a_folder_and_reading_commands_never_create_a_database(tmp_path):
    missing = tmp_path / "nothing.db"
    refused = sw("alerts", "list", "--db", str(missing))
    assert refused.returncode == 1 and not missing.exists()
    assert refused.stderr.startswith(f"error: no database at {missing}")
    assert "Traceback" not in refused.stderr
    made = sw("init", str(tmp_path / "desk"))
    assert made.returncode == 0, made.stderr
    desk = tmp_path / "desk"
    assert {p.name for p in desk.iterdir()} == {"config.yaml", "watchlist", "rules", "drop",
                                                 "sanctionwatch.db"}
    text = (desk / "config.yaml").read_text(encoding="utf-8")
    assert "path: drop" in text and text.count("#") > 50   # the commented file
    again = sw("init", str(desk))
    assert again.returncode == 1 and "exists (use --force" in again.stderr
    # -v after the subcommand, and the config and database it uses
    listed = sw("alerts", "list", "-v", "--config", str(desk / "config.yaml"))
    assert listed.returncode == 0, listed.stderr
    assert f"config: {desk / 'config.yaml'}; database: sqlite:///{desk / 'sanctionwatch.db'}" \
        in listed.stderr
    assert "0 alert(s)" in listed.stdout


def test_json_log_lines_name_the_event_and_its_fields(tmp_path):
    sw("init", str(tmp_path))
    ran = sw("run", "--once", "--log-format", "json", "-v", "--config",
             str(tmp_path / "config.yaml"))
    assert ran.returncode == 0, ran.stderr
    records = [json.loads(line) for line in ran.stderr.splitlines() if line.startswith("{")]
    done = [r for r in records if r.get("event") == "source.done"]
    assert done and done[0]["source"] == "drop" and done[0]["level"] == "info"
    assert all({"ts", "level", "logger", "message"} <= set(r) for r in records)


def test_database_urls_that_cannot_work_are_one_line_errors(tmp_path):
    for url, says in (("mysql://u@localhost/db", "mysql is not supported"),
                      ("not a url at all://", "is not a URL"),
                      ("postgresql+psycopg://u@127.0.0.1:1/x", "cannot open database")):
        done = sw("alerts", "list", "--db", url)
        assert done.returncode == 1 and says in done.stderr, (url, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_stored_mention_explains_itself_once(tmp_path):
    """Read back from the store, a mention's features are its stored explanation, not the
    alias, kind and score twice over (`alerts show` printed every feature twice)."""
    from datetime import UTC, datetime

    from sanctionwatch.types import ArticleData, Feature, Mention

    m = Mention("wagner-group", 0, 13, "groupe Wagner", 1.0, "groupe Wagner", "short",
                (Feature("org_word", 1.0, "organisation word next to the name"),))
    store = Store(f"sqlite:///{tmp_path / 'sw.db'}")
    try:
        article, _ = store.ingest(ArticleData("t", "1", "groupe Wagner"), [m], [],
                                  datetime(2024, 1, 1, tzinfo=UTC))
        (back,) = store.mentions_of(article.id)
    finally:
        store.close()
    assert back.explanation == m.explanation
    assert back.explanation.count("alias 'groupe Wagner'") == 1
