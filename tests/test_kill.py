"""kill -9 of `vemgorvad add` and `vemgorvad build` at random moments over their whole run, again and
again on one copy of the project: after every kill var/current is a complete build that opens, data/
is exactly the state before the command or the state after it (never a mix, never a temporary file
that reads as an agreement), and once the next command has recovered, the graph served is the graph
of data/. A final add and build must still work."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from project_copy import EXTRA, built_template, clone, command, env_for, run_cli, source_text, use_home

BASE = "stockholm-vasterort"   # one agreement in the copy, a second one added: quick builds

TRIALS = 22          # kills in all (the issue asks for at least 20)
BUDGET = 85.0        # seconds for the kill loop on a loaded two-core machine


def data_state(home: Path) -> dict:
    """What a reader of data/agreements sees: the catalogue's records with their files' bytes."""
    from vemgorvad.catalogue import load_catalogue
    with use_home(home):
        records = load_catalogue()
    return {r.key: (json.dumps(r.as_dict(), sort_keys=True), r.path.read_bytes() if r.path.exists() else None)
            for r in records}


def check_after_kill(home: Path, before: dict, after_options: list[dict]) -> str:
    """The invariants right after a kill (before any recovery), then after recovery. Returns which
    state data/ ended in: "old" or "new"."""
    from vemgorvad.datastore import consistency_problems, current_manifest, data_fingerprint, recover
    from vemgorvad.store import EmbeddedStore
    current = home / "var" / "current"
    assert current.is_symlink() and current.resolve().parent == (home / "var" / "builds").resolve()
    store = EmbeddedStore.from_build(current)                 # complete: every quad, a readable manifest
    assert store.stats()["agreements"] >= 2
    seen = data_state(home)
    pending = (home / "data" / "agreements" / ".pending").exists()
    assert seen == before or seen in after_options or pending, "data/ half-written without a journal"
    for name in os.listdir(home / "data" / "agreements"):
        assert not (name.startswith(".") and Path(name).suffix in (".txt", ".pdf", ".docx")), name
    with use_home(home):
        from vemgorvad.datastore import update_lock
        with update_lock(home / "var"):
            recover(home / "var")                               # what the next add or build does first
        assert consistency_problems() == []
        seen = data_state(home)
        assert seen == before or seen in after_options
        from vemgorvad.catalogue import load_catalogue
        fingerprint = data_fingerprint(load_catalogue())
    built = current_manifest(home / "var").get("data_fingerprint")
    return ("old" if seen == before else "new"), built == fingerprint


@pytest.fixture
def home(tmp_path_factory, tmp_path):
    return clone(built_template(tmp_path_factory, keys=(BASE,)), tmp_path / "project")


def test_kill_add_and_build_at_random_moments(home, tmp_path):
    rng = random.Random(int(os.environ.get("VEMGORVAD_KILL_SEED", "0")) or None)
    revisions = []
    for n, text in enumerate([source_text(EXTRA)[:15000], source_text(EXTRA)[:15000].replace("Landstinget", "Regionen"),
                              source_text(BASE).replace("stadsdelsförvaltningen", "stadsdelsnämnden")]):
        path = tmp_path / f"rev{n}.txt"
        path.write_text(text, encoding="utf-8")
        revisions.append(path)
    jobs = [("add", str(revisions[0]), "--key", "uppsala", "--title", "Uppsala A"),
            ("add", str(revisions[1]), "--key", "uppsala", "--title", "Uppsala B"),
            ("add", str(revisions[2]), "--key", BASE),
            ("build",)]
    # one uninterrupted run of each gives the length of the run to spread the kills over
    durations = {}
    for job in (jobs[0], jobs[3]):
        started = time.monotonic()
        done = run_cli(home, *job, "--quiet", "--workers", "1")
        assert done.returncode == 0, done.stderr
        durations[job[0]] = max(durations.get(job[0], 0), time.monotonic() - started)

    outcomes = {"old": 0, "new": 0}
    kills = published = 0
    budget = max(BUDGET, 1.5 * TRIALS * sum(durations.values()) / len(durations))   # a slower machine
    deadline = time.monotonic() + budget
    strata = -(-TRIALS // len(jobs))
    runs = 0
    while kills < TRIALS:
        assert time.monotonic() < deadline, f"only {kills} kills within {budget:.0f} s"
        job = jobs[runs % len(jobs)]
        stratum = (runs // len(jobs)) % strata       # each job killed early, midway, late, at the very end
        runs += 1
        before = data_state(home)
        built_before = os.readlink(home / "var" / "current")
        # the states a finished add would leave (any of the revisions, as whatever key it targets)
        after_options = []
        if job[0] == "add":
            expected = _expected_after(home, job, before)
            after_options.append(expected)
        moment = durations[job[0]] * (stratum + rng.random()) / strata
        process = subprocess.Popen(command(*job, "--quiet", "--workers", "1"), env=env_for(home), cwd=home,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(moment)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        try:
            os.killpg(process.pid, signal.SIGKILL)              # anything it started (a reasoner, a pool)
        except ProcessLookupError:
            pass
        if process.returncode not in (0, -signal.SIGKILL):
            raise AssertionError(process.stderr.read().decode())
        process.stderr.close()
        state, matches = check_after_kill(home, before, after_options)
        assert matches, f"after recovery the graph is not the graph of data/ (kill at {moment:.2f} s of {job})"
        outcomes[state] += 1
        published += os.readlink(home / "var" / "current") != built_before
    # a later add and build still work, and leave the graph of data/
    done = run_cli(home, *jobs[0], "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr
    done = run_cli(home, "build", "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr
    _, matches = check_after_kill(home, data_state(home), [])
    assert matches
    print(f"\nkill trials: {runs} runs, {kills} killed, all survived; data/ left as before {outcomes['old']}, "
          f"as after {outcomes['new']}; a new build published {published}")


def _expected_after(home: Path, job: tuple, before: dict) -> dict:
    """data_state after the add `job` completes, computed without running it."""
    from vemgorvad.catalogue import Record
    file = Path(job[1])
    key = job[job.index("--key") + 1]
    state = dict(before)
    old_json, _ = before[key]
    record = json.loads(old_json)
    if "--title" in job:
        record["title"] = job[job.index("--title") + 1]
    state[key] = (json.dumps(Record(**record).as_dict(), sort_keys=True), file.read_bytes())
    return state
