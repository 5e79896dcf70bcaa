"""Which answer options are non-substantive, and where the others sit on an ordered scale.

Survey files list options as text with no scale metadata, and not always in scale
order (Pew lists "Too much", "Too little", "About right"). An item counts as ordinal
only when its substantive options, in any listing order, are

* all numbers (positions = the numbers);
* as a set, one of the answer scales in ``ORDERED_SCALES`` (positions = 1..N along the scale);
* a four-point intensity scale of one word: "Very worried", "Somewhat worried" (or "Fairly",
  "Rather"), "Not too worried" (or "Not very"), "Not at all worried" (or "Not worried at all"),
  positions 1..4 from "Very";
* consecutive whole numbers with a verbal anchor at one end or both, in listing order (WVS:
  "Not integrated at all", "2", ..., "9", "Completely integrated"): the numbers keep their
  values and an anchor sits one step beyond its neighbour (1..10 here), ascending or descending.

Every other item is nominal: all positions null. The scales are OpinionBench's own reading
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
        r"^(other )?missing\b",  # WVS: "Missing; Not available", "Other missing; Multiple answers Mail (EVS)"
        r"^not asked\b",
    )
)

# Each scale runs from one pole to the other; a reversed listing matches the same set. Four-point
# intensity scales of one word ("Very important" ... "Not at all important") need no entry.
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
    ("Very satisfied", "Somewhat satisfied", "Somewhat dissatisfied", "Very dissatisfied"),
    ("Definitely succeed", "Probably succeed", "Probably fail", "Definitely fail"),
    ("A lot more", "Somewhat more", "Only a little more", "Not more"),
    ("A lot", "Fairly", "Little", "Nothing"),
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
    """Lower case, straight apostrophes (also for WVS's acute accent, "Don\u00b4t know"), no "(VOL)"
    marker, single spaces."""
    text = re.sub("[\u2018\u2019\u00b4]", "'", text)
    text = re.sub(r"\(vol\.?\)", "", text, flags=re.IGNORECASE)
    return " ".join(text.lower().split()).strip(" .")


# The degrees of a four-point intensity scale, pole first; ``word`` is the scale's one word.
INTENSITY_DEGREES = tuple(
    tuple(re.compile(pattern) for pattern in patterns)
    for patterns in (
        (r"very (?P<word>[a-z]+)",),
        (r"(?:somewhat|fairly|rather) (?P<word>[a-z]+)",),
        (r"not (?:too|very) (?P<word>[a-z]+)",),
        (r"not at all (?P<word>[a-z]+)", r"not (?P<word>[a-z]+) at all"),
    )
)
_WHOLE_NUMBER = re.compile(r"-?\d+")

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
    positions = _scale_positions([text for text, _ in substantive], [is_numeric for _, is_numeric in substantive])
    ordinal = [None if off or positions is None else positions[text] for text, off in zip(options, nonsubstantive)]
    return ordinal, nonsubstantive


def _scale_positions(texts: list[str], numeric: list[bool]) -> dict[str, float] | None:
    """Position of each substantive option by the first rule of the module docstring that
    fits, or None (nominal)."""
    if len(texts) < 2:
        return None
    if all(numeric):
        return {text: float(text) for text in texts}
    for rule in (_listed_scale, _intensity_scale, _anchored_numerals):
        positions = rule(texts)
        if positions is not None:
            return positions
    return None


def _listed_scale(texts: list[str]) -> dict[str, float] | None:
    """Positions along the ``ORDERED_SCALES`` entry whose option set ``texts`` is."""
    scale = _SCALE_POSITIONS.get(frozenset(normalise_option_text(text) for text in texts))
    return None if scale is None else {text: scale[normalise_option_text(text)] for text in texts}


def _intensity_scale(texts: list[str]) -> dict[str, float] | None:
    """Positions 1..4 of "Very X", "Somewhat X", "Not too X", "Not at all X" (one word X, one
    option per degree)."""
    degrees = [_intensity_degree(normalise_option_text(text)) for text in texts]
    if None in degrees or len({word for _, word in degrees}) != 1:
        return None
    if sorted(level for level, _ in degrees) != list(range(1, len(INTENSITY_DEGREES) + 1)):
        return None
    return {text: float(level) for text, (level, _) in zip(texts, degrees)}


def _intensity_degree(text: str) -> tuple[int, str] | None:
    """``(degree 1..4, word)`` of one normalised option, or None."""
    for level, patterns in enumerate(INTENSITY_DEGREES, start=1):
        for pattern in patterns:
            match = pattern.fullmatch(text)
            if match:
                return level, match["word"]
    return None


def _anchored_numerals(texts: list[str]) -> dict[str, float] | None:
    """Positions of consecutive whole numbers in listing order with at most one verbal anchor
    at each end; an anchor is one step beyond its neighbouring number."""
    numbers = [i for i, text in enumerate(texts) if _WHOLE_NUMBER.fullmatch(text)]
    if len(numbers) < 2 or numbers != list(range(numbers[0], numbers[-1] + 1)):
        return None
    if numbers[0] > 1 or numbers[-1] < len(texts) - 2:
        return None
    values = [int(texts[i]) for i in numbers]
    step = values[1] - values[0]
    if step not in (1, -1) or values != list(range(values[0], values[0] + step * len(values), step)):
        return None
    start = values[0] - step * numbers[0]
    return {text: float(start + step * i) for i, text in enumerate(texts)}
