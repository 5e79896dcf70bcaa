"""``opinionbench robustness`` on synthetic lm-eval output folders: real documents of the built
sources with the variant fields of each prompt, log-likelihoods made from a known per-item
preference over the canonical options plus a planted bonus on the first display position. Every
number of the report is checked against a direct computation in this file."""

from __future__ import annotations

import csv
import io
import json
import statistics
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest
from scipy.special import softmax

from opinionbench import families
from opinionbench.cli import main
from opinionbench.tasks.common import variants

ORDER = ("reversed", "permutation1", "permutation2", "permutation3")
BONUS = 1.5  # nats added to the option shown first
TIMESTAMP = "2026-01-01T00-00-00.000000"
PARTY_POSITIONS = {"agree": 0.0, "neutral": 0.5, "disagree": 1.0}


def _docs(build, family: str, variant: str, n: int | None = None) -> list[dict]:
    items = variants.apply_variant(build.dataset["test"], family, variant)
    return [dict(row) for row in items.select(range(min(n or len(items), len(items))))]


def _preference(doc: dict) -> np.ndarray:
    """The model's log-likelihood of each canonical option, the same under every prompt (below 0,
    with the bonus, as log-probabilities are)."""
    seed = int.from_bytes(doc["id"].encode()[-6:], "big")
    return np.random.default_rng(seed).normal(0.0, 1.0, len(doc["options"])) - 20.0


def _displayed_loglikelihoods(doc: dict, bonus: float) -> np.ndarray:
    order = variants.view(doc).display_order
    shown = np.array([_preference(doc)[option] for option in order])
    shown[0] += bonus
    return shown


def _canonical_probabilities(doc: dict, bonus: float) -> np.ndarray:
    shown = softmax(_displayed_loglikelihoods(doc, bonus))
    canonical = np.zeros_like(shown)
    for position, option in enumerate(variants.view(doc).display_order):
        canonical[option] = shown[position]
    return canonical


def _write_run(folder: Path, model: str, tasks: dict[str, tuple[list[dict], float, dict]]) -> None:
    """An lm-eval output folder: per task (documents, bonus, summary numbers) a samples log, and
    the results file."""
    run = folder / model
    run.mkdir(parents=True)
    for task, (docs, bonus, _) in tasks.items():
        lines = [
            json.dumps(
                {
                    "doc_id": doc_id,
                    "doc": doc,
                    "filtered_resps": [[str(value), "False"] for value in _displayed_loglikelihoods(doc, bonus)],
                }
            )
            for doc_id, doc in enumerate(docs)
        ]
        (run / f"samples_{task}_{TIMESTAMP}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = {
        "results": {
            task: {"alias": task, **{f"{key},none": value for key, value in summary.items()}}
            for task, (_, _, summary) in tasks.items()
        },
        "configs": {task: {"output_type": "multiple_choice", "metadata": {}} for task in tasks},
        "model_name": model,
        "model_name_sanitized": model,
    }
    (run / f"results_{TIMESTAMP}.json").write_text(json.dumps(results), encoding="utf-8")


def _task(family: str, variant: str) -> str:
    return families.get(family).canonical_task if variant == "canonical" else variants.task_name(family, variant)


