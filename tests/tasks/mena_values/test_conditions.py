"""MENAValues cross-condition metrics (FCS, SPD, CLCS, logit leakage) in the report, on
hand-built rescored tasks: 2 items x 2 countries, neutral/persona/observer framings in English
and Arabic, log-probability and generation modes. Every expected value is worked out by hand
below from the answer tables."""

import csv
import json
import math

import pytest

from opinionbench.errors import OpinionBenchError
from opinionbench.leaderboard.report.files import write_report
from opinionbench.leaderboard.report.rescoring import RescoredTask
from opinionbench.leaderboard.report.survey_files import write_files as write_country_files
from opinionbench.leaderboard.report.survey_report import country_report
from opinionbench.run_info import run_info
from opinionbench.tasks.common.survey_summaries import macro_mean
from opinionbench.tasks.mena_values.conditions import MACRO, conditions_report
from opinionbench.tasks.mena_values.family import FAMILY as MENA_VALUES

MODEL = "org/model"
LOGPROB_RUN, GEN_RUN = "org__model_2025-01-01T00-00-00", "org__model_2025-01-02T00-00-00"
COUNTRIES = ("Egypt", "Jordan")
# q1: ordinal 1..5, alignment = 100 * (1 - |a - b| / 4) = 100 - 25 * |a - b|.
# q2: nominal 1..4, alignment = 100 if a == b else 0.
ITEMS = {
    "q1": {"scale_min": 1, "scale_max": 5, "nominal": False},
    "q2": {"scale_min": 1, "scale_max": 4, "nominal": True},
}
REFUSAL, INVALID, NONSUBSTANTIVE = "refusal", "invalid", "nonsubstantive"  # a missing answer, by status

# {(framing, language): {item: answer}}; neutral answers apply to both countries, persona and
# observer answers are {country: answer}. A status string stands for a missing answer.
LOGPROB = {
    ("neutral", "en"): {"q1": 3, "q2": 2},
    ("neutral", "ar"): {"q1": 4, "q2": 2},
    ("persona", "en"): {"q1": {"Egypt": 2, "Jordan": 5}, "q2": {"Egypt": 2, "Jordan": 3}},
    ("persona", "ar"): {"q1": {"Egypt": 3, "Jordan": 5}, "q2": {"Egypt": 2, "Jordan": 1}},
    ("observer", "en"): {"q1": {"Egypt": 4, "Jordan": 5}, "q2": {"Egypt": 2, "Jordan": 1}},
    ("observer", "ar"): {"q1": {"Egypt": 1, "Jordan": 4}, "q2": {"Egypt": 4, "Jordan": 1}},
}
GEN = {
    ("neutral", "en"): {"q1": REFUSAL, "q2": 1},
    ("neutral", "ar"): {"q1": 4, "q2": NONSUBSTANTIVE},
    ("persona", "en"): {"q1": {"Egypt": 1, "Jordan": INVALID}, "q2": {"Egypt": 1, "Jordan": 1}},
    ("persona", "ar"): {"q1": {"Egypt": 3, "Jordan": 5}, "q2": {"Egypt": 3, "Jordan": 3}},
    ("observer", "en"): {"q1": {"Egypt": 5, "Jordan": 2}, "q2": {"Egypt": 1, "Jordan": 2}},
    ("observer", "ar"): {"q1": {"Egypt": REFUSAL, "Jordan": 3}, "q2": {"Egypt": 3, "Jordan": REFUSAL}},
}
# Largest option probability of the log-probability answers (one per document: a neutral one
# holds for both countries): 0.6 unless listed here. The generation refuses neutral/en q1 (both
# countries), observer/ar q1 (Egypt) and observer/ar q2 (Jordan).
TOP_PROBABILITY = {
    ("neutral", "en", "q1", "Egypt"): 0.9,
    ("observer", "ar", "q1", "Egypt"): 0.75,
    ("observer", "ar", "q2", "Jordan"): 0.8,
}

