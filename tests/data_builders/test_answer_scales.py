"""Which options are non-substantive and where options sit on a scale."""

import pytest

from opinionbench.data_builders.answer_scales import (
    ORDERED_SCALES,
    classify_options,
    is_nonsubstantive,
    normalise_option_text,
)


@pytest.mark.parametrize(
    "option",
    ["DK/Refused", "Don\u2019t know", "Don't know (VOL)", "Refused", "Not applicable", "No answer", "Never heard of"],
)
def test_nonsubstantive_options(option):
    assert is_nonsubstantive(option)


@pytest.mark.parametrize("option", ["None of these", "Other (VOL)", "Not at all", "No", "Disagree", "Knowledge"])
def test_substantive_options(option):
    assert not is_nonsubstantive(option)


def test_scale_listed_in_reverse_gets_positions_along_the_scale():
    ordinal, off = classify_options(["Very bad", "Somewhat bad", "Somewhat good", "Very good"], [False] * 4)
    assert ordinal == [4.0, 3.0, 2.0, 1.0] and off == [False] * 4


def test_volunteered_marker_and_case_do_not_matter():
    ordinal, off = classify_options(["Better", "worse", "Same (VOL)", "DK/Refused"], [False] * 4)
    assert ordinal == [1.0, 3.0, 2.0, None] and off == [False, False, False, True]


def test_numbers_are_their_own_positions_and_unknown_sets_are_nominal():
    assert classify_options(["0", "5", "10"], [True] * 3)[0] == [0.0, 5.0, 10.0]
    assert classify_options(["Television", "Radio", "Internet"], [False] * 3)[0] == [None] * 3
    assert classify_options(["Yes", "No", "Maybe"], [False] * 3)[0] == [None] * 3  # not a known set
    assert classify_options(["7"], [True])[0] == [None]


def test_no_two_scales_share_an_option_set():
    sets = [frozenset(normalise_option_text(label) for label in scale) for scale in ORDERED_SCALES]
    assert len(set(sets)) == len(sets)
    assert all(len(scale) == len(set(scale)) >= 2 for scale in ORDERED_SCALES)
