"""`vemgorvad build`: every agreement in data/ through the pipeline, the graph published."""
from __future__ import annotations

import argparse

from ..build import BuildError, build
from ..ingest import IngestError
from ..language import LexiconError
from ..serve.ask import saved
from ..settings import SettingsError
from ..store import GraphMissing

ERRORS: tuple[type[Exception], ...] = (BuildError, IngestError, GraphMissing, SettingsError, LexiconError)


def run(args: argparse.Namespace) -> int:
    report = build(progress=(lambda *a: None) if args.quiet else print, workers=args.workers,
                   derive={"ask_index": saved.DERIVED})
    return 0 if report else 1
