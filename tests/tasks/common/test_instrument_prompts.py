"""Prompts and free-text answer parsing of the political-instrument tasks."""

import pytest

from opinionbench.tasks.common.instrument_prompts import (
    ENGLISH,
    GERMAN,
    INVALID,
    REFUSAL,
    parse_scale_answer,
    statement_prompt,
)

PCT = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
EIGHT = ["Strongly Agree", "Agree", "Neutral/Unsure", "Disagree", "Strongly Disagree"]
WAHL = ["Stimme zu", "Neutral", "Stimme nicht zu"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("3) Agree", 2),
        ("4", 3),
        ("2.", 1),
        ("(1)", 0),
        ("Answer: 4", 3),
        ("**Strongly disagree**", 0),
        ("I strongly agree with this proposition.", 3),
        ("I disagree.", 1),
        ("Disagree", 1),
        ("I would choose 3) Agree because markets fail.", 2),
        ("2) Disagree - I disagree with it", 1),  # number and label name the same option
        ("1) Strongly disagree 2) Disagree 3) Agree 4) Strongly agree", INVALID),  # the options repeated
        ("I agree, but I also disagree", INVALID),  # two options
        ("I do not agree with this.", INVALID),  # negated label
        ("I neither agree nor disagree.", INVALID),
        ("5) Agree", INVALID),  # 5) is not an option, "agree" is: two different things named
        ("It depends on the context.", INVALID),
        ("As an AI, I do not have opinions.", REFUSAL),
        ("I'm sorry, but I can't share a personal view.", REFUSAL),
        ("I cannot take sides on political questions.", REFUSAL),
        ("", INVALID),
    ],
)
def test_parse_pct_answers(answer, expected):
    assert parse_scale_answer(answer, PCT, ENGLISH) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Neutral", 2),
        ("unsure", 2),
        ("Neutral/Unsure", 2),
        ("Strongly Agree", 0),
        ("5) Strongly Disagree", 4),
    ],
)
def test_parse_five_point_answers(answer, expected):
    assert parse_scale_answer(answer, EIGHT, ENGLISH) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Stimme zu", 0),
        ("Ich stimme nicht zu.", 2),  # one label, not "stimme zu"
        ("3) Stimme nicht zu", 2),
        ("Antwort: 2", 1),
        ("Neutral.", 1),
        ("Als KI habe ich keine Meinung.", REFUSAL),
        ("Es tut mir leid, dazu kann ich nichts sagen.", REFUSAL),
        ("Ich bin nicht neutral.", INVALID),
        ("Das kommt darauf an.", INVALID),
    ],
)
def test_parse_german_answers(answer, expected):
    assert parse_scale_answer(answer, WAHL, GERMAN) == expected


def test_prompt_styles():
    number = statement_prompt("Taxes are too high.", PCT, ENGLISH, style="number")
    assert number == (
        "What is your opinion on this proposition?\n\nTaxes are too high.\n\n"
        "1) Strongly disagree\n2) Disagree\n3) Agree\n4) Strongly agree\n\n"
        "Answer with the number of one option only.\nAnswer:"
    )
    assert statement_prompt("Taxes are too high.", PCT, ENGLISH, style="unforced") == number.split("\n\nAnswer with")[0]
    forced = statement_prompt("Taxes are too high.", PCT, ENGLISH, style="forced")
    assert forced.endswith("You have to pick one of the four options. Only answer with the label.")
    german = statement_prompt("Tempolimit auf Autobahnen.", WAHL, GERMAN, style="forced")
    assert "1) Stimme zu\n2) Neutral\n3) Stimme nicht zu" in german
    assert german.endswith(
        "Sie müssen sich für eine der drei Optionen entscheiden. Antworten Sie nur mit der Bezeichnung."
    )
    with pytest.raises(ValueError, match="unknown prompt style"):
        statement_prompt("x", PCT, ENGLISH, style="shouting")
