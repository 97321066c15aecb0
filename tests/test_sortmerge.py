"""sortmerge.merge_sorted, which writes dataset.nq: the lines of sorted files in Python's byte
order, each once (as heapq.merge with equal neighbours dropped gave), with their SHA-256 and number."""
from __future__ import annotations

import hashlib
import heapq
import random

import pytest

from vemgorvad.sortmerge import _batch, merge_sorted


def _python_merge(files: list[list[bytes]]) -> bytes:
    out, previous = [], None
    for line in heapq.merge(*files):
        if line != previous:
            out.append(line)
        previous = line
    return b"".join(out)


@pytest.mark.parametrize("count", [1, 3, 40])
def test_the_merge_is_pythons_byte_order_each_line_once(tmp_path, count):
    rng = random.Random(count)
    alphabet = ["<a>", "<a/b>", "<a#c>", "<å>", "<ä>", "\"x y\"", "\"x\ty\"", "<Z>", "<z>", "_:b1", "."]
    files = []
    for n in range(count):
        lines = {(" ".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) + " .\n").encode("utf-8")
                 for _ in range(rng.randint(0, 300))}
        lines.add(b"<shared> <p> <o> .\n")              # the same line in every file: written once
        files.append(sorted(lines))
        (tmp_path / f"{n}.nq").write_bytes(b"".join(files[-1]))
    expected = _python_merge(files)
    lines, digest = merge_sorted(tmp_path / "out.nq", [tmp_path / f"{n}.nq" for n in range(count)], tmp_path)
    assert (tmp_path / "out.nq").read_bytes() == expected
    assert lines == expected.count(b"\n") and digest == hashlib.sha256(expected).hexdigest()


def test_more_files_than_one_batch_are_merged_in_rounds(tmp_path, monkeypatch):
    monkeypatch.setattr("vemgorvad.sortmerge._batch", lambda inputs: 2)
    files = [sorted({f"<{n}> <p> \"{i}\" .\n".encode() for i in range(n, 50, 3)}) for n in range(7)]
    for n, lines in enumerate(files):
        (tmp_path / f"{n}.nq").write_bytes(b"".join(lines))
    merge_sorted(tmp_path / "out.nq", [tmp_path / f"{n}.nq" for n in range(7)], tmp_path)
    assert (tmp_path / "out.nq").read_bytes() == _python_merge(files)


def test_the_batch_stays_within_the_open_file_limit():
    assert 2 <= _batch(10**6) < 10**6 and _batch(3) == 3
