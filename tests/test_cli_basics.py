"""The command line's own edges: `--version`, and a filter value outside its choices is a
usage error naming them rather than an empty answer."""

from __future__ import annotations

from typer.testing import CliRunner

from sanctionwatch import __version__
from sanctionwatch.cli import app

runner = CliRunner()


def _plain(output: str) -> str:
    """The words of a Rich error box, without its frame and line breaks."""
    return " ".join(w for w in output.replace("│", " ").split() if w.strip("─╭╮╰╯"))


def test_version_prints_and_exits_without_a_command():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"sanctionwatch {__version__}"


def test_an_unknown_status_or_severity_is_a_usage_error(tmp_path):
    db = str(tmp_path / "sw.db")
    bad = runner.invoke(app, ["alerts", "list", "--status", "bogus", "--db", db])
    assert bad.exit_code == 2 and "'bogus' is not one of" in _plain(bad.output)
    assert "acknowledged" in _plain(bad.output)
    bad = runner.invoke(app, ["alerts", "list", "--severity", "urgent", "--db", db])
    assert bad.exit_code == 2 and "low, medium, high, critical" in _plain(bad.output)
    good = runner.invoke(app, ["alerts", "list", "--status", "new", "--db", db])
    assert good.exit_code == 0, good.output
