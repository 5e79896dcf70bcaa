"""Damaged lm-eval outputs read by ``opinionbench report``, ``robustness`` and ``leaderboard build``.

Each case writes a PCT run in lm-eval's format (:mod:`.lm_eval_runs`: the real documents, no model)
in ``{input}/bad/`` and damages one of its files. ``report`` and ``robustness`` refuse the input with
one error naming the file and the line or key; ``leaderboard build`` is given a good run beside the
damaged one (``{input}/good/``) and lists the damaged file as rejected, by its path relative to the
folder given (``input/bad/...``), while the site is built from the good one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from damaged_inputs.damaged_input import DamagedInput
from damaged_inputs.lm_eval_runs import CANONICAL, PERSONAS, REVERSED, STAMP, TABLE, samples_file, write_run

Damage = Callable[[Path], None]  # damages the run whose results file it is given

RESULTS = re.escape(f"bad/results_{STAMP}.json")
SAMPLES = re.escape(f"bad/samples_{CANONICAL}_{STAMP}.jsonl")
PERSONA_SAMPLES = re.escape(f"bad/samples_{PERSONAS}_{STAMP}.jsonl")
REVERSED_SAMPLES = re.escape(f"bad/samples_{REVERSED}_{STAMP}.jsonl")
NOT_READABLE = f"{RESULTS}: not a readable lm-eval results file: "
PAIRS = re.escape("`filtered_resps` is not one (log-likelihood, is_greedy) pair per option (4 options)")
NAN = "the log-likelihood of option 1 is 'nan', not a finite number"
POSITIVE = "the log-likelihood of option 1 is 0.7 > 0, a probability above 1"
DEEP = "JSON nested deeper than 64 levels"


# --- damages -------------------------------------------------------------------------------------


def results_text(edit: Callable[[str], str | bytes]) -> Damage:
    def damage(path: Path) -> None:
        text = edit(path.read_text(encoding="utf-8"))
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return damage


def results_json(edit: Callable[[dict], object]) -> Damage:
    return results_text(lambda text: json.dumps(edit(json.loads(text))))


def number(key: str, value: float, task: str = CANONICAL) -> Damage:
    """lm-eval's table holds ``value`` at ``key`` (``"metric,filter"``)."""
    return results_json(lambda results: {**results, "results": {**results["results"], task: {key: value}}})


def renamed_task(name: str, task: str = CANONICAL) -> Damage:
    """``task`` is called ``name`` everywhere in the results file."""

    def edit(results: dict) -> dict:
        for section in ("results", "configs", "versions", "n-shot", "n-samples", "group_subtasks"):
            results[section][name] = results[section].pop(task)
        return results

    return results_json(edit)


def display_name(name: str) -> Damage:
    return results_json(
        lambda results: {
            **results,
            "configs": {
                task: {**config, "metadata": {"display_name": name}} for task, config in results["configs"].items()
            },
        }
    )


