"""The generated task files of the Wahl-O-Mat folder: a template per Bundestag election (a config of
the dataset), the default election's tasks in every mode, a log-likelihood task per earlier
election, and the English variants."""

from __future__ import annotations

from opinionbench.tasks.common import instrument_configs as configs

# The elections of the source, each a config of the dataset (a test checks them against the build).
ELECTIONS = tuple(f"bundestag_{year}" for year in (2002, 2005, 2009, 2013, 2017, 2021, 2025))
DEFAULT_ELECTION = "bundestag_2025"
# Wahl-O-Mat variants in English for the default election: (mode, lines that replace the prompt
# and, for generation, the answer parsing with utils.py's English functions).
_PARSE_ENGLISH = "process_results: !function utils.process_results_gen_en\n"
ENGLISH_VARIANTS = {
    "wahl_o_mat_en_logprob": (
        "logprob",
        "doc_to_text: !function utils.doc_to_text_en\ndoc_to_choice: !function utils.doc_to_choice_en\n",
    ),
    "wahl_o_mat_en_gen": ("gen", "doc_to_text: !function utils.doc_to_text_en_unforced\n" + _PARSE_ENGLISH),
    "wahl_o_mat_en_forced_gen": ("forced_gen", "doc_to_text: !function utils.doc_to_text_en_forced\n" + _PARSE_ENGLISH),
}


def wahl_o_mat_files() -> dict[str, str]:
    """Every generated file of the folder."""
    from .family import INSTRUMENT

    files = configs.shared_files()
    for election in ELECTIONS:
        note = f"Wahl-O-Mat {election}: agreement with its parties (the closest party's; each party's in the report)."
        files[f"_{election}_yaml"] = configs.config_template("wahl_o_mat", election, INSTRUMENT.summary_keys(), note)
        if election != DEFAULT_ELECTION:
            year = election.removeprefix("bundestag_")
            name = f"wahl_o_mat_{year}_logprob"
            files[f"{name}.yaml"] = configs.task_file(
                name, [f"_{election}_yaml"], f"Wahl-O-Mat {year}, German: log-probabilities."
            )
    default = f"_{DEFAULT_ELECTION}_yaml"
    files |= configs.mode_tasks("wahl_o_mat", default, f"Wahl-O-Mat {DEFAULT_ELECTION}, German")
    for name, (mode, lines) in ENGLISH_VARIANTS.items():
        includes = [default] if mode == "logprob" else [default, f"_{mode}_yaml"]
        note = f"Wahl-O-Mat {DEFAULT_ELECTION}, English instructions and options ({mode})."
        files[f"{name}.yaml"] = configs.task_file(name, includes, note, lines)
    files["_wahl_o_mat.yaml"] = configs.group_file(
        "wahl_o_mat", ["wahl_o_mat_logprob"], "The default task: wahl_o_mat_logprob."
    )
    return files
