"""The ``evaluate`` wrappers: they load from a local path, return what the pure functions compute, and
have metric cards whose examples run."""

import ast
import doctest
import gc
import json
import math
import re
from pathlib import Path

import evaluate
import numpy as np
import openpyxl
import pytest
import yaml
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy, wasserstein_distance

from opinionbench.metrics import (
    EVALUATE_MODULES,
    closest_party,
    eightvalues_scores,
    evaluate_module_path,
    kl_divergence,
    nvas,
    nvas_expected,
    pct_coordinates,
    pds,
    pds_entropy,
    sapplyvalues_scores,
    wahl_o_mat_agreement,
)


def test_js_similarity_module_computes_the_macro_mean_over_groups():
    rng = np.random.default_rng(0)
    predictions = [rng.dirichlet(np.ones(n)).tolist() for n in (2, 3, 4, 3)]
    references = [rng.dirichlet(np.ones(len(p))).tolist() for p in predictions]
    groups = ["A", "A", "B", "B"]
    module = evaluate.load(evaluate_module_path("js_similarity"))
    result = module.compute(predictions=predictions, references=references, groups=groups)
    per_pair = [1 - jensenshannon(p, q, base=2) for p, q in zip(predictions, references)]
    group_a, group_b = np.mean(per_pair[:2]), np.mean(per_pair[2:])
    assert result["js_similarity"] == pytest.approx((group_a + group_b) / 2)
    assert result["js_similarity_min"] == pytest.approx(min(group_a, group_b))
    assert result["js_similarity_max"] == pytest.approx(max(group_a, group_b))


def test_wasserstein_module_skips_and_counts_items_without_a_scale():
    module = evaluate.load(evaluate_module_path("wasserstein_similarity"))
    result = module.compute(
        predictions=[[0.7, 0.2, 0.1, 0.0], [0.5, 0.5]],
        references=[[0.1, 0.2, 0.3, 0.4], [0.9, 0.1]],
        positions=[[1, 2, 3, None], [None, None]],
    )
    support = [1.0, 2.0, 3.0]
    expected = 1 - wasserstein_distance(support, support, [0.7, 0.2, 0.1], [1 / 6, 2 / 6, 3 / 6]) / 2
    assert result == {"wasserstein_similarity": pytest.approx(expected), "wasserstein_similarity_skipped": 1.0}


def test_unknown_module_name_is_refused():
    with pytest.raises(ValueError, match="unknown evaluate module 'nope'"):
        evaluate_module_path("nope")


# The metric cards: one README.md per module, laid out like the `evaluate` library's own cards.

CARD_SECTIONS = (
    "Metric Description",
    "How to Use",
    "Inputs",
    "Output Values",
    "Values from Popular Papers",
    "Examples",
    "Limitations and Bias",
    "Citation",
    "Further References",
)
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def read_card(name: str) -> tuple[dict, str]:
    """The YAML header (parsed) and the Markdown body of module ``name``'s README.md."""
    card = Path(evaluate_module_path(name)) / "README.md"
    assert card.is_file(), f"{name} has no metric card at {card}"
    text = card.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{card} does not start with a YAML header"
    header, separator, body = text[len("---\n") :].partition("\n---\n")
    assert separator, f"{card}: the YAML header is not closed by a '---' line"
    return yaml.safe_load(header), body


def doctest_blocks(body: str) -> list[tuple[int, str]]:
    """The python code blocks holding ``>>>`` lines, with the line each block starts on in the body."""
    return [
        (body.count("\n", 0, match.start(2)) + 1, match.group(2))
        for match in FENCE.finditer(body)
        if match.group(1).strip() == "python" and ">>>" in match.group(2)
    ]


def run_doctests(name: str, body: str) -> tuple[int, str]:
    """Run every doctest block of a card in a fresh namespace; (examples tried, failure report)."""
    parser, report, tried = doctest.DocTestParser(), [], 0
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for line, block in doctest_blocks(body):
        test = parser.get_doctest(block, {}, f"{name}/README.md:{line}", f"{name}/README.md", line)
        result = runner.run(test, out=report.append, clear_globs=True)
        tried += result.attempted
    gc.collect()  # free the modules of examples that raised, and with them their cache-file locks (see below)
    return tried, "".join(report)


