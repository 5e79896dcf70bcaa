"""The bounds on JSON and the limits every reader of lm-eval's outputs applies (the CLI cases are in
tests/damaged_inputs)."""

from __future__ import annotations

import math

import pytest

from opinionbench.bounded_json import MAX_JSON_DEPTH, JSONLimitError, parse_json
from opinionbench.lm_eval_outputs import number_problem, option_loglikelihoods
from opinionbench.run_info import printable


def test_json_nested_to_the_limit_is_read_and_one_level_more_is_refused():
    assert parse_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    assert parse_json('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    with pytest.raises(JSONLimitError, match=f"deeper than {MAX_JSON_DEPTH} levels"):
        parse_json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    with pytest.raises(JSONLimitError, match=f"deeper than {MAX_JSON_DEPTH} levels"):  # past the recursion limit
        parse_json('{"a": ' * 100_000 + "1" + "}" * 100_000)
    with pytest.raises(JSONLimitError, match="4300"):
        parse_json("1" * 5000)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("econ,none", -7.5, None),
        ("econ,none", math.nan, None),  # a number no document defines
        ("econ_stderr,none", "N/A", None),
        ("alias", "anything", None),
        ("econ,none", math.inf, "is Infinity, not a finite number"),
        ("econ_stderr,none", -0.1, "outside its domain [0, inf]"),
        ("option_mass,none", -0.5, "outside its domain [0, inf]"),
        ("uniform_js_similarity_min,none", 1.01, "outside its domain [0, 1]"),
        ("refusal_rate,none", 1.0 + 1e-12, None),  # rounding
        ("nvas,none", 100.5, "outside its domain [0, 100]"),
        ("wasserstein_similarity_skipped,none", -1, "outside its domain [0, inf]"),
        ("econ,none", True, "is a boolean"),
    ],
)
def test_numbers_of_the_table_are_checked_against_their_domain(key, value, problem):
    found = number_problem(key, value)
    assert found == problem if problem is None else problem in found


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([["-1", "False"]] * 3, "not one (log-likelihood, is_greedy) pair per option (4 options)"),
        ([["-1", "False"]] * 5, "not one"),
        ("-1", "not one"),
        ([["-1", "False"]] * 3 + [["nan", "False"]], "option 4 is 'nan', not a finite number"),
        ([["0.25", "True"]] + [["-1", "False"]] * 3, "option 1 is 0.25 > 0, a probability above 1"),
    ],
)
def test_option_loglikelihoods_are_one_finite_log_probability_per_option(pairs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        option_loglikelihoods(pairs, 4)


def test_option_loglikelihoods_are_read_from_lm_eval_text():
    assert option_loglikelihoods([["-1.25", "True"], ["0.0", "False"]], 2) == [(-1.25, True), (0.0, False)]


def test_control_characters_are_shown_as_replacement_characters():
    assert printable("a\nb\x00c\x1b[31m\u202ed") == "a\ufffdb\ufffdc\ufffd[31m\ufffdd"
    assert printable("line 1\nline 2\tend", keep="\n\t") == "line 1\nline 2\tend"
