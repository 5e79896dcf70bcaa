"""The ``evaluate`` wrappers: they load from a local path, return what the pure functions compute, and
have metric cards whose examples run."""

import doctest
import re
from pathlib import Path

import evaluate
import numpy as np
import pytest
import yaml
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

from opinionbench.metrics import EVALUATE_MODULES, evaluate_module_path


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


def test_a_wrong_output_in_a_card_fails_its_doctest():
    _, body = read_card("js_similarity")
    broken = body.replace("{'js_similarity': 1.0, 'js_similarity_skipped': 0.0}", "{'js_similarity': 0.5}", 1)
    assert broken != body
    _, failures = run_doctests("js_similarity", broken)
    assert "Expected:\n    {'js_similarity': 0.5}" in failures