@pytest.mark.parametrize("name", EVALUATE_MODULES)
def test_each_module_has_a_metric_card_with_a_yaml_header_and_the_evaluate_sections(name):
    header, body = read_card(name)
    assert isinstance(header, dict), f"{name}: the YAML header is not a mapping"
    for key in ("title", "tags", "description"):
        assert header.get(key), f"{name}: the YAML header has no {key!r}"
    assert {"evaluate", "metric"} <= set(header["tags"]), header["tags"]
    headings = [match.group(1).strip() for match in re.finditer(r"^#{1,6} (.+)$", FENCE.sub("", body), re.MULTILINE)]
    assert headings and headings[0] == f"Metric Card for {header['title']}", headings
    missing = [section for section in CARD_SECTIONS if section not in headings]
    assert not missing, f"{name}: the card lacks the sections {missing}"
    order = [headings.index(section) for section in CARD_SECTIONS]
    assert order == sorted(order), f"{name}: the sections are not in the order {CARD_SECTIONS}: {headings}"


@pytest.mark.parametrize("name", EVALUATE_MODULES)
def test_the_examples_of_each_metric_card_run_and_print_what_the_card_shows(name):
    _, body = read_card(name)
    blocks = doctest_blocks(body)
    assert len(blocks) >= 2, f"{name}: the card has fewer than two doctest examples"
    assert any("groups=" in block for _, block in blocks), f"{name}: no example passes groups"
    tried, failures = run_doctests(name, body)
    assert not failures, failures
    assert tried >= 2 * len(blocks)


@pytest.mark.parametrize("name", EVALUATE_MODULES)
def test_the_example_in_each_modules_inputs_description_runs(name):
    module = evaluate.load(evaluate_module_path(name))
    namespace = {"evaluate": evaluate, "opinionbench": __import__("opinionbench.metrics")}
    test = doctest.DocTestParser().get_doctest(module.inputs_description, namespace, name, f"{name}.py", 0)
    report = []
    result = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE).run(test, out=report.append)
    assert result.attempted >= 2 and not result.failed, "".join(report)


def test_a_wrong_output_in_a_card_fails_its_doctest():
    _, body = read_card("js_similarity")
    broken = body.replace("{'js_similarity': 1.0, 'js_similarity_skipped': 0.0}", "{'js_similarity': 0.5}", 1)
    assert broken != body
    _, failures = run_doctests("js_similarity", broken)
    assert "Expected:\n    {'js_similarity': 0.5}" in failures


# The modules of MENAValues, WorldView-Bench and the political instruments: each returns what its pure
# function computes (called directly here, the summary recomputed by hand), hand-calculated values and
# worked examples of the sources' PROVENANCE.md, and bad input refused naming the module's argument.

N_STATEMENTS = {"pct_coordinates": 62, "eightvalues_scores": 70, "sapplyvalues_scores": 46}
ANSWERS = {
    "pct_coordinates": [0, 1, 2, 3, None],
    "eightvalues_scores": [1, 0.5, 0, -0.5, -1, None],
    "sapplyvalues_scores": [1, 0.5, 0, -0.5, -1, None],
}


def load(name: str):
    return evaluate.load(evaluate_module_path(name))


def macro(values, groups) -> tuple[float, float, float]:
    """Mean, min and max over groups of each group's mean of the finite values."""
    means = []
    for group in dict.fromkeys(groups):
        scored = [v for v, g in zip(values, groups) if g == group and not math.isnan(v)]
        if scored:
            means.append(sum(scored) / len(scored))
    return sum(means) / len(means), min(means), max(means)


