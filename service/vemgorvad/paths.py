"""Where the project's data lives. One place, so every stage agrees.

The project root is the checkout (editable install); ``VEMGORVAD_HOME`` overrides it and
``VEMGORVAD_VAR`` moves the build output (tests use both to work on copies; see settings.py).
"""
from __future__ import annotations

from pathlib import Path

from .settings import Locations

_where = Locations()
ROOT = Path(_where.home or Path(__file__).resolve().parents[2])
DATA = ROOT / "data"
AGREEMENTS = DATA / "agreements"
CATALOGUE = AGREEMENTS / "agreements.json"
LEXICON = DATA / "lexicon"
LAWS = DATA / "laws.json"
CORRECTIONS = DATA / "corrections.json"
GAZETTEER = DATA / "gazetteer.json"
ONTOLOGY = ROOT / "ontology"
SHAPES = ROOT / "shapes"
QUERIES = ROOT / "queries"
VAR = Path(_where.var or ROOT / "var")
CURRENT = VAR / "current"
