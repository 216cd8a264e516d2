"""The real NLI backends on a tiny randomly initialised model built here (no network).

A DeBERTa-v2 model (the architecture of the default model) with 2 layers of width 16 and
a word-level tokenizer over a small vocabulary are saved with save_pretrained, loaded back
through factcheck's own loaders and, for ONNX Runtime, exported to model.onnx. The tests
check shapes, label handling, batching, both directions, the cache and determinism; never
what a random model thinks.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

from factcheck.models import Claim, Finding  # noqa: E402
from factcheck.nli import apply_nli  # noqa: E402
from factcheck.nli.backends import (  # noqa: E402
    NLIUnavailable,
    OnnxScorer,
    TransformersScorer,
    file_sha256,
    model_identity,
    resolve_model,
    weights_hash,
)

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"

WORDS = (
    "the a an of in on to and by over from than more less about nearly "
    "meta nvidia amd micron samsung shares stock index revenue profit capex rent "
    "rose fell surged dropped plunged gained declined slid climbed was were is "
    "percent billion million trillion monthly annual quarter year day week "
    "monday tuesday wednesday thursday friday july june 2026 2027 "
    "0 1 2 3 4 5 6 7 8 9 % $ . ,"
).split()
SPECIALS = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]
NLI_LABELS = {0: "ENTAILMENT", 1: "Neutral", 2: "contradiction"}  # mixed case on purpose

SENTENCES = [
    "Meta shares rose 9% on July 1.",
    "Meta stock surged 8.8% on Monday, July 1, 2026.",
    "Samsung shares dropped 10%.",
    "Samsung fell 9.06% on Thursday as the index plunged more than 6% over two days.",
    "Nvidia revenue was $44 billion in the quarter.",
    "Micron declined 5.49%.",
    "The monthly rent of $1.25 billion was more than the annual capex.",
    "AMD slid 6.89% on Wednesday and gained 1% on Thursday and fell again on Friday by 2%.",
]


def pairs_of(sentences):
    return [(a, b) for a in sentences for b in sentences if a != b]


def build_tokenizer():
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {w: i for i, w in enumerate(SPECIALS + WORDS)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=128,
    ), len(vocab)


def build_model(folder: Path, id2label: dict, seed: int = 0, bias: list[float] | None = None) -> Path:
    """save_pretrained a tiny DeBERTa-v2; `bias` with zero classifier weights fixes the output."""
    from transformers import DebertaV2Config, DebertaV2ForSequenceClassification

    tokenizer, vocab_size = build_tokenizer()
    config = DebertaV2Config(
        vocab_size=vocab_size, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=128, type_vocab_size=0, relative_attention=True,
        position_buckets=16, max_relative_positions=-1, pos_att_type=["p2c", "c2p"],
        position_biased_input=False, norm_rel_ebd="layer_norm", share_att_key=True,
        pooler_hidden_size=16, pad_token_id=0, initializer_range=0.5,  # wide init: outputs that vary
        id2label=dict(id2label), label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(seed)
    model = DebertaV2ForSequenceClassification(config).eval()
    if bias is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.copy_(torch.tensor(bias))
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def export_onnx(torch_folder: Path, onnx_folder: Path) -> Path:
    """Export the same tiny model the way optimum lays a folder out: model.onnx + config + tokenizer."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    onnx_folder.mkdir(parents=True, exist_ok=True)
    for f in torch_folder.iterdir():
        if f.suffix != ".safetensors":
            shutil.copy2(f, onnx_folder / f.name)
    model = AutoModelForSequenceClassification.from_pretrained(torch_folder).eval()
    tok = AutoTokenizer.from_pretrained(torch_folder)
    enc = tok(["meta rose 9 %", "a"], ["shares fell", "the index"], padding=True, return_tensors="pt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (enc["input_ids"], enc["attention_mask"]), str(onnx_folder / "model.onnx"),
            input_names=["input_ids", "attention_mask"], output_names=["logits"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                          "logits": {0: "batch"}},
            opset_version=14, dynamo=False,  # the TorchScript exporter needs no onnxscript
        )
    return onnx_folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return build_model(tmp_path_factory.mktemp("nli") / "tiny-nli", NLI_LABELS)


@pytest.fixture(scope="module")
def tiny_onnx(tiny, tmp_path_factory) -> Path:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    return export_onnx(tiny, tmp_path_factory.mktemp("nli") / "tiny-nli-onnx")


def load(folder: Path, max_length: int = 128):
    ref = resolve_model(str(folder))
    identity = model_identity(ref, weights_hash(ref), max_length)
    cls = OnnxScorer if ref.backend == "onnxruntime" else TransformersScorer
    return cls(ref, identity, max_length)


