"""Ask: Swedish questions → who is responsible, with conditions and the agreement's own words.

The engine is `engine.AskEngine`; this package imports nothing, so the build, which needs only the
ask index's parts (saved.py, index.py), does not load the question model."""
