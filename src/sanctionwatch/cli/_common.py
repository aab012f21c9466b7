"""What every command module shares: the root Typer app, consoles, common options."""

from __future__ import annotations

import csv
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn, TypeVar

import typer
from rich.console import Console

from sanctionwatch import __version__
from sanctionwatch.config import Settings, load_settings
from sanctionwatch.errors import DataFileError, SanctionwatchError
from sanctionwatch.text.cells import safe_row

if TYPE_CHECKING:
    from sanctionwatch.app import App

T = TypeVar("T")
VERBOSE = False  # -v: commands say which config and database they use

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Watch multilingual news for designation events and support networks.")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="config.yaml to use "
                      "(default: $SANCTIONWATCH_CONFIG, ./config.yaml, built-in defaults)")]
WatchlistOpt = Annotated[Path | None, typer.Option("--watchlist", help="watchlist folder")]
RulesOpt = Annotated[list[Path] | None, typer.Option("--rules", help="rule file or folder")]
DbOpt = Annotated[str | None, typer.Option("--db", help="database URL or SQLite file path")]


FORMATS = ("table", "json", "jsonl", "csv")  # one vocabulary for every command that prints data


def format_option(*choices: str, what: str = "") -> typer.models.OptionInfo:
    """`--format` with some of table|json|jsonl|csv (`text`, the old word for table, is
    still taken); another value is a usage error naming the choices."""
    names = "|".join(choices)

    def check(value: str) -> str:
        value = "table" if value == "text" else value
        if value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {names}")
        return value

    return typer.Option("--format", metavar=names, callback=check,
                        help=(f"{names}" + (f": {what}" if what else "")))


WideOpt = Annotated[bool, typer.Option("--wide", help="every column, not only those that fit "
                                       "80 columns")]