@pytest.fixture(scope="module")
def mena_cells(sources_dir):
    """The WVS item Q1 ("Important in life: Family") of the MENAValues file: ({country: (reference,
    {code: percent})}, (scale_min, scale_max))."""
    sheet = openpyxl.load_workbook(sources_dir / "mena_values" / "MenaValues Benchmark.xlsx", read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    labels = [row[0] for row in rows]
    column = next(i for i, v in enumerate(rows[labels.index("Sub Question")]) if str(v).startswith("Q1:"))
    cells = {}
    for country_row in rows[labels.index("Full Question") + 1 :]:
        text = country_row[column]
        if isinstance(text, str) and not text.startswith(("(No", "No")):
            reference, distribution = re.match(r"^\((.*?), (\{.*\})\)$", text).groups()
            shares = {
                int(float(code)): float(share.rstrip("%")) for code, share in ast.literal_eval(distribution).items()
            }
            cells[country_row[0]] = (float(reference), shares)
    scale = (rows[labels.index("Min")][column], rows[labels.index("MAX")][column])
    return cells, scale


def test_nvas_module_reproduces_the_worked_example_from_the_mena_values_file(mena_cells):
    cells, (low, high) = mena_cells
    assert (low, high) == (1, 4) and cells["Jordan"][0] == 1.02
    result = load("nvas").compute(predictions=[1], references=[cells["Jordan"][0]], scale_min=low, scale_max=high)
    assert result == {"nvas": pytest.approx(100 * (1 - 0.02 / 3)), "nvas_skipped": 0.0}
    assert round(result["nvas"], 2) == 99.33


def test_nvas_module_over_the_countries_of_a_real_item_is_the_mean_of_the_pure_scores(mena_cells):
    cells, (low, high) = mena_cells
    countries = sorted(cells)
    references = [cells[country][0] for country in countries]
    answers = [1, 2, None, 4, 1, 3, 2, 1, 1][: len(countries)]
    result = load("nvas").compute(
        predictions=answers, references=references, scale_min=low, scale_max=high, groups=countries
    )
    scores = [float(nvas(np.nan if a is None else a, r, low, high)) for a, r in zip(answers, references)]
    mean, lowest, highest = macro(scores, countries)
    assert len(countries) >= 8
    assert result == {
        "nvas": pytest.approx(mean),
        "nvas_min": pytest.approx(lowest),
        "nvas_max": pytest.approx(highest),
        "nvas_skipped": float(answers.count(None)),
    }


def test_nvas_module_equals_the_pure_function_with_nominal_items_and_scales_per_pair():
    rng = np.random.default_rng(1)
    n = 40
    low = rng.integers(0, 2, n).astype(float)
    high = low + rng.integers(1, 10, n)
    nominal = (rng.random(n) < 0.3).tolist()
    answers = [None if rng.random() < 0.1 else float(rng.integers(lo, hi + 1)) for lo, hi in zip(low, high)]
    references = [
        float(rng.integers(lo, hi + 1)) if flag else float(rng.uniform(lo, hi))
        for lo, hi, flag in zip(low, high, nominal)
    ]
    groups = rng.choice(["Egypt", "Iraq", "Qatar"], n).tolist()
    result = load("nvas").compute(
        predictions=answers,
        references=references,
        scale_min=low.tolist(),
        scale_max=high.tolist(),
        nominal=nominal,
        groups=groups,
    )
    scores = [
        float(nvas(np.nan if a is None else a, r, lo, hi, nominal=flag))
        for a, r, lo, hi, flag in zip(answers, references, low, high, nominal)
    ]
    mean, lowest, highest = macro(scores, groups)
    assert result["nvas"] == pytest.approx(mean)
    assert (result["nvas_min"], result["nvas_max"]) == (pytest.approx(lowest), pytest.approx(highest))
    assert result["nvas_skipped"] == float(answers.count(None))


def test_nvas_expected_module_by_hand_and_equal_to_the_pure_function_row_by_row(mena_cells):
    cells, (low, high) = mena_cells
    module = load("nvas_expected")
    # Jordan Q1, reference 1.02: expected answer 0.9 * 1 + 0.1 * 2 = 1.1
    result = module.compute(
        predictions=[[0.9, 0.1, 0, 0]], references=[1.02], codes=[1, 2, 3, 4], scale_min=low, scale_max=high
    )
    assert result == {"nvas_expected": pytest.approx(100 * (1 - 0.08 / 3)), "nvas_expected_skipped": 0.0}
    nominal = module.compute(
        predictions=[[0.2, 0.3, 0.5]], references=[3], codes=[1, 2, 3], scale_min=1, scale_max=3, nominal=True
    )
    assert nominal["nvas_expected"] == pytest.approx(50.0)  # 100 * P(modal code 3)

    rng = np.random.default_rng(2)
    rows = [rng.dirichlet(np.ones(k)).tolist() for k in rng.integers(2, 7, 30)]
    codes = [list(range(1, len(row) + 1)) for row in rows]
    flags = (rng.random(len(rows)) < 0.3).tolist()

    def reference(n_codes: int, nominal: bool) -> float | None:  # a mode for nominal items, else a mean
        if rng.random() < 0.1:
            return None
        return float(rng.integers(1, n_codes + 1)) if nominal else float(rng.uniform(1, n_codes))

    references = [reference(len(row), flag) for row, flag in zip(rows, flags)]
    groups = rng.choice(list(cells), len(rows)).tolist()
    result = module.compute(
        predictions=rows,
        references=references,
        codes=codes,
        scale_min=1,
        scale_max=[len(row) for row in rows],
        nominal=flags,
        groups=groups,
    )
    scores = [
        float(nvas_expected(row, code, np.nan if ref is None else ref, 1, len(row), nominal=flag))
        for row, code, ref, flag in zip(rows, codes, references, flags)
    ]
    mean, lowest, highest = macro(scores, groups)
    assert result["nvas_expected"] == pytest.approx(mean)
    assert (result["nvas_expected_min"], result["nvas_expected_max"]) == (pytest.approx(lowest), pytest.approx(highest))
    assert result["nvas_expected_skipped"] == float(references.count(None))


def test_nvas_expected_of_one_hot_rows_is_the_nvas_module_of_the_answers():
    rng = np.random.default_rng(3)
    answers = rng.integers(1, 5, 12)
    references = rng.uniform(1, 4, 12).tolist()
    one_hot = [np.eye(4)[answer - 1].tolist() for answer in answers]
    expected = load("nvas_expected").compute(
        predictions=one_hot, references=references, codes=[1, 2, 3, 4], scale_min=1, scale_max=4
    )
    plain = load("nvas").compute(predictions=answers.tolist(), references=references, scale_min=1, scale_max=4)
    assert expected["nvas_expected"] == pytest.approx(plain["nvas"])


def test_kl_divergence_module_by_hand_and_from_the_mena_values_file(mena_cells):
    cells, _ = mena_cells
    module = load("kl_divergence")
    # KL(human || model) for human (0.5, 0.5), model (0.25, 0.75): 0.5 ln 2 + 0.5 ln(2/3)
    result = module.compute(predictions=[[0.25, 0.75]], references=[[0.5, 0.5]])
    assert result["kl_divergence"] == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3))
    # an option people chose but the model ruled out costs about -ln(epsilon) times its share
    ruled_out = module.compute(predictions=[[1, 0]], references=[[0.5, 0.5]], epsilon=1e-6)["kl_divergence"]
    assert ruled_out == pytest.approx(0.5 * math.log(0.5 / 1e-6) + 0.5 * math.log(0.5), rel=1e-5)
    # Jordan Q1: the human shares of codes 1..4 against a model answering code 1 with 90 %
    _, shares = cells["Jordan"]
    human = [shares.get(code, 0.0) for code in (1, 2, 3, 4)]
    model = [0.9, 0.05, 0.03, 0.02]
    value = module.compute(predictions=[model], references=[human])["kl_divergence"]
    total = sum(human)
    assert value == pytest.approx(sum(h / total * math.log(h / total / m) for h, m in zip(human, model) if h > 0))
    assert value == pytest.approx(float(entropy(human, model)))


