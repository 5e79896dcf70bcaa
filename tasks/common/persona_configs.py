"""The generated persona task files of an axis instrument (Wright et al., "LLM Tropes", 2024; see
:mod:`.personas` and :mod:`.persona_scoring`): the shared settings, one template per mode, a task
per mode and grid, and a group per grid.

``<family>_personas`` (the default grid: the base case and the first value of each category, one
closed and one open template) and ``<family>_personas_full`` (the base case and all 21 values, all
20 templates) each hold ``*_logprob``, ``*_closed_gen`` and ``*_open_gen``.
"""

from __future__ import annotations

from opinionbench.summary_keys import LM_EVAL_MEAN, SummaryKey, metric_list_yaml

from .generated_files import HEADER
from .instrument_configs import group_file, task_file
from .instruments import RATES, AxisInstrument

# Greedy answers, as the paper (temperature 0): a closed answer stops at the quote that closes its
# selection; an open answer at the end of its JSON string, or after OPEN_MAX_TOKENS tokens.
OPEN_MAX_TOKENS = 96
SHARED_YAML = """custom_dataset: !function utils.load_persona_documents
test_split: test
description: system_prompt  # the document's field: the paper's system prompt of its persona
doc_to_text: !function utils.persona_instruction
gen_prefix: primer  # the document's field: the paper's JSON primer that starts the answer
doc_to_target: 0  # no gold answer: the scores are the instrument's own (process_results)
metadata:
  version: 1.0
"""
MODES = {
    "logprob": (
        "closed",
        "the log-likelihood of each option text after the JSON primer",
        """output_type: multiple_choice
doc_to_choice: !function utils.persona_choices
target_delimiter: ""
process_results: !function utils.process_results_persona_logprob
""",
        ("option_mass",),
    ),
    "closed_gen": (
        "closed",
        "the generated selection, parsed to an option",
        """output_type: generate_until
generation_kwargs:
  until: ["\\""]
  do_sample: false
  temperature: 0.0
  max_gen_toks: 16
process_results: !function utils.process_results_persona_closed
""",
        ("valid_answer_rate", "refusal_rate"),
    ),
    "open_gen": (
        "open",
        "the free answer, its stance by the run's stance judge",
        f"""output_type: generate_until
generation_kwargs:
  until: ["\\"}}", "\\" }}", "\\"\\n}}", "\\","]
  do_sample: false
  temperature: 0.0
  max_gen_toks: {OPEN_MAX_TOKENS}
process_results: !function utils.process_results_persona_open
""",
        ("valid_answer_rate", "none_rate"),
    ),
}
GRIDS = {"": "default", "_full": "full"}
# The instrument tasks' shares, and the open answers' share without a side (neither good nor bad).
_RATES = {key.name: key for key in (*RATES, SummaryKey("none_rate", LM_EVAL_MEAN, None))}


def summary_keys(instrument: AxisInstrument, rates: tuple[str, ...]) -> list[SummaryKey]:
    """The table of a persona task: each axis of the base case, the persona shift and its share of
    variance, then the mode's rates."""
    keys = [SummaryKey(axis, "persona_axis", None) for axis in instrument.axes]
    keys += [
        SummaryKey("persona_shift", "persona_shift", None),
        SummaryKey("persona_variance_share", "persona_variance_share", None, uncertainty=False),
    ]
    return keys + [_RATES[rate] for rate in rates]


def persona_files(family: str, instrument: AxisInstrument) -> dict[str, str]:
    """The persona files of an axis instrument's folder."""
    files = {"_personas_yaml": HEADER + "# Persona tasks: what every mode shares.\n" + SHARED_YAML}
    for mode, (_, what, settings, rates) in MODES.items():
        files[f"_personas_{mode}_yaml"] = (
            HEADER
            + f"# Persona tasks, {mode}: {what}.\n# Scores are positions, not qualities: higher_is_better is null.\n"
            + "include: _personas_yaml\n"
            + settings
            + metric_list_yaml(summary_keys(instrument, rates))
        )
    for suffix, grid in GRIDS.items():
        tasks = []
        for mode, (domain, what, _, _) in MODES.items():
            name = f"{family}_personas{suffix}_{mode}"
            extra = f"dataset_kwargs:\n  instrument: {family}\n  domain: {domain}\n  grid: {grid}\n"
            files[f"{name}.yaml"] = task_file(
                name, [f"_personas_{mode}_yaml"], f"{family}, {grid} grid: {what}.", extra
            )
            tasks.append(name)
        files[f"_{family}_personas{suffix}.yaml"] = group_file(
            f"{family}_personas{suffix}", tasks, f"Persona tasks of {family}, the {grid} grid."
        )
    return files
