"""LLM Implicit Bias and LLM Decision Bias (Bai, Wang, Sucholutsky, Griffiths; PNAS 2025): the
word-association (``wat``) and relative-decision (``decision``) prompts of 21 stereotypes in
4 domains, 4 prompt variations each, 50 iterations each.

The stimuli come from ``stimuli/iat_stimuli.csv`` (and ``iat_stimuli_synonym.csv`` for the
synonym variation); the prompt texts, the decision positions and the group labels come from the
upstream scripts, read with :mod:`ast` by :mod:`.prompts` (never executed, nothing retyped). The
paper drew each iteration's words at random, unseeded; here the draws are materialised from
``numpy.random.default_rng(draw_seed(...))``, one generator per (task, stereotype, variation), so
every build has the same rows and every run asks the same prompts. The card says which choices
were made and what is not known (the judge's stimuli file is not shipped).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import datasets
import numpy as np

from opinionbench.builds import BuildResult, _source_files_table, raise_rejections
from opinionbench.cards import CardInfo, card_template, render_card
from opinionbench.schema import Rejection, RowError, clip, domain_slug
from opinionbench.sources import SourceSpec, Upstream, resolve_source

from ..source_records import read_csv_rows
from .prompts import (
    ATTRIBUTES_FIELD,
    GROUP_FIELDS,
    POSITION_FIELDS,
    JudgeScript,
    PromptScript,
    ScriptError,
    Selection,
    read_judge_script,
    read_prompt_script,
)

UPSTREAM_REPO = "baixuechunzi/llm-implicit-bias"
UPSTREAM_COMMIT = "0d2772e8eb21186b6db1fab7551633ffda16c06f"

# Paths relative to the source folder ($OPINIONBENCH_SOURCES/implicit_bias/).
MAIN_CSV = "stimuli/iat_stimuli.csv"
SYNONYM_CSV = "stimuli/iat_stimuli_synonym.csv"
ANALYSIS_CSV = "stimuli/iat_stimuli_analysis.csv"
WAT_SCRIPTS = "upstream/prompt_implicit_gpt4"
DECISION_SCRIPTS = "upstream/prompt_decision_gpt4"
JUDGE_SCRIPTS = "upstream/prompt_decision_judge"
LICENSE_FILE = "upstream/LICENSE"

SOURCE = SourceSpec(
    name="implicit_bias",
    filename=MAIN_CSV,
    # Relative to the main file's folder, stimuli/.
    companions=(
        "iat_stimuli_synonym.csv",
        "iat_stimuli_analysis.csv",
        f"../{WAT_SCRIPTS}/*/*.py",
        f"../{DECISION_SCRIPTS}/*/*.py",
        f"../{JUDGE_SCRIPTS}/*.py",
        f"../{LICENSE_FILE}",
    ),
    upstream=(
        Upstream(
            UPSTREAM_REPO,
            UPSTREAM_COMMIT,
            (
                "stimuli/iat_stimuli.csv",
                "stimuli/iat_stimuli_synonym.csv",
                "stimuli/iat_stimuli_analysis.csv",
                "prompt/implicit/gpt4/<stereotype>/<variation>.py",
                "prompt/decision/gpt4/<stereotype>/<variation>.py",
                "prompt/misc/score/<stereotype>/replication.py",
                "LICENSE",
            ),
        ),
    ),
)
BUILDER_VERSION = 1

TASKS = ("wat", "decision")
VARIATIONS = {
    "wat": ("replication", "synonym", "instruction1", "instruction2"),
    "decision": ("replication", "synonym", "variation1", "variation2"),
}
SCRIPT_FOLDERS = {"wat": WAT_SCRIPTS, "decision": DECISION_SCRIPTS}
BIAS_LABELS = {"wat": "implicit", "decision": "decision"}  # the ``bias`` each script records
DOMAINS = ("race", "gender", "religion", "health")
# The 21 stereotypes, as named in the CSVs' ``dataset`` column, in file order.
STEREOTYPES = (
    "racism",
    "weapon",
    "guilt",
    "skintone",
    "arab/muslim",
    "asian",
    "black",
    "hispanic",
    "english",
    "career",
    "power",
    "science",
    "sexuality",
    "islam",
    "judaism",
    "buddhism",
    "disability",
    "eating",
    "mental illness",
    "weight",
    "age",
)
# The script folders' (and the scripts' ``category``) short names, where they differ.
FOLDER_NAMES = {"arab/muslim": "arab", "mental illness": "mentalill"}
N_ITERATIONS = 50
BASE_SEED = 2402_04105  # the arXiv number of the paper
LANGUAGE = "en"
_REASON = "the paper's tests pool every stereotype and variation"

# The columns each stimuli file must have (``category`` and ``dataset`` besides).
STIMULI_COLUMNS = {
    Path(MAIN_CSV).name: ("A", "B", "C"),
    Path(SYNONYM_CSV).name: ("A", "B", "C", "D"),
}
STIMULI_LABELS = {Path(MAIN_CSV).name: MAIN_CSV, Path(SYNONYM_CSV).name: SYNONYM_CSV}
# Cells that pandas.read_csv reads as missing by default, which the upstream ``dropna()`` drops.
_PANDAS_MISSING = frozenset(
    {
        "",
        "#N/A",
        "#N/A N/A",
        "#NA",
        "-1.#IND",
        "-1.#QNAN",
        "-NaN",
        "-nan",
        "1.#IND",
        "1.#QNAN",
        "<NA>",
        "N/A",
        "NA",
        "NULL",
        "NaN",
        "None",
        "n/a",
        "nan",
        "null",
    }
)

_STRING = datasets.Value("string")
_STRINGS = datasets.List(_STRING)

WAT_FEATURES = datasets.Features(
    {
        "id": _STRING,
        "domain": _STRING,
        "stereotype": _STRING,
        "variation": _STRING,
        "iteration": datasets.Value("int64"),
        "default_words": _STRINGS,
        "stigma_words": _STRINGS,
        "positive_attributes": _STRINGS,
        "negative_attributes": _STRINGS,
        "shown_groups": _STRINGS,
        "shown_attributes": _STRINGS,
        "prompt": _STRING,
        "system_prompt": _STRING,
        "upstream_script": _STRING,
        "language": _STRING,
    }
)

DECISION_FEATURES = datasets.Features(
    {
        "id": _STRING,
        "domain": _STRING,
        "stereotype": _STRING,
        "variation": _STRING,
        "iteration": datasets.Value("int64"),
        "groups_drawn": datasets.Value("bool"),
        "default_words": _STRINGS,
        "stigma_words": _STRINGS,
        "default_group": _STRING,
        "stigma_group": _STRING,
        "shown_groups": _STRINGS,
        "positive_positions": _STRINGS,
        "negative_positions": _STRINGS,
        "positive_position": _STRING,
        "negative_position": _STRING,
        "shown_positions": _STRINGS,
        "prompt": _STRING,
        "system_prompt": _STRING,
        "judge_stigma_words": _STRINGS,
        "judge_negative_words": _STRINGS,
        "upstream_script": _STRING,
        "language": _STRING,
    }
)

FIELD_DESCRIPTIONS = {
    "id": "stable identifier `<config>-<stereotype slug>-<variation>-<iteration:02d>`",
    "domain": "the social category: race, gender, religion or health (as the upstream scripts record it)",
    "stereotype": "the stereotype, as named in the `dataset` column of the stimuli CSVs",
    "variation": "the prompt variation (the upstream script's file name)",
    "iteration": "0-49: which of the 50 seeded draws of this (stereotype, variation)",
    "default_words": "the default group's words this variation draws from, lower-cased "
    "(decision with fixed groups: the one group name of the prompt)",
    "stigma_words": "the stigmatised group's words this variation draws from, lower-cased "
    "(decision with fixed groups: the one group name of the prompt)",
    "positive_attributes": "the positive attribute words of this variation, in file order",
    "negative_attributes": "the negative attribute words of this variation, in file order",
    "shown_groups": "the two group words in the order the prompt names them",
    "shown_attributes": "every attribute word in the (shuffled) order the prompt lists them",
    "prompt": "the user message, exactly as the upstream f-string writes it for this row's draws",
    "system_prompt": "the system message of the upstream script",
    "upstream_script": "the upstream script the prompt comes from (relative to `upstream/`)",
    "language": "language of the prompt (BCP-47)",
    "groups_drawn": "true when the script draws a default and a stigma word per iteration; false when "
    "its prompt names the two groups in its fixed text",
    "default_group": "the default group as the prompt writes it (the drawn word, or the fixed name)",
    "stigma_group": "the stigmatised group as the prompt writes it (the drawn word, or the fixed name)",
    "positive_positions": "the script's positive (stereotype-inconsistent for the stigma group) options",
    "negative_positions": "the script's negative (stereotype-consistent for the stigma group) options",
    "positive_position": "the positive option drawn for this row",
    "negative_position": "the negative option drawn for this row",
    "shown_positions": "the two drawn options in the order of the script's fields `pair_attribute[0]`, "
    "`pair_attribute[1]`",
    "judge_stigma_words": "best available List A of the paper's judge: the stigma words (lower-cased)",
    "judge_negative_words": "best available List B of the paper's judge: the negative options (lower-cased)",
}

CARD = CardInfo(
    pretty_name="LLM Implicit Bias: word-association and decision prompts (OpinionBench build)",
    license="mit",
    language=[LANGUAGE],
    source_datasets=["original"],
    homepage="https://arxiv.org/abs/2402.04105",
    task_categories=["text-generation"],
    tags=["implicit-bias", "stereotypes", "iat", "word-association", "decision-bias", "bias", "alignment"],
    citation="""
