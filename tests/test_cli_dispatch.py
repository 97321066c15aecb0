"""The command line loads a subcommand's module only when it runs (cli.COMMANDS): `add` and `build`
import neither the HTTP server nor weasyprint nor the gap check; the others still load what they
need, and a user's error is still one line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from vemgorvad import cli

ROOT = Path(__file__).resolve().parents[1]
#: What the build side must not pay for at start.
SERVING = ("fastapi", "uvicorn", "weasyprint", "vemgorvad.serve.run", "vemgorvad.serve.app",
           "vemgorvad.serve.check.service", "vemgorvad.serve.ask.engine", "vemgorvad.serve.ask.understanding",
           "wordfreq")


def _loaded_after(command: str) -> list[str]:
    """The SERVING modules in sys.modules of a fresh interpreter after importing the CLI and the
    module of COMMAND."""
    code = ("import json, sys\nfrom vemgorvad import cli\ncli.load(sys.argv[1])\n"
            f"print(json.dumps([m for m in {list(SERVING)!r} if m in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code, command], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_every_subcommand_has_a_module_with_run_and_errors():
    parser_commands = {"build", "serve", "ask", "check", "add"}
    assert set(cli.COMMANDS) == parser_commands
    for name in cli.COMMANDS:
        module = cli.load(name)
        assert callable(module.run)
        assert module.ERRORS and all(issubclass(e, Exception) for e in module.ERRORS)


def test_add_and_build_do_not_load_the_server_weasyprint_or_the_gap_check():
    assert _loaded_after("add") == []
    assert _loaded_after("build") == []


def test_the_check_sees_what_serve_and_check_load():
    assert {"fastapi", "uvicorn", "vemgorvad.serve.run"} <= set(_loaded_after("serve"))
    assert {"weasyprint", "vemgorvad.serve.check.service"} <= set(_loaded_after("check"))


def test_a_user_error_is_still_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "vemgorvad.cli", "add", str(tmp_path / "saknas.txt"),
                           "--valid-from", "inte-ett-datum"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("vemgorvad: ")
    assert "Traceback" not in done.stderr