def nested(path: Path) -> None:
    """A key nested 5,000 levels deep."""
    path.write_text(path.read_text(encoding="utf-8")[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")


def symlink_loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


def sample(index: int, edit: Callable[[dict], object], task: str = CANONICAL) -> Damage:
    """Line ``index + 1`` of ``task``'s samples log becomes ``edit(sample)`` (JSON, or text as is)."""

    def damage(path: Path) -> None:
        log = samples_file(path.parent, task)
        lines = log.read_text(encoding="utf-8").splitlines()
        edited = edit(json.loads(lines[index]))
        lines[index] = edited if isinstance(edited, str) else json.dumps(edited)
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return damage


def loglikelihoods(index: int, edit: Callable[[list], list], task: str = CANONICAL) -> Damage:
    """The ``filtered_resps`` of line ``index + 1`` become ``edit(filtered_resps)``."""
    return sample(index, lambda logged: {**logged, "filtered_resps": edit(logged["filtered_resps"])}, task)


def first_loglikelihood(text: str) -> Callable[[list], list]:
    return lambda pairs: [[text, "False"], *pairs[1:]]


def samples_text(edit: Callable[[str], str | bytes], task: str = CANONICAL) -> Damage:
    def damage(path: Path) -> None:
        log = samples_file(path.parent, task)
        text = edit(log.read_text(encoding="utf-8"))
        log.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return damage


GARBAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # a PNG header, then every byte


# --- cases ---------------------------------------------------------------------------------------


def _make(damage: Damage, *, tasks: tuple[str, ...], table: dict, beside_good: bool) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        if beside_good:
            write_run(folder, "good", tasks=tasks)
        damage(write_run(folder, "bad", tasks=tasks, table=table))

    return make


def report(
    name: str, damage: Damage, message: str, *, table: dict = TABLE, status: int = 2, tasks: tuple = (CANONICAL,)
) -> DamagedInput:
    make = _make(damage, tasks=tasks, table=table, beside_good=False)
    return DamagedInput(f"report-{name}", ("report", "{input}", "--out", "{out}"), make, message, status, status == 0)


def robustness(name: str, damage: Damage, message: str) -> DamagedInput:
    make = _make(damage, tasks=(CANONICAL, REVERSED), table=TABLE, beside_good=False)
    return DamagedInput(f"robustness-{name}", ("robustness", "{input}", "--out", "{out}"), make, message)


def leaderboard(name: str, damage: Damage, reason: str, *, alone: bool = False) -> DamagedInput:
    """The damaged run beside a good one (rejected, the site built), or ``alone`` (an error)."""
    make = _make(damage, tasks=(CANONICAL,), table=TABLE, beside_good=not alone)
    command = ("leaderboard", "build", "{input}", "--out", "{out}")
    if alone:
        return DamagedInput(f"leaderboard-{name}", command, make, reason)
    return DamagedInput(f"leaderboard-{name}", command, make, reason, status=0, rejected=True)


def rejected(reason: str) -> str:
    """The console line of a results file the site rejects, named relative to the folder given."""
    return f"(?m)^rejected input/{RESULTS}: {reason}"


def samples_not_used(reason: str) -> str:
    """The console line of a samples log the site could not score, named relative to the folder given."""
    return f"(?m)^bad {CANONICAL}: samples log not used \\(input/{SAMPLES}: {reason}"


CASES: list[DamagedInput] = [
    # lm-eval's samples log, rescored by the report
    report("samples-nan-loglikelihood", loglikelihoods(2, first_loglikelihood("nan")), f"{SAMPLES}: line 3: {NAN}"),
    report(
        "persona-samples-nan-loglikelihood",
        loglikelihoods(70, first_loglikelihood("nan"), PERSONAS),
        f"{PERSONA_SAMPLES}: line 71: {NAN}",
        tasks=(PERSONAS,),
    ),
    report(
        "persona-samples-doc-of-another-condition",
        sample(70, lambda s: {**s, "doc": {**s["doc"], "id": s["doc"]["statement_id"] + "|base|closed1"}}, PERSONAS),
        re.escape("document 70 is 'pct-09|base|closed1' in the log but 'pct-09|age=18|closed1' in the dataset"),
        tasks=(PERSONAS,),
    ),
    report(
        "samples-infinite-loglikelihood",
        loglikelihoods(2, first_loglikelihood("-inf")),
        "line 3: the log-likelihood of option 1 is '-inf', not a finite number",
    ),
    report("samples-positive-loglikelihood", loglikelihoods(2, first_loglikelihood("0.7")), f"line 3: {POSITIVE}"),
    report("samples-text-loglikelihood", loglikelihoods(2, first_loglikelihood("high")), "option 1 is 'high'"),
    report("samples-fewer-loglikelihoods", loglikelihoods(2, lambda pairs: pairs[1:]), f"line 3: {PAIRS}"),
    report("samples-more-loglikelihoods", loglikelihoods(2, lambda pairs: pairs * 2), f"line 3: {PAIRS}"),
    report("samples-loglikelihood-not-a-pair", loglikelihoods(2, lambda pairs: [1, 2, 3, 4]), f"line 3: {PAIRS}"),
    report(
        "samples-no-filtered-resps", sample(2, lambda s: {k: v for k, v in s.items() if k != "filtered_resps"}), PAIRS
    ),
    report(
        "samples-line-not-object", sample(2, lambda s: "[1, 2]"), f"{SAMPLES}: line 3 is an array, not a JSON object"
    ),
    report(
        "samples-truncated-last-line", samples_text(lambda text: text[:-40]), f"{SAMPLES}: line 62 is not valid JSON"
    ),
    report("samples-binary-garbage", samples_text(lambda text: GARBAGE), f"{SAMPLES}: line 1 is not UTF-8 text"),
    report("samples-nested-too-deep", sample(0, lambda s: "[" * 5000 + "]" * 5000), f"line 1: {DEEP}"),
    report("samples-empty", samples_text(lambda text: "\n"), f"{SAMPLES} holds no samples"),
    report("samples-doc-not-object", sample(2, lambda s: {**s, "doc": "text"}), "document 2 is None in the log but"),
    report("samples-doc-of-another-build", sample(2, lambda s: {**s, "doc": {"id": "pct-x"}}), "'pct-x' in the log"),
    report("samples-doc-id-out-of-range", sample(2, lambda s: {**s, "doc_id": 999}), "doc_id 999 is not a document"),
    # lm-eval's results file, read by every command
    report("results-empty", results_text(lambda text: ""), NOT_READABLE + "the file is empty"),
    report("results-truncated", results_text(lambda text: text[:300]), NOT_READABLE + "not valid JSON, truncated"),
    report("results-binary-garbage", results_text(lambda text: GARBAGE), NOT_READABLE + "not UTF-8 text"),
    report("results-top-level-array", results_json(lambda r: [r]), "the top level is an array, not an object"),
    report(
        "results-no-results-key", results_json(lambda r: {k: v for k, v in r.items() if k != "results"}), "no 'results'"
    ),
    report("results-nested-too-deep", nested, NOT_READABLE + DEEP),
    report("results-symlink-loop", symlink_loop, NOT_READABLE + r"unreadable \(Too many levels of symbolic links\)"),
    report("results-infinity", number("econ,none", float("inf")), r"\['econ,none'\] is Infinity, not a finite number"),
    report("results-negative-stderr", number("econ_stderr,none", -0.5), r"\['econ_stderr,none'\] is -0.5, outside"),
    report(
        "results-config-not-object",
        results_json(lambda r: {**r, "configs": {CANONICAL: []}}),
        r"configs\['pct_logprob'\] is an array, not an object",
    ),
    report(
        "task-name-path-traversal", renamed_task("../../evil"), r"the task name '\.\./\.\./evil' is not a file name"
    ),
    report("task-name-nul", renamed_task("pct\x00logprob"), r"the task name 'pct\\x00logprob' is not a file name"),
    report("results-unknown-task", renamed_task("arc_easy"), "no OpinionBench task with logged samples"),
    report(
        "model-name-control-characters",
        display_name("evil\nmodel\x00\x1b[31m"),
        f"(?m)^{CANONICAL} \\(evil\ufffdmodel\ufffd\ufffd\\[31m\\): econ",
        table={},  # no numbers to compare with the recomputed ones
        status=0,
    ),
    # the robustness report
    robustness("samples-nan-loglikelihood", loglikelihoods(2, first_loglikelihood("nan"), REVERSED), NAN),
    robustness("samples-positive-loglikelihood", loglikelihoods(2, first_loglikelihood("0.7"), REVERSED), POSITIVE),
    robustness("samples-fewer-loglikelihoods", loglikelihoods(2, lambda pairs: pairs[:3], REVERSED), PAIRS),
    robustness(
        "samples-first-line-not-object",
        sample(0, lambda s: "3", REVERSED),
        f"{REVERSED_SAMPLES}: line 1 is a number, not a JSON object",
    ),
    robustness(
        "samples-doc-missing-display-order",
        sample(2, lambda s: {**s, "doc": {k: v for k, v in s["doc"].items() if k != "display_order"}}, REVERSED),
        "line 3: unreadable sample \\(the document has no field 'display_order'\\)",
    ),
    robustness(
        "results-negative-option-mass", number("option_mass,none", -0.5), r"is -0.5, outside its domain \[0, inf\]"
    ),
    robustness("results-infinity", number("soc,none", float("-inf")), r"\['soc,none'\] is -Infinity"),
    robustness("task-name-with-slash", renamed_task("pct/reversed", REVERSED), "the task name 'pct/reversed'"),
    robustness("results-nested-too-deep", nested, DEEP),
    # the leaderboard site: the damaged run is rejected, the good one built
    leaderboard("results-nested-too-deep", nested, rejected(DEEP)),
    leaderboard("results-symlink-loop", symlink_loop, rejected("unreadable")),
    leaderboard("results-empty", results_text(lambda text: ""), rejected("the file is empty")),
    leaderboard("results-binary-garbage", results_text(lambda text: GARBAGE), rejected("not UTF-8 text")),
    leaderboard("results-infinity", number("econ,none", float("inf")), rejected(r".*'econ,none'\] is Infinity")),
    leaderboard("results-negative-option-mass", number("option_mass,none", -0.5), rejected(".*is -0.5, outside")),
    leaderboard(
        "results-similarity-above-one",
        number("js_similarity,none", 1.5),
        rejected(r".*\['js_similarity,none'\] is 1.5, outside its domain \[0, 1\]"),
    ),
    leaderboard("results-negative-stderr", number("econ_stderr,none", -1.0), rejected(".*is -1.0, outside")),
    leaderboard("results-control-character-metric", number("ec\non,none", 1.0), rejected(".*not a metric name")),
    leaderboard("task-name-path-traversal", renamed_task("../../escaped"), rejected("the task name")),
    leaderboard("samples-nan-loglikelihood", loglikelihoods(2, first_loglikelihood("nan")), samples_not_used("line 3")),
    leaderboard(
        "samples-positive-loglikelihood",
        loglikelihoods(2, first_loglikelihood("0.7")),
        samples_not_used(f"line 3: {POSITIVE}"),
    ),
    leaderboard("samples-truncated-last-line", samples_text(lambda text: text[:-40]), samples_not_used("line 62")),
    leaderboard("samples-line-not-object", sample(0, lambda s: "null"), samples_not_used("line 1 is null")),
    leaderboard("results-only-damaged-run", nested, "no valid lm-eval results file", alone=True),
]
