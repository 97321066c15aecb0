"""`make bench`: the speed targets of the issues, measured side by side in one run on loopback.
Run as `python -m tests.bench` (build, ask, check, sparql) or one part, e.g. `python -m tests.bench ask`."""
