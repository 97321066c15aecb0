"""`vemgorvad check FILE`: the gap check's report of an agreement file."""
from __future__ import annotations

import argparse

from ..ingest import IngestError
from ..language import LexiconError
from ..serve.check.cli import run_check_command
from ..settings import SettingsError
from ..store import GraphMissing

ERRORS: tuple[type[Exception], ...] = (IngestError, GraphMissing, SettingsError, LexiconError)


def run(args: argparse.Namespace) -> int:
    return run_check_command(args.file, args.json, args.format, args.output)
