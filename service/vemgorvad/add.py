"""`vemgorvad add FILE`: a new or revised agreement into data/ and a rebuild, all or nothing.

The file is staged with a journal (datastore.py), the graph built from the catalogue as it will
be (build.py), and data/ committed only once that build is published. See datastore.py for why
a kill at any moment leaves data/ and the served graph consistent.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from . import paths
from .atomic import write_atomic
from .build import BuildReport, build
from .catalogue import Record, load_catalogue
from .datastore import Progress, commit, data_fingerprint, pending_dir, recover, update_lock, write_journal
from .ingest import SUPPORTED_SUFFIXES, Document, IngestError, ingest_bytes
from .keys import KEY_MAX, is_key, key_from
from .pipeline import metadata
from .serve.ask import saved
from .settings import settings


class UpdateError(RuntimeError):
    """An add that cannot be done as asked; the message is one line for the operator."""


def _date(value: str | None, flag: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UpdateError(f"{flag} {value!r} är inget datum ÅÅÅÅ-MM-DD (not a date YYYY-MM-DD)") from None


def plan_record(file: Path, doc: Document, records: list[Record], key: str | None, title: str | None,
                valid_from: str | None, valid_to: str | None, county: str | None) -> tuple[Record, Record | None]:
    """The catalogue record the file will have, and the record it revises (None for a new one)."""
    suffix = file.suffix.lower()
    if key is None:
        key = key_from(file.stem)
    elif not is_key(key):
        raise UpdateError(f"--key {key!r}: bara gemena a–z, siffror och '-', högst {KEY_MAX} tecken "
                          f"(lowercase ASCII letters, digits and '-')")
    valid_from, valid_to = _date(valid_from, "--valid-from"), _date(valid_to, "--valid-to")
    old = next((r for r in records if r.key == key), None)
    if old is not None:
        name = old.file if Path(old.file).suffix.lower() == suffix else key + suffix
        record = dataclasses.replace(old, file=name)
    else:
        meta = metadata(doc, title_fallback=key)
        name = key + suffix
        record = Record(key, name, meta.title, parties=list(meta.parties), valid_from=meta.valid_from,
                        valid_to=meta.valid_to, directory=str(paths.AGREEMENTS))
    owner = next((r for r in records if r.file == name and r.key != key), None)
    if owner is not None:
        raise UpdateError(f"filen {name} hör redan till överenskommelsen {owner.key}; välj en annan --key "
                          f"(the file name belongs to another agreement)")
    changes: dict[str, Any] = {"title": title, "valid_from": valid_from, "valid_to": valid_to, "county": county}
    record = dataclasses.replace(record, **{k: v for k, v in changes.items() if v})
    if record.valid_from and record.valid_to and record.valid_to < record.valid_from:
        raise UpdateError(f"giltig till {record.valid_to} ligger före giltig från {record.valid_from} "
                          f"(valid-to is before valid-from)")
    return record, old


def add(file: str | Path, key: str | None = None, title: str | None = None, valid_from: str | None = None,
        valid_to: str | None = None, county: str | None = None, progress: Progress = print,
        workers: int | None = None, var: Path | None = None) -> tuple[Record, Record | None, BuildReport]:
    """Put a new or revised agreement into data/ and rebuild (see datastore.py).
    Returns (record, revised record or None, build report)."""
    file = Path(file)
    if file.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UpdateError(f"{file}: filtypen {file.suffix or '(ingen)'} stöds inte; använd .txt, .pdf eller .docx "
                          f"(unsupported file type)")
    try:
        data = file.read_bytes()
    except OSError as err:
        raise UpdateError(f"{file}: filen kan inte läsas: {err.strerror} (cannot read the file)") from None
    try:
        doc = ingest_bytes(data, file.name)
    except IngestError as err:
        raise UpdateError(f"{file}: {err.sv} ({err.en})") from None
    directory = Path(paths.AGREEMENTS)
    with update_lock(var, progress):
        done = recover(var, directory)
        if done:
            progress(f"Slutförde en avbruten uppdatering ({'framåt' if done == 'forward' else 'återställd'}).")
        records = load_catalogue(directory)
        record, old = plan_record(file, doc, records, key, title, valid_from, valid_to, county)
        pending = pending_dir(directory)
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
            write_journal(pending, journal)
            progress(f"{'Reviderar' if old else 'Lägger till'} {record.key} ({record.file}) …")
            report = build(var=var, progress=progress, workers=workers, records=building,
                           derive={"ask_index": saved.DERIVED})
        except BaseException:
            # a failed build published nothing: recovery forgets the staged text and data/ stays as
            # it was; an interruption after the publish (Ctrl-C) is rolled forward instead
            with contextlib.suppress(Exception):
                recover(var, directory)
            raise
        commit(journal, directory)
        return record, old, report


def request_reload(url: str, token: str, timeout: float = 120.0) -> dict[str, Any]:
    """POST <url>/admin/reload with the operator's token; the server's JSON answer."""
    target = url.rstrip("/") + ("" if url.rstrip("/").endswith("/admin/reload") else "/admin/reload")
    req = urllib.request.Request(target, method="POST", data=b"",
                                 headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
            return answer
    except urllib.error.HTTPError as err:
        try:
            detail = json.loads(err.read()).get("detail")
        except ValueError:
            detail = None
        raise UpdateError(f"servern {target} svarade {err.code}: {detail or err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise UpdateError(f"servern {target} kunde inte nås ({reason})") from None


def run_add(args: argparse.Namespace) -> int:
    """`vemgorvad add FILE …` from the command line."""
    token = settings().reload_token
    if args.reload_url and not token:
        raise UpdateError("--reload-url kräver nyckeln i miljövariabeln VEMGORVAD_RELOAD_TOKEN "
                          "(set the server's reload token in VEMGORVAD_RELOAD_TOKEN)")
    progress: Progress = (lambda *a: None) if args.quiet else print
    record, old, report = add(args.file, args.key, args.title, args.valid_from, args.valid_to, args.county,
                              progress=progress, workers=args.workers)
    progress(f"{'Reviderade' if old else 'Lade till'} {record.key}: data/agreements/{record.file}, "
             f"bygget {report.build_id} är publicerat.")
    if args.reload_url and token:
        answer = request_reload(args.reload_url, token)
        progress(f"Servern {args.reload_url} laddade om grafen: {answer.get('agreements')} överenskommelser, "
                 f"{answer.get('triples')} tripler ({answer.get('status')}).")
    else:
        progress("En körande server byter graf när den får SIGHUP eller POST /admin/reload "
                 "(a running server switches on SIGHUP or POST /admin/reload).")
    return 0