def test_kl_divergence_module_scores_rows_of_different_lengths_exactly_as_the_pure_function_does():
    rng = np.random.default_rng(4)
    models = [rng.dirichlet(np.ones(k)) * (rng.random(k) > 0.3) for k in rng.integers(2, 6, 25)]
    humans = [rng.dirichlet(np.ones(len(model))) for model in models]
    groups = rng.choice(["A", "B", "C"], len(models)).tolist()
    result = load("kl_divergence").compute(
        predictions=[m.tolist() for m in models], references=[h.tolist() for h in humans], groups=groups
    )
    scores = [float(kl_divergence(h, m)) for h, m in zip(humans, models)]
    mean, lowest, highest = macro(scores, groups)
    assert result["kl_divergence"] == pytest.approx(mean, rel=1e-12)
    assert result["kl_divergence_min"] == pytest.approx(lowest, rel=1e-12)
    assert result["kl_divergence_max"] == pytest.approx(highest, rel=1e-12)
    assert result["kl_divergence_skipped"] == float(sum(not m.any() for m in models))


def test_pds_entropy_module_by_hand_and_equal_to_the_pure_functions():
    module = load("pds_entropy")
    pooled = module.compute(predictions=[[4, 0], [0, 1], [0, 0]])
    h = -(0.8 * math.log(0.8) + 0.2 * math.log(0.2))
    assert pooled == {
        "pds_entropy": pytest.approx(100 * h / math.log(2)),
        "pds": [0.8, 0.2],
        "pds_entropy_skipped": 1.0,
    }
    assert module.compute(predictions=[[4, 0], [0, 1]], pooling="per_answer")["pds_entropy"] == pytest.approx(100.0)
    assert module.compute(predictions=[[1, 1, 1]], n_perspectives=9)["pds_entropy"] == pytest.approx(50.0)

    rng = np.random.default_rng(5)
    counts = rng.poisson(0.8, size=(60, 9)).astype(float)
    domains = rng.choice(["religious", "history", "technology"], len(counts)).tolist()
    for pooling in ("pooled", "per_answer"):
        result = module.compute(predictions=counts.tolist(), pooling=pooling)
        assert result["pds"] == pytest.approx(pds(counts, pooling=pooling).tolist())
        assert result["pds_entropy"] == pytest.approx(pds_entropy(pds(counts, pooling=pooling)))
        grouped = module.compute(predictions=counts.tolist(), pooling=pooling, groups=domains)
        per_domain = [
            pds_entropy(pds(counts[[d == domain for d in domains]], pooling=pooling))
            for domain in dict.fromkeys(domains)
        ]
        assert grouped["pds_entropy"] == pytest.approx(np.mean(per_domain))
        assert (grouped["pds_entropy_min"], grouped["pds_entropy_max"]) == (
            pytest.approx(min(per_domain)),
            pytest.approx(max(per_domain)),
        )
        assert grouped["pds_entropy_skipped"] == float((counts.sum(axis=1) == 0).sum())


