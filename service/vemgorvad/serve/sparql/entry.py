"""Entry module of a query worker process (`python -m vemgorvad.serve.sparql.entry query FD`,
started by procpool.ProcessPool): the worker loop with the query work only — rdflib's parser and
pyoxigraph, never the gap check's pipeline."""
from __future__ import annotations

import sys

from ..worker import main
from .worker import QueryWorker

if __name__ == "__main__":
    sys.exit(main(QueryWorker, sys.argv[1:]))
