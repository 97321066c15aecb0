"""Modules that tests and entry points import first load on their own, in a fresh interpreter: a
cycle through a package's __init__ (observability → metrics → ask routes → state → query pool →
observability, 67b6dd6, fixed in 616a49e) made `import vemgorvad.serve.sparql.pool` fail whenever
nothing else was loaded before it — test_sparql_pool_start.py run alone failed to collect, and
test_structure's graph did not see it. This sees what Python does."""
from __future__ import annotations

import subprocess
import sys

import pytest

FIRST_IMPORTS = ("vemgorvad.serve.sparql.pool", "vemgorvad.serve.sparql.runtime", "vemgorvad.serve.observability",
                 "vemgorvad.serve.ask.routes", "vemgorvad.serve.procpool")


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_module_imports_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1500:]