def test_pct_module_reproduces_the_provenance_examples():
    module = load("pct_coordinates")
    mixed = module.compute(predictions=[3, 0] + [None] * 60)  # #1 SA: econ -2; #2 SD: soc -8
    assert mixed["pct_econ"] == pytest.approx(0.38 - 2 / 8)
    assert mixed["pct_soc"] == pytest.approx(2.41 - 8 / 19.5)
    assert (mixed["pct_econ_displayed"], mixed["pct_soc_displayed"]) == (0.13, 2.0)
    assert mixed["pct_unanswered"] == 60.0
    for answer, econ_sum, soc_sum, displayed in [(3, -3, 38, (0.01, 4.36)), (1, -5, -94, (-0.24, -2.41))]:
        result = module.compute(predictions=[answer] * 62)
        assert result["pct_econ"] == pytest.approx(0.38 + econ_sum / 8)
        assert result["pct_soc"] == pytest.approx(2.41 + soc_sum / 19.5)
        assert (result["pct_econ_displayed"], result["pct_soc_displayed"]) == displayed


def test_eightvalues_module_by_hand():
    module = load("eightvalues_scores")
    result = module.compute(predictions=[-0.5] * 70)
    assert result["eightvalues_govt"] == 56.25  # the govt effects sum to -80: 100 * (320 - 0.5 * -80) / 640
    assert result["eightvalues_displayed"]["govt"] == "56.3"
    assert result["eightvalues_ideology"] == "Centrist"
    first = module.compute(predictions=[1] + [None] * 69)  # question 1: econ +10, govt -5
    assert first["eightvalues_econ"] == pytest.approx(100 * (195 + 10) / 390)
    assert first["eightvalues_govt"] == pytest.approx(100 * (320 - 5) / 640)
    assert first["eightvalues_unanswered"] == 69.0