def emit(records: list[dict], fmt: str, table: Callable[[], None]) -> None:
    """Print records as `fmt`: json (one array), jsonl (one object per line), csv (a header
    from the records' keys; nested values as JSON; spreadsheet-safe cells), or `table()`."""
    write = sys.stdout.write
    if fmt == "json":
        write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "jsonl":
        for r in records:
            write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        columns = list(dict.fromkeys(k for r in records for k in r))
        writer = csv.DictWriter(sys.stdout, columns, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow(safe_row({k: json.dumps(v, ensure_ascii=False, default=str)
                                      if isinstance(v, dict | list | tuple) else v
                                      for k, v in r.items()}))
    else:
        table()


def make_settings(config: Path | None, watchlist: Path | None = None,
              rules: list[Path] | None = None, db: str | None = None) -> Settings:
    s = load_settings(config)
    update: dict = {}
    if watchlist:
        update["watchlist"] = s.watchlist.model_copy(update={"path": watchlist.resolve()})
    if rules:
        update["rules"] = s.rules.model_copy(update={"paths": tuple(p.resolve() for p in rules)})
    if db:
        url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
        update["database"] = s.database.model_copy(update={"url": url})
    return s.model_copy(update=update) if update else s


@contextmanager
def opened(config: Path | None, watchlist: Path | None = None, rules: list[Path] | None = None,
           db: str | None = None, create: bool = False) -> Iterator[App]:
    """The App on the command's configuration, closed afterwards; a project error while
    opening or using it ends the command with its message (exit 1). Only a command that
    sets up (`create`: run, init, users add, lists import|refresh) creates a database that
    is not there. With -v it says which config and database it uses. (Imported here: a
    command's help never loads the engine.)"""
    from sanctionwatch.app import make_app

    try:
        settings = make_settings(config, watchlist, rules, db)
        application = make_app(settings, create_database=create)
    except SanctionwatchError as exc:
        fail(exc)
        raise  # not reached: fail exits
    if VERBOSE:
        url = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", settings.database_url)
        err.print(f"config: {settings.config_file or 'built-in defaults'}; database: {url}",
                  markup=False)
    try:
        yield application
    except SanctionwatchError as exc:
        fail(exc)
    finally:
        application.close()


def with_app(config: Path | None, db: str | None, action: Callable[[App], T],
             create: bool = False) -> T:
    """Open the App, run `action(app)`, close it; project errors -> exit 1."""
    with opened(config, db=db, create=create) as application:
        return action(application)
    raise AssertionError("not reached")


def fail(exc: SanctionwatchError) -> NoReturn:
    if isinstance(exc, DataFileError):
        for p in exc.problems:
            err.print(str(p), markup=False)
    else:
        err.print(f"error: {exc}", markup=False)
    raise typer.Exit(1)


def _print_version(value: bool) -> None:
    if value:
        out.print(f"sanctionwatch {__version__}")
        raise typer.Exit(0)


GLOBAL_FLAGS = ("-v", "--verbose")
GLOBAL_VALUED = ("--log-format",)


def global_options_first(args: list[str]) -> list[str]:
    """Move the root's options (-v, --log-format X) to the front, wherever they were written
    (`sanctionwatch alerts list -v`); nothing after `--` is touched."""
    front, rest = [], []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest += args[i:]
            break
        if a in GLOBAL_FLAGS:
            front.append(a)
        elif a in GLOBAL_VALUED and i + 1 < len(args):
            front += [a, args[i + 1]]
            i += 1
        elif a.split("=", 1)[0] in GLOBAL_VALUED:
            front.append(a)
        else:
            rest.append(a)
        i += 1
    return front + rest


def tidy_help(command) -> None:
    """Metavars as words: a choice as `table|json`, a value as the option's name (FORMAT), an
    argument by its name; a flag (and --help) shows none, instead of Typer's `<str>`,
    `<bool>` and `<list[Path]>` type labels."""
    helper = command.get_help_option(command.context_class(command))
    params = [*getattr(command, "params", ()), *([helper] if helper is not None else [])]
    for param in params:
        if param.metavar is not None:
            continue
        desc = getattr(param, "type_descriptor", None)
        if param.param_type_name == "argument":
            param.metavar = (param.name or "value").upper()
            param.display_type_rich = lambda ctx: None  # the name says it (PATHS...)
            param._usage_display_name = _usage_name(param)
        elif getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
        elif desc is not None and desc.is_choice:
            param.metavar = "|".join(map(str, desc.choices or ()))
        else:
            long = next((o for o in param.opts if o.startswith("--")), param.name or "value")
            param.metavar = long.lstrip("-").replace("-", "_").upper()
    for sub in getattr(command, "commands", {}).values():
        tidy_help(sub)


def _usage_name(param):
    """An argument on the usage line: NAME, [NAME] when optional, NAME... for several."""
    def name() -> str:
        text = param.metavar if param.required else f"[{param.metavar}]"
        return text + ("..." if param.nargs != 1 else "")
    return name


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event (the message's first word, e.g.
    `source.done`), the key=value fields that follow it, and the whole message."""

    def format(self, record: logging.LogRecord) -> str:
        import json
        import shlex

        msg = record.getMessage()
        head, _, rest = msg.partition(" ")
        rec: dict[str, object] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(), "logger": record.name}
        if "." in head and "=" not in head:
            rec["event"] = head
            try:
                parts = shlex.split(rest.split("\n", 1)[0])
            except ValueError:
                parts = []
            for part in parts:
                key, eq, value = part.partition("=")
                if eq and key.isidentifier():
                    rec[key] = value
        rec["message"] = msg
        if record.exc_info:
            rec["exception"] = self.formatException(record.exc_info)
        return json.dumps(rec, ensure_ascii=False)


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress, and say "
                                          "which config and database a command uses")] = False,
    log_format: Annotated[Literal["text", "json"], typer.Option(
        "--log-format",
        help="log lines as text, or one JSON object per line (for log collectors)")] = "text",
    version: Annotated[bool, typer.Option(
        "--version", help="print the version and exit", callback=_print_version,
        is_eager=True)] = False,
) -> None:
    global VERBOSE
    VERBOSE = verbose
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
        logging.Formatter.converter = time.gmtime
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler],
                        force=True)
