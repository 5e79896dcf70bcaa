"""The generated task files of the MENAValues folder: the condition variants, framing (neutral,
persona, observer) x language (English, native) x (log-likelihood | generation zero-shot |
generation with reasoning), and the survey metric list."""

from __future__ import annotations

from opinionbench.tasks.common.generated_files import HEADER
from opinionbench.tasks.common.survey_summaries import metrics_file

from .prompts import FRAMINGS, LANGUAGE_MODES

REASONING_MAX_GEN_TOKS = 256
# mode -> (task name suffix, tag, YAML lines of the mode)
MODES = {
    "logprob": ("logprob", "mena_values_logprob_conditions", "include: _template_yaml\n"),
    "gen": ("gen", "mena_values_gen_conditions", "include: _gen_template_yaml\n"),
    "reasoning_gen": (
        "reasoning_gen",
        "mena_values_gen_conditions",
        (
            "include: _gen_template_yaml\n"
            "doc_to_text: !function utils.doc_to_text_reasoning\n"
            "process_results: !function utils.process_results_gen_reasoning\n"
            "generation_kwargs:\n"
            "  until: []\n"
            "  do_sample: false\n"
            f"  max_gen_toks: {REASONING_MAX_GEN_TOKS}\n"
        ),
    ),
}


def task_name(framing: str, language: str, mode: str) -> str:
    """``mena_values[_persona|_observer][_native]_<logprob|gen|reasoning_gen>``."""
    parts = ["mena_values"]
    parts += [] if framing == "neutral" else [framing]
    parts += [] if language == "en" else ["native"]
    return "_".join([*parts, MODES[mode][0]])


def mena_values_files() -> dict[str, str]:
    """Every generated file of the folder: ``{file name: text}``."""
    files = metrics_file()
    for mode, (_, tag, mode_lines) in MODES.items():
        for framing in FRAMINGS:
            for language in LANGUAGE_MODES:
                name = task_name(framing, language, mode)
                files[f"{name}.yaml"] = (
                    f"{HEADER}# {_describe(framing, language, mode)}\n{mode_lines}task: {name}\ntag: {tag}\n"
                    f"dataset_kwargs:\n  framing: {framing}\n  language: {language}\n"
                )
    return files


def _describe(framing: str, language: str, mode: str) -> str:
    """One line on a condition's task."""
    asked = {
        "neutral": "the question alone",
        "persona": "as an average citizen",
        "observer": "how an average citizen would answer",
    }
    spoken = "in English" if language == "en" else "in the country's language"
    answered = {
        "logprob": "log-probabilities of the answer codes",
        "gen": "greedy generation",
        "reasoning_gen": "generation after brief reasoning",
    }
    return f"MENAValues, {framing} framing ({asked[framing]}), {spoken}: {answered[mode]}."