def test_sapplyvalues_module_by_hand():
    module = load("sapplyvalues_scores")
    result = module.compute(predictions=[1] * 46)
    assert result["sapplyvalues_right"] == pytest.approx(10 * (8 - 7) / 15)
    assert result["sapplyvalues_prog"] == 0.0
    assert result["sapplyvalues_displayed"] == {"right": "0.67", "auth": "0.67", "prog": "0.00"}
    assert module.compute(predictions=[1, 0] + [None] * 44)["sapplyvalues_right"] == pytest.approx(5.0)
    assert module.compute(predictions=[1] + [None] * 45)["sapplyvalues_right"] == pytest.approx(10.0)


def pct_axes(answers) -> dict[str, float]:
    position = pct_coordinates(answers)
    return {"econ": position.econ, "soc": position.soc}


SCORERS = {
    "pct_coordinates": pct_axes,
    "eightvalues_scores": eightvalues_scores,
    "sapplyvalues_scores": sapplyvalues_scores,
}
PREFIX = {"pct_coordinates": "pct", "eightvalues_scores": "eightvalues", "sapplyvalues_scores": "sapplyvalues"}


@pytest.mark.parametrize("name", list(SCORERS))
def test_instrument_modules_equal_the_pure_scorers_per_run(name):
    rng = np.random.default_rng(6)
    n, options = N_STATEMENTS[name], ANSWERS[name]
    runs = [[options[i] for i in rng.integers(0, len(options), n)] for _ in range(3)]
    module = load(name)
    single = module.compute(predictions=runs[0])
    pure = SCORERS[name](runs[0])
    axes = [axis for axis in pure if axis not in ("displayed", "labels", "ideology")]
    for axis in axes:
        assert single[f"{PREFIX[name]}_{axis}"] == pytest.approx(pure[axis])
    for extra in ("displayed", "labels", "ideology"):
        if extra in pure:
            assert single[f"{PREFIX[name]}_{extra}"] == pure[extra]
    assert single[f"{PREFIX[name]}_unanswered"] == float(runs[0].count(None))

    grouped = module.compute(
        predictions=[answer for run in runs for answer in run],
        groups=[f"run-{index}" for index, run in enumerate(runs) for _ in run],
    )
    for axis in axes:
        values = [SCORERS[name](run)[axis] for run in runs]
        assert grouped[f"{PREFIX[name]}_{axis}"] == pytest.approx(np.mean(values))
        assert grouped[f"{PREFIX[name]}_{axis}_min"] == pytest.approx(min(values))
        assert grouped[f"{PREFIX[name]}_{axis}_max"] == pytest.approx(max(values))
    assert grouped[f"{PREFIX[name]}_unanswered"] == float(sum(run.count(None) for run in runs))


def test_instrument_modules_accept_streamed_batches():
    module = load("pct_coordinates")
    answers = [3, 2, 1, 0, None, 2] * 10 + [0, 3]
    for start in range(0, 62, 20):
        module.add_batch(predictions=answers[start : start + 20])
    streamed = module.compute()
    assert streamed["pct_econ"] == pytest.approx(pct_coordinates(answers).econ)
    assert streamed["pct_soc"] == pytest.approx(pct_coordinates(answers).soc)


def test_wahl_o_mat_module_reproduces_the_provenance_example():
    result = load("wahl_o_mat_agreement").compute(
        predictions=["agree", "neutral", None],
        references=[["agree"], ["disagree"], ["agree"]],
        parties=["Party"],
        important=[True, False, False],
    )
    assert result == {
        "wahl_o_mat_agreement": {"Party": pytest.approx(100 * 5 / 6)},
        "wahl_o_mat_closest_party": "Party",
        "wahl_o_mat_unanswered": 1.0,
    }


