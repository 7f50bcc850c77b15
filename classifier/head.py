"""The relevance head: logistic regression on embeddings, with a calibration of its scores.

A :class:`Head` is a few hundred numbers saved as JSON (never pickle): the weights, the
calibration (Platt's sigmoid or an isotonic step function), the model it was trained for and
a hash of its training data. Training is seeded and deterministic: the same examples give
the same file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "scamwatch-head/1"


class HeadError(ValueError):
    """A head file is missing, unreadable or does not fit the configured model."""


@dataclass(frozen=True)
class Calibration:
    """Maps a raw decision value to a probability: ``sigmoid`` (a, b) or ``isotonic`` (x, y)."""

    method: str
    a: float = 0.0
    b: float = 0.0
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()

    def __call__(self, values: np.ndarray) -> np.ndarray:
        if self.method == "isotonic":
            return np.interp(values, np.asarray(self.x), np.asarray(self.y))
        return 1.0 / (1.0 + np.exp(self.a * values + self.b))

    def to_json(self) -> dict[str, Any]:
        if self.method == "isotonic":
            return {"method": "isotonic", "x": list(self.x), "y": list(self.y)}
        return {"method": "sigmoid", "a": self.a, "b": self.b}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        if data.get("method") == "isotonic":
            return cls("isotonic", x=tuple(map(float, data["x"])), y=tuple(map(float, data["y"])))
        if data.get("method") == "sigmoid":
            return cls("sigmoid", a=float(data["a"]), b=float(data["b"]))
        raise HeadError(f"unknown calibration method {data.get('method')!r}")


@dataclass(frozen=True)
class Head:
    """A trained head: ``decision = X·coef + F·feature_coef + intercept``, then calibrated.

    ``X`` are embeddings; ``F`` optional named text features (the keyword prior, see
    :mod:`classifier.keywords`) whose names the head records.
    """

    model: str
    coef: np.ndarray
    intercept: float
    calibration: Calibration
    training: dict[str, Any] = field(default_factory=dict)
    features: tuple[str, ...] = ()
    feature_coef: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def dim(self) -> int:
        return int(self.coef.shape[0])

    @property
    def id(self) -> str:
        """Names the model and this head's weights: stored with each classified item."""
        weights = np.concatenate([self.coef, self.feature_coef]).astype("<f8").tobytes()
        digest = hashlib.sha256(weights + repr(self.intercept).encode()).hexdigest()
        return f"{self.model}+head-{digest[:10]}"

    def decision(self, vectors: np.ndarray, features: np.ndarray | None = None) -> np.ndarray:
        """Raw (uncalibrated) scores of embedding rows (and their feature rows, if the head uses features)."""
        raw = np.asarray(vectors, dtype=np.float64) @ self.coef + self.intercept
        if self.features:
            if features is None:
                raise ValueError(f"this head needs the features {', '.join(self.features)}")
            raw = raw + np.asarray(features, dtype=np.float64) @ self.feature_coef
        return raw

    def probability(self, decisions: np.ndarray) -> np.ndarray:
        """Calibrated probabilities of raw scores."""
        return np.clip(self.calibration(np.asarray(decisions, dtype=np.float64)), 0.0, 1.0)

    def check_model(self, model: str, dim: int) -> None:
        """Raise :class:`HeadError` unless this head was trained on embeddings of ``model``."""
        if model != self.model or dim != self.dim:
            raise HeadError(
                f"the relevance head was trained for model {self.model!r} ({self.dim} dimensions), "
                f"but the encoder is {model!r} ({dim}); run 'scamwatch train' to train one for it"
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "model": self.model,
            "dim": self.dim,
            "intercept": float(self.intercept),
            "calibration": self.calibration.to_json(),
            "training": self.training,
            "features": {name: float(c) for name, c in zip(self.features, self.feature_coef, strict=True)},
            "coef": [float(c) for c in self.coef],
        }

    def save(self, path: Path) -> None:
        """Write the head as JSON (atomically: a crash never leaves half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1) + "\n", "utf-8")
        tmp.replace(path)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        if data.get("format") != FORMAT:
            raise HeadError(f"not a scamwatch head (format {data.get('format')!r}, expected {FORMAT!r})")
        try:
            coef = np.asarray(data["coef"], dtype=np.float64)
            if coef.ndim != 1 or coef.shape[0] != int(data["dim"]):
                raise HeadError("coef length does not match dim")
            features = dict(data.get("features") or {})
            return cls(str(data["model"]), coef, float(data["intercept"]),
                       Calibration.from_json(data["calibration"]), dict(data.get("training", {})),
                       tuple(features), np.asarray(list(features.values()), dtype=np.float64))
        except (KeyError, TypeError, ValueError) as exc:
            raise HeadError(f"broken head file: {exc}") from None

    @classmethod
    def load(cls, path: Path) -> Head:
        """Read a head file; :class:`HeadError` names the file if it is missing or broken."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except FileNotFoundError:
            raise HeadError(f"{path}: head file not found") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise HeadError(f"{path}: cannot read head file: {exc}") from None
        try:
            return cls.from_json(data)
        except HeadError as exc:
            raise HeadError(f"{path}: {exc}") from None
