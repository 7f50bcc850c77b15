"""Train the relevance head: from the shipped examples plus the users' labels, seeded.

``fit_head`` is pure (embeddings and labels in, :class:`~classifier.head.Head` out); the
examples are read from ``config/training/examples.jsonl`` (package ``scamwatch_config``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from classifier.encoder import Encoder
from classifier.head import Calibration, Head
from classifier.keywords import LEXICON_ID as KEYWORD_LEXICON
from classifier.keywords import NAMES as KEYWORD_NAMES
from classifier.keywords import keyword_features

log = logging.getLogger(__name__)

EXAMPLES = "training/examples.jsonl"
DEFAULT_C = 1.0
MULTILINGUAL_C = 0.5  # the multilingual head, 512 dimensions: a little more regularised (dev)
DEFAULT_SEED = 13
DEFAULT_KEYWORD_SCALE: float | None = 1.0
CV_FOLDS = 5


@dataclass(frozen=True)
class Example:
    """One labeled text for training: title, body (lead) and whether it is relevant."""

    title: str
    text: str
    relevant: bool
    origin: str = "shipped"


def read_examples(path: Path | None = None) -> list[Example]:
    """The labeled examples in JSON Lines at ``path`` (default: the shipped ones)."""
    if path is None:
        source = resources.files("scamwatch_config").joinpath(EXAMPLES)
        lines, name = source.read_text("utf-8").splitlines(), f"scamwatch_config/{EXAMPLES}"
    else:
        lines, name = Path(path).read_text("utf-8").splitlines(), str(path)
    examples = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            relevant = row["relevant"]
            if not isinstance(relevant, bool):
                raise ValueError("'relevant' must be true or false")
            examples.append(Example(str(row.get("title") or ""), str(row.get("text") or ""), relevant))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{name}:{number}: bad training example: {exc}") from None
    return examples


def data_hash(texts: Iterable[str], labels: Iterable[bool], model: str, seed: int, c: float, method: str) -> str:
    """SHA-256 of everything a head depends on: same hash, same head."""
    digest = hashlib.sha256(f"{model}\0{seed}\0{c!r}\0{method}\0".encode())
    for text, label in sorted(zip(texts, labels, strict=True)):
        digest.update(f"{int(label)}\t{text}\n".encode())
    return digest.hexdigest()


def fit_head(
    vectors: np.ndarray,
    labels: Sequence[bool],
    model: str,
    *,
    seed: int = DEFAULT_SEED,
    c: float = DEFAULT_C,
    method: str = "sigmoid",
    meta: dict[str, object] | None = None,
    features: np.ndarray | None = None,
    feature_names: Sequence[str] = (),
    feature_scale: float = 1.0,
) -> Head:
    """Fit logistic regression on ``vectors`` (plus named ``features``) and calibrate it out of fold.

    ``feature_scale`` multiplies the features before fitting, so it sets how cheaply the
    regularised model may lean on them; the stored weights are for the unscaled features.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=int)
    if len(set(y.tolist())) < 2:
        raise ValueError("training needs both relevant and irrelevant examples")
    folds = min(CV_FOLDS, int(np.bincount(y).min()))
    if folds < 2:
        raise ValueError("training needs at least two examples of each class")
    base = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, tol=1e-8, random_state=seed)
    calibrated = CalibratedClassifierCV(
        base, method=method, cv=StratifiedKFold(folds, shuffle=True, random_state=seed), ensemble=False
    )
    x = np.asarray(vectors, dtype=np.float64)
    if features is not None and len(feature_names):
        x = np.hstack([x, np.asarray(features, dtype=np.float64) * feature_scale])
    calibrated.fit(x, y)
    fitted = calibrated.calibrated_classifiers_[0]
    calibrator = fitted.calibrators[0]
    if method == "isotonic":
        calibration = Calibration(
            "isotonic", x=tuple(map(float, calibrator.X_thresholds_)), y=tuple(map(float, calibrator.y_thresholds_))
        )
    else:
        calibration = Calibration("sigmoid", a=float(calibrator.a_), b=float(calibrator.b_))
    training = {"examples": int(len(y)), "relevant": int(y.sum()), "seed": seed, "C": c, "calibration": method}
    training.update(meta or {})
    weights = fitted.estimator.coef_[0].astype(np.float64)
    dim = np.asarray(vectors).shape[1]
    if len(feature_names):
        training["feature_scale"] = feature_scale
    return Head(model, weights[:dim], float(fitted.estimator.intercept_[0]), calibration, training,
                tuple(feature_names), weights[dim:] * feature_scale)


def train(
    encoder: Encoder,
    examples: Sequence[Example],
    lead_words: int,
    labeled: Sequence[tuple[np.ndarray, bool, str]] = (),
    *,
    seed: int = DEFAULT_SEED,
    c: float = DEFAULT_C,
    method: str = "sigmoid",
    keyword_scale: float | None = DEFAULT_KEYWORD_SCALE,
) -> Head:
    """Embed the examples' title+lead (as the classifier does) and fit a head on them plus ``labeled``.

    ``labeled`` holds users' labels as (stored embedding, relevant, text) so labeled items are
    not embedded again; the text only enters the training-data hash.
    """
    from classifier.windows import lead_text

    texts = [lead_text(e.title, e.text, lead_words) for e in examples]
    vectors = encoder.encode(texts)
    labels = [e.relevant for e in examples]
    if labeled:
        vectors = np.vstack([vectors, np.stack([v for v, _, _ in labeled])])
        labels += [label for _, label, _ in labeled]
        texts += [text for _, _, text in labeled]
    order = sorted(range(len(texts)), key=lambda i: (texts[i], labels[i]))  # same data in any order, same head
    vectors, texts, labels = vectors[order], [texts[i] for i in order], [labels[i] for i in order]
    model = encoder.name
    meta = {"user_labels": len(labeled), "lead_words": lead_words,
            "sha256": data_hash(texts, labels, model, seed, c, f"{method}/{keyword_scale}")}
    log.info("training head on %d examples (%d user labels) for %s", len(labels), len(labeled), model)
    meta["keywords"] = KEYWORD_LEXICON
    if keyword_scale is None:
        return fit_head(vectors, labels, model, seed=seed, c=c, method=method, meta=meta)
    return fit_head(vectors, labels, model, seed=seed, c=c, method=method, meta=meta,
                    features=keyword_features(texts), feature_names=KEYWORD_NAMES, feature_scale=keyword_scale)


def train_shipped(out_dir: Path, model: str, multilingual: str, lead_words: int = 120) -> list[Path]:
    """Retrain the shipped heads from the shipped examples: the English model's, and (if
    ``multilingual``) the multilingual encoder's. Returns the files written."""
    from classifier.encoder import load_encoder
    from classifier.multilingual import load_multilingual
    from classifier.pipeline import shipped_head_name

    examples = read_examples()
    encoders: list[tuple[Encoder, float]] = [(load_encoder(model), DEFAULT_C)]
    if multilingual:
        encoders.append((load_multilingual(multilingual), MULTILINGUAL_C))
    written = []
    for encoder, c in encoders:
        head = train(encoder, examples, lead_words, c=c)
        path = out_dir / shipped_head_name(encoder.name)
        head.save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # python -m classifier.training: rewrite config/head/ after editing examples
    logging.basicConfig(level=logging.INFO)
    for written_path in train_shipped(Path(__file__).parents[1] / "config" / "head", "all-MiniLM-L6-v2",
                                      "use-multilingual-v3"):
        print(f"wrote {written_path}")
