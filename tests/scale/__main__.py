"""python -m tests.scale — see run.py."""
import sys

from tests.scale.run import main

sys.exit(main())
