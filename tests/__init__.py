"""The project's tests, a regular package: `python -m tests.eval`, `tests.bench`, `tests.scale` and
`tests.load` run from the project root, and a regular package on the first sys.path entry (the
current directory) is found before any other distribution's top-level `tests` package — spylls
0.1.7's wheel installs one into site-packages. (A folder without __init__.py is only a namespace
portion, which any regular `tests` package later on sys.path would shadow.)"""
