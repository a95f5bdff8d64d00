"""How fast the sentence model embeds, under the onnxruntime settings one could change.

Embeds the same few hundred news-like sentences (``corpus_generator``) with
the encoder as shipped (``reader.core.embedding``) and with one setting
changed at a time: intra-op threads, batch size, graph optimisation level,
spinning threads. Prints sentences per second of wall time and of CPU time,
and the largest cosine distance of any vector from the shipped encoder's
(a setting that changes vectors by more than ~1e-3 changes results).

The CPU column is the one to trust on a shared machine: wall time there
says more about the neighbours than about the model.

Run: ``.venv/bin/python benchmarks/embedding_bench.py [--sentences 600]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np


def sentences(count: int) -> list[str]:
    from reader.core.articles import article_from_text
    from reader.core.corpus_generator import generate_articles

    found: list[str] = []
    for made in generate_articles(400, seed=4):
        article = article_from_text(made.text, made.name)
        found += [s.text for s in article.sentences if len(s.text.split()) >= 5]
        if len(found) >= count:
            break
    return list(dict.fromkeys(found))[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=600)
    args = parser.parse_args()
    import onnxruntime as ort

    from reader.core import embedding

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    start = time.perf_counter()
    encoder = embedding.SentenceEncoder(embedding.default_files())
    print(f"model load + probe: {time.perf_counter() - start:.2f} s")
    texts = sentences(args.sentences)
    tokens = [len(e.ids) for e in encoder._tokenizer.encode_batch(texts)]
    print(f"{len(texts)} sentences, {np.mean(tokens):.1f} tokens on average\n")
    reference = encoder.encode(texts)
    shipped_session, shipped_batch = encoder._session, embedding._BATCH
    files = embedding.default_files()
    level = ort.GraphOptimizationLevel

    def session(threads: int, optimisation, spinning: str):
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = optimisation
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", spinning)
        return ort.InferenceSession(str(files.model), options, providers=["CPUExecutionProvider"])

    threads = max(1, min(os.cpu_count() or 1, 4))
    variants = [
        ("as shipped", None, shipped_batch),
        ("1 intra-op thread", session(1, level.ORT_ENABLE_ALL, "0"), shipped_batch),
        ("batch 4", None, 4),
        ("batch 64", None, 64),
        ("graph optimisation basic", session(threads, level.ORT_ENABLE_BASIC, "0"), shipped_batch),
        ("spinning threads", session(threads, level.ORT_ENABLE_ALL, "1"), shipped_batch),
    ]
    print(f"{'setting':<28}{'wall /s':>10}{'CPU /s':>10}{'max cosine distance':>22}")
    for name, variant, batch in variants:
        encoder._session = variant or shipped_session
        embedding._BATCH = batch
        encoder.encode(texts[:32])  # warm the arena
        wall, cpu = time.perf_counter(), time.process_time()
        vectors = encoder.encode(texts)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        distance = float(1 - (vectors * reference).sum(axis=1).min())
        print(f"{name:<28}{len(texts) / wall:>10.0f}{len(texts) / cpu:>10.0f}{distance:>22.1e}")
    encoder._session, embedding._BATCH = shipped_session, shipped_batch


if __name__ == "__main__":
    main()