def _summary(variant_index: int) -> dict[str, float]:
    rng = np.random.default_rng(variant_index)
    return {
        "econ": float(rng.normal()),
        "soc": float(rng.normal()),
        "option_mass": float(rng.uniform()),
        "uniform_econ": 0.38,  # a baseline: listed beside econ, not as a metric of its own
    }


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def _cli(paths: list[Path], out: Path) -> tuple[int, str, str]:
    """``opinionbench robustness PATHS --out OUT``: (exit status, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        status = main(["robustness", *map(str, paths), "--out", str(out)])
    return status, stdout.getvalue(), stderr.getvalue()


def _report(paths: list[Path], out: Path) -> str:
    status, printed, errors = _cli(paths, out)
    assert status == 0, errors
    return printed


PCT_PROMPTS = ("canonical", *ORDER, "letters", "paraphrase03")
N_PERMUTATION1 = 40  # the permutation1 run answered only the first 40 statements


@pytest.fixture(scope="module")
def pct_prompts(pct_build) -> dict[str, list[dict]]:
    return {
        variant: _docs(pct_build, "pct", variant, N_PERMUTATION1 if variant == "permutation1" else None)
        for variant in PCT_PROMPTS
    }


@pytest.fixture(scope="module")
def biased_report(pct_prompts, tmp_path_factory, wahl_o_mat_build):
    """The report of a model with the planted bias on PCT (two output folders) and on Wahl-O-Mat."""
    root = tmp_path_factory.mktemp("biased")
    tasks = {_task("pct", v): (docs, BONUS, _summary(i)) for i, (v, docs) in enumerate(pct_prompts.items())}
    tasks["pct_logprob"][2].update(econ_stderr=0.25)  # lm-eval's standard error of the canonical econ
    first = dict(list(tasks.items())[:3])
    _write_run(root / "run1", "biased-model", first)
    wahl = {
        _task("wahl_o_mat", v): (_docs(wahl_o_mat_build, "wahl_o_mat", v), BONUS, {}) for v in ("canonical", *ORDER)
    }
    _write_run(root / "run2", "biased-model", {**{k: v for k, v in tasks.items() if k not in first}, **wahl})
    return root / "report", _report([root / "run1", root / "run2"], root / "report")


def test_position_bias_recovers_the_planted_bonus(biased_report, pct_prompts):
    out, _ = biased_report
    rows = _csv(out / "biased-model" / "pct" / "position_bias.csv")
    order_prompts = [pct_prompts[v] for v in ("canonical", *ORDER)]
    ids = [doc["id"] for doc in pct_prompts["canonical"]]
    expected = np.zeros(4)
    for item_id in ids:  # per item the mean over the prompts that answered it, then the mean over items
        shown = [
            softmax(_displayed_loglikelihoods(doc, BONUS))
            for docs in order_prompts
            for doc in docs
            if doc["id"] == item_id
        ]
        expected += np.mean(shown, axis=0) / len(ids)
    assert [int(row["position"]) for row in rows] == [1, 2, 3, 4]
    for row, mass in zip(rows, expected):
        assert float(row["mass"]) == pytest.approx(mass, abs=1e-12)
        assert float(row["uniform"]) == 0.25 and int(row["n_items"]) == len(ids) and int(row["n_prompts"]) == 5
        assert float(row["ci_low"]) <= float(row["mass"]) <= float(row["ci_high"])
    assert float(rows[0]["ci_low"]) > 0.25 + 0.1  # the bonus lifts the first position far above 1/N
    assert (out / "biased-model" / "pct" / "position_bias.png").stat().st_size > 0


def test_an_unbiased_model_puts_about_one_nth_on_every_position(pct_prompts, tmp_path):
    tasks = {_task("pct", v): (docs, 0.0, _summary(i)) for i, (v, docs) in enumerate(pct_prompts.items())}
    _write_run(tmp_path / "run", "fair-model", tasks)
    _report([tmp_path / "run"], tmp_path / "report")
    for row in _csv(tmp_path / "report" / "fair-model" / "pct" / "position_bias.csv"):
        assert float(row["mass"]) == pytest.approx(0.25, abs=0.04)
        assert float(row["ci_low"]) <= 0.25 <= float(row["ci_high"])


def test_item_shifts_equal_a_direct_computation(biased_report, pct_prompts):
    out, _ = biased_report
    rows = {row["variant"]: row for row in _csv(out / "biased-model" / "pct" / "item_shifts.csv")}
    assert list(rows) == list(PCT_PROMPTS[1:])
    canonical = {doc["id"]: _canonical_probabilities(doc, BONUS) for doc in pct_prompts["canonical"]}
    scale = np.linspace(0, 1, 4)  # PCT's options are its scale: strongly disagree .. strongly agree
    for variant, row in rows.items():
        docs = pct_prompts[variant]
        pairs = [(canonical[doc["id"]], _canonical_probabilities(doc, BONUS)) for doc in docs]
        tv = [0.5 * sum(abs(a - b) for a, b in zip(p, q)) for p, q in pairs]
        changed = [float(np.argmax(p) != np.argmax(q)) for p, q in pairs]
        moved = [abs(float(q @ scale) - float(p @ scale)) for p, q in pairs]
        assert int(row["n_items"]) == len(docs) == (N_PERMUTATION1 if variant == "permutation1" else 62)
        assert row["kind"] == variants.variant_kind(variant)
        for key, values in (("tv_shift", tv), ("argmax_change_share", changed), ("position_shift", moved)):
            assert float(row[key]) == pytest.approx(statistics.fmean(values), abs=1e-12)
            assert float(row[f"{key}_ci_low"]) <= float(row[key]) <= float(row[f"{key}_ci_high"])
        assert row["human_spread"] == ""
    assert float(rows["letters"]["tv_shift"]) == pytest.approx(0.0, abs=1e-12)  # same order, same bonus
    assert float(rows["reversed"]["argmax_change_share"]) > 0


def test_metric_spread_equals_numpy_on_the_logged_summaries(biased_report):
    out, _ = biased_report
    rows = {row["metric"]: row for row in _csv(out / "biased-model" / "pct" / "metric_spread.csv")}
    assert list(rows) == ["econ", "soc", "option_mass"]
    scopes = {
        "all": PCT_PROMPTS,
        "order": ("canonical", *ORDER),
        "labels": ("canonical", "letters"),
        "paraphrase": ("canonical", "paraphrase03"),
    }
    for metric, row in rows.items():
        values = {variant: _summary(index)[metric] for index, variant in enumerate(PCT_PROMPTS)}
        for variant, value in values.items():
            assert float(row[variant]) == value
        for scope, prompts in scopes.items():
            chosen = np.array([values[prompt] for prompt in prompts])
            assert float(row[f"{scope}_min"]) == chosen.min() and float(row[f"{scope}_max"]) == chosen.max()
            assert float(row[f"{scope}_range"]) == pytest.approx(np.ptp(chosen))
            assert float(row[f"{scope}_sd"]) == pytest.approx(np.std(chosen))
            assert int(row[f"{scope}_n_prompts"]) == len(prompts)
    assert float(rows["econ"]["canonical_stderr"]) == 0.25
    assert float(rows["econ"]["uniform"]) == _summary(0)["uniform_econ"] and rows["soc"]["uniform"] == ""
    assert rows["soc"]["canonical_stderr"] == ""  # no standard error in the results


def test_prompt_spreads_for_the_report_equal_numpy_on_the_logged_summaries(biased_report):
    """What ``opinionbench report`` prints beside an instrument's interval: each summary number's
    spread over the canonical prompt and every variant, from both output folders."""
    from opinionbench.leaderboard.robustness.report import prompt_spreads
    from opinionbench.lm_eval_outputs import find_all_runs

    root = biased_report[0].parent
    found = prompt_spreads(list(find_all_runs([root / "run1", root / "run2"])))
    assert set(found) == {("biased-model", "pct_logprob"), ("biased-model", "wahl_o_mat_logprob")}
    for metric in ("econ", "soc"):
        values = np.array([_summary(index)[metric] for index in range(len(PCT_PROMPTS))])
        spread = found[("biased-model", "pct_logprob")][metric]
        assert (spread.n_prompts, spread.min, spread.max) == (len(PCT_PROMPTS), values.min(), values.max())
        assert spread.sd == pytest.approx(np.std(values))


def test_wahl_o_mat_human_spread_is_the_sd_over_parties(biased_report, wahl_o_mat_build):
    out, _ = biased_report
    docs = _docs(wahl_o_mat_build, "wahl_o_mat", "canonical")
    expected = statistics.fmean(statistics.pstdev(PARTY_POSITIONS[p] for p in doc["party_positions"]) for doc in docs)
    [row, *_] = _csv(out / "biased-model" / "wahl_o_mat" / "item_shifts.csv")
    assert float(row["human_spread"]) == pytest.approx(expected, abs=1e-12)
    position_rows = _csv(out / "biased-model" / "wahl_o_mat" / "position_bias.csv")
    assert [float(r["uniform"]) for r in position_rows] == [1 / 3] * 3


def test_index_and_console_name_every_report(biased_report):
    out, printed = biased_report
    index = (out / "README.md").read_text(encoding="utf-8")
    assert index.startswith("# OpinionBench robustness report")
    assert "biased-model/pct/metric_spread.md" in index and "biased-model/wahl_o_mat/item_shifts.md" in index
    assert "pct (biased-model): 6 variants" in printed and "human spread not defined" in printed
    assert "not defined" in (out / "biased-model" / "pct" / "item_shifts.md").read_text(encoding="utf-8")


def _human_spread_by_hand(docs: list[dict]) -> float:
    """Khan et al.: per question the SD (ddof=0) over countries of each country's mean position on
    [0, 1] (shares renormalised over the options on the scale), then the mean over questions."""
    spreads = []
    for doc in docs:
        on_scale = [index for index, value in enumerate(doc["ordinal"]) if value is not None]
        values = [doc["ordinal"][index] for index in on_scale]
        if len(set(values)) < 2:
            continue
        low, high = min(values), max(values)
        means = []
        for shares in doc["distributions"]:
            total = sum(shares[index] for index in on_scale)
            if total > 0:
                means.append(sum(shares[i] * (doc["ordinal"][i] - low) / (high - low) for i in on_scale) / total)
        if len(means) >= 2:
            spreads.append(statistics.pstdev(means))
    return statistics.fmean(spreads)


def test_mena_values_paraphrases_and_human_spread(mena_build, tmp_path):
    canonical = [dict(row) for row in mena_build.dataset["test"].select(range(60))]
    paraphrased = _docs(mena_build, "mena_values", "paraphrase03", 60)
    tasks = {
        "mena_values_logprob": (canonical, 0.0, {"nvas": 50.0}),
        "mena_values_paraphrase03_logprob": (paraphrased, BONUS, {"nvas": 40.0}),
    }
    _write_run(tmp_path / "run", "m", tasks)
    _report([tmp_path / "run"], tmp_path / "report")
    folder = tmp_path / "report" / "m" / "mena_values"
    [row] = _csv(folder / "item_shifts.csv")
    assert float(row["human_spread"]) == pytest.approx(_human_spread_by_hand(canonical), abs=1e-12)
    tv = [
        0.5 * np.abs(softmax(_preference(a)) - softmax(_displayed_loglikelihoods(b, BONUS))).sum()
        for a, b in zip(canonical, paraphrased)
    ]
    assert float(row["tv_shift"]) == pytest.approx(statistics.fmean(tv), abs=1e-12)
    assert not (folder / "position_bias.csv").exists()  # no order variants: no position bias
    [nvas] = _csv(folder / "metric_spread.csv")
    assert float(nvas["all_sd"]) == pytest.approx(np.std([50.0, 40.0]))


def test_global_opinions_mixed_option_counts(global_opinions_build, tmp_path):
    docs = {v: _docs(global_opinions_build, "global_opinions", v) for v in ("canonical", "reversed", "numbers")}
    _write_run(tmp_path / "run", "g", {_task("global_opinions", v): (d, BONUS, {}) for v, d in docs.items()})
    _report([tmp_path / "run"], tmp_path / "report")
    folder = tmp_path / "report" / "g" / "global_opinions"
    rows = _csv(folder / "position_bias.csv")
    counts = sorted({len(doc["options"]) for doc in docs["canonical"]})
    assert sorted({int(row["n_options"]) for row in rows}) == counts
    for row in rows:
        n, position = int(row["n_options"]), int(row["position"]) - 1
        items = [i for i, doc in enumerate(docs["canonical"]) if len(doc["options"]) == n]
        shown = [
            np.mean(
                [softmax(_displayed_loglikelihoods(docs[v][i], BONUS))[position] for v in ("canonical", "reversed")]
            )
            for i in items
        ]
        assert float(row["mass"]) == pytest.approx(statistics.fmean(shown), abs=1e-12)
    [reversed_row, _] = _csv(folder / "item_shifts.csv")
    assert float(reversed_row["human_spread"]) == pytest.approx(_human_spread_by_hand(docs["canonical"]), abs=1e-12)
    positions = []
    for a, b in zip(docs["canonical"], docs["reversed"]):
        ordinal = np.array([np.nan if x is None else x for x in a["ordinal"]])
        on = ~np.isnan(ordinal)
        if len(set(ordinal[on])) < 2:
            continue
        unit = (ordinal[on] - ordinal[on].min()) / (ordinal[on].max() - ordinal[on].min())
        p, q = _canonical_probabilities(a, BONUS)[on], _canonical_probabilities(b, BONUS)[on]
        positions.append(abs(q @ unit / q.sum() - p @ unit / p.sum()))
    assert float(reversed_row["position_shift"]) == pytest.approx(statistics.fmean(positions), abs=1e-12)
    assert int(reversed_row["n_ordinal_items"]) == len(positions)


def _error(paths: list[Path], out: Path) -> str:
    status, _, errors = _cli(paths, out)
    assert status == 2 and "Traceback" not in errors and not out.exists()
    return errors


def test_a_folder_without_runs_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    assert "holds no lm-eval results" in _error([tmp_path / "empty"], tmp_path / "out")


def test_runs_without_variants_or_canonical_task_say_what_is_missing(pct_prompts, tmp_path):
    _write_run(tmp_path / "a", "m", {"pct_logprob": (pct_prompts["canonical"], 0.0, {})})
    _write_run(tmp_path / "b", "n", {"pct_reversed_logprob": (pct_prompts["reversed"], 0.0, {})})
    message = _error([tmp_path / "a", tmp_path / "b"], tmp_path / "out")
    assert "pct_logprob (m): the canonical task without any variant" in message
    assert "pct_logprob (n): variants reversed but not the canonical task pct_logprob" in message


@pytest.mark.parametrize(
    ("edit", "fault"),
    [
        (lambda sample: "{not json", "line 3 is not valid JSON"),
        (
            lambda sample: json.dumps({**sample, "filtered_resps": sample["filtered_resps"][:2]}),
            "line 3: unreadable sample (`filtered_resps`",
        ),
        (lambda sample: json.dumps({**sample, "doc": {"id": "x"}}), "line 3: no logged document"),
        (lambda sample: json.dumps({**sample, "filtered_resps": [["nan?", "False"]] * 4}), "line 3: unreadable sample"),
    ],
)
def test_a_malformed_samples_line_names_file_and_line(pct_prompts, tmp_path, edit, fault):
    tasks = {_task("pct", v): (pct_prompts[v][:5], 0.0, {}) for v in ("canonical", "reversed")}
    _write_run(tmp_path / "run", "m", tasks)
    [path] = (tmp_path / "run").rglob("samples_pct_reversed_logprob_*.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = edit(json.loads(lines[2]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _error([tmp_path / "run"], tmp_path / "out")
    assert str(path) in message and fault in message


def test_other_tasks_are_ignored(pct_prompts, tmp_path):
    tasks = {_task("pct", v): (pct_prompts[v][:5], 0.0, {}) for v in ("canonical", "reversed")}
    _write_run(tmp_path / "run", "m", tasks)
    run = tmp_path / "run" / "m"
    results = json.loads(next(run.glob("results_*.json")).read_text())
    results["configs"]["pct_gen"] = {"output_type": "generate_until"}
    results["configs"]["arc_easy"] = {"output_type": "multiple_choice"}
    next(run.glob("results_*.json")).write_text(json.dumps(results))
    (run / f"samples_pct_gen_{TIMESTAMP}.jsonl").write_text(json.dumps({"doc": pct_prompts["canonical"][0]}) + "\n")
    (run / f"samples_arc_easy_{TIMESTAMP}.jsonl").write_text(json.dumps({"doc": {"question": "q"}}) + "\n")
    printed = _report([tmp_path / "run"], tmp_path / "report")
    assert "pct (m)" in printed and "pct_gen" not in printed and "arc_easy" not in printed


# --- model vs prompt: eta squared of a planted two-way design --------------------------------------

MODEL_EFFECT = {"model-a": 1.0, "model-b": -2.0, "model-c": 1.0}  # centred
PROMPT_EFFECT = {"canonical": 0.5, "reversed": -0.5, "permutation1": 1.0, "letters": -1.0}  # centred


def _planted_values() -> tuple[dict[tuple[str, str], float], np.ndarray]:
    """econ per (model, prompt): grand mean 3 + model effect + prompt effect + an interaction whose
    rows and columns sum to 0, so that the sums of squares are known in closed form."""
    raw = np.random.default_rng(7).normal(0.0, 0.8, (len(MODEL_EFFECT), len(PROMPT_EFFECT)))
    interaction = raw - raw.mean(axis=0) - raw.mean(axis=1, keepdims=True) + raw.mean()
    return {
        (model, prompt): 3.0 + a + b + interaction[i, j]
        for i, (model, a) in enumerate(MODEL_EFFECT.items())
        for j, (prompt, b) in enumerate(PROMPT_EFFECT.items())
    }, interaction


def test_model_vs_prompt_shares_equal_the_planted_sums_of_squares(pct_prompts, tmp_path):
    values, interaction = _planted_values()
    for model in MODEL_EFFECT:
        prompts = [*PROMPT_EFFECT, *(["paraphrase03"] if model == "model-a" else [])]  # one model ran one more
        tasks = {
            _task("pct", prompt): (
                pct_prompts[prompt][:5],
                0.0,
                {"econ": values.get((model, prompt), 9.0), "soc": 1.25, "option_mass": 0.5},
            )
            for prompt in prompts
        }
        _write_run(tmp_path / "runs", model, tasks)
    printed = _report([tmp_path / "runs"], tmp_path / "out")

    ss_model = len(PROMPT_EFFECT) * sum(a * a for a in MODEL_EFFECT.values())  # 4 x 6 = 24
    ss_prompt = len(MODEL_EFFECT) * sum(b * b for b in PROMPT_EFFECT.values())  # 3 x 2.5 = 7.5
    ss_interaction = float((interaction**2).sum())
    total = ss_model + ss_prompt + ss_interaction
    rows = {row["metric"]: row for row in _csv(tmp_path / "out" / "variance" / "pct_logprob.csv")}
    econ = rows["econ"]
    assert float(econ["total_ss"]) == pytest.approx(total)
    assert float(econ["model_share"]) == pytest.approx(ss_model / total)
    assert float(econ["prompt_share"]) == pytest.approx(ss_prompt / total)
    assert float(econ["interaction_share"]) == pytest.approx(ss_interaction / total)
    assert (int(econ["n_models"]), int(econ["n_prompts"])) == (3, 4)
    assert rows["soc"]["model_share"] == ""  # the same under every prompt: no variance to share
    index = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "## Model vs prompt: pct_logprob" in index and "Left out (not run by every model): paraphrase03" in index
    assert f"econ: model {ss_model / total:.2f}, prompt {ss_prompt / total:.2f}" in printed
    assert (tmp_path / "out" / "variance" / "pct_logprob.tex").read_text(encoding="utf-8").count("\\\\") >= 3


def test_one_model_gives_no_variance_table(pct_prompts, tmp_path):
    tasks = {_task("pct", p): (pct_prompts[p][:5], 0.0, {"econ": 1.0 + i}) for i, p in enumerate(PROMPT_EFFECT)}
    _write_run(tmp_path / "runs", "model-a", tasks)
    printed = _report([tmp_path / "runs"], tmp_path / "out")
    assert "model vs prompt" not in printed and not (tmp_path / "out" / "variance").exists()