def finding(s1: str, s2: str, fid: str, code: str = "FC103", severity: str = "warning") -> Finding:
    def c(s, path):
        return Claim(path=path, line=1, column=1, sentence=s, text="9%", value=9.0, unit="percent", kind="percent")

    return Finding(id=fid, code=code, kind="k", severity=severity, subject="Meta", metric="m",
                   message="m", claims=[c(s1, "a.txt"), c(s2, "b.txt")])


# ---------------------------------------------------------------- transformers


def test_transformers_loading_shapes_and_labels(tiny):
    scorer = load(tiny)
    assert scorer.backend == "transformers"
    assert (scorer.labels.contradiction, scorer.labels.entailment, scorer.labels.neutral) == (2, 0, 1)
    pairs = pairs_of(SENTENCES[:4])
    scores = scorer.score(pairs, 4)
    assert len(scores) == len(pairs)
    for s in scores:
        assert 0 <= s.contradiction <= 1 and s.entailment is not None and s.neutral is not None
        assert s.contradiction + s.entailment + s.neutral == pytest.approx(1, abs=1e-6)
    # a random model still reads word order: the two directions of a pair are different inputs
    fwd = dict(zip(pairs, scores))
    assert any(abs(fwd[(a, b)].contradiction - fwd[(b, a)].contradiction) > 1e-6 for a, b in pairs)


def test_same_scores_at_batch_1_and_32(tiny):
    scorer = load(tiny)
    pairs = pairs_of(SENTENCES)  # 56 pairs of mixed lengths: several padded batches at 32
    one = scorer.score(pairs, 1)
    many = scorer.score(pairs, 32)
    again = scorer.score(pairs, 32)
    assert many == again  # same batches, bit for bit
    for x, y in zip(one, many):
        assert x.contradiction == pytest.approx(y.contradiction, abs=1e-5)
        assert x.entailment == pytest.approx(y.entailment, abs=1e-5)


def test_label_mapping_follows_config(tmp_path):
    # zero classifier weights: the logits are the bias whatever the input, so the mapping is visible
    probs = [0.2, 0.3, 0.5]
    bias = [float(torch.log(torch.tensor(p))) for p in probs]
    folder = build_model(tmp_path / "m", {0: "Entailment", 1: "NEUTRAL", 2: "CONTRADICTION"}, bias=bias)
    (s,) = load(folder).score([("meta rose 9 %", "meta fell")], 1)
    assert (s.contradiction, s.entailment, s.neutral) == pytest.approx((0.5, 0.2, 0.3), abs=1e-6)

    folder = build_model(tmp_path / "m2", {0: "contradiction", 1: "entailment", 2: "neutral"}, bias=bias)
    (s,) = load(folder).score([("meta rose 9 %", "meta fell")], 1)
    assert (s.contradiction, s.entailment, s.neutral) == pytest.approx((0.2, 0.3, 0.5), abs=1e-6)


def test_two_label_model(tmp_path):
    bias = [float(torch.log(torch.tensor(0.25))), float(torch.log(torch.tensor(0.75)))]
    folder = build_model(tmp_path / "two", {0: "no_contradiction", 1: "Contradiction"}, bias=bias)
    (s,) = load(folder).score([("a", "b")], 1)
    assert s.contradiction == pytest.approx(0.75, abs=1e-6) and s.entailment is None and s.neutral is None
    out, stats, _ = apply_nli([finding("meta rose 9 %", "meta fell", "f")], mode="required",
                              model=str(folder), rules_dir=RULES, cache_path=None)
    assert out[0].nli.contradiction == 0.75 and out[0].nli.entailment is None and out[0].nli.directions == 2


def test_model_without_contradiction_label(tmp_path):
    folder = build_model(tmp_path / "sentiment", {0: "LABEL_0", 1: "LABEL_1"})
    with pytest.raises(NLIUnavailable, match="contradiction"):
        apply_nli([finding("a", "b", "f")], mode="required", model=str(folder), rules_dir=RULES, cache_path=None)
    out, stats, warnings_ = apply_nli([finding("a", "b", "f")], mode="auto", model=str(folder), rules_dir=RULES, cache_path=None)
    assert stats["nli"] is None and len(warnings_) == 1 and out[0].nli is None


def test_long_pairs_are_truncated(tiny):
    long = " ".join(["meta shares rose 9 % on july 1 ."] * 100)  # ~1000 tokens, positions cap at 128
    (s,) = load(tiny, max_length=64).score([(long, long + " again")], 1)
    assert 0 <= s.contradiction <= 1


