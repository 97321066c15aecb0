"""data/ as a store that builds and adds change safely: the update lock, the data fingerprint,
the journal of an add and its recovery. build.py and add.py use it; `serve` asks it whether a
build is stale. It knows nothing about how a graph is made.

How an add stays all-or-nothing (a kill -9 at any moment, a failed build, a full disk):

1. The new text is checked with the ingest readers, then written whole (temp file, fsync,
   rename) into the hidden folder ``data/agreements/.pending/`` under its final file name.
   Nothing in data/ proper has changed; readers of the catalogue never look into hidden folders.
2. ``.pending/journal.json`` (written the same way) says what the commit will do: which file goes
   where, which old file it replaces, the whole new catalogue, and the fingerprint of data/ after
   the commit.
3. The graph is built from the catalogue as it will be (the staged record points into
   ``.pending``) and published by build.py's atomic swap of ``var/current``. That swap is the
   commit point: the published manifest carries the new data fingerprint.
4. Commit: the staged file is renamed into data/agreements/, the catalogue replaced (temp, fsync,
   rename), a replaced file of another type removed, ``.pending`` deleted.

Every `add` and `build` first runs :func:`recover` under the same lock: a journal whose
fingerprint is the one ``var/current`` was built from is rolled forward (step 4, idempotent);
any other leftover is rolled back by deleting ``.pending``. So after any interruption data/ is the
old state or the new one, and ``var/current`` is the graph of it. A failed build never reaches
step 4: data/ is left as it was and the old graph keeps serving.

The lock is a POSIX record lock (fcntl F_SETLK) on ``var/.update.lock``: it belongs to the process
that took it — a forked worker does not inherit it — and the kernel drops it when that process
dies, kill -9 included. The holder's pid is written into the file, so a waiting command says whom
it waits for. Workers die with their parent (procs.py), so a killed build leaves nothing running.

Staleness: every build records :func:`data_fingerprint` of the data it read in its manifest;
`vemgorvad serve` refuses a build whose fingerprint is not that of data/ now.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import paths
from .atomic import fsync_dir, write_atomic
from .catalogue import Record, catalogue_bytes, load_catalogue
from .keys import KEY

PENDING = ".pending"
JOURNAL = "journal.json"
LOCK_FILE = ".update.lock"
DATA_PARTS = {
    "agreements": "överenskommelserna eller katalogen i data/agreements",
    "other": "övriga data i data/ (lexikon, lagar, rättelser, krav)",
}

Progress = Callable[..., Any]


# --- the lock ------------------------------------------------------------------------------------

_process_lock = threading.RLock()   # threads of one process (a POSIX lock is per process)
_depth = 0


def _holder(handle: Any) -> str:
    handle.seek(0)
    pid = handle.read(32).decode("ascii", "replace").strip()
    return f" (pid {pid})" if pid.isdigit() else ""


@contextlib.contextmanager
def update_lock(var: Path | None = None, progress: Progress = print) -> Iterator[None]:
    """One add or build at a time per var/. Re-entrant within a process, so `add` can call
    `build` while holding it."""
    global _depth
    with _process_lock:
        if _depth:
            _depth += 1
            try:
                yield
            finally:
                _depth -= 1
            return
        var = Path(var or paths.VAR)
        var.mkdir(parents=True, exist_ok=True)
        with open(var / LOCK_FILE, "a+b") as handle:
            try:
                fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                progress(f"Väntar på att en annan 'vemgorvad add/build'{_holder(handle)} blir klar … "
                         f"(waiting for another update)")
                fcntl.lockf(handle.fileno(), fcntl.LOCK_EX)
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n".encode("ascii"))
            handle.flush()
            _depth = 1
            try:
                yield
            finally:
                _depth = 0
                fcntl.lockf(handle.fileno(), fcntl.LOCK_UN)


# --- fingerprints and staleness --------------------------------------------------------------------

def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b"missing"


def data_fingerprint(records: list[Record]) -> dict[str, str]:
    """What a build was made from: the catalogue's records with the bytes of their files
    ("agreements"), and every other data file under data/ ("other"; notes in .md excluded).
    Independent of the catalogue's formatting and order, and of where a staged file lies."""
    agreements = hashlib.sha256()
    for record in sorted(records, key=lambda r: (r.key, r.file)):
        agreements.update(json.dumps(record.as_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        agreements.update(_file_digest(record.path))
    other = hashlib.sha256()
    data = Path(paths.DATA)
    agreements_dir = Path(paths.AGREEMENTS)
    for path in sorted(data.rglob("*")) if data.exists() else []:
        rel = path.relative_to(data)
        if (not path.is_file() or path.suffix == ".md" or any(p.startswith(".") for p in rel.parts)
                or path.is_relative_to(agreements_dir)):
            continue
        other.update(rel.as_posix().encode("utf-8") + b"\0" + _file_digest(path))
    return {"agreements": agreements.hexdigest(), "other": other.hexdigest()}


def stale_reason(manifest: dict[str, Any]) -> str | None:
    """Why a build's graph is not the graph of data/ as it is now (Swedish), or None."""
    recorded = manifest.get("data_fingerprint")
    if not isinstance(recorded, dict):
        return "bygget saknar fingeravtryck av data/ (gjort med en äldre version)"
    if (Path(paths.AGREEMENTS) / PENDING / JOURNAL).exists():
        return "en avbruten 'vemgorvad add' har inte slutförts"
    current = data_fingerprint(load_catalogue())
    changed = [DATA_PARTS[part] for part in current if current[part] != recorded.get(part)]
    if not changed:
        return None
    return f"{' och '.join(changed)} har ändrats sedan bygget {manifest.get('build_id', '')}".rstrip()


def current_manifest(var: Path | None = None) -> dict[str, Any]:
    try:
        manifest = json.loads((Path(var or paths.VAR) / "current" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


# --- journal and recovery --------------------------------------------------------------------------

def pending_dir(directory: Path | None = None) -> Path:
    return Path(directory or paths.AGREEMENTS) / PENDING


def write_journal(pending: Path, journal: dict[str, Any]) -> None:
    write_atomic(pending / JOURNAL, json.dumps(journal, ensure_ascii=False, indent=1).encode("utf-8"))


def recover(var: Path | None = None, directory: Path | None = None) -> str | None:
    """Finish or undo an interrupted add (see the module docstring). Returns what was done:
    "forward", "back" or None when there was nothing to do. Call with the update lock held."""
    directory = Path(directory or paths.AGREEMENTS)
    for leftover in directory.glob(".*.tmp"):     # a write_atomic cut short
        leftover.unlink()
    pending = pending_dir(directory)
    if not pending.exists():
        return None
    try:
        journal = json.loads((pending / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None
    if journal and current_manifest(var).get("data_fingerprint") == journal.get("fingerprint"):
        commit(journal, directory)
        return "forward"
    shutil.rmtree(pending)
    fsync_dir(directory)
    return "back"


def commit(journal: dict[str, Any], directory: Path) -> None:
    """Step 4: move the staged file in, replace the catalogue, drop a replaced file, forget the
    journal. Each step may already have happened; running it again changes nothing."""
    pending = pending_dir(directory)
    staged = pending / journal["file"]
    if staged.exists():
        os.replace(staged, directory / journal["file"])
        fsync_dir(directory)
    write_atomic(directory / "agreements.json", catalogue_bytes(
        [Record(**entry) for entry in journal["catalogue"]]))
    replaced = journal.get("replaces")
    if replaced and replaced != journal["file"] and (directory / replaced).exists():
        (directory / replaced).unlink()
        fsync_dir(directory)
    shutil.rmtree(pending)
    fsync_dir(directory)


def consistency_problems(directory: Path | None = None) -> list[str]:
    """What is wrong with data/agreements as a whole (empty when the catalogue and the files agree):
    every record's file exists and reads, keys are unique and well formed, no leftover of an
    update lies where an agreement could be taken for one."""
    directory = Path(directory or paths.AGREEMENTS)
    problems = []
    try:
        records = load_catalogue(directory)
    except (ValueError, TypeError) as err:
        return [f"agreements.json: {err}"]
    keys = [r.key for r in records]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(f"key {key} appears twice")
    for record in records:
        if not KEY.match(record.key):
            problems.append(f"key {record.key!r} is not lowercase ASCII, digits and '-'")
        if not record.path.is_file():
            problems.append(f"{record.key}: file {record.file} is missing")
        elif record.path.stat().st_size == 0:
            problems.append(f"{record.key}: file {record.file} is empty")
    for path in directory.iterdir():
        if path.name == PENDING or path.name.endswith(".tmp"):
            problems.append(f"leftover of an interrupted update: {path.name}")
    return problems