# Expected rows: {(metric, mode, framing, language): {country: (mean, n_pairs, n_skipped)}} with
# "" for the field the two sides differ in (and mode for leakage, which compares the modes).
EXPECTED = {
    # FCS = alignment(persona, observer)
    ("fcs", "logprob", "", "en"): {
        "Egypt": ((100 - 25 * abs(2 - 4) + 100) / 2, 2, 0),  # q1 50, q2 2 == 2
        "Jordan": ((100 - 25 * abs(5 - 5) + 0) / 2, 2, 0),  # q1 100, q2 3 != 1
        MACRO: ((75 + 50) / 2, 4, 0),
    },
    ("fcs", "logprob", "", "ar"): {
        "Egypt": ((100 - 25 * abs(3 - 1) + 0) / 2, 2, 0),  # q1 50, q2 2 != 4
        "Jordan": ((100 - 25 * abs(5 - 4) + 100) / 2, 2, 0),  # q1 75, q2 1 == 1
        MACRO: ((25 + 87.5) / 2, 4, 0),
    },
    ("fcs", "gen", "", "en"): {
        "Egypt": ((100 - 25 * abs(1 - 5) + 100) / 2, 2, 0),  # q1 0, q2 1 == 1
        "Jordan": (0, 1, 1),  # q1 persona invalid: skipped; q2 1 != 2
        MACRO: ((50 + 0) / 2, 3, 1),
    },
    ("fcs", "gen", "", "ar"): {
        "Egypt": (100, 1, 1),  # q1 observer refused: skipped; q2 3 == 3
        "Jordan": (100 - 25 * abs(5 - 3), 1, 1),  # q1 50; q2 observer refused: skipped
        MACRO: ((100 + 50) / 2, 2, 2),
    },
    # SPD = alignment(neutral, persona)
    ("spd", "logprob", "", "en"): {
        "Egypt": ((100 - 25 * abs(3 - 2) + 100) / 2, 2, 0),  # q1 75, q2 2 == 2
        "Jordan": ((100 - 25 * abs(3 - 5) + 0) / 2, 2, 0),  # q1 50, q2 2 != 3
        MACRO: ((87.5 + 25) / 2, 4, 0),
    },
    ("spd", "logprob", "", "ar"): {
        "Egypt": ((100 - 25 * abs(4 - 3) + 100) / 2, 2, 0),  # q1 75, q2 2 == 2
        "Jordan": ((100 - 25 * abs(4 - 5) + 0) / 2, 2, 0),  # q1 75, q2 2 != 1
        MACRO: ((87.5 + 37.5) / 2, 4, 0),
    },
    ("spd", "gen", "", "en"): {  # q1 neutral refused: skipped; q2 1 == 1
        "Egypt": (100, 1, 1),
        "Jordan": (100, 1, 1),
        MACRO: (100, 2, 2),
    },
    ("spd", "gen", "", "ar"): {  # q1 |4 - 3| and |4 - 5|; q2 neutral non-substantive: skipped
        "Egypt": (100 - 25 * abs(4 - 3), 1, 1),
        "Jordan": (100 - 25 * abs(4 - 5), 1, 1),
        MACRO: (75, 2, 2),
    },
    # CLCS = alignment(English, Arabic)
    ("clcs", "logprob", "neutral", ""): {  # q1 |3 - 4|, q2 2 == 2, the same for both countries
        "Egypt": ((100 - 25 * abs(3 - 4) + 100) / 2, 2, 0),
        "Jordan": ((100 - 25 * abs(3 - 4) + 100) / 2, 2, 0),
        MACRO: (87.5, 4, 0),
    },
    ("clcs", "logprob", "persona", ""): {
        "Egypt": ((100 - 25 * abs(2 - 3) + 100) / 2, 2, 0),  # q1 75, q2 2 == 2
        "Jordan": ((100 - 25 * abs(5 - 5) + 0) / 2, 2, 0),  # q1 100, q2 3 != 1
        MACRO: ((87.5 + 50) / 2, 4, 0),
    },
    ("clcs", "logprob", "observer", ""): {
        "Egypt": ((100 - 25 * abs(4 - 1) + 0) / 2, 2, 0),  # q1 25, q2 2 != 4
        "Jordan": ((100 - 25 * abs(5 - 4) + 100) / 2, 2, 0),  # q1 75, q2 1 == 1
        MACRO: ((12.5 + 87.5) / 2, 4, 0),
    },
    ("clcs", "gen", "neutral", ""): {  # q1 English refused, q2 Arabic non-substantive: nothing scored
        "Egypt": (math.nan, 0, 2),
        "Jordan": (math.nan, 0, 2),
        MACRO: (math.nan, 0, 4),
    },
    ("clcs", "gen", "persona", ""): {
        "Egypt": ((100 - 25 * abs(1 - 3) + 0) / 2, 2, 0),  # q1 50, q2 1 != 3
        "Jordan": (0, 1, 1),  # q1 English invalid: skipped; q2 1 != 3
        MACRO: ((25 + 0) / 2, 3, 1),
    },
    ("clcs", "gen", "observer", ""): {
        "Egypt": (0, 1, 1),  # q1 Arabic refused: skipped; q2 1 != 3
        "Jordan": (100 - 25 * abs(2 - 3), 1, 1),  # q1 75; q2 Arabic refused: skipped
        MACRO: ((0 + 75) / 2, 2, 2),
    },
    # Logit leakage: % of generation refusals whose logprob top probability is > 0.75.
    ("logit_leakage", "", "neutral", "en"): {  # q1 refused for both countries; the neutral q1 top is 0.9
        "Egypt": (100 * 1 / 1, 1, 0),
        "Jordan": (100 * 1 / 1, 1, 0),
        MACRO: (100, 2, 0),
    },
    ("logit_leakage", "", "observer", "ar"): {
        "Egypt": (100 * 0 / 1, 1, 0),  # q1 refused, top exactly 0.75: not leaked
        "Jordan": (100 * 1 / 1, 1, 0),  # q2 refused, top 0.8: leaked
        MACRO: ((0 + 100) / 2, 2, 0),
    },
}
LEAKAGE_COUNTS = {  # (n_refusals, n_leaked) per leakage setting and country
    ("neutral", "en"): {"Egypt": (1, 1), "Jordan": (1, 1), MACRO: (2, 2)},
    ("observer", "ar"): {"Egypt": (1, 0), "Jordan": (1, 1), MACRO: (2, 1)},
}


