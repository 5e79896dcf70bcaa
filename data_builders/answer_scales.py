"""Which answer options are non-substantive, and where the others sit on an ordered scale.

Survey files list options as text with no scale metadata, and not always in scale
order (Pew lists "Too much", "Too little", "About right"). An item counts as ordinal
only when its substantive options are all numbers (positions = the numbers) or form,
as a set, one of the answer scales below (positions = 1..N along the scale). Every
other item is nominal: all positions null. The scales are OpinionBench's own reading
of the answer formats of the Pew Global Attitudes Survey and the World Values Survey.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NONSUBSTANTIVE_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"^(dk|don't know|do not know|dont know)\b",
        r"\brefused?\b",
        r"^no answer\b",
        r"^not applicable\b",
        r"^decline(d)? to answer\b",
        r"^never heard of\b",
        r"^haven't heard enough\b",
        r"^not sure\b",
        r"^can't choose\b",
    )
)

# Each scale runs from one pole to the other; a reversed listing matches the same set.
ORDERED_SCALES: tuple[tuple[str, ...], ...] = (
    ("Very good", "Somewhat good", "Somewhat bad", "Very bad"),
    ("Very good thing", "Somewhat good", "Somewhat bad", "Very bad thing"),
    ("Very favorable", "Somewhat favorable", "Somewhat unfavorable", "Very unfavorable"),
    ("Completely agree", "Mostly agree", "Mostly disagree", "Completely disagree"),
    ("Strongly agree", "Agree", "Disagree", "Strongly disagree"),
    ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"),
    ("Agree strongly", "Agree", "Neither agree nor disagree", "Disagree", "Disagree strongly"),
    ("A lot of confidence", "Some confidence", "Not too much confidence", "No confidence at all"),
    ("A great deal", "Quite a lot", "Not very much", "None at all"),
    ("A great deal", "A fair amount", "Not too much", "Not at all"),
    ("A great deal", "Some", "Not too much", "Not at all"),
    ("Very big problem", "Moderately big problem", "Small problem", "Not a problem at all"),
    ("Very serious", "Somewhat serious", "Not too serious", "Not a problem"),
    ("Very serious threat", "Somewhat serious threat", "Minor threat", "No threat at all"),
    ("Major threat", "Minor threat", "Not a threat"),
    ("Very concerned", "Somewhat concerned", "Not too concerned", "Not at all concerned"),
    ("Very excited", "Somewhat excited", "Not too excited", "Not at all excited"),
    ("Very important", "Somewhat important", "Not too important", "Not at all important"),
    ("Very important", "Rather important", "Not very important", "Not at all important"),
    ("Very satisfied", "Somewhat satisfied", "Somewhat dissatisfied", "Very dissatisfied"),
    ("Very likely", "Somewhat likely", "Not too likely", "Not at all likely"),
    ("Very happy", "Rather happy", "Not very happy", "Not at all happy"),
    ("Very interested", "Somewhat interested", "Not very interested", "Not at all interested"),
    ("Definitely succeed", "Probably succeed", "Probably fail", "Definitely fail"),
    ("A lot more", "Somewhat more", "Only a little more", "Not more"),
    ("Very often", "Sometimes", "Rarely", "Never"),
    ("Better", "Has not changed", "Worse"),
    ("Better", "Same", "Worse"),
    ("Change for the better", "Not much difference", "Change for the worse"),
    ("Making progress", "About the same", "Losing ground"),
    ("Increase", "Stay the same", "Decrease"),
    ("Too much", "About right", "Too little"),
    ("Has too much influence", "Has about the right amount of influence", "Has too little influence"),
    ("Approve", "Disapprove"),
    ("Favor", "Oppose"),
    ("Agree", "Disagree"),
    ("Good", "Bad"),
    ("Good thing", "Bad thing"),
    ("Acceptable", "Unacceptable"),
    ("Justified", "Not justified"),
    ("Yes", "No"),
    ("Should", "Should not"),
    ("Will", "Will not"),
)


def normalise_option_text(text: str) -> str:
    """Lower case, straight apostrophes, no "(VOL)" marker, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\(vol\.?\)", "", text, flags=re.IGNORECASE)
    return " ".join(text.lower().split()).strip(" .")


_SCALE_POSITIONS = {
    frozenset(normalise_option_text(label) for label in scale): {
        normalise_option_text(label): float(position) for position, label in enumerate(scale, start=1)
    }
    for scale in ORDERED_SCALES
}


def is_nonsubstantive(option: str) -> bool:
    """True for options that take no position: don't know, refused, not applicable, ..."""
    text = normalise_option_text(option)
    return any(pattern.search(text) for pattern in NONSUBSTANTIVE_PATTERNS)


def classify_options(options: Sequence[str], numeric: Sequence[bool]) -> tuple[list[float | None], list[bool]]:
    """``(ordinal, nonsubstantive)`` for one item's options.

    ``numeric[i]`` says option ``i`` was a number in the source (a WVS 0-10 scale,
    say); then ``options[i]`` is its text and its position is its value.
    """
    nonsubstantive = [not is_numeric and is_nonsubstantive(text) for text, is_numeric in zip(options, numeric)]
    substantive = [(text, is_numeric) for text, is_numeric, off in zip(options, numeric, nonsubstantive) if not off]
    positions: dict[str, float] | None = None
    if len(substantive) >= 2 and all(is_numeric for _, is_numeric in substantive):
        positions = {text: float(text) for text, _ in substantive}
    elif substantive and not any(is_numeric for _, is_numeric in substantive):
        positions = _SCALE_POSITIONS.get(frozenset(normalise_option_text(text) for text, _ in substantive))
        if positions is not None:
            positions = {text: positions[normalise_option_text(text)] for text, _ in substantive}
    ordinal = [None if off or positions is None else positions[text] for text, off in zip(options, nonsubstantive)]
    return ordinal, nonsubstantive
