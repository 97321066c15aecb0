"""`make load` / `python -m tests.load`: see tests/load/run.py."""
import sys

from .run import main

sys.exit(main())
