"""The command line: `vemgorvad build | serve | ask | check | add`. Errors are one readable line
on stderr and a non-zero exit, never a stack trace.

The parser is all this module holds; a subcommand's module (COMMANDS, in commands/) is imported only
when that subcommand runs, so `add` and `build` do not load the HTTP server, weasyprint or the gap
check, and `--help` loads none of them."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Protocol, cast

#: Subcommand → the module that runs it (`run(args) -> int`, and `ERRORS`: the exceptions reported
#: as one line for the user).
COMMANDS = {name: f"vemgorvad.commands.{name}" for name in ("build", "serve", "ask", "check", "add")}


class Command(Protocol):
    ERRORS: tuple[type[Exception], ...]

    def run(self, args: argparse.Namespace) -> int: ...


def load(name: str) -> Command:
    """The module of subcommand NAME, imported now."""
    return cast(Command, importlib.import_module(COMMANDS[name]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vemgorvad", description="Vem gör vad – samverkansöverenskommelser som kunskapsgraf.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="extract every agreement in data/, build and validate the graph")
    b.add_argument("--quiet", action="store_true")
    b.add_argument("--workers", type=int, default=None)
    s = sub.add_parser("serve", help="the HTTP service (embedded store, or --endpoint URL)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--endpoint", default=None, help="a SPARQL 1.1 endpoint holding the built dataset")
    s.add_argument("--allow-stale", action="store_true",
                   help="serve a graph built from other data than data/ holds now (or VEMGORVAD_ALLOW_STALE=1)")
    a = sub.add_parser("ask", help="ask who is responsible (the answer of GET /api/ask)")
    a.add_argument("question")
    a.add_argument("--agreement", default=None)
    a.add_argument("--json", action="store_true", help="print exactly the body of GET /api/ask")
    c = sub.add_parser("check", help="gap check of an agreement file (the report of POST /api/check)")
    c.add_argument("file")
    c.add_argument("--json", action="store_true", help="print exactly the body of POST /api/check")
    c.add_argument("--format", choices=("text", "json", "html", "pdf", "docx"), default="text",
                   help="text (default), json, html; pdf and docx are written to --output or <file>-granskning.pdf|docx")
    c.add_argument("--output", "-o", default=None, help="write the report to this file")
    d = sub.add_parser("add", help="put a new or revised agreement into data/ and rebuild (all or nothing)")
    d.add_argument("file", help=".txt, .pdf or .docx")
    d.add_argument("--key", default=None, help="the agreement's key (default: from the file name); "
                                                "an existing key revises that agreement")
    d.add_argument("--title", default=None)
    d.add_argument("--valid-from", default=None, help="YYYY-MM-DD")
    d.add_argument("--valid-to", default=None, help="YYYY-MM-DD")
    d.add_argument("--county", default=None, help="the county (län) the agreement covers")
    d.add_argument("--workers", type=int, default=None)
    d.add_argument("--quiet", action="store_true")
    d.add_argument("--reload-url", default=None,
                   help="a running server to switch to the new graph (POST URL/admin/reload with the token "
                        "in VEMGORVAD_RELOAD_TOKEN); without it, send the server SIGHUP")
    args = parser.parse_args(argv)
    errors: tuple[type[Exception], ...] = ()
    try:
        command = load(args.command)
        errors = command.ERRORS
        return command.run(args)
    except BrokenPipeError:  # the reader went away (`| head`): not an error worth a message
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("vemgorvad: avbrutet (interrupted)", file=sys.stderr)
        return 130
    except Exception as err:  # one line for the user; the details belong in a log, not the terminal
        if isinstance(err, errors):
            print(f"vemgorvad: {' '.join(str(err).split())}", file=sys.stderr)
            return 1
        print(f"vemgorvad: oväntat fel (unexpected error): {type(err).__name__}: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
