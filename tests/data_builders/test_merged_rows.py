"""Rows that merge several wordings of one question (data_builders/global_opinions/merged_rows.py)."""

from opinionbench.data_builders.global_opinions.merged_rows import classify_item, split_variants

OPTIONS = ["Favor", "Oppose", "Good thing", "Bad thing", "DK/Refused"]


def _item(distributions, options=OPTIONS):
    return classify_item(options, [False] * len(options), distributions)


def test_a_known_scale_is_one_question_even_when_countries_disagree_completely():
    scale = ["Very good", "Somewhat good", "Somewhat bad", "Very bad"]
    item = _item([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]], scale)
    assert item["option_variant"] == [0] * 4 and item["ordinal"] == [1.0, 2.0, 3.0, 4.0]


def test_runs_of_one_option_are_no_variants():
    assert split_variants([[1.0, 0, 0], [0, 0.5, 0.5]], [False] * 3) is None
    assert split_variants([[0.5, 0.5, 0, 0]], [False] * 4) is None  # one country: one run


def test_unchosen_options_dk_of_one_variant_and_countries_without_a_choice():
    distributions = [[0.9, 0, 0, 0, 0.1], [0, 0, 0.6, 0.4, 0], [0, 0, 0, 0, 1.0]]
    # Oppose (nobody) joins Favor's run; DK only chosen by variant 0; the third country chose only DK
    assert split_variants(distributions, [False] * 4 + [True]) == ([0, 0, 1, 1, 0], [0, 1, -1])


def test_each_variant_is_classified_on_its_own():
    options = ["Very good", "Somewhat good", "Somewhat bad", "Very bad", "Yes", "No", "Don't know"]
    item = _item([[0.2, 0.3, 0.3, 0.1, 0, 0, 0.1], [0, 0, 0, 0, 0.7, 0.2, 0.1]], options)
    assert item["option_variant"] == [0, 0, 0, 0, 1, 1, -1] and item["group_variant"] == [0, 1]
    assert item["ordinal"] == [1.0, 2.0, 3.0, 4.0, 1.0, 2.0, None]
