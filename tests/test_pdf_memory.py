"""A PDF is read one page at a time in memory (issue 10, memory under 1.5 GB): each page's parsed
characters and layout are released once its lines are read, before the next page is parsed.
pdfplumber keeps every page's objects until the document closes, and a check worker held the whole
document's: 330 MB for the 75 KB agreement as a PDF, 666 MB for a 212,000-character one, and one
of 297,000 characters (under the 300,000-character limit) failed the 768 MB ceiling; page by page
187, 264 and 312 MB, so the check worker's ceiling is 512 MB. Once a job is answered, a worker
that grew hands the heap Python freed back to the system (malloc_trim): after those three, the
worker's RSS was 156, 161 and 165 MB instead of 185, 251 and 292 (110 MB when ready)."""
from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest

from checkutil import seed_text, to_pdf
from vemgorvad.ingest import readers
from vemgorvad.serve.check.service import peers_from
from vemgorvad.serve.procpool import ProcessPool
from vemgorvad.settings import Settings

SEEDS = ("vastmanland", "uppsala", "sormland", "vastra-gotaland", "stockholm-vasterort")


def test_each_pages_objects_are_released_before_the_next_page_is_parsed(monkeypatch, font):
    data = to_pdf(seed_text("sormland"), font)
    held: list[int] = []
    real = readers._pdf_page_lines

    def spy(page: Any, **options: Any) -> list[tuple[str, str | None]]:
        others = [p for p in page.pdf.pages if p is not page]
        held.append(sum(hasattr(p, "_layout") or hasattr(p, "_objects") for p in others))
        return real(page, **options)
    monkeypatch.setattr(readers, "_pdf_page_lines", spy)
    text = readers.read_pdf(data)
    assert len(held) > 5 and held == [0] * len(held), held
    assert "Region Sörmland" in text or "Sörmland" in text


@pytest.mark.slow
def test_the_largest_honest_pdf_is_checked_under_the_check_workers_default_ceiling(embedded_store, font):
    """All five agreements as one PDF, twice over, cut under the 300,000-character limit: a check
    worker with the default address-space ceiling reads and checks it (it failed at 768 MB)."""
    text = "\n\n".join(seed_text(key) for key in SEEDS)
    data = to_pdf((text + "\n\n" + text)[:295_000], font)
    pool = ProcessPool("check", {"peers": peers_from(embedded_store)}, size=1,
                       memory_mb=Settings().check_memory_mb).start()
    try:
        pid = pool._idle[0].pid
        kind, report = pool.run_blocking(("check", data, "stor.pdf", None), time.monotonic() + 600)
        assert kind == "ok", report
        assert report["topics"]
        # and once answered, the worker hands the memory the job freed back (worker.py, heap.trim)
        peak = _status_kb(pid, "VmHWM")
        deadline = time.monotonic() + 30
        while _status_kb(pid, "VmRSS") > peak - 64 * 1024 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _status_kb(pid, "VmRSS") <= peak - 64 * 1024, (peak, _status_kb(pid, "VmRSS"))
    finally:
        pool.close()


def _status_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def test_trim_hands_the_heap_freed_by_python_back_to_the_system():
    """Freed but fragmented heap stays in a process's RSS until malloc_trim (in a child process, so
    the figure is its own)."""
    code = ("from vemgorvad.serve import heap\n"
            "blocks = [bytes(2000) + bytes([i % 256]) for i in range(100_000)]\n"
            "kept = blocks[::64]\n"
            "del blocks\n"
            "held = heap.rss_mb()\n"
            "assert heap.trim()\n"
            "print(held, heap.rss_mb())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    held, after = map(float, out.stdout.split())
    assert held - after > 100, (held, after)