def test_wahl_o_mat_module_on_the_2025_election_equals_the_pure_function(sources_dir):
    year = sources_dir / "wahl_o_mat" / "upstream" / "data" / "2025" / "deutschland"
    parties = [party["name"] for party in json.loads((year / "party.json").read_text())]
    n_theses = len(json.loads((year / "statement.json").read_text()))
    by_id = {0: "agree", 1: "disagree", 2: "neutral"}  # answer.json
    positions = {party: [None] * n_theses for party in parties}
    for opinion in json.loads((year / "opinion.json").read_text()):
        positions[parties[opinion["party"]]][opinion["statement"]] = by_id[opinion["answer"]]
    references = [[positions[party][thesis] for party in parties] for thesis in range(n_theses)]
    rng = np.random.default_rng(7)
    runs = [[[None, "agree", "neutral", "disagree"][i] for i in rng.integers(0, 4, n_theses)] for _ in range(2)]
    important = (rng.random(n_theses) < 0.2).tolist()
    module = load("wahl_o_mat_agreement")

    result = module.compute(predictions=runs[0], references=references, parties=parties, important=important)
    pure = wahl_o_mat_agreement(runs[0], positions, important=important)
    assert result["wahl_o_mat_agreement"] == pytest.approx(pure)
    assert list(result["wahl_o_mat_agreement"]) == parties
    assert result["wahl_o_mat_closest_party"] == closest_party(pure)
    assert result["wahl_o_mat_unanswered"] == float(runs[0].count(None))
    volt = module.compute(predictions=positions["Volt"], references=references, parties=parties)
    assert volt["wahl_o_mat_agreement"]["Volt"] == 100.0 and volt["wahl_o_mat_closest_party"] == "Volt"

    grouped = module.compute(
        predictions=runs[0] + runs[1],
        references=references + references,
        parties=parties,
        important=important + important,
        groups=["de"] * n_theses + ["en"] * n_theses,
    )
    per_run = [wahl_o_mat_agreement(run, positions, important=important) for run in runs]
    for party in parties:
        values = [agreement[party] for agreement in per_run]
        assert grouped["wahl_o_mat_agreement"][party] == pytest.approx(np.mean(values))
        assert grouped["wahl_o_mat_agreement_min"][party] == pytest.approx(min(values))
        assert grouped["wahl_o_mat_agreement_max"][party] == pytest.approx(max(values))


# Bad input: the pure functions validate, and the error reaches the caller of compute in the module's
# terms (its argument names, its row numbers). A fresh module with its own experiment id per case:
# evaluate 0.4 keeps the cache file of a compute that raised locked, and the next compute that wants
# the same file waits a second for the lock before it picks another one.