def test_apply_nli_end_to_end_with_cache(tiny, tmp_path):
    fs = [finding(a, b, f"f{i}") for i, (a, b) in enumerate(pairs_of(SENTENCES[:3]))]  # 6 findings, 6 directed pairs
    cache = tmp_path / "cache" / "nli.sqlite"
    out, stats, warnings_ = apply_nli(fs, mode="required", model=str(tiny), rules_dir=RULES, cache_path=cache)
    s = stats["nli"]
    assert warnings_ == [] and s["backend"] == "transformers"
    assert (s["findings_scored"], s["pairs_scored"], s["cache_hits"]) == (6, 6, 0)
    assert s["weights_sha256"] == file_sha256(tiny / "model.safetensors")[:16]
    assert all(f.nli is not None and f.nli.directions == 2 and f.nli.model == str(tiny) for f in out)
    out2, stats2, _ = apply_nli(fs, mode="required", model=str(tiny), rules_dir=RULES, cache_path=cache)
    assert (stats2["nli"]["pairs_scored"], stats2["nli"]["cache_hits"], stats2["nli"]["model_loaded"]) == (0, 6, False)
    assert [f.nli for f in out2] == [f.nli for f in out]


def test_corrupt_cache_with_real_model(tiny, tmp_path):
    cache = tmp_path / "nli.sqlite"
    cache.write_bytes(b"\x00garbage" * 64)
    fs = [finding(SENTENCES[0], SENTENCES[1], "f")]
    out, stats, warnings_ = apply_nli(fs, mode="required", model=str(tiny), rules_dir=RULES, cache_path=cache)
    assert len(warnings_) == 1 and "rebuilt" in warnings_[0]
    assert out[0].nli is not None and stats["nli"]["pairs_scored"] == 2
    _, stats2, warnings2 = apply_nli(fs, mode="required", model=str(tiny), rules_dir=RULES, cache_path=cache)
    assert warnings2 == [] and stats2["nli"]["cache_hits"] == 2


# ---------------------------------------------------------------- onnxruntime


def test_onnx_folder_selects_onnxruntime_and_matches_torch(tiny, tiny_onnx):
    onnx_scorer = load(tiny_onnx)
    assert onnx_scorer.backend == "onnxruntime"
    assert (onnx_scorer.labels.contradiction, onnx_scorer.labels.entailment) == (2, 0)
    pairs = pairs_of(SENTENCES[:5])
    a = load(tiny).score(pairs, 8)
    b = onnx_scorer.score(pairs, 8)
    for x, y in zip(a, b):
        assert x.contradiction == pytest.approx(y.contradiction, abs=1e-4)
        assert x.neutral == pytest.approx(y.neutral, abs=1e-4)


def test_onnx_same_scores_at_batch_1_and_32(tiny_onnx):
    scorer = load(tiny_onnx)
    pairs = pairs_of(SENTENCES)
    one = scorer.score(pairs, 1)
    many = scorer.score(pairs, 32)
    assert scorer.score(pairs, 32) == many
    for x, y in zip(one, many):
        assert x.contradiction == pytest.approx(y.contradiction, abs=1e-5)


def test_onnx_tokenizer_padding_from_the_file_is_replaced(tiny_onnx, tmp_path):
    # optimum-style exports sometimes ship a tokenizer.json that pads to a fixed length
    import json

    folder = tmp_path / "fixed-pad"
    shutil.copytree(tiny_onnx, folder)
    tj = json.loads((folder / "tokenizer.json").read_text())
    tj["padding"] = {"strategy": {"Fixed": 100}, "direction": "Right", "pad_to_multiple_of": None,
                     "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}
    (folder / "tokenizer.json").write_text(json.dumps(tj))
    scorer = load(folder)
    enc = scorer.tokenizer.encode_batch([("meta rose", "meta fell"), ("a", "b")])
    assert len(enc[0].ids) < 100
    assert scorer.score([("meta rose", "meta fell")], 2) == load(tiny_onnx).score([("meta rose", "meta fell")], 2)


def test_apply_nli_onnx_end_to_end(tiny_onnx, tmp_path):
    fs = [finding(SENTENCES[0], SENTENCES[1], "f1"), finding(SENTENCES[2], SENTENCES[3], "f2")]
    cache = tmp_path / "nli.sqlite"
    out, stats, _ = apply_nli(fs, mode="required", model=str(tiny_onnx), rules_dir=RULES, cache_path=cache)
    assert stats["nli"]["backend"] == "onnxruntime"
    assert stats["nli"]["weights_sha256"] == file_sha256(tiny_onnx / "model.onnx")[:16]
    assert stats["nli"]["pairs_scored"] == 4
    _, stats2, _ = apply_nli(fs, mode="required", model=str(tiny_onnx), rules_dir=RULES, cache_path=cache)
    assert stats2["nli"]["cache_hits"] == 4 and stats2["nli"]["model_loaded"] is False


def test_onnx_folder_without_tokenizer_json(tiny_onnx, tmp_path):
    folder = tmp_path / "no-tok"
    shutil.copytree(tiny_onnx, folder)
    (folder / "tokenizer.json").unlink()
    with pytest.raises(NLIUnavailable, match="tokenizer.json"):
        resolve_model(str(folder))
