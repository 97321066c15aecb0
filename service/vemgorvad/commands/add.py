"""`vemgorvad add FILE`: a new or revised agreement into data/ and an incremental rebuild."""
from __future__ import annotations

import argparse

from ..add import UpdateError, run_add
from ..build import BuildError
from ..ingest import IngestError
from ..language import LexiconError
from ..settings import SettingsError
from ..store import GraphMissing

ERRORS: tuple[type[Exception], ...] = (UpdateError, BuildError, IngestError, GraphMissing, SettingsError,
                                       LexiconError)


def run(args: argparse.Namespace) -> int:
    return run_add(args)
