"""The build's cache of pipeline results, one entry per agreement as it is now.

An entry is the stage files of one agreement (normalised.txt, structure.json, clauses.json,
graph.nq) and what the build reports of it (result.json: its report, the rules' counts, its
SHACL result), under the digest of everything the pipeline's output depends on:

- the agreement's bytes, its catalogue record and its corrections;
- the code and data every agreement is made with (:func:`dependencies`): the package's own files
  (code and the data shipped in it), data/ apart from the agreements and the corrections (the
  lexicon, laws, gazetteer …), ontology/, shapes/ and queries/, the package's version and the
  versions of the libraries that serialise and query the graph.

So `vemgorvad add` of one agreement runs the pipeline for that one only, and a change to the
lexicon, the ontology or the code runs it for all. An entry is written to a temporary folder and
renamed into place, so a killed build leaves no half entry; entries are immutable, and a build
links its agreement folders to them instead of copying. Entries that no retained build uses are
removed when a build is published (:func:`prune`).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import paths
from .atomic import write_atomic
from .catalogue import Record
from .corrections import Correction

PACKAGE = Path(__file__).resolve().parent
RESULT = "result.json"
PART_SUFFIX = ".part"      # an agreement's part of a file derived from the whole graph (Derived)
LIBRARIES = ("vemgorvad", "pyoxigraph", "rdflib")


def _digest_tree(digest: Any, root: Path, skip: Iterable[Path] = ()) -> None:
    skip = [p.resolve() for p in skip]
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if (not path.is_file() or "__pycache__" in rel.parts or any(p.startswith(".") for p in rel.parts)
                or path.suffix in (".pyc", ".md") or any(path.resolve().is_relative_to(s) for s in skip)):
            continue
        digest.update(rel.as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@cache
def _dependencies(roots: tuple[tuple[str, Path], ...], skip: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for name, root in roots:
        digest.update(f"\n[{name}]\n".encode())
        _digest_tree(digest, root, skip)
    versions = {}
    for library in LIBRARIES:
        try:
            versions[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            versions[library] = ""
    versions["python"] = sys.version.split()[0]
    digest.update(json.dumps(versions, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def dependencies() -> str:
    """The digest of the code and data every agreement's pipeline result depends on (read once per
    process and data location; a build process is short-lived)."""
    roots = (("package", PACKAGE), ("data", Path(paths.DATA)), ("ontology", Path(paths.ONTOLOGY)),
             ("shapes", Path(paths.SHAPES)), ("queries", Path(paths.QUERIES)))
    return _dependencies(roots, (Path(paths.AGREEMENTS), Path(paths.CORRECTIONS)))


def agreement_digest(record: Record, data: bytes, corrections: list[Correction], deps: str) -> str:
    """The cache key of one agreement: its bytes, record and corrections, and `deps`."""
    digest = hashlib.sha256(deps.encode("ascii"))
    digest.update(json.dumps(record.as_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(json.dumps(corrections, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def root(var: Path) -> Path:
    return Path(var) / "cache" / "agreements"


def entry(var: Path, digest: str) -> Path:
    return root(var) / digest


def load(var: Path, digest: str) -> dict[str, Any] | None:
    """The result.json of an entry, or None when there is none (or it cannot be read)."""
    try:
        found = json.loads((entry(var, digest) / RESULT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def store(var: Path, digest: str, files: Mapping[str, bytes], result: dict[str, Any]) -> Path:
    """Write an entry: every file, fsynced, in a temporary folder renamed into place."""
    final = entry(var, digest)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
    try:
        for name, content in {**files, RESULT: json.dumps(result, ensure_ascii=False).encode("utf-8")}.items():
            with open(tmp / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        try:
            os.rename(tmp, final)
        except OSError:      # the same entry written meanwhile (another build): it is the same
            if not (final / RESULT).exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def add_file(var: Path, digest: str, name: str, content: bytes) -> None:
    """One more file into an existing entry (a derived file's part that the build that made the entry
    did not make): written whole to a temporary file and renamed, so a reader sees all of it or none."""
    write_atomic(entry(var, digest) / name, content)


#: An agreement's part of a derived file: its key, its graph's quads and the vocabulary graph's → bytes.
PartMaker = Callable[[str, Sequence[Any], Sequence[Any]], bytes]
#: The derived file from the parts: the new build's folder (dataset.nq written), var/, the dump's
#: SHA-256, its number of quads and every agreement's part file in the catalogue's order; True when it
#: made the file, False when it took the current build's.
Merge = Callable[[Path, Path, str, int, list[Path]], bool]


@dataclass(frozen=True)
class Derived:
    """A file made beside a new build's graph from a part per agreement. The part is made with the
    agreement's pipeline result (in the worker that runs it) and cached with it under `part_file`, so
    `vemgorvad add` makes only the new agreement's part and merges: the ask index (serve/ask/saved.py)."""
    part_file: str
    part: PartMaker
    merge: Merge


def link_into(var: Path, digest: str, folder: Path) -> None:
    """The entry's stage files into a build's agreement folder, as hard links (copies where the
    file system has none); not its result, nor the parts of derived files (PART_SUFFIX)."""
    folder.mkdir(parents=True)
    for path in entry(var, digest).iterdir():
        if path.name == RESULT or path.name.endswith(PART_SUFFIX) or path.name.startswith("."):
            continue
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)


def prune(var: Path, keep: set[str]) -> None:
    """Remove entries not in `keep` (the digests the retained builds use) and stale temporaries."""
    folder = root(var)
    if not folder.exists():
        return
    for path in folder.iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
