"""Ending the processes tests and harnesses start (servers, browsers): one way, everywhere."""
from __future__ import annotations

import subprocess


def terminate(process: subprocess.Popen | None, grace_s: float) -> None:
    """End a server process of the tests: SIGTERM, SIGKILL if it is not gone after `grace_s`."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
