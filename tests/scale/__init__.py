"""`make scale`: synthetic national corpora (generate.py) and the measurements on them (run.py)."""
