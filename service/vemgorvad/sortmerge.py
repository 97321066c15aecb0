"""Sorted line files merged into one, each line once, by the system's `sort -m -u` (GNU coreutils),
with the SHA-256 and the number of lines of the result.

`vemgorvad build` writes dataset.nq as the merge of the agreements' sorted graph.nq files. Merged
line by line in Python (heapq.merge) that was ~4 of the 15 CPU-s of `vemgorvad add` at N = 300
(1.8 M lines, one Python step each); `sort -m` merges the same files in C. With the C locale it
orders lines by their bytes, as Python orders bytes: a line is never a prefix of another (an
N-Quads line ends in " ."), so comparing lines with or without their newline gives the same order.
"""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

CHUNK = 1 << 20     # bytes read from sort, written and hashed at once
RESERVED_FILES = 32  # file descriptors left to the process besides sort's inputs


class MergeError(RuntimeError):
    """The merge could not be made (no `sort` on the system, or sort failed); one line."""


def _batch(inputs: int) -> int:
    """How many files sort merges at once: all of them, within the open-file limit (sort merges more
    in rounds through temporary files)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = soft - RESERVED_FILES if soft != resource.RLIM_INFINITY and soft > RESERVED_FILES + 2 else 1024
    return max(2, min(inputs, limit))


def merge_sorted(out: Path, inputs: Sequence[Path], scratch: Path) -> tuple[int, str]:
    """Merge the sorted line files `inputs` into `out` (each distinct line once, in byte order),
    using `scratch` for sort's temporary files; the number of lines written and their SHA-256."""
    program = shutil.which("sort")
    if program is None:
        raise MergeError("the program 'sort' (GNU coreutils) is not installed: it merges the graph files")
    env = {**os.environ, "LC_ALL": "C"}
    command = [program, "-m", "-u", f"--batch-size={_batch(len(inputs))}", "-T", str(scratch), "--",
               *map(str, inputs)]
    digest = hashlib.sha256()
    lines = 0
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc, \
            open(out, "wb") as handle:
        assert proc.stdout is not None and proc.stderr is not None
        while chunk := proc.stdout.read(CHUNK):
            handle.write(chunk)
            digest.update(chunk)
            lines += chunk.count(b"\n")
        error = proc.stderr.read().decode("utf-8", "replace").strip()
        if proc.wait() != 0:
            raise MergeError(f"sort -m failed ({proc.returncode}): {error.splitlines()[-1] if error else ''}")
    return lines, digest.hexdigest()
