"""The ranking model and its calibrated abstention, read from data/ask/model.json.

Ranking is a logistic regression over the features of features.py (a linear score, σ of it the
probability that a provision is the passage that answers the question), fitted on the development
part of the question bank by `python -m tests.eval.fit` — weights for the features, never for a
question. Abstention is Platt scaling of the best answer's score into the probability that the
answer is right, with the threshold that the same fit chose on the development questions; the
held-out questions check it once. The file records what it was fitted on."""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ... import paths
from .features import NAMES

MODEL_ENV = "VEMGORVAD_ASK_MODEL"


# The best answer's confidence is a logistic calibration (Platt scaling) of its score, of four of the
# ranking's own features — how much of the question its words and its context cover, whether its
# agreement regulates what the question is about, whether it carries the question's most informative
# word — and of signals of the question (signals.SIGNALS): how much of it is in words no agreement
# uses, and whether the answer carries the question's focus (its rarest word in Swedish). Each input
# after the score is a feature (features.NAMES) or a signal.
CALIBRATION_INPUTS = ("score", "cover_own", "cover_context", "unregulated", "key_missing", "unknown_share",
                      "focus_missing")
# where each input after the score is read: a feature by its index in NAMES, a signal by its name
_CALIBRATION_AT: tuple[int | str, ...] = tuple(NAMES.index(n) if n in NAMES else n for n in CALIBRATION_INPUTS[1:])


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    calibration: tuple[float, ...]   # one weight per CALIBRATION_INPUTS
    calibration_bias: float
    threshold: float                 # answer when the confidence ≥ threshold, else "närmaste stycken"
    fitted: dict[str, Any]           # what it was fitted on (model.json's "fitted")

    def score(self, features: np.ndarray) -> float:
        return float(np.dot(self.weights, features) + self.bias)

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """The score of every row (one candidate's features each)."""
        return np.asarray(matrix @ np.asarray(self.weights) + self.bias)

    def inputs(self, score: float, features: np.ndarray, signals: Mapping[str, float]) -> tuple[float, ...]:
        """The calibration's inputs, in CALIBRATION_INPUTS' order: the score, then each from the candidate's
        features or the question's signals beside it (signals.Question.of)."""
        return (score, *(float(features[at]) if isinstance(at, int) else float(signals[at]) for at in _CALIBRATION_AT))

    def confidence(self, score: float, features: np.ndarray, signals: Mapping[str, float]) -> float:
        x = self.inputs(score, features, signals)
        return _sigmoid(sum(w * v for w, v in zip(self.calibration, x, strict=True)) + self.calibration_bias)


def _sigmoid(x: float) -> float:
    if x < -60:
        return 0.0
    if x > 60:
        return 1.0
    return 1.0 / (1.0 + math.exp(-x))


def sigmoid(x: float) -> float:
    return _sigmoid(x)


def model_path() -> Path:
    return Path(os.environ.get(MODEL_ENV) or paths.DATA / "ask" / "model.json")


@cache
def _load(path: str) -> Model:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    names = tuple(data["features"])
    if names != NAMES:
        missing = sorted(set(NAMES) - set(names))
        extra = sorted(set(names) - set(NAMES))
        raise ValueError(f"{path}: the model's features differ from the engine's (missing {missing}, unknown {extra}); "
                         "refit with python -m tests.eval.fit")
    weights = tuple(float(data["weights"][n]) for n in names)
    calibration = data["calibration"]
    if tuple(calibration["inputs"]) != CALIBRATION_INPUTS:
        raise ValueError(f"{path}: calibration inputs {calibration['inputs']} ≠ {list(CALIBRATION_INPUTS)}; refit")
    return Model(weights, float(data["bias"]), tuple(float(v) for v in calibration["weights"]),
                 float(calibration["bias"]), float(calibration["threshold"]), data.get("fitted", {}))


def load() -> Model:
    return _load(str(model_path()))


def write(path: Path, weights: dict[str, float], bias: float, calibration: list[float], calibration_bias: float,
          threshold: float, fitted: dict[str, Any]) -> None:
    body = {
        "_comment": "Fitted by `python -m tests.eval.fit` on the development part of tests/data/questions/bank.jsonl; "
                    "do not edit by hand. Ranking: logistic regression over service/vemgorvad/serve/ask/features.py; "
                    "abstention: logistic calibration of the best answer's score and coverage, threshold chosen on the same development questions.",
        "features": list(NAMES),
        "weights": {n: round(weights[n], 6) for n in NAMES},
        "bias": round(bias, 6),
        "calibration": {"inputs": list(CALIBRATION_INPUTS), "weights": [round(v, 6) for v in calibration],
                        "bias": round(calibration_bias, 6), "threshold": round(threshold, 4)},
        "fitted": fitted,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


__all__ = ["CALIBRATION_INPUTS", "MODEL_ENV", "Model", "load", "model_path", "sigmoid", "write"]