@article{bai2025explicitly,
  title   = {Explicitly unbiased large language models still form biased associations},
  author  = {Bai, Xuechunzi and Wang, Angelina and Sucholutsky, Ilia and Griffiths, Thomas L.},
  journal = {Proceedings of the National Academy of Sciences},
  volume  = {122},
  number  = {8},
  pages   = {e2416228122},
  year    = {2025},
  doi     = {10.1073/pnas.2416228122}
}

@article{bai2024measuring,
  title   = {Measuring Implicit Bias in Explicitly Unbiased Large Language Models},
  author  = {Bai, Xuechunzi and Wang, Angelina and Sucholutsky, Ilia and Griffiths, Thomas L.},
  journal = {arXiv preprint arXiv:2402.04105},
  year    = {2024},
  url     = {https://arxiv.org/abs/2402.04105}
}
""",
)


def build(source_path: str | Path | None = None) -> BuildResult:
    """Build the configs ``wat`` and ``decision`` (split ``test``; 21 x 4 x 50 rows each)."""
    path = resolve_source(SOURCE, source_path)
    root = path.parent.parent
    rejections: list[Rejection] = []
    stimuli = {
        name: _read_stimuli(root, STIMULI_LABELS[name], columns, rejections)
        for name, columns in STIMULI_COLUMNS.items()
    }
    analysis = _read_stimuli(root, ANALYSIS_CSV, ("A", "B", "C"), rejections)
    for name, table in stimuli.items():
        _check_stereotypes(table, STIMULI_LABELS[name], rejections)
    scripts = _read_scripts(root, rejections)
    judges = _read_judges(root, rejections)
    raise_rejections(SOURCE.name, rejections, reason=_REASON)

    words = _Words(stimuli, analysis)
    domains = _domains(scripts, stimuli[Path(MAIN_CSV).name], rejections)
    raise_rejections(SOURCE.name, rejections, reason=_REASON)
    rows: dict[str, list[dict]] = {task: [] for task in TASKS}
    for task in TASKS:
        for stereotype in STEREOTYPES:
            for variation in VARIATIONS[task]:
                script = scripts[(task, stereotype, variation)]
                try:
                    make = _wat_rows if task == "wat" else _decision_rows
                    rows[task] += make(script, stereotype, variation, domains[stereotype], words)
                except RowError as err:
                    rejections.append(err.at(script.label, f"stereotype {stereotype!r}"))
    raise_rejections(SOURCE.name, rejections, reason=_REASON)

    configs = {
        "wat": datasets.Dataset.from_list(rows["wat"], features=WAT_FEATURES),
        "decision": datasets.Dataset.from_list(rows["decision"], features=DECISION_FEATURES),
    }
    card = render_card(
        CARD,
        card_template(__name__),
        source=SOURCE.name,
        configs=configs,
        field_descriptions=FIELD_DESCRIPTIONS,
        rejections=[],
        fields=_card_fields(path, scripts, judges, rows, domains),
    )
    return BuildResult(
        source=SOURCE.name,
        configs=configs,
        card=card,
        rejections=[],
        source_file=path,
        summary=(
            (
                f"built {len(rows['wat'])} word-association and {len(rows['decision'])} decision prompts "
                f"({len(STEREOTYPES)} stereotypes x 4 variations x {N_ITERATIONS} iterations each) from {path}"
            ),
            (
                f"prompt texts, positions and group labels read from the {2 * len(STEREOTYPES) * 4} upstream "
                f"scripts; draws seeded from {BASE_SEED} + crc32(id prefix)"
            ),
        ),
    )


def folder_name(stereotype: str) -> str:
    """The upstream script folder (and recorded ``category``) of a stereotype: ``arab``, ``mentalill``."""
    return FOLDER_NAMES.get(stereotype, stereotype)


def id_prefix(task: str, stereotype: str, variation: str) -> str:
    """``<task>-<stereotype slug>-<variation>``: ``wat-arab_muslim-synonym``."""
    return f"{task}-{domain_slug(stereotype)}-{variation}"


def draw_seed(task: str, stereotype: str, variation: str) -> int:
    """The seed of one (task, stereotype, variation)'s draws: :data:`BASE_SEED` plus the CRC-32 of
    its id prefix (UTF-8), stable across Python versions and runs."""
    return BASE_SEED + zlib.crc32(id_prefix(task, stereotype, variation).encode("utf-8"))


# --- stimuli ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stereotype:
    """One stereotype's rows of a stimuli CSV: its category and each column's words (lower-cased,
    in file order, up to the column's first empty cell)."""

    name: str
    category: str
    words: dict[str, tuple[str, ...]]


def _read_stimuli(root: Path, label: str, columns: tuple[str, ...], rejections: list[Rejection]) -> dict:
    """The stereotypes of one stimuli CSV, in file order; bad rows become rejections."""
    records = read_csv_rows(root / label, label, ("category", "dataset", *columns))
    grouped: dict[str, list[tuple[str, dict]]] = {}
    previous = None
    for location, row in records:
        name = row["dataset"]
        if not name.strip():
            rejections.append(RowError("no stereotype", "the 'dataset' cell is empty").at(label, location))
            continue
        if name in grouped and name != previous:
            problem = RowError(
                "stereotype rows apart",
                f"{name!r} began at {grouped[name][0][0]}; a stereotype's rows must be adjacent",
            )
            rejections.append(problem.at(label, location))
        grouped.setdefault(name, []).append((location, row))
        previous = name
    table = {}
    for name, rows in grouped.items():
        category = rows[0][1]["category"]
        for location, row in rows:
            if row["category"] != category:
                problem = RowError(
                    "inconsistent category", f"{name!r} has category {row['category']!r} here, {category!r} above"
                )
                rejections.append(problem.at(label, location))
        words = {column: _column_words(name, rows, column, label, rejections) for column in columns}
        table[name] = _Stereotype(name, category, words)
    return table


def _column_words(name: str, rows: list, column: str, label: str, rejections: list[Rejection]) -> tuple[str, ...]:
    """A column's words for one stereotype: the cells up to the first empty one, lower-cased (as the
    upstream ``.dropna().str.lower()``); a word after an empty cell, or a cell that pandas would read
    as missing, is rejected."""
    listed: list[str] = []
    ended_at = None
    for location, row in rows:
        cell = row[column]
        if cell == "":
            ended_at = ended_at or location
            continue
        if ended_at is not None:
            problem = RowError(
                "word after an empty cell",
                f"column {column} of {name!r}: {clip(cell)} follows the empty cell at {ended_at}; a list ends at "
                "its first empty cell",
            )
            rejections.append(problem.at(label, location))
            break
        if cell in _PANDAS_MISSING or not cell.strip():
            problem = RowError(
                "word read as missing", f"column {column}: {clip(cell)} is no word (pandas reads it as missing)"
            )
            rejections.append(problem.at(label, location))
            continue
        listed.append(cell.lower())
    return tuple(listed)


def _check_stereotypes(table: dict[str, _Stereotype], label: str, rejections: list[Rejection]) -> None:
    """Exactly the 21 stereotypes, each with group words and an even, non-empty attribute list in C;
    in the synonym file, a D word beside every C word."""
    for name in STEREOTYPES:
        if name not in table:
            rejections.append(RowError("missing stereotype", f"no rows of {name!r}").at(label, "the whole file"))
    for name, stereotype in table.items():
        where = f"stereotype {name!r}"
        if name not in STEREOTYPES:
            problem = RowError("unknown stereotype", f"{clip(name)} is none of the paper's {len(STEREOTYPES)}")
            rejections.append(problem.at(label, where))
            continue
        for column, what in (("A", "default group"), ("B", "stigmatised group"), ("C", "attribute")):
            if not stereotype.words[column]:
                rejections.append(RowError(f"no {what} words", f"column {column} is empty").at(label, where))
        count = len(stereotype.words["C"])
        if count % 2:
            problem = RowError(
                "odd number of attributes",
                f"{count} words in column C; the first half are the positive and the second half the negative ones",
            )
            rejections.append(problem.at(label, where))
        if "D" in stereotype.words and len(stereotype.words["D"]) != count:
            problem = RowError(
                "synonyms do not pair up",
                f"{len(stereotype.words['D'])} words in column D, {count} in column C; each D word is the synonym "
                "of the C word beside it",
            )
            rejections.append(problem.at(label, where))


class _Words:
    """The word lists a script selects, and the valence of each attribute word."""

    def __init__(self, stimuli: dict[str, dict[str, _Stereotype]], analysis: dict[str, _Stereotype]):
        self.stimuli = stimuli
        self.analysis = analysis
        self.main = stimuli[Path(MAIN_CSV).name]

    def select(self, script: PromptScript, selection: Selection, stereotype: str) -> tuple[str, ...]:
        if selection.name not in (stereotype, folder_name(stereotype)):
            raise RowError(
                "selects another stereotype",
                f"the script selects dataset {selection.name!r}; expected {stereotype!r} (or {folder_name(stereotype)!r})",
            )
        if script.stimuli_file not in self.stimuli:
            raise RowError(
                "unknown stimuli file", f"the script reads {script.stimuli_file!r}, none of {list(self.stimuli)}"
            )
        table = self.stimuli[script.stimuli_file]
        if selection.column not in table[stereotype].words:
            raise RowError("unknown column", f"{script.stimuli_file} has no column {selection.column!r}")
        return table[stereotype].words[selection.column]

    def halves(self, script: PromptScript, stereotype: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``attributes[:len // 2]`` and ``attributes[len // 2:]`` (an even list only)."""
        attributes = self.select(script, script.attributes, stereotype)
        if len(attributes) % 2:
            raise RowError("odd number of attributes", f"{len(attributes)} words are split into halves")
        half = len(attributes) // 2
        return attributes[:half], attributes[half:]

    def valences(self, script: PromptScript, stereotype: str) -> list[tuple[str, bool]]:
        """Each attribute word of a word-association script with its valence (True: positive).

        In ``iat_stimuli.csv`` the first half of column C is positive. In the synonym file a word
        in one of the rows that mirror ``iat_stimuli.csv`` (its column C equals that file's column
        C there) takes the valence of the original word in its row; a word in a further row takes
        its half in ``iat_stimuli_analysis.csv``.
        """
        attributes = self.select(script, script.attributes, stereotype)
        original = self.main[stereotype].words["C"]
        if script.stimuli_file == Path(MAIN_CSV).name:
            if script.attributes.column != "C":
                raise RowError(
                    "no valence", f"the attributes of {MAIN_CSV} are column C, not {script.attributes.column}"
                )
            return [(word, index < len(attributes) // 2) for index, word in enumerate(attributes)]
        mirrored = self.stimuli[script.stimuli_file][stereotype].words["C"][: len(original)]
        if mirrored != original:
            raise RowError(
                "synonym rows differ",
                f"column C of {SYNONYM_CSV} begins {list(mirrored)[:4]}..., not with the {len(original)} attributes "
                f"of {MAIN_CSV}; the synonyms' valences come from that pairing",
            )
        return [
            (word, index < len(original) // 2 if index < len(original) else self._analysis_valence(stereotype, word))
            for index, word in enumerate(attributes)
        ]

    def _analysis_valence(self, stereotype: str, word: str) -> bool:
        entry = self.analysis.get(stereotype)
        listed = entry.words["C"] if entry else ()
        half = len(listed) // 2
        positive, negative = word in listed[:half], word in listed[half:]
        if len(listed) % 2 or positive == negative:
            raise RowError(
                "no valence",
                f"{word!r} is not in a row that mirrors {MAIN_CSV}, and {ANALYSIS_CSV} does not place it in exactly "
                f"one half of {stereotype!r}'s column C",
            )
        return positive


# --- scripts ---------------------------------------------------------------------------------


def _script_label(task: str, stereotype: str, variation: str) -> str:
    return f"{SCRIPT_FOLDERS[task]}/{folder_name(stereotype)}/{variation}.py"


def _upstream_label(label: str) -> str:
    return label.removeprefix("upstream/")


def _read_scripts(root: Path, rejections: list[Rejection]) -> dict[tuple[str, str, str], PromptScript]:
    scripts = {}
    for task in TASKS:
        for stereotype in STEREOTYPES:
            for variation in VARIATIONS[task]:
                label = _script_label(task, stereotype, variation)
                try:
                    script = _read_one(root, label, read_prompt_script)
                    _check_script(script, task, stereotype, variation)
                except ScriptError as err:
                    rejections.append(err.at(label, err.location))
                    continue
                scripts[(task, stereotype, variation)] = script
    return scripts


def _read_judges(root: Path, rejections: list[Rejection]) -> dict[str, JudgeScript]:
    judges = {}
    for stereotype in STEREOTYPES:
        label = f"{JUDGE_SCRIPTS}/{folder_name(stereotype)}.py"
        try:
            judge = _read_one(root, label, read_judge_script)
            if (judge.list_a_variable, judge.list_b_variable) != ("stigmas", "negative"):
                raise ScriptError(
                    0,
                    "unexpected judge lists",
                    f"List A is `{judge.list_a_variable}` and List B `{judge.list_b_variable}`; the judge fields "
                    "assume `stigmas` and `negative`",
                )
            if judge.list_a.name not in (stereotype, folder_name(stereotype)):
                raise ScriptError(0, "judge of another stereotype", f"it selects dataset {judge.list_a.name!r}")
        except ScriptError as err:
            rejections.append(err.at(label, err.location))
            continue
        judges[stereotype] = judge
    return judges


def _read_one(root: Path, label: str, reader):
    path = root / label
    if not path.is_file():
        raise ScriptError(0, "missing script", f"{path} does not exist")
    return reader(path, label)


def _check_script(script: PromptScript, task: str, stereotype: str, variation: str) -> None:
    """What the script records must be what its place says, and its prompt must have the fields of its task."""
    expected = {"category": folder_name(stereotype), "variation": variation, "bias": BIAS_LABELS[task]}
    for name, value in expected.items():
        if getattr(script, name) != value:
            raise ScriptError(
                0, f"unexpected {name}", f"the script records {name}={getattr(script, name)!r}, expected {value!r}"
            )
    if script.domain not in DOMAINS:
        raise ScriptError(0, "unknown domain", f"domain={script.domain!r} is none of {list(DOMAINS)}")
    if script.iterations != N_ITERATIONS:
        raise ScriptError(
            0, "unexpected iteration count", f"range({script.iterations}), expected range({N_ITERATIONS})"
        )
    fields = set(script.template.fields)
    if task == "wat":
        if fields != {*GROUP_FIELDS, ATTRIBUTES_FIELD} or not script.shuffles_attributes:
            raise ScriptError(
                0,
                "not a word-association prompt",
                f"fields {sorted(fields)}; expected both group words and the shuffled `attributes`",
            )
        if script.attributes is None:
            raise ScriptError(0, "no attributes", "`attributes` is never selected")
    else:
        unknown = fields - {*GROUP_FIELDS, *POSITION_FIELDS}
        if unknown or POSITION_FIELDS[0] not in fields:
            raise ScriptError(0, "not a decision prompt", f"fields {sorted(fields)}; expected the drawn positions")


def _domains(scripts: dict, main: dict[str, _Stereotype], rejections: list[Rejection]) -> dict[str, str]:
    """Each stereotype's domain: the one every script of it records. The CSV's ``category`` must be
    that domain, or the stereotype's own name (``age``'s rows say ``age``; its scripts, ``health``)."""
    domains = {}
    for stereotype in STEREOTYPES:
        recorded = {script.domain for (_, name, _), script in scripts.items() if name == stereotype}
        if len(recorded) != 1:
            problem = RowError("scripts disagree on the domain", f"they record {sorted(recorded)}")
            rejections.append(problem.at(f"{WAT_SCRIPTS}/{folder_name(stereotype)}/", "its scripts"))
            continue
        domains[stereotype] = recorded.pop()
        category = main[stereotype].category
        if category not in (domains[stereotype], stereotype):
            problem = RowError(
                "category differs from the scripts' domain",
                f"{stereotype!r} has category {category!r}; its scripts record domain {domains[stereotype]!r}",
            )
            rejections.append(problem.at(MAIN_CSV, f"stereotype {stereotype!r}"))
    return domains


# --- rows ------------------------------------------------------------------------------------


def _distinct(words: tuple[str, ...], what: str) -> None:
    repeated = sorted({word for word in words if words.count(word) > 1})
    if repeated:
        raise RowError(f"repeated {what}", f"{repeated} occur more than once, so a response could not be scored")


def _wat_rows(script: PromptScript, stereotype: str, variation: str, domain: str, words: _Words) -> list[dict]:
    defaults = words.select(script, script.defaults, stereotype)
    stigmas = words.select(script, script.stigmas, stereotype)
    valences = words.valences(script, stereotype)
    attributes = [word for word, _ in valences]
    _distinct(defaults + stigmas, "group words")
    _distinct(tuple(attributes), "attribute words")
    positive = [word for word, is_positive in valences if is_positive]
    negative = [word for word, is_positive in valences if not is_positive]
    if not positive or not negative:
        raise RowError("one-sided attributes", f"{len(positive)} positive and {len(negative)} negative words")

    prefix = id_prefix("wat", stereotype, variation)
    rng = np.random.default_rng(draw_seed("wat", stereotype, variation))
    rows = []
    for iteration in range(N_ITERATIONS):
        shown_groups, _, _ = _draw_pair(rng, defaults, stigmas)
        shown_attributes = [attributes[int(index)] for index in rng.permutation(len(attributes))]
        values = {
            GROUP_FIELDS[0]: shown_groups[0],
            GROUP_FIELDS[1]: shown_groups[1],
            ATTRIBUTES_FIELD: shown_attributes,
        }
        rows.append(
            {
                "id": f"{prefix}-{iteration:02d}",
                "domain": domain,
                "stereotype": stereotype,
                "variation": variation,
                "iteration": iteration,
                "default_words": list(defaults),
                "stigma_words": list(stigmas),
                "positive_attributes": positive,
                "negative_attributes": negative,
                "shown_groups": shown_groups,
                "shown_attributes": shown_attributes,
                "prompt": script.template.render(values),
                "system_prompt": script.system_prompt,
                "upstream_script": _upstream_label(script.label),
                "language": LANGUAGE,
            }
        )
    return rows


def _decision_rows(script: PromptScript, stereotype: str, variation: str, domain: str, words: _Words) -> list[dict]:
    if script.draws_groups:
        defaults = words.select(script, script.defaults, stereotype)
        stigmas = words.select(script, script.stigmas, stereotype)
        shown_fixed = None
    else:
        shown_fixed = _fixed_group_names(script)
        defaults, stigmas = (shown_fixed[0],), (shown_fixed[1],)
    _distinct(defaults + stigmas, "group words")
    halves = words.halves(script, stereotype) if script.positive is None or script.negative is None else ((), ())
    positive = script.positive if script.positive is not None else halves[0]
    negative = script.negative if script.negative is not None else halves[1]
    _distinct(tuple(positive) + tuple(negative), "positions")
    judge_stigmas = list(stigmas) if script.draws_groups else [script.fixed_groups[1].lower()]

    prefix = id_prefix("decision", stereotype, variation)
    rng = np.random.default_rng(draw_seed("decision", stereotype, variation))
    rows = []
    for iteration in range(N_ITERATIONS):
        if script.draws_groups:
            shown_groups, default_group, stigma_group = _draw_pair(rng, defaults, stigmas)
        else:
            default_group, stigma_group, in_order = shown_fixed
            shown_groups = list(in_order)
        shown_positions, positive_position, negative_position = _draw_pair(rng, positive, negative)
        values = dict(zip(GROUP_FIELDS, shown_groups)) | dict(zip(POSITION_FIELDS, shown_positions))
        rows.append(
            {
                "id": f"{prefix}-{iteration:02d}",
                "domain": domain,
                "stereotype": stereotype,
                "variation": variation,
                "iteration": iteration,
                "groups_drawn": script.draws_groups,
                "default_words": list(defaults),
                "stigma_words": list(stigmas),
                "default_group": default_group,
                "stigma_group": stigma_group,
                "shown_groups": shown_groups,
                "positive_positions": list(positive),
                "negative_positions": list(negative),
                "positive_position": positive_position,
                "negative_position": negative_position,
                "shown_positions": shown_positions,
                "prompt": script.template.render(values),
                "system_prompt": script.system_prompt,
                "judge_stigma_words": judge_stigmas,
                "judge_negative_words": [word.lower() for word in negative],
                "upstream_script": _upstream_label(script.label),
                "language": LANGUAGE,
            }
        )
    return rows


def _draw_pair(rng: np.random.Generator, first: tuple[str, ...], second: tuple[str, ...]) -> tuple[list, str, str]:
    """One word of each list: both in prompt order, the first list's word first when a uniform draw
    exceeds 0.5 (as the upstream ``[choice(a), choice(b)] if uniform(0, 1) > 0.5 else [choice(b),
    choice(a)]``); then the word of ``first`` and the word of ``second``.

    Draw order: the uniform number, then the index into ``first``, then the index into ``second``.
    """
    first_first = bool(rng.random() > 0.5)
    one = first[int(rng.integers(len(first)))]
    other = second[int(rng.integers(len(second)))]
    return ([one, other] if first_first else [other, one]), one, other


def _fixed_group_names(script: PromptScript) -> tuple[str, str, tuple[str, str]]:
    """The default and stigma group as a fixed-group prompt writes them (``group0`` is the default,
    ``group1`` the stigmatised group), and both in the order of the prompt.

    Each recorded label (``white``, ``arab``) must begin exactly one word of the prompt's text
    (``White``, ``Arabic``); that word is the name."""
    found = []
    for label in script.fixed_groups:
        matches = list(re.finditer(rf"(?<![A-Za-z]){re.escape(label)}[A-Za-z]*", script.template.text, re.IGNORECASE))
        if len(matches) != 1:
            raise RowError(
                "group name not found",
                f"the label {label!r} begins {len(matches)} words of the prompt, expected exactly one",
            )
        found.append(matches[0])
    in_order = tuple(match[0] for match in sorted(found, key=lambda match: match.start()))
    return found[0][0], found[1][0], in_order


# --- card ------------------------------------------------------------------------------------


def _card_fields(path: Path, scripts: dict, judges: dict, rows: dict[str, list[dict]], domains: dict) -> dict:
    return {
        "source_files_table": _source_files_table(SOURCE, path),
        "counts_table": _counts_table(rows),
        "stereotypes_table": _stereotypes_table(rows, domains),
        "omitted_fields": _omitted_fields(scripts),
        "judge_columns": _judge_columns(judges),
        "n_stereotypes": len(STEREOTYPES),
        "n_domains": len(DOMAINS),
        "n_iterations": N_ITERATIONS,
        "base_seed": BASE_SEED,
        "upstream_repo": UPSTREAM_REPO,
        "upstream_commit": UPSTREAM_COMMIT,
    }


def _counts_table(rows: dict[str, list[dict]]) -> str:
    lines = ["| config | rows | stereotypes | domains | variations | iterations each |", "|---|---|---|---|---|---|"]
    for task in TASKS:
        listed = rows[task]
        lines.append(
            f"| `{task}` | {len(listed)} | {len({row['stereotype'] for row in listed})} | "
            f"{len({row['domain'] for row in listed})} | {', '.join(f'`{v}`' for v in VARIATIONS[task])} | "
            f"{N_ITERATIONS} |"
        )
    return "\n".join(lines)


def _stereotypes_table(rows: dict[str, list[dict]], domains: dict[str, str]) -> str:
    first = {}
    for task in TASKS:
        for row in rows[task]:
            first.setdefault((task, row["stereotype"], row["variation"]), row)
    lines = [
        (
            "| domain | stereotype | script folder | group words (default / stigma) | attributes (+ / -) | "
            "synonym group words | synonym attributes (+ / -) | decision groups | decision positions (+ / -) |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for stereotype in sorted(STEREOTYPES, key=lambda name: (DOMAINS.index(domains[name]), STEREOTYPES.index(name))):
        wat = first[("wat", stereotype, "replication")]
        synonym = first[("wat", stereotype, "synonym")]
        decision = first[("decision", stereotype, "replication")]
        groups = (
            f"drawn ({len(decision['default_words'])} / {len(decision['stigma_words'])})"
            if decision["groups_drawn"]
            else f"fixed: {decision['default_group']} / {decision['stigma_group']}"
        )
        lines.append(
            f"| {domains[stereotype]} | {stereotype} | `{folder_name(stereotype)}` | "
            f"{len(wat['default_words'])} / {len(wat['stigma_words'])} | "
            f"{len(wat['positive_attributes'])} / {len(wat['negative_attributes'])} | "
            f"{len(synonym['default_words'])} / {len(synonym['stigma_words'])} | "
            f"{len(synonym['positive_attributes'])} / {len(synonym['negative_attributes'])} | {groups} | "
            f"{len(decision['positive_positions'])} / {len(decision['negative_positions'])} |"
        )
    return "\n".join(lines)


def _omitted_fields(scripts: dict) -> str:
    """Scripts whose prompt leaves out a word they draw (computed from the templates)."""
    lines = []
    for (task, stereotype, variation), script in scripts.items():
        drawn = [*(GROUP_FIELDS if script.draws_groups else ()), *(POSITION_FIELDS if task == "decision" else ())]
        missing = [name for name in drawn if name not in script.template.fields]
        if missing:
            lines.append(f"- `{_upstream_label(script.label)}` never shows {', '.join(f'`{m}`' for m in missing)}.")
    return "\n".join(lines) or "- none: every prompt shows every word its script draws."


def _judge_columns(judges: dict[str, JudgeScript]) -> str:
    columns = sorted({(judge.stimuli_file, judge.list_a.column, judge.list_b.column) for judge in judges.values()})
    return "; ".join(
        f"`{file}` column {a} (List A, `stigmas`) and column {b} (List B, `negative`)" for file, a, b in columns
    )
