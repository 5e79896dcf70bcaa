"""What a run was, read from an lm-eval results file: display names without machine paths,
coverage (partial runs), the flags beside a number, the metadata fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opinionbench import run_info as info
from opinionbench.models import BUNDLED_MODELS, COMPLETE_MARKER


def results(model_args="pretrained=ORG/NAME,dtype=float32", *, metadata=None, **extra) -> dict:
    """The keys of an lm-eval 0.4 results file that :mod:`opinionbench.run_info` reads."""
    return {
        "model_name": model_args.split("=", 1)[1].split(",")[0] if isinstance(model_args, str) else "x",
        "config": {"model": "hf", "model_args": model_args, "batch_size": "8", "model_dtype": "torch.float32"},
        "configs": {"pct_logprob": {"metadata": {"version": 1.0, **(metadata or {})}}},
        "n-samples": {"pct_logprob": {"original": 62, "effective": 62}},
        **extra,
    }


def test_a_hub_id_is_its_own_name_and_a_display_name_overrides_it():
    assert info.display_name(results("pretrained=HuggingFaceTB/SmolLM2-135M-Instruct")) == (
        "HuggingFaceTB/SmolLM2-135M-Instruct"
    )
    assert info.display_name(results(metadata={"display_name": "My model v2"})) == "My model v2"
    assert info.display_name(results({"model": "gpt-4o-mini", "base_url": "http://127.0.0.1:1/v1"})) == "gpt-4o-mini"


def test_a_local_folder_is_named_without_the_path(tmp_path):
    plain = tmp_path / "runs" / "my-finetune"
    plain.mkdir(parents=True)
    assert info.display_name(results(f"pretrained={plain}")) == "my-finetune"

    converted = tmp_path / "elsewhere" / "checkpoint-500"
    converted.mkdir(parents=True)
    (converted / "config.json").write_text(json.dumps({"_name_or_path": "Qwen/Qwen2.5-0.5B-Instruct"}))
    assert info.display_name(results(f"pretrained={converted}")) == "Qwen/Qwen2.5-0.5B-Instruct"

    bundled = tmp_path / "cache" / "models" / "smollm2"
    bundled.mkdir(parents=True)
    (bundled / COMPLETE_MARKER).write_text(f"{BUNDLED_MODELS['smollm2'].description}\nconverted from /somewhere\n")
    name = info.display_name(results(f"pretrained={bundled}"))
    assert name == BUNDLED_MODELS["smollm2"].display_name
    assert str(tmp_path) not in name


@pytest.mark.parametrize(
    ("text", "local"),
    [("ORG/NAME", False), ("gpt-4o", False), ("/abs/model", True), ("~/models/x", True), ("./x/y/z", True)],
)
def test_local_paths_are_told_from_hub_ids(text, local):
    assert info.is_local_path(text) is local


def test_model_arguments_as_lm_eval_takes_them():
    assert info.model_arguments("pretrained=a/b,dtype=float32") == {"pretrained": "a/b", "dtype": "float32"}
    assert info.model_arguments('{"pretrained": "a/b", "revision": "main"}') == {
        "pretrained": "a/b",
        "revision": "main",
    }
    assert info.model_arguments({"pretrained": "a/b"}) == {"pretrained": "a/b"}
    assert info.model_arguments(None) == {}


def test_slugs_are_file_names():
    assert info.slug("HuggingFaceTB/SmolLM2-135M-Instruct") == "HuggingFaceTB_SmolLM2-135M-Instruct"
    assert info.slug("../../etc") == "etc"
    assert info.slug("a b\nc") == "a_b_c"
    assert info.slug("///") == "model"


def test_a_run_that_scored_part_of_a_task_is_partial():
    full = info.run_info(results())
    partial = info.run_info(results(**{"n-samples": {"pct_logprob": {"original": 62, "effective": 5}}}))
    assert not full.coverage["pct_logprob"].partial
    assert partial.coverage["pct_logprob"].partial
    assert partial.coverage["pct_logprob"].text("statements") == "5 of 62 statements, partial run"
    assert full.coverage["pct_logprob"].text("statements") == "62 statements"
    assert partial.fields("pct_logprob")["partial"] is True
    assert (partial.fields("pct_logprob")["documents"], partial.fields("pct_logprob")["task_documents"]) == (5, 62)
    assert partial.flags("pct_logprob", {}) == ["partial run: 5 of 62 documents"]


def test_flags_name_no_chat_template_on_a_chat_model_and_little_option_mass(tmp_path):
    chat_folder = tmp_path / "chat"
    chat_folder.mkdir()
    (chat_folder / "tokenizer_config.json").write_text(json.dumps({"chat_template": "{{ messages }}"}))
    without = info.run_info(results(f"pretrained={chat_folder}"))
    assert without.chat_model is True and without.chat_template is False
    flags = without.flags("pct_logprob", {"option_mass": 0.007})
    assert flags[0].startswith("no chat template, on a chat model")
    assert flags[1].startswith("option_mass 0.7%")

    with_template = info.run_info(results(f"pretrained={chat_folder}", chat_template="{{ messages }}"))
    assert with_template.flags("pct_logprob", {"option_mass": info.LOW_OPTION_MASS}) == []

    base = info.run_info(results("pretrained=EleutherAI/pythia-160m"))
    assert base.chat_model is None
    assert base.flags("pct_logprob", {"option_mass": 0.5}) == []


def test_numbers_lm_eval_left_undefined_are_flagged_not_shown_silently():
    run = info.run_info(results("pretrained=EleutherAI/pythia-160m"))
    flags = run.flags("pct_logprob", {"econ": float("nan"), "soc": 1.5, "option_mass": float("nan")})
    assert flags == ["not defined (NaN in lm-eval's table: no document gives it a value): econ, option_mass"]


def test_the_metadata_fields_come_from_the_results_file():
    found = info.run_info(
        results(
            "pretrained=ORG/NAME,revision=abc123,dtype=bfloat16",
            metadata={info.VERSION_KEY: "0.1.0"},
            chat_template="{{ x }}",
            system_instruction="Be brief.",
            lm_eval_version="0.4.9",
            date=0,
        )
    )
    fields = found.fields("pct_logprob")
    assert fields == {
        "model": "ORG/NAME",
        "documents": 62,
        "task_documents": 62,
        "partial": False,
        "chat_template": True,
        "system_instruction": "Be brief.",
        "backend": "hf",
        "revision": "abc123",
        "dtype": "float32",  # lm-eval's recorded dtype wins over the argument
        "batch_size": "8",
        "lm_eval_version": "0.4.9",
        "opinionbench_version": "0.1.0",
        "date": "1970-01-01 00:00 UTC",
    }
    line = found.summary_line("pct_logprob")
    assert line.startswith("62 documents; chat template; system instruction 'Be brief.'; backend hf")
    assert "OpinionBench 0.1.0" in line


def test_a_results_file_without_metadata_still_names_its_model(tmp_path: Path):
    bare = {"model_name": str(tmp_path / "folder-name"), "results": {}}
    found = info.run_info(bare)
    assert found.display_name == "folder-name"
    assert found.coverage == {} and found.date is None
    assert "OpinionBench version not recorded" in found.summary_line("pct_logprob")