def _payload(mode: str, framing: str, language: str, item: str, groups: list[str], answer) -> dict:
    missing = isinstance(answer, str)
    top = TOP_PROBABILITY.get((framing, language, item, groups[0]), 0.6) if mode == "logprob" else None
    return {
        "item": item,
        "groups": groups,
        # placeholder NVAS (the per-country report only averages them): 20 x the answer code
        "scores": [None if missing else 20.0 * answer] * len(groups),
        "answer": None if missing else float(answer),
        "status": answer if missing else "answered",
        "top_probability": top,
        "framing": framing,
        "prompt_language": language,
        "reasoning": False,
        "mode": mode,
        **ITEMS[item],
    }


def _task(mode: str, framing: str, language: str) -> RescoredTask:
    answers = (LOGPROB if mode == "logprob" else GEN)[(framing, language)]
    payloads = []
    for item, answer in answers.items():
        if framing == "neutral":
            payloads.append(_payload(mode, framing, language, item, list(COUNTRIES), answer))
        else:
            payloads += [_payload(mode, framing, language, item, [country], answer[country]) for country in COUNTRIES]
    summary = {"nvas": macro_mean(payloads)}  # as lm-eval's table would have it
    return RescoredTask(
        family=MENA_VALUES,
        task=f"mena_values_{framing}_{language}_{mode}",
        model=MODEL,
        info=run_info({"model_name": MODEL}),
        n_documents=len(payloads),
        payloads={"nvas": payloads},
        summary=summary,
        stderrs={},
        estimates={},
        lm_eval_summary=summary,
        lm_eval_stderrs={},
        aggregations={"nvas": macro_mean},
    )


def _inputs(labelled: list[tuple[str, RescoredTask]]) -> list[tuple[str, str, dict]]:
    """What the report hands the family's ``conditions``: (run label, task, payloads by key)."""
    return [(run, task.task, task.payloads) for run, task in labelled]


def _run(mode: str) -> list[RescoredTask]:
    return [_task(mode, framing, language) for framing, language in LOGPROB]


def _labelled() -> list[tuple[str, RescoredTask]]:
    """The model's tasks from two runs: log-probabilities in one, generation in the other."""
    return [(LOGPROB_RUN, task) for task in _run("logprob")] + [(GEN_RUN, task) for task in _run("gen")]


