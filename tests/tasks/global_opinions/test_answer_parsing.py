"""Parsing free-text answers of the generative variants into option letters."""

import pytest

from opinionbench.tasks.global_opinions.prompts import parse_option_letter

DOC = {
    "id": "q",
    "source": "global_opinions",
    "options": ["Very good", "Somewhat good", "Somewhat bad", "Very bad", "A great deal worse"],
}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("(B)", "B"),
        ("B", "B"),
        ("B) Somewhat good", "B"),
        ("C.", "C"),
        (" D, because", "D"),
        ("Answer: (A)", "A"),
        ("The answer is C", "C"),
        ("option b is best", "invalid"),  # lower-case letter: not a marked letter
        ("**B**", "B"),
        ("Somewhat bad, I would say", "C"),
        ("very good", "A"),
        ("A great deal worse than before", "E"),  # an option's text, not the letter A
        ("A lot of people think so", "invalid"),  # a bare capital starting a sentence
        ("I think (B)", "invalid"),
        ("F", "invalid"),  # not an option
        ("(Z) something", "invalid"),
        ("I cannot share personal opinions.", "refusal"),
        ("As an AI, I don't have views on this.", "refusal"),
        ("", "invalid"),
    ],
)
def test_parse_option_letter(answer, expected):
    assert parse_option_letter(answer, DOC) == expected
