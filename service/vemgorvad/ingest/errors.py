"""The one error ingest raises: a reason a reader can act on, in Swedish and English."""
from __future__ import annotations


class IngestError(ValueError):
    """An input that cannot become an agreement text. ``status`` is the HTTP code to answer with."""

    def __init__(self, sv: str, en: str, status: int = 422) -> None:
        super().__init__(en)
        self.sv = sv
        self.en = en
        self.status = status

    def __reduce__(self) -> tuple[type[IngestError], tuple[str, str, int]]:  # survives a trip between processes
        return (IngestError, (self.sv, self.en, self.status))