def _key(row: dict) -> tuple:
    return tuple("" if row[name] is None else row[name] for name in ("metric", "mode", "framing", "prompt_language"))


def _check_rows(rows: list[dict]) -> None:
    found: dict[tuple, dict] = {}
    for row in rows:
        found.setdefault(_key(row), {})[row["country"]] = row
    assert set(found) == set(EXPECTED)
    for key, countries in EXPECTED.items():
        assert list(found[key]) == list(countries), key
        for country, (mean, n_pairs, n_skipped) in countries.items():
            row = found[key][country]
            assert float(row["mean"]) == pytest.approx(mean, nan_ok=True), (key, country)
            assert (int(row["n_pairs"]), int(row["n_skipped"])) == (n_pairs, n_skipped), (key, country)
            if key[0] == "logit_leakage":
                assert (int(row["n_refusals"]), int(row["n_leaked"])) == LEAKAGE_COUNTS[key[2:]][country]
            else:
                assert row["n_refusals"] in (None, "") and row["n_leaked"] in (None, "")


def _csv_rows(path) -> list[dict]:
    """The rows of a CSV file, empty cells as None (a NaN mean as "nan")."""
    with path.open(encoding="utf-8") as handle:
        rows = [{key: value or None for key, value in row.items()} for row in csv.DictReader(handle)]
    return [{**row, "mean": row["mean"] or "nan"} for row in rows]


@pytest.fixture(scope="module")
def conditions():
    return conditions_report(MODEL, _inputs(_labelled()))


def test_every_comparison_equals_the_hand_calculation(conditions):
    _check_rows(conditions.rows())
    assert all(row["reasoning"] is False for row in conditions.rows())
    assert conditions.sources == sorted((run, task.task) for run, task in _labelled())


def test_intervals_resample_items(conditions):
    """Two items: a bootstrap draw takes (q1, q1), (q1, q2) or (q2, q2), each extreme with
    probability 1/4, so the 95% interval runs from the lower to the higher of the two
    one-item values. FCS logprob/en item scores: Egypt q1 50, q2 100; Jordan q1 100, q2 0;
    macro per draw: (50 + 100) / 2 = 75 (q1 only), (100 + 0) / 2 = 50 (q2 only)."""
    setting = {"mode": "logprob", "reasoning": False, "prompt_language": "en"}
    [fcs] = [m for m in conditions.metrics if m.comparison.metric == "fcs" and m.setting == setting]
    rows = {row["country"]: row for row in fcs.rows()}
    assert (rows["Egypt"]["ci_low"], rows["Egypt"]["ci_high"]) == (50, 100)
    assert (rows["Jordan"]["ci_low"], rows["Jordan"]["ci_high"]) == (0, 100)
    assert (rows[MACRO]["ci_low"], rows[MACRO]["ci_high"]) == (50, 75)


def test_the_same_condition_in_two_runs_is_refused():
    again = _task("logprob", "persona", "en")
    with pytest.raises(OpinionBenchError, match=f"two runs of one model, {LOGPROB_RUN} and other_run"):
        conditions_report(MODEL, _inputs([*_labelled(), ("other_run", again)]))


def test_the_same_answer_in_two_tasks_of_a_run_is_refused():
    again = _task("logprob", "persona", "en")
    renamed = RescoredTask(**{**again.__dict__, "task": "mena_values_persona_en_logprob_copy"})
    with pytest.raises(OpinionBenchError, match="answered twice, in .*_persona_en_logprob and .*_logprob_copy"):
        conditions_report(MODEL, _inputs([*_labelled(), (LOGPROB_RUN, renamed)]))


def test_one_condition_alone_gives_no_comparison():
    assert conditions_report(MODEL, _inputs([(LOGPROB_RUN, _task("logprob", "persona", "en"))])) is None


