"""`vemgorvad ask QUESTION`: the answer of GET /api/ask on the terminal."""
from __future__ import annotations

import argparse

from ..ingest import IngestError
from ..language import LexiconError
from ..serve.ask.cli import run_ask
from ..settings import SettingsError
from ..store import GraphMissing

ERRORS: tuple[type[Exception], ...] = (GraphMissing, IngestError, SettingsError, LexiconError)


def run(args: argparse.Namespace) -> int:
    return run_ask(args.question, args.agreement, args.json)
