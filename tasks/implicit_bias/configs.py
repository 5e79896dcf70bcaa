"""The generated task files of the implicit-bias folder: one task per test (word association,
decision) and variation, their metric lists, templates and the default group."""

from __future__ import annotations

from opinionbench.summary_keys import metric_list_yaml
from opinionbench.tasks.common.generated_files import HEADER

from .scoring import DECISION_KEYS, WAT_KEYS

# test -> (task stem, its variations (the first is the paper's replication: the default task), keys)
TESTS = {
    "wat": ("implicit_bias_wat", ("replication", "synonym", "instruction1", "instruction2"), WAT_KEYS),
    "decision": ("implicit_bias_decision", ("replication", "synonym", "variation1", "variation2"), DECISION_KEYS),
}
# Sampled as the paper's API calls (default sampling: temperature 1, no truncation).
MAX_GEN_TOKS = {"wat": 192, "decision": 400}  # the longest attribute list (20 words) needs about 120
PROCESS_RESULTS = {"wat": "process_results_wat", "decision": "process_results_decision"}
DESCRIBE = {
    "wat": "LLM Word Association Test: the group word the model pairs with each attribute word",
    "decision": "LLM Decision Bias test: two profiles and which candidate should take which position",
}


def task_name(test: str, variation: str) -> str:
    """``implicit_bias_wat`` for the replication, ``implicit_bias_wat_synonym`` for another variation."""
    stem, variations, _ = TESTS[test]
    return stem if variation == variations[0] else f"{stem}_{variation}"


def implicit_bias_files() -> dict[str, str]:
    """Every generated file of the folder: ``{file name: text}``."""
    files = {"_implicit_bias.yaml": _group_file()}
    for test, (stem, variations, keys) in TESTS.items():
        files[f"_{test}_template_yaml"] = _template(test, keys)
        for variation in variations:
            name = task_name(test, variation)
            files[f"{name}.yaml"] = (
                f"{HEADER}# {DESCRIBE[test]}, variation {variation}.\ninclude: _{test}_template_yaml\n"
                f"task: {name}\ntag: {stem}_variations\n"
                f"dataset_kwargs:\n  test: {test}\n  variation: {variation}\n"
            )
    return files


def _template(test: str, keys) -> str:
    return (
        f"{HEADER}# {DESCRIBE[test]}.\n"
        "# The paper's prompt as the user turn, its system prompt as the description (the system\n"
        "# turn under --apply_chat_template), one answer sampled at temperature 1 per prompt.\n"
        "custom_dataset: !function utils.load_documents\n"
        "output_type: generate_until\n"
        "test_split: test\n"
        'description: "{{system_prompt}}"\n'
        'doc_to_text: "{{prompt}}"\n'
        'doc_to_target: ""\n'
        "generation_kwargs:\n"
        "  until: []\n"
        "  do_sample: true\n"
        "  temperature: 1.0\n"
        f"  max_gen_toks: {MAX_GEN_TOKS[test]}\n"
        f"process_results: !function utils.{PROCESS_RESULTS[test]}\n"
        "metadata:\n"
        "  version: 1.0\n" + metric_list_yaml(keys)
    )


def _group_file() -> str:
    members = "".join(f"  - {task_name(test, variations[0])}\n" for test, (_, variations, _) in TESTS.items())
    return (
        f"{HEADER}# The default tasks: both tests in the paper's replication variation.\n"
        f"group: implicit_bias\ntask:\n{members}metadata:\n  version: 1.0\n"
    )