def test_files_hold_the_hand_values(conditions, tmp_path):
    write_report([], tmp_path / "report", conditions=[("org__model", MENA_VALUES, conditions)])
    folder = tmp_path / "report" / "org__model" / "mena_values_conditions"
    _check_rows(_csv_rows(folder / "conditions.csv"))
    assert (folder / "conditions.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(folder / "conditions.png") as picture:
        picture.verify()
    markdown = (folder / "conditions.md").read_text(encoding="utf-8")
    assert "| fcs | logprob, zero-shot, en | Egypt | 75.00 [50.00, 100.00] | 2 | 0 |" in markdown
    assert (folder / "conditions.tex").read_text(encoding="utf-8").count("75.00 [50.00, 100.00]") >= 1
    index = (tmp_path / "report" / "README.md").read_text(encoding="utf-8")
    assert "## MENAValues conditions — org/model" in index
    assert "(org__model/mena_values_conditions/conditions.csv)" in index
    assert "| fcs | logprob, zero-shot, en | 62.50 [50.00, 75.00] | 4 | 0 |" in index


def test_generation_task_is_ranked_by_nvas_per_country(tmp_path):
    """Placeholder NVAS 20 x answer; gen persona/ar: Egypt q1 3, q2 3 -> 60; Jordan q1 5, q2 3 -> 80."""
    report = country_report(_task("gen", "persona", "ar"))
    assert report.ranked_by == "nvas"
    assert [(row["rank"], row["country"], row["nvas"]) for row in report.country_rows()] == [
        (1, "Jordan", (20 * 5 + 20 * 3) / 2),
        (2, "Egypt", (20 * 3 + 20 * 3) / 2),
    ]
    assert report.headline() == f"nvas {(60 + 80) / 2:.4f} over 2 countries, 4 questions"
    written = write_country_files(report, tmp_path, "gen persona ar")
    assert all((tmp_path / name).is_file() for name in written.values())


def test_report_pools_the_runs_of_several_output_paths(tmp_path, monkeypatch, capsys):
    """`opinionbench report A B`: the logprob run under A, the generation run under B; lm-eval
    rescoring is replaced by the hand-built tasks."""
    from opinionbench.cli import main
    from opinionbench.leaderboard.report import command as report_command

    tasks = {task.task: task for task in _run("logprob") + _run("gen")}
    for path, run, mode in (("a", LOGPROB_RUN, "logprob"), ("b", GEN_RUN, "gen")):
        folder = tmp_path / path / "org__model"
        folder.mkdir(parents=True)
        timestamp = run.removeprefix("org__model_")
        names = [task.task for task in _run(mode)]
        results = {"results": {}, "configs": {name: {} for name in names}, "model_name": MODEL}
        results["model_name_sanitized"] = "org__model"
        (folder / f"results_{timestamp}.json").write_text(json.dumps(results), encoding="utf-8")
        for name in names:
            (folder / f"samples_{name}_{timestamp}.jsonl").touch()
    monkeypatch.setattr(report_command, "rescore", lambda run, task: tasks[task])
    out = tmp_path / "report"
    assert main(["report", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out)]) == 0
    assert (
        "MENAValues conditions (org/model): 12 condition tasks; fcs [gen, zero-shot, ar] 75.00;"
        in capsys.readouterr().out
    )
    _check_rows(_csv_rows(out / "org_model" / "mena_values_conditions" / "conditions.csv"))
    assert len(list(out.glob("org_model_*/mena_values_*/countries.csv"))) == 12

    single = tmp_path / "single"  # one path, as before: the log-probability comparisons only
    assert main(["report", str(tmp_path / "a"), "--out", str(single)]) == 0
    rows = _csv_rows(single / "org_model" / "mena_values_conditions" / "conditions.csv")
    assert {(row["metric"], row["mode"]) for row in rows} == {
        ("fcs", "logprob"),
        ("spd", "logprob"),
        ("clcs", "logprob"),
    }


def test_pairs_without_human_data_are_compared():
    """An item no country has data for (``groups`` empty) still counts for FCS: its payloads name
    the country they stand for under ``countries``. q1 persona 2 vs observer 4: 100 - 25 * 2 = 50."""

    def task(framing: str, answer: int) -> tuple[str, str, dict]:
        payload = {**_payload("logprob", framing, "en", "q1", ["Egypt"], answer), "groups": [], "scores": []}
        return LOGPROB_RUN, f"mena_values_{framing}_logprob", {"nvas": [{**payload, "countries": ["Egypt"]}]}

    report = conditions_report(MODEL, [task("persona", 2), task("observer", 4)])
    [fcs] = [row for row in report.rows() if row["metric"] == "fcs" and row["country"] == "Egypt"]
    assert (fcs["mean"], fcs["n_pairs"]) == (50.0, 1)
