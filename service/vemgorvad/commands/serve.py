"""`vemgorvad serve`: the HTTP service."""
from __future__ import annotations

import argparse

from ..ingest import IngestError
from ..language import LexiconError
from ..serve.run import serve
from ..settings import SettingsError
from ..store import GraphMissing

ERRORS: tuple[type[Exception], ...] = (GraphMissing, IngestError, SettingsError, LexiconError)


def run(args: argparse.Namespace) -> int:
    return serve(args.host, args.port, args.endpoint, args.allow_stale)
