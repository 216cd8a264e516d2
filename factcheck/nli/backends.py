"""Find, identify and run an NLI model: transformers (torch) or ONNX Runtime.

Nothing here imports torch, transformers or onnxruntime at module level: the core install
has none of them, and `import factcheck` must stay fast. They are imported inside the
loaders, and whether they are installed is probed with `importlib.util.find_spec`, which
does not import them.

factcheck never downloads a model: a hub id is looked up in the local Hugging Face cache
only, so a run is as fast and as reproducible offline as online. The reason it gives when
a model is missing says how to fetch it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

DEFAULT_MODEL = "cross-encoder/nli-deberta-v3-xsmall"

_ONNX_FILE = "model.onnx"
_TORCH_WEIGHT_GLOBS = ("model.safetensors", "model-*.safetensors", "pytorch_model.bin", "pytorch_model-*.bin")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")


class NLIUnavailable(Exception):
    """The model cannot be had; str() is one line that says why and how to get it."""


class DirectionScore(NamedTuple):
    """Probabilities for one premise -> hypothesis direction; None where the model has no such label."""

    contradiction: float
    entailment: float | None
    neutral: float | None


class Scorer(Protocol):
    """What apply_nli needs from a model; tests pass a stub with chosen probabilities."""

    name: str  # shown in finding.nli.model
    identity: str  # cache key: changes whenever the weights or the truncation change
    backend: str

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> list[DirectionScore]: ...


@dataclass(frozen=True)
class LabelMap:
    contradiction: int
    entailment: int | None
    neutral: int | None
    num_labels: int

    def pick(self, probs: Sequence[float]) -> DirectionScore:
        def at(i: int | None) -> float | None:
            return None if i is None else float(probs[i])

        return DirectionScore(float(probs[self.contradiction]), at(self.entailment), at(self.neutral))


def label_map(id2label: dict, where: str) -> LabelMap:
    """Indices of the NLI labels, from config.id2label, matched case-insensitively.

    Only an exact 'contradiction' counts, so 2-label models such as
    {0: 'no_contradiction', 1: 'contradiction'} work and 'not_contradiction' is never taken
    for one.
    """
    by_name: dict[str, int] = {}
    for key, label in (id2label or {}).items():
        try:
            idx = int(key)
        except (TypeError, ValueError):
            raise NLIUnavailable(f"{where}: config.id2label has a non-integer key {key!r}") from None
        by_name.setdefault(str(label).strip().lower(), idx)
    if "contradiction" not in by_name:
        shown = ", ".join(f"{k}: {v}" for k, v in sorted((int(k), v) for k, v in (id2label or {}).items()))
        raise NLIUnavailable(
            f"{where}: config.id2label ({shown or 'missing'}) names no 'contradiction' label; "
            "an NLI model (MNLI-style labels) is needed"
        )
    return LabelMap(by_name["contradiction"], by_name.get("entailment"), by_name.get("neutral"), len(id2label))


def softmax(row: Sequence[float]) -> list[float]:
    top = max(row)
    exps = [math.exp(float(x) - top) for x in row]
    total = sum(exps)
    return [e / total for e in exps]


# --------------------------------------------------------------------------- locating


@dataclass(frozen=True)
class ModelRef:
    name: str  # as the user gave it: reports never show this machine's absolute paths
    folder: Path
    backend: str  # "onnxruntime" | "transformers"
    weights: tuple[Path, ...]
    onnx_file: Path | None = None


def _installed(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


def _looks_like_path(model: str) -> bool:
    return _HUB_ID.match(model) is None


def _how_to_get(model: str) -> str:
    return (
        f"download it once where the network allows (`hf download {model}`, from huggingface_hub) "
        "or copy a model folder here and pass --nli-model PATH (or FACTCHECK_NLI_MODEL)"
    )


def _hub_folder(model: str) -> Path:
    try:  # optional heavy dependency: the hub client comes with transformers (the nli extra)
        from huggingface_hub import snapshot_download
    except ImportError:
        raise NLIUnavailable(
            f"NLI model {model!r} is a Hugging Face id but huggingface_hub is not installed: "
            f"pip install 'factcheck[nli]', then {_how_to_get(model)}"
        ) from None

    try:
        # local_files_only: factcheck never goes to the network on its own
        return Path(snapshot_download(model, local_files_only=True))
    except Exception:  # LocalEntryNotFoundError, but also a broken cache entry
        raise NLIUnavailable(
            f"NLI model {model!r} is neither a folder nor in the local Hugging Face cache; {_how_to_get(model)}"
        ) from None


def _torch_weights(folder: Path) -> tuple[Path, ...]:
    found: list[Path] = []
    for pattern in _TORCH_WEIGHT_GLOBS:
        found.extend(sorted(folder.glob(pattern)))
    safetensors = [p for p in found if p.suffix == ".safetensors"]
    return tuple(safetensors or found)  # transformers prefers safetensors when both are there


def _onnx_weights(onnx_file: Path) -> tuple[Path, ...]:
    # external-data exports keep the tensors beside the graph
    extra = sorted(p for p in onnx_file.parent.glob(onnx_file.name + "*") if p != onnx_file)
    extra += sorted(p for p in onnx_file.parent.glob("*.onnx_data") if p not in extra)
    return (onnx_file, *extra)


def resolve_model(model: str) -> ModelRef:
    """Where the model is and which backend runs it, without importing either backend."""
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise NLIUnavailable(f"NLI model {model!r} is a file; pass the model's folder (config.json, tokenizer, weights)")
        folder = path
    elif _looks_like_path(model):
        raise NLIUnavailable(f"NLI model folder {model!r} does not exist")
    else:
        folder = _hub_folder(model)

    if not (folder / "config.json").is_file():
        raise NLIUnavailable(f"NLI model {model!r}: config.json is missing in {folder.name}/")

    onnx_file = folder / _ONNX_FILE
    if onnx_file.is_file():
        if not _installed("onnxruntime", "tokenizers", "numpy"):
            raise NLIUnavailable(f"NLI model {model!r} is an ONNX folder: pip install 'factcheck[onnx]'")
        if not (folder / "tokenizer.json").is_file():
            raise NLIUnavailable(f"NLI model {model!r}: the ONNX backend needs tokenizer.json beside model.onnx")
        return ModelRef(model, folder, "onnxruntime", _onnx_weights(onnx_file), onnx_file)

    weights = _torch_weights(folder)
    if weights and _installed("torch", "transformers"):
        return ModelRef(model, folder, "transformers", weights)
    # hub repos exported with optimum keep the graph in onnx/ and config/tokenizer at the top
    sub = folder / "onnx" / _ONNX_FILE
    if sub.is_file() and (folder / "tokenizer.json").is_file() and _installed("onnxruntime", "tokenizers", "numpy"):
        return ModelRef(model, folder, "onnxruntime", _onnx_weights(sub), sub)
    if not weights:
        raise NLIUnavailable(f"NLI model {model!r}: no model.onnx or model.safetensors/pytorch_model.bin in {folder.name}/")
    raise NLIUnavailable(f"NLI model {model!r} needs torch and transformers: pip install 'factcheck[nli]'")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weights_hash(ref: ModelRef, file_hash: Callable[[Path], str] = file_sha256) -> str:
    """One hash over every weights file (sharded checkpoints, ONNX external data)."""
    if len(ref.weights) == 1:
        return file_hash(ref.weights[0])
    digest = hashlib.sha256()
    for p in ref.weights:
        digest.update(p.name.encode() + b"\0" + file_hash(p).encode())
    return digest.hexdigest()


def model_identity(ref: ModelRef, sha: str, max_length: int) -> str:
    # Local folders are keyed by their own name, not the path given, so that moving the
    # folder or naming it differently keeps the cache warm; the hash does the real work.
    name = ref.name if not Path(ref.name).expanduser().exists() else Path(ref.name).expanduser().resolve().name
    return f"{name}|sha256:{sha}|max_length:{max_length}"


def read_config(folder: Path) -> dict:
    try:
        return json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NLIUnavailable(f"{folder.name}/config.json cannot be read: {exc}") from None


# --------------------------------------------------------------------------- running


def _batches(pairs: Sequence[tuple[str, str]], batch_size: int):
    """Index batches of similar length: padding to the batch's longest costs far less.

    Both backends mask padding and run float weights, so a pair's score does not depend on
    its batch neighbours beyond float rounding (tests pin batch 1 vs 32 to 1e-5).
    """
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), i))
    for start in range(0, len(order), max(1, batch_size)):
        yield order[start : start + batch_size]


class _Scorer:
    """What both backends share: which model, under which cache identity, how truncated."""

    backend: str

    def __init__(self, ref: ModelRef, identity: str, max_length: int):
        self.name = ref.name
        self.identity = identity
        self.max_length = max_length


class TransformersScorer(_Scorer):
    backend = "transformers"

    def __init__(self, ref: ModelRef, identity: str, max_length: int):
        super().__init__(ref, identity, max_length)
        try:  # optional heavy dependency: torch and transformers (the nli extra)
            import torch
            import transformers
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise NLIUnavailable(f"NLI backend transformers cannot be imported ({exc}): pip install 'factcheck[nli]'") from None
        transformers.logging.set_verbosity_error()  # the CLI prints its own one-line warnings
        transformers.logging.disable_progress_bar()
        self._torch = torch
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(ref.folder), local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(str(ref.folder), local_files_only=True)
        except Exception as exc:
            raise NLIUnavailable(f"NLI model {ref.name!r} cannot be loaded: {_one_line(exc)}") from None
        self.model.eval()
        self.labels = label_map(self.model.config.id2label, ref.name)
        self._inputs = set(self.tokenizer.model_input_names)

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> list[DirectionScore]:
        torch = self._torch
        out: list[DirectionScore | None] = [None] * len(pairs)
        with torch.inference_mode():
            for idx in _batches(pairs, batch_size):
                enc = self.tokenizer(
                    [pairs[i][0] for i in idx],
                    [pairs[i][1] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                logits = self.model(**{k: v for k, v in enc.items() if k in self._inputs}).logits
                probs = torch.softmax(logits.double(), dim=-1).tolist()
                for i, row in zip(idx, probs):
                    out[i] = self.labels.pick(row)
        return out  # type: ignore[return-value]


class OnnxScorer(_Scorer):
    backend = "onnxruntime"

    def __init__(self, ref: ModelRef, identity: str, max_length: int):
        super().__init__(ref, identity, max_length)
        try:  # optional heavy dependency: onnxruntime, tokenizers, numpy (the onnx extra)
            import numpy as np
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise NLIUnavailable(f"NLI backend onnxruntime cannot be imported ({exc}): pip install 'factcheck[onnx]'") from None
        self._np = np
        config = read_config(ref.folder)
        self.labels = label_map(config.get("id2label"), ref.name)
        try:
            self.tokenizer = Tokenizer.from_file(str(ref.folder / "tokenizer.json"))
            opts = ort.SessionOptions()
            opts.use_deterministic_compute = True
            opts.log_severity_level = 3
            self.session = ort.InferenceSession(str(ref.onnx_file), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise NLIUnavailable(f"NLI model {ref.name!r} cannot be loaded: {_one_line(exc)}") from None
        pad_token, pad_id = _pad_token(ref.folder, self.tokenizer)
        # the file's own padding (optimum exports often pad to a fixed length) is replaced by
        # per-batch padding, and truncation by ours so both backends cut at the same length
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
        self.tokenizer.enable_padding(pad_id=pad_id, pad_token=pad_token)
        self._inputs = {i.name: (np.int32 if "int32" in i.type else np.int64) for i in self.session.get_inputs()}
        unknown = set(self._inputs) - {"input_ids", "attention_mask", "token_type_ids"}
        if unknown:
            raise NLIUnavailable(f"NLI model {ref.name!r}: model.onnx wants inputs {sorted(unknown)} this backend does not feed")
        width = self.session.get_outputs()[0].shape[-1]
        if isinstance(width, int) and width != self.labels.num_labels:
            raise NLIUnavailable(f"NLI model {ref.name!r}: model.onnx has {width} outputs but config.id2label names {self.labels.num_labels}")

    def score(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> list[DirectionScore]:
        np = self._np
        out: list[DirectionScore | None] = [None] * len(pairs)
        for idx in _batches(pairs, batch_size):
            encs = self.tokenizer.encode_batch([pairs[i] for i in idx])
            feeds = {}
            for name, dtype in self._inputs.items():
                attr = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}[name]
                feeds[name] = np.array([getattr(e, attr) for e in encs], dtype=dtype)
            logits = self.session.run(None, feeds)[0].astype(np.float64)
            for i, row in zip(idx, logits):
                out[i] = self.labels.pick(softmax(row.tolist()))
        return out  # type: ignore[return-value]


def _pad_token(folder: Path, tokenizer) -> tuple[str, int]:
    candidates: list[str] = []
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        try:
            value = json.loads((folder / name).read_text(encoding="utf-8")).get("pad_token")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str):
            candidates.append(value)
    for token in [*candidates, "[PAD]", "<pad>"]:
        pad_id = tokenizer.token_to_id(token)
        if pad_id is not None:
            return token, pad_id
    return "[PAD]", 0  # the attention mask hides padding, so the id only has to be valid


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip(": ")


_LOADED: dict[tuple[str, str, int], Scorer] = {}


def load_scorer(ref: ModelRef, identity: str, max_length: int) -> Scorer:
    """Load (once per process) the backend for a resolved model."""
    key = (ref.backend, identity, max_length)
    if key not in _LOADED:
        cls = OnnxScorer if ref.backend == "onnxruntime" else TransformersScorer
        _LOADED[key] = cls(ref, identity, max_length)
    return _LOADED[key]
