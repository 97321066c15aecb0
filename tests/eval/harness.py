"""What an evaluation run needs around the project: a build in a scratch folder, the service on a
free loopback port over it, the agreements' texts, and the lexicon entries one agreement alone
attests (for leave-one-agreement-out)."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from vemgorvad.catalogue import load_catalogue
from vemgorvad.extract.lexicon import attestation, catalogue_body_id
from vemgorvad.language import general

from ..subprocs import terminate
from .textmatch import squash

ROOT = Path(__file__).resolve().parents[2]
AGREEMENTS = ROOT / "data" / "agreements"
EXCLUDE_ENV = "VEMGORVAD_LEXICON_EXCLUDE"


def agreement_texts() -> dict[str, str]:
    """Agreement key → its text as score.py compares quotes (squashed)."""
    catalogue = json.loads((AGREEMENTS / "agreements.json").read_text(encoding="utf-8"))
    return {e["key"]: squash((AGREEMENTS / e["file"]).read_text(encoding="utf-8")) for e in catalogue}


MODEL_ENV = "VEMGORVAD_ASK_MODEL"


def _env(var: Path, exclude: Path | None, model: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "VEMGORVAD_VAR": str(var)}
    env.pop(EXCLUDE_ENV, None)
    env.pop(MODEL_ENV, None)
    if exclude is not None:
        env[EXCLUDE_ENV] = str(exclude)
    if model is not None:
        env[MODEL_ENV] = str(model)
    return env


def build(var: Path, exclude: Path | None = None) -> Path:
    var.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "vemgorvad.cli", "build", "--quiet"], cwd=ROOT,
                          env=_env(var, exclude), capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"eval: bygget misslyckades (build failed): {done.stderr.strip()[-400:]}")
    return var / "current" / "dataset.nq"


def fit(var: Path, exclude: Path | None, without: str, out: Path) -> Path:
    """The ask model of one leave-one-agreement-out fold: fitted (tests/eval/fit.py) on that fold's build
    and on the development questions of the other agreements only, so the left-out agreement's questions
    are answered by a model that never saw them."""
    done = subprocess.run([sys.executable, "-m", "tests.eval.fit", "--without", without, "--out", str(out)], cwd=ROOT,
                          env=_env(var, exclude), capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"eval: anpassningen misslyckades (fit failed): {done.stderr.strip()[-400:]}")
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(var: Path, exclude: Path | None = None, timeout: float = 180.0, model: Path | None = None) -> Iterator[str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(var / "serve.log", "w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "vemgorvad.cli", "serve", "--port", str(port)], cwd=ROOT,
                               env=_env(var, exclude, model), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise SystemExit(f"eval: servern avslutades (server exited): see {var / 'serve.log'}")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"eval: servern svarade inte inom {timeout:.0f} s (server not ready)")
            time.sleep(0.3)
        yield base
    finally:
        terminate(process, 20)
        log.close()


def loao_exclusions(key: str, path: Path) -> int:
    """Write the ids of the lexicon entries that only agreement `key` attests to `path` (the file
    the build and the service read through VEMGORVAD_LEXICON_EXCLUDE); return how many."""
    only = sorted(entry for entry, keys in attestation().items() if set(keys) == {key})
    # the agreement's own catalogue record names its bodies: an agreement not seen before has no such
    # record, so its bodies are switched off too (the grammar must find them)
    only += sorted(catalogue_body_id(r.key, b["id"]) for r in load_catalogue() if r.key == key for b in r.bodies)
    path.write_text(json.dumps(only, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(only)


def single_agreement_entries() -> tuple[int, int, int]:
    """(entries in all, entries one agreement alone attests, of those the ones their file marks as
    general Swedish): the lexicon's overfitting figure."""
    attested = attestation()
    single = {entry for entry, keys in attested.items() if len(keys) == 1}
    return len(attested), len(single), len(single & general())
