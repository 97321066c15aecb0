"""Entry module of a gap-check worker process (`python -m vemgorvad.serve.check.entry check FD`,
started by procpool.ProcessPool): the worker loop with the gap check's pipeline and document
readers and writers."""
from __future__ import annotations

import sys

from ..worker import main
from .worker import CheckWorker

if __name__ == "__main__":
    sys.exit(main(CheckWorker, sys.argv[1:]))