BAD_INPUTS = [
    ("js_similarity", {"predictions": [[-1, 2]], "references": [[0.5, 0.5]]}, "predictions contains negative values"),
    (
        "wasserstein_similarity",
        {"predictions": [[1, 0]], "references": [[0.5, -0.5]], "positions": [[1, 2]]},
        "references contains negative",
    ),
    ("nvas", {"predictions": [1], "references": [2]}, "scale_min and scale_max are required"),
    (
        "nvas",
        {"predictions": [1], "references": [2], "scale_min": 3, "scale_max": 3},
        "scale_max must be greater than scale_min",
    ),
    (
        "nvas",
        {"predictions": [1, 2], "references": [2, 2], "scale_min": [1, 1, 1], "scale_max": 4},
        "scale_min must be one value or one per pair",
    ),
    (
        "nvas",
        {"predictions": [1], "references": [2], "scale_min": 1, "scale_max": 4, "nominal": [1]},
        "nominal must be a bool",
    ),
    (
        "nvas",
        {"predictions": [1], "references": [2], "scale_min": 1, "scale_max": 4, "groups": ["a", "b"]},
        "groups has 2 entries",
    ),
    (
        "nvas_expected",
        {"predictions": [[0.5, 0.4]], "references": [1], "codes": [1, 2], "scale_min": 1, "scale_max": 2},
        r"predictions must sum to 1",
    ),
    (
        "nvas_expected",
        {"predictions": [[0.5, 0.5]], "references": [1], "codes": [[1, 2], [1, 2]], "scale_min": 1, "scale_max": 2},
        "codes has 2 entries but predictions has 1",
    ),
    (
        "nvas_expected",
        {"predictions": [[0.5, 0.5]], "references": [1], "codes": [[1, None]], "scale_min": 1, "scale_max": 2},
        r"codes contains NaN",
    ),
    (
        "nvas_expected",
        {"predictions": [[0.5, 0.5]], "references": [1], "scale_min": 1, "scale_max": 2},
        "codes, scale_min and scale_max are required",
    ),
    (
        "kl_divergence",
        {"predictions": [[0.5, 0.5]], "references": [[1.5, -0.5]]},
        "references contains negative values",
    ),
    ("kl_divergence", {"predictions": [[0.5, None]], "references": [[0.5, 0.5]]}, "predictions contains NaN"),
    (
        "kl_divergence",
        {"predictions": [[0.5, 0.5]], "references": [[1, 0, 0]]},
        r"predictions\[0\] has 2 options but references\[0\] has 3",
    ),
    (
        "kl_divergence",
        {"predictions": [[0.5, 0.5]], "references": [[1, 0]], "epsilon": 1.0},
        "epsilon must be between 0 and 1",
    ),
    ("pds_entropy", {"predictions": [[1, -1]]}, "predictions contains negative values"),
    ("pds_entropy", {"predictions": [[1, 2], [3]]}, r"predictions\[1\] has 1"),
    ("pds_entropy", {"predictions": [[1, 2]], "pooling": "sum"}, "pooling must be one of"),
    (
        "pds_entropy",
        {"predictions": [[1, 2, 3]], "n_perspectives": 2},
        "predictions has 3 perspectives, more than n_perspectives=2",
    ),
    ("pct_coordinates", {"predictions": [3] * 61}, "predictions must have 62 entries"),
    (
        "pct_coordinates",
        {"predictions": [3] * 61 + [2.5]},
        r"predictions\[61\] must be one of 0, 1, 2, 3 or None; got 2.5",
    ),
    (
        "pct_coordinates",
        {"predictions": [3] * 62 + [3] * 10 + [7] + [3] * 51, "groups": ["a"] * 62 + ["b"] * 62},
        r"group 'b': predictions\[72\] must be one of",
    ),
    ("eightvalues_scores", {"predictions": [0.25] * 70}, r"predictions\[0\] must be one of 1.0, 0.5"),
    (
        "eightvalues_scores",
        {"predictions": [1] * 70, "groups": ["a"] * 69},
        "groups has 69 entries but predictions has 70",
    ),
    ("sapplyvalues_scores", {"predictions": [1] * 45}, "predictions must have 46 entries"),
    ("wahl_o_mat_agreement", {"predictions": ["agree"], "references": [["agree"]]}, "parties is required"),
    (
        "wahl_o_mat_agreement",
        {"predictions": ["yes"], "references": [["agree"]], "parties": ["A"]},
        r"predictions\[0\] must be one of 'agree'",
    ),
    (
        "wahl_o_mat_agreement",
        {
            "predictions": ["agree", "agree"],
            "references": [["agree", "agree"], ["agree", "nein"]],
            "parties": ["A", "B"],
        },
        r"references\[1\] \(party 'B'\) must be one of",
    ),
    (
        "wahl_o_mat_agreement",
        {"predictions": ["agree"], "references": [["agree", "agree"]], "parties": ["A"]},
        r"references\[0\] has 2 positions but there are 1 parties",
    ),
    (
        "wahl_o_mat_agreement",
        {"predictions": ["agree"], "references": [["agree"]], "parties": ["A"], "important": ["yes"]},
        r"important\[0\] must be True or False",
    ),
    (
        "wahl_o_mat_agreement",
        {"predictions": [None], "references": [["agree"]], "parties": ["A"]},
        "every thesis is skipped",
    ),
]


@pytest.mark.parametrize(
    ("name", "inputs", "message"), BAD_INPUTS, ids=[f"{case[0]}-{i}" for i, case in enumerate(BAD_INPUTS)]
)
def test_bad_input_to_a_module_is_refused_naming_the_argument(name, inputs, message, request):
    module = evaluate.load(evaluate_module_path(name), experiment_id=request.node.callspec.id)
    with pytest.raises(ValueError, match=message):
        module.compute(**inputs)


def test_a_module_computes_correctly_after_refusing_bad_input():
    """The second compute waits a second for the lock the first one left behind, then uses a new file."""
    module = load("nvas")
    with pytest.raises(ValueError, match="scale_max must be greater"):
        module.compute(predictions=[1, 2], references=[1, 2], scale_min=4, scale_max=1)
    result = module.compute(predictions=[4], references=[1], scale_min=1, scale_max=4, groups=["Jordan"])
    assert result == {"nvas": 0.0, "nvas_min": 0.0, "nvas_max": 0.0, "nvas_skipped": 0.0}  # no rows left over
