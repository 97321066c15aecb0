"""A killed `vemgorvad add` or `build` never blocks the next (issue 10, item 5): `kill -9` of the
command alone — not of its process group, as an operator's `kill -9 PID` or the OOM killer does —
while its worker processes are busy. The workers die with it (parent-death signal), the update
lock goes with the process that held it, and the next `add`, `build` and `serve` all succeed."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from project_copy import EXTRA, Server, command, env_for, run_cli, source_text

pytestmark = pytest.mark.slow
NEXT_WITHIN = 240     # seconds for each following command; a blocked lock would wait forever


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def kill_while_workers_run(home: Path, *args: str) -> set[int]:
    """Start the command with a pool of two workers, kill -9 it once its workers are up, and
    return the workers' pids."""
    process = subprocess.Popen(command(*args, "--quiet", "--workers", "2"), env=env_for(home), cwd=home,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2:
        assert process.poll() is None, f"finished before its workers started: {process.stderr.read()!r}"
        assert time.monotonic() < deadline, "no worker processes appeared"
        workers = children(process.pid)
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    return workers


def assert_workers_gone(workers: set[int]) -> None:
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers outlived the killed command: {sorted(workers)}"
        time.sleep(0.05)


def next_commands_succeed(home: Path, upload: Path) -> None:
    done = run_cli(home, "add", str(upload), "--key", "uppsala", "--quiet", "--workers", "2", timeout=NEXT_WITHIN)
    assert done.returncode == 0, done.stderr
    done = run_cli(home, "build", "--quiet", "--workers", "2", timeout=NEXT_WITHIN)
    assert done.returncode == 0, done.stderr
    with Server(home) as server:
        status, body = server.get("/health", timeout=30)
        assert status == 200 and body["agreements"] == 3


@pytest.mark.parametrize("which", ["add", "build"])
def test_a_killed_command_never_blocks_the_next(home, tmp_path, which):
    upload = tmp_path / "uppsala.txt"
    upload.write_text(source_text(EXTRA)[:20000], encoding="utf-8")
    args = ("add", str(upload), "--key", "uppsala") if which == "add" else ("build",)
    # without its cache the command runs the pipeline for every agreement, in two workers (with it,
    # a build of unchanged data and an add of one agreement start no pool at all)
    shutil.rmtree(home / "var" / "cache")
    workers = kill_while_workers_run(home, *args)
    assert_workers_gone(workers)
    next_commands_succeed(home, upload)
