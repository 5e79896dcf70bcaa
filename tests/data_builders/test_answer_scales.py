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


@pytest.mark.parametrize(
    "option",
    ["Missing; Not available", "Missing; Unknown", "Other missing; Multiple answers Mail (EVS)", "Don\u00b4t know"],
)
def test_wvs_missing_codes_are_nonsubstantive(option):
    assert is_nonsubstantive(option)


@pytest.mark.parametrize(
    "options",
    [
        ["Very strong", "Fairly strong", "Not too strong", "Not strong at all"],
        ["Very worried", "Somewhat worried", "Not too worried", "Not at all worried"],
        ["Very important", "Rather important", "Not very important", "Not at all important"],
    ],
)
def test_intensity_scales_in_either_listing_order(options):
    assert classify_options(options, [False] * 4)[0] == [1.0, 2.0, 3.0, 4.0]
    assert classify_options(options[::-1], [False] * 4)[0] == [4.0, 3.0, 2.0, 1.0]


def test_intensity_scale_needs_one_word_and_every_degree():
    assert (
        classify_options(["Very strong", "Fairly strong", "Not too worried", "Not at all worried"], [False] * 4)[0]
        == [None] * 4
    )
    assert classify_options(["Very strong", "Fairly strong", "Not strong at all"], [False] * 3)[0] == [None] * 3


def test_anchored_numerals_ascending_descending_and_one_anchor():
    both = ["Not integrated at all", *map(str, range(2, 10)), "Completely integrated", "No answer"]
    assert classify_options(both, [False] * 11) == ([*map(float, range(1, 11)), None], [False] * 10 + [True])
    assert classify_options(both[-2::-1], [False] * 10)[0] == list(map(float, range(10, 0, -1)))
    first_only = ["Never justifiable", *map(str, range(2, 11))]
    assert classify_options(first_only, [False] + [True] * 9)[0] == list(map(float, range(1, 11)))
    last_only = [*map(str, range(10)), "Extremely"]
    assert classify_options(last_only, [False] * 11)[0] == list(map(float, range(11)))


@pytest.mark.parametrize(
    "options",
    [
        ["Not important at all", "1", "Very important", *map(str, range(2, 10))],  # anchor inside
        ["Low", "Lower", *map(str, range(2, 9)), "High"],  # two anchors at one end
        ["Low", "2", "4", "6", "High"],  # not consecutive
        ["Low", "2", "High"],  # one number
    ],
)
def test_other_mixes_of_text_and_numbers_are_nominal(options):
    assert classify_options(options, [False] * len(options))[0] == [None] * len(options)
