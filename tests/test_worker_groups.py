"""A budgeted pool's worker (a whole agreement's gap check) leads a session of its own, so that with
Linux autogroup — the kernel shares the CPU between sessions first, and only inside a session by
nice — the budget's priority holds against the machine's other work, not only against the
server's own session (issue 14: beside two spinning processes in the server's session the check
got a third of that session's share). Its scheduling group follows the budget: the server's
group's nice while the budget holds, worker_nice below it once spent, and back after the check.
An unbudgeted pool's workers stay in the server's session, and a process that shares its session
never has that session's group changed (it would change the server's, or a shell's)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vemgorvad.serve.check.service import CheckService, peers_from
from vemgorvad.serve.procpool import Budget, ProcessPool, group_nice, set_group_nice

from poolutil import check_sampling

ROOT = Path(__file__).resolve().parents[1]


def _kernel_groups_sessions() -> bool:
    """Whether a process that leads a session of its own gets an autogroup. Not the same as
    this process having one: a process whose session was never set apart (a container's init's,
    a CI runner's) sits in the root group, whose /proc/PID/autogroup reads empty."""
    probe = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)
    try:
        return group_nice(probe.pid) is not None
    finally:
        probe.kill()
        probe.wait()


AUTOGROUP = _kernel_groups_sessions()


def test_a_budgeted_worker_leads_its_own_session_and_an_unbudgeted_one_shares_the_servers(embedded_store):
    peers = {"peers": peers_from(embedded_store)}
    budgeted = ProcessPool("check", peers, size=1, nice=7, budget=Budget(1000, 0)).start()
    plain = ProcessPool("check", peers, size=1, nice=7).start()
    try:
        pid = budgeted._idle[0].pid
        assert os.getsid(pid) == pid != os.getsid(0)
        assert os.getsid(plain._idle[0].pid) == os.getsid(0)
    finally:
        budgeted.close()
        plain.close()


def test_the_budgeted_workers_group_runs_at_the_servers_priority_then_below_it_then_back(embedded_store):
    """With autogroup the group follows the budget; without it (no /proc/PID/autogroup) there is no
    group to set, and the check still runs, its per-process nice lowered (test_worker_entries)."""
    server = group_nice(os.getpid())
    own = server or 0           # the root group weighs as nice 0
    text = (ROOT / "data" / "agreements" / "vastmanland.txt").read_bytes()
    pool = ProcessPool("check", {"peers": peers_from(embedded_store)}, size=1, nice=7, budget=Budget(0.05, 0)).start()
    if not AUTOGROUP:
        try:
            kind, seen = check_sampling(pool, text, group_nice)
            assert kind == "ok" and seen == {None}, seen
        finally:
            pool.close()
        return
    lowered = min(19, own + 7)
    try:
        assert group_nice(pool._idle[0].pid) == own                 # the budget holds: the server's group's nice
        kind, seen = check_sampling(pool, text, group_nice)
        assert kind == "ok" and {own, lowered} <= seen, seen        # lowered once the budget is spent
        assert pool.lowered_restored == 1 and group_nice(pool._idle[0].pid) == own     # and raised again
        pool.budget = Budget(1000, 0)
        kind, seen = check_sampling(pool, text, group_nice)
        assert kind == "ok" and seen == {own}, seen                 # within the budget: never lowered
    finally:
        pool.close()
    assert group_nice(os.getpid()) == server                        # the server's own group untouched


def test_a_process_sharing_its_session_never_has_the_sessions_group_changed():
    own = group_nice(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    alone = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)
    try:
        assert set_group_nice(child.pid, 12) is False and group_nice(child.pid) == own == group_nice(os.getpid())
        if not AUTOGROUP:       # nothing to set: refused, and nothing changed
            assert set_group_nice(alone.pid, 12) is False and group_nice(alone.pid) is None
            return
        assert set_group_nice(alone.pid, 12) is True and group_nice(alone.pid) == 12
        assert set_group_nice(alone.pid, 0) is True and group_nice(alone.pid) == 0     # raised again, unprivileged too
    finally:
        for process in (child, alone):
            process.kill()
            process.wait()


def test_the_default_budget_holds_whole_agreement_checks_in_a_row(embedded_store):
    """Four checks of the largest agreement one after the other (a user correcting a draft and
    checking again, the benchmark's repeats) all run at the server's priority: with the former
    1.5 CPU-s the second found the bucket spent and ran at worker_nice in a group of its own, which
    beside two spinners at load 15 took 37 s instead of 4; with 3 CPU-s refilled at the former
    0.05 per second, the benchmark's quiet checks spent it before its busy ones (p50 4-5.6 s, max
    14 s beside two spinners, against 1.6 s and 1.8 s refilled at 0.5). A check uses at most one
    core, so at 0.5 per second four in a row stay within the bucket unless they cost more than it plus
    half their wall time: at 1.6-2.5 CPU-s a check (2026-12-05), 3.7 CPU-s of the default 5."""
    text = (ROOT / "data" / "agreements" / "vastmanland.txt").read_bytes()
    service = CheckService(embedded_store).start(wait=True)
    try:
        for round_ in range(4):
            report = service.run(text + b" " * round_, "vastmanland.txt")
            assert report["topics"]
        large = service.pool("large")
        assert large.lowered_restored == large.lowered_replaced == 0
    finally:
        service.close()
