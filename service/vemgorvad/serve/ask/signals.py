"""What the question itself tells about whether the agreements can answer it, before any provision is
scored: the calibration's inputs that are no feature of a provision (model.CALIBRATION_INPUTS).

unknown_share — the share of the question's information carried by words no agreement uses (its content
words outside the agreements' vocabulary, each weighted by how rare it is in Swedish, features.unknown_weight;
the others by their idf in the agreements). A pre-retrieval predictor of query performance in the sense of
He & Ounis (2004): what a question asks about in words the collection never uses, no provision can carry —
"bostadstillägg", "parkeringstillstånd", "hyresskuld" —, while the coverage features (cover_own, cover_context)
only say that the best provision does not carry it, which a better provision elsewhere might."""
from __future__ import annotations

from .features import information
from .index import Index
from .understanding import Interpretation

SIGNALS = ("unknown_share",)


def unknown_share(index: Index, interp: Interpretation) -> float:
    """The share of the question's information (features.information) in words no agreement uses; 0 for a
    question with no content word."""
    known, unknown = information(index, interp)
    return unknown / (known + unknown) if known + unknown else 0.0


def of(index: Index, interp: Interpretation) -> dict[str, float]:
    """Every signal of SIGNALS for the question, by name."""
    return {"unknown_share": unknown_share(index, interp)}


__all__ = ["SIGNALS", "of", "unknown_share"]
