"""The SapplyValues builder on the real files: counts, a hand-read row, worked examples, bad copies."""

import pytest

from opinionbench.data_builders import sapplyvalues

# ../shared/data/sapplyvalues/PROVENANCE.md: questions per axis at +1 / -1, and worked examples
# (the same answer to all 46 questions -> displayed result per axis).
PER_AXIS = {"right": (8, 7), "auth": (8, 7), "prog": (8, 8)}
WORKED = {
    "Strongly Agree": {"right": "0.67", "auth": "0.67", "prog": "0.00"},
    "Agree": {"right": "0.33", "auth": "0.33", "prog": "0.00"},
    "Strongly Disagree": {"right": "-0.67", "auth": "-0.67", "prog": "0.00"},
}


@pytest.fixture(scope="module")
def rows(sapplyvalues_build):
    return sapplyvalues_build.dataset["test"].to_list()


def test_counts_match_the_provenance(sapplyvalues_build, rows):
    assert list(sapplyvalues_build.configs) == ["default"]
    assert [row["id"] for row in rows] == [f"sapplyvalues-{n:02d}" for n in range(1, 47)]
    per_axis = {
        axis: tuple(sum(r["axis"] == axis and r["effect"] == sign for r in rows) for sign in (1, -1))
        for axis in PER_AXIS
    }
    assert per_axis == PER_AXIS


def test_hand_read_row(rows):
    first = rows[0]  # questions.jsonl line 1
    assert first["statement"] == "Freedom of business is the best practical way a society can prosper."
    assert (first["axis"], first["effect"]) == ("right", 1)
    assert first["options"] == ["Strongly Agree", "Agree", "Neutral / Unsure", "Disagree", "Strongly Disagree"]
    assert first["answer_values"] == [1.0, 0.5, 0.0, -0.5, -1.0]


@pytest.mark.parametrize("answer", list(WORKED))
def test_results_from_the_columns_equal_the_worked_examples(rows, answer):
    position = rows[0]["options"].index(answer)
    for axis, expected in WORKED[answer].items():
        on_axis = [r for r in rows if r["axis"] == axis]
        score = sum(r["answer_values"][position] * r["effect"] for r in on_axis)
        assert f"{10 * score / len(on_axis):.2f}" == expected


def test_malformed_effects_are_named_with_file_and_line(build_error):
    two_axes = build_error(
        sapplyvalues, "questions.jsonl", lambda text: text.replace('{"right": 1}', '{"right": 1, "auth": 1}', 1)
    )
    assert "questions.jsonl: line 1: malformed effects" in two_axes
    intensity = build_error(
        sapplyvalues, "questions.jsonl", lambda text: text.replace('{"right": 1}', '{"right": 2}', 1)
    )
    assert "questions.jsonl: line 1: malformed effects ('right' is 2, expected +1 or -1)" in intensity
    wrong_type = build_error(
        sapplyvalues, "questions.jsonl", lambda text: text.replace('{"right": 1}', '{"right": true}', 1)
    )
    assert "questions.jsonl: line 1: wrong type ('right' is true, expected an integer)" in wrong_type
