"""Safe updates of data/ and the graph: `vemgorvad add` and what `vemgorvad build` shares with it.

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
fingerprint is the one ``var/current`` was built from is rolled forward (steps 4, all
idempotent); any other leftover is rolled back by deleting ``.pending``. So after any
interruption data/ is the old state or the new one, and ``var/current`` is the graph of it.
A failed build never reaches step 4: data/ is left as it was and the old graph keeps serving.

Staleness: every build records :func:`data_fingerprint` of the data it read in its manifest;
`vemgorvad serve` refuses a build whose fingerprint is not that of data/ now.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
from pathlib import Path

from . import paths
from .atomic import fsync_dir, write_atomic
from .catalogue import Record, catalogue_bytes, key_from, load_catalogue
from .ingest import SUPPORTED_SUFFIXES, IngestError, normalise, read_bytes

PENDING = ".pending"
JOURNAL = "journal.json"
NEW_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX = 60
DATA_PARTS = {
    "agreements": "överenskommelserna eller katalogen i data/agreements",
    "other": "övriga data i data/ (lexikon, lagar, rättelser, krav)",
}


class UpdateError(RuntimeError):
    """An add that cannot be done as asked; the message is one line for the operator."""


# --- the lock ------------------------------------------------------------------------------------

_held = threading.local()


@contextlib.contextmanager
def update_lock(var: Path | None = None, progress=print):
    """One add or build at a time per var/ (an flock, released by the kernel even on kill -9).
    Re-entrant within a process, so `add` can call `build` while holding it."""
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    var = Path(var or paths.VAR)
    var.mkdir(parents=True, exist_ok=True)
    with open(var / ".update.lock", "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress("Väntar på att en annan 'vemgorvad add/build' blir klar … (waiting for another update)")
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        _held.depth = 1
        try:
            yield
        finally:
            _held.depth = 0
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


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


def stale_reason(manifest: dict) -> str | None:
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


def current_manifest(var: Path | None = None) -> dict:
    try:
        return json.loads((Path(var or paths.VAR) / "current" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- journal and recovery --------------------------------------------------------------------------

def _pending(directory: Path | None = None) -> Path:
    return Path(directory or paths.AGREEMENTS) / PENDING


def recover(var: Path | None = None, directory: Path | None = None) -> str | None:
    """Finish or undo an interrupted add (see the module docstring). Returns what was done:
    "forward", "back" or None when there was nothing to do. Call with the update lock held."""
    directory = Path(directory or paths.AGREEMENTS)
    for leftover in directory.glob(".*.tmp"):     # a write_atomic cut short
        leftover.unlink()
    pending = _pending(directory)
    if not pending.exists():
        return None
    try:
        journal = json.loads((pending / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None
    if journal and current_manifest(var).get("data_fingerprint") == journal.get("fingerprint"):
        _commit(journal, directory)
        return "forward"
    shutil.rmtree(pending)
    fsync_dir(directory)
    return "back"


def _commit(journal: dict, directory: Path) -> None:
    """Step 4: move the staged file in, replace the catalogue, drop a replaced file, forget the
    journal. Each step may already have happened; running it again changes nothing."""
    pending = _pending(directory)
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
        if not NEW_KEY.match(record.key):
            problems.append(f"key {record.key!r} is not lowercase ASCII, digits and '-'")
        if not record.path.is_file():
            problems.append(f"{record.key}: file {record.file} is missing")
        elif record.path.stat().st_size == 0:
            problems.append(f"{record.key}: file {record.file} is empty")
    for path in directory.iterdir():
        if path.name == PENDING or path.name.endswith(".tmp"):
            problems.append(f"leftover of an interrupted update: {path.name}")
    return problems


# --- add -------------------------------------------------------------------------------------------

def _date(value: str | None, flag: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UpdateError(f"{flag} {value!r} är inget datum ÅÅÅÅ-MM-DD (not a date YYYY-MM-DD)") from None


def _described(text: str, key: str):
    from .extract.clauses import extract
    from .serve.check.metadata import describe
    doc = normalise(text)
    return describe(doc, extract(doc, key), key)


def plan_record(file: Path, text: str, records: list[Record], key: str | None, title: str | None,
                valid_from: str | None, valid_to: str | None, county: str | None) -> tuple[Record, Record | None]:
    """The catalogue record the file will have, and the record it revises (None for a new one)."""
    suffix = file.suffix.lower()
    if key is None:
        key = key_from(file.stem)[:KEY_MAX].strip("-")
    elif not NEW_KEY.match(key) or len(key) > KEY_MAX:
        raise UpdateError(f"--key {key!r}: bara gemena a–z, siffror och '-', högst {KEY_MAX} tecken "
                          f"(lowercase ASCII letters, digits and '-')")
    valid_from, valid_to = _date(valid_from, "--valid-from"), _date(valid_to, "--valid-to")
    old = next((r for r in records if r.key == key), None)
    if old is not None:
        name = old.file if Path(old.file).suffix.lower() == suffix else key + suffix
        record = dataclasses.replace(old, file=name)
    else:
        meta = _described(text, key)
        name = key + suffix
        record = Record(key, name, meta.title, parties=list(meta.parties), valid_from=meta.valid_from,
                        valid_to=meta.valid_to, directory=str(paths.AGREEMENTS))
    owner = next((r for r in records if r.file == name and r.key != key), None)
    if owner is not None:
        raise UpdateError(f"filen {name} hör redan till överenskommelsen {owner.key}; välj en annan --key "
                          f"(the file name belongs to another agreement)")
    changes = {"title": title, "valid_from": valid_from, "valid_to": valid_to, "county": county}
    record = dataclasses.replace(record, **{k: v for k, v in changes.items() if v})
    if record.valid_from and record.valid_to and record.valid_to < record.valid_from:
        raise UpdateError(f"giltig till {record.valid_to} ligger före giltig från {record.valid_from} "
                          f"(valid-to is before valid-from)")
    return record, old


def add(file: str | Path, key: str | None = None, title: str | None = None, valid_from: str | None = None,
        valid_to: str | None = None, county: str | None = None, progress=print, workers: int | None = None,
        var: Path | None = None):
    """Put a new or revised agreement into data/ and rebuild (see the module docstring).
    Returns (record, revised record or None, build report)."""
    from .build import build
    file = Path(file)
    if file.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UpdateError(f"{file}: filtypen {file.suffix or '(ingen)'} stöds inte; använd .txt, .pdf eller .docx "
                          f"(unsupported file type)")
    try:
        data = file.read_bytes()
    except OSError as err:
        raise UpdateError(f"{file}: filen kan inte läsas: {err.strerror} (cannot read the file)") from None
    try:
        text = read_bytes(data, file.name)
    except IngestError as err:
        raise UpdateError(f"{file}: {err.sv} ({err.en})") from None
    directory = Path(paths.AGREEMENTS)
    with update_lock(var, progress):
        done = recover(var, directory)
        if done:
            progress(f"Slutförde en avbruten uppdatering ({'framåt' if done == 'forward' else 'återställd'}).")
        records = load_catalogue(directory)
        record, old = plan_record(file, text, records, key, title, valid_from, valid_to, county)
        pending = _pending(directory)
        pending.mkdir()
        try:
            write_atomic(pending / record.file, data)
            staged = dataclasses.replace(record, directory=str(pending))
            after = [r for r in records if r.key != record.key]
            position = next((i for i, r in enumerate(records) if r.key == record.key), len(after))
            after.insert(position, dataclasses.replace(record, directory=str(directory)))
            building = [staged if r.key == record.key else r for r in after]
            journal = {"key": record.key, "file": record.file, "replaces": old.file if old else None,
                       "catalogue": [r.as_dict() for r in after], "fingerprint": data_fingerprint(building)}
            write_atomic(pending / JOURNAL, json.dumps(journal, ensure_ascii=False, indent=1).encode("utf-8"))
            progress(f"{'Reviderar' if old else 'Lägger till'} {record.key} ({record.file}) …")
            report = build(var=var, progress=progress, workers=workers, records=building)
        except BaseException:
            # a failed build published nothing: recovery forgets the staged text and data/ stays as
            # it was; an interruption after the publish (Ctrl-C) is rolled forward instead
            with contextlib.suppress(Exception):
                recover(var, directory)
            raise
        _commit(journal, directory)
        return record, old, report


def request_reload(url: str, token: str, timeout: float = 120.0) -> dict:
    """POST <url>/admin/reload with the operator's token; the server's JSON answer."""
    import urllib.error
    import urllib.request
    target = url.rstrip("/") + ("" if url.rstrip("/").endswith("/admin/reload") else "/admin/reload")
    req = urllib.request.Request(target, method="POST", data=b"",
                                 headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        try:
            detail = json.loads(err.read()).get("detail")
        except ValueError:
            detail = None
        raise UpdateError(f"servern {target} svarade {err.code}: {detail or err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise UpdateError(f"servern {target} kunde inte nås ({reason})") from None


def run_add(args) -> int:
    """`vemgorvad add FILE …` from the command line."""
    token = os.environ.get("VEMGORVAD_RELOAD_TOKEN") or None
    if args.reload_url and not token:
        raise UpdateError("--reload-url kräver nyckeln i miljövariabeln VEMGORVAD_RELOAD_TOKEN "
                          "(set the server's reload token in VEMGORVAD_RELOAD_TOKEN)")
    progress = (lambda *a: None) if args.quiet else print
    record, old, report = add(args.file, args.key, args.title, args.valid_from, args.valid_to, args.county,
                              progress=progress, workers=args.workers)
    progress(f"{'Reviderade' if old else 'Lade till'} {record.key}: data/agreements/{record.file}, "
             f"bygget {report.build_id} är publicerat.")
    if args.reload_url:
        answer = request_reload(args.reload_url, token)
        progress(f"Servern {args.reload_url} laddade om grafen: {answer.get('agreements')} överenskommelser, "
                 f"{answer.get('triples')} tripler ({answer.get('status')}).")
    else:
        progress("En körande server byter graf när den får SIGHUP eller POST /admin/reload "
                 "(a running server switches on SIGHUP or POST /admin/reload).")
    return 0
