"""The Swedish Hunspell dictionary held compact for the spelling of questions (compact.py), read by a
child process (child.py)."""
