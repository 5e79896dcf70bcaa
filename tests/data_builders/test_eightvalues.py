"""The 8values builder on the real files: counts, hand-read rows, worked examples, bad copies."""

import decimal

import pytest

from opinionbench.data_builders import eightvalues

AXES = ("econ", "dipl", "govt", "scty")
# ../shared/data/eightvalues/PROVENANCE.md
MAXIMA = {"econ": 195, "dipl": 225, "govt": 320, "scty": 292}
MOVING = {"econ": 22, "dipl": 24, "govt": 37, "scty": 33}
WORKED = {  # the same answer to all 70 questions -> displayed scores
    "Strongly Agree": {"econ": "59.0", "dipl": "51.1", "govt": "37.5", "scty": "53.8"},
    "Agree": {"econ": "54.5", "dipl": "50.6", "govt": "43.8", "scty": "51.9"},
    "Neutral/Unsure": {"econ": "50.0", "dipl": "50.0", "govt": "50.0", "scty": "50.0"},
    "Disagree": {"econ": "45.5", "dipl": "49.4", "govt": "56.3", "scty": "48.1"},
    "Strongly Disagree": {"econ": "41.0", "dipl": "48.9", "govt": "62.5", "scty": "46.2"},
}


@pytest.fixture(scope="module")
def questions(eightvalues_build):
    return eightvalues_build.configs["questions"].to_list()


def test_configs_and_counts_match_the_provenance(eightvalues_build, questions):
    assert list(eightvalues_build.configs) == ["questions", "ideologies"]
    assert eightvalues_build.default_config == "questions"
    assert [q["id"] for q in questions] == [f"eightvalues-{n:02d}" for n in range(1, 71)]
    assert {axis: sum(abs(q[f"{axis}_effect"]) for q in questions) for axis in AXES} == MAXIMA
    assert {axis: sum(q[f"{axis}_effect"] != 0 for q in questions) for axis in AXES} == MOVING
    assert sum(sum(q[f"{axis}_effect"] != 0 for axis in AXES) > 1 for q in questions) == 36
    assert {q[f"{axis}_effect"] for q in questions for axis in AXES} == {-10, -5, 0, 2, 5, 10}
    ideologies = eightvalues_build.configs["ideologies"].to_list()
    assert len(ideologies) == 52 and len({i["name"] for i in ideologies}) == 52


def test_hand_read_rows(eightvalues_build, questions):
    first = questions[0]  # questions.jsonl line 1
    assert first["number"] == 1
    assert first["statement"] == "Oppression by corporations is more of a concern than oppression by governments."
    assert [first[f"{axis}_effect"] for axis in AXES] == [10, 0, -5, 0]
    assert first["options"] == list(WORKED)
    assert first["multipliers"] == [1.0, 0.5, 0.0, -0.5, -1.0]
    assert eightvalues_build.configs["ideologies"][0] == {
        "index": 0,
        "name": "Anarcho-Communism",
        "econ": 100.0,
        "dipl": 50.0,
        "govt": 100.0,
        "scty": 90.0,
    }


@pytest.mark.parametrize("answer", list(WORKED))
def test_scores_from_the_columns_equal_the_worked_examples(questions, answer):
    """The site's formula applied to the dataset's columns gives PROVENANCE's table (toFixed(1) rounds half up)."""
    position = questions[0]["options"].index(answer)
    for axis in AXES:
        raw = sum(q["multipliers"][position] * q[f"{axis}_effect"] for q in questions)
        score = decimal.Decimal(100 * (MAXIMA[axis] + raw)) / decimal.Decimal(2 * MAXIMA[axis])
        assert str(score.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)) == WORKED[answer][axis]


def test_an_effect_of_the_wrong_type_is_named_with_file_and_line(build_error):
    message = build_error(eightvalues, "questions.jsonl", lambda text: text.replace('"econ": 10,', '"econ": "10",', 1))
    assert "questions.jsonl: line 1: wrong type ('econ' is \"10\", expected an integer)" in message


def test_a_maximum_that_disagrees_with_the_questions_is_rejected(build_error):
    message = build_error(eightvalues, "scoring.json", lambda text: text.replace('"econ": 195', '"econ": 196'))
    assert (
        "scoring.json: max_abs_sum_per_axis.econ: maximum differs from the questions (196, but Σ|effect| is 195)"
        in (message)
    )


def test_bad_json_and_out_of_order_lines_are_named(build_error):
    message = build_error(eightvalues, "ideologies.jsonl", lambda text: text.replace("}}\n", "}\n", 1))
    assert message.startswith("ideologies.jsonl: line 1: not valid JSON")
    message = build_error(eightvalues, "questions.jsonl", lambda text: text.replace('{"index": 1,', '{"index": 7,'))
    assert "questions.jsonl: line 2: out of order ('index' is 7, expected 1 at this place)" in message
