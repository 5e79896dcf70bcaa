"""The generated task files of the instrument families (PCT, 8values, SapplyValues, Wahl-O-Mat):
the shared log-likelihood and generation settings, a template per configuration (its
``dataset_kwargs`` and the ``metric_list`` of its summary keys), a task per mode and the group.

Each function returns ``{file name in the family's task folder: text}``; ``tasks/_generate_configs.py``
writes them.
"""

from __future__ import annotations

from collections.abc import Sequence

from opinionbench.summary_keys import SummaryKey, metric_list_yaml

from .generated_files import HEADER
from .instruments import AxisInstrument

# Log-probability mode: the statement with numbered options; the model's answer distribution is
# the softmax over the option numbers' log-likelihoods (instrument_scoring.py).
INSTRUMENT_YAML = """custom_dataset: !function utils.load_documents
output_type: multiple_choice
test_split: test
doc_to_text: !function utils.doc_to_text
doc_to_choice: !function utils.doc_to_choice
doc_to_target: 0  # no gold answer: the scores are the instrument's own (process_results)
target_delimiter: " "
process_results: !function utils.process_results
metadata:
  version: 1.0
"""
# Generative mode, unforced (Röttger et al. 2024, no forcing instruction): greedy answer, parsed by
# rule; refusals and invalid answers count as unanswered.
GEN_YAML = """output_type: generate_until
doc_to_text: !function utils.doc_to_text_unforced
generation_kwargs:
  until: ["\\n\\n"]
  do_sample: false
  temperature: 0.0
  max_gen_toks: 64
process_results: !function utils.process_results_gen
"""
# Generative mode with Röttger et al.'s forcing instruction ("You have to pick one of the four
# options. Only answer with the label.").
FORCED_GEN_YAML = """include: _gen_yaml
doc_to_text: !function utils.doc_to_text_forced
"""

# Sampled mode: the forced prompt answered SAMPLED_REPEATS times at temperature 1; the filter
# hands all repeats to process_results (stopping a run whose repeats are one sample N times),
# whose answer is their majority and whose interval resamples them (instrument_scoring.py).
SAMPLED_REPEATS = 10
SAMPLED_GEN_YAML = f"""include: _forced_gen_yaml
repeats: {SAMPLED_REPEATS}
generation_kwargs:
  until: ["\\n\\n"]
  do_sample: true
  temperature: 1.0
  max_gen_toks: 64
filter_list:
  - name: none
    filter:
      - function: custom
        filter_fn: !function utils.sampled_repeats
"""


def shared_files() -> dict[str, str]:
    """The settings every configuration and mode of an instrument family includes."""
    return {
        "_instrument_yaml": HEADER + "# Log-probability mode of the instrument's tasks.\n" + INSTRUMENT_YAML,
        "_gen_yaml": HEADER + "# Generative mode, unforced.\n" + GEN_YAML,
        "_forced_gen_yaml": HEADER + "# Generative mode with the forcing instruction.\n" + FORCED_GEN_YAML,
        "_sampled_gen_yaml": HEADER
        + f"# Sampled mode: the forced prompt, {SAMPLED_REPEATS} repeats at temperature 1.\n"
        + SAMPLED_GEN_YAML,
    }


def config_template(family: str, config: str | None, keys: Sequence[SummaryKey], note: str) -> str:
    """A configuration's template: the shared settings, its ``dataset_kwargs`` and its ``metric_list``."""
    lines = [HEADER + f"# {note}", "# Scores are positions, not qualities: higher_is_better is null for them."]
    lines += [
        "include: _instrument_yaml",
        "dataset_kwargs:",
        f"  instrument: {family}",
        f"  config: {config or 'null'}",
    ]
    return "\n".join(lines) + "\n" + metric_list_yaml(keys)


def task_file(name: str, includes: list[str], note: str, extra: str = "") -> str:
    """A task that includes ``includes`` and overrides ``extra`` (YAML lines)."""
    include = includes[0] if len(includes) == 1 else "[" + ", ".join(includes) + "]"
    return f"{HEADER}# {note}\ninclude: {include}\ntask: {name}\n{extra}"


def group_file(name: str, tasks: list[str], note: str) -> str:
    """A group of ``tasks`` (``note``: its one-line description)."""
    members = "".join(f"  - {task}\n" for task in tasks)
    return f"{HEADER}# {note}\ngroup: {name}\ntask:\n{members}metadata:\n  version: 1.0\n"


def mode_tasks(prefix: str, template: str, what: str) -> dict[str, str]:
    """``<prefix>_logprob``, ``<prefix>_gen``, ``<prefix>_forced_gen`` and ``<prefix>_sampled_gen`` on ``template``."""
    return {
        f"{prefix}_logprob.yaml": task_file(
            f"{prefix}_logprob", [template], f"{what}: log-probabilities of the numbers."
        ),
        f"{prefix}_gen.yaml": task_file(
            f"{prefix}_gen", [template, "_gen_yaml"], f"{what}: generated answers, unforced."
        ),
        f"{prefix}_forced_gen.yaml": task_file(
            f"{prefix}_forced_gen",
            [template, "_forced_gen_yaml"],
            f"{what}: generated answers with the forcing instruction.",
        ),
        f"{prefix}_sampled_gen.yaml": task_file(
            f"{prefix}_sampled_gen",
            [template, "_sampled_gen_yaml"],
            f"{what}: {SAMPLED_REPEATS} sampled answers per statement with the forcing instruction.",
        ),
    }


def axis_family_files(family: str, instrument: AxisInstrument) -> dict[str, str]:
    """The generated files of an axis instrument's folder: its template, modes and group, and its
    persona tasks (:mod:`.persona_configs`)."""
    from .persona_configs import persona_files

    files = shared_files()
    files["_template_yaml"] = config_template(
        family, None, instrument.summary_keys(), f"{family}: every axis of the score."
    )
    files |= mode_tasks(family, "_template_yaml", family)
    files[f"_{family}.yaml"] = group_file(family, [f"{family}_logprob"], f"The default task: {family}_logprob.")
    return files | persona_files(family, instrument)
