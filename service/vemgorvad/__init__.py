"""vemgörvad — who does what in Swedish collaboration agreements.

The pipeline shows in the sub-packages: ingest → extract → graph → validate → serve.
"""

__version__ = "0.1.0"
