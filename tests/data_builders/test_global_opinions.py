"""The GlobalOpinionQA builder on fixtures in the exact upstream format (the real file is not here)."""

import re
from pathlib import Path

import pytest
import yaml

from opinionbench.data_builders import global_opinions
from opinionbench.data_builders.global_opinions import normalise_group
from opinionbench.errors import OpinionBenchError

EXPECTED_REJECTIONS = {
    ("row 5", "empty question"),
    ("row 6, group 'Kenya'", "shares do not sum to 1"),
    ("row 6, group 'Peru'", "negative share"),
    ("row 6, group 'Chile'", "wrong number of shares"),
    ("row 6, group 'Ghana'", "share is not a number"),
    ("row 6, group 'S. Korea'", "duplicate group"),
    ("row 7", "malformed selections"),
    ("row 10", "malformed options"),
}


def _by_row(build):
    return {row["source_row"]: row for row in build.dataset["test"]}


def test_every_rejection_is_reported_with_row_and_reason(global_opinions_build):
    assert {(r.location, r.kind) for r in global_opinions_build.rejections} == EXPECTED_REJECTIONS
    assert all(r.file == "global_opinions.csv" for r in global_opinions_build.rejections)
    assert sorted(_by_row(global_opinions_build)) == [1, 2, 3, 4, 6, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]


def test_code_in_selections_is_parsed_as_text_never_run(global_opinions_build):
    assert not Path("/tmp/opinionbench-pwned").exists()


def test_first_upstream_row(global_opinions_build):
    row = _by_row(global_opinions_build)[1]
    assert row["survey"] == "GAS" and row["language"] == "en"
    assert row["options"][3] == "DK/Refused"
    # listed as too much / too little / about right: positions follow the scale, not the listing
    assert row["ordinal"] == [1.0, 3.0, 2.0, None]
    assert row["nonsubstantive"] == [False, False, False, True]
    assert row["groups"] == ["Belgium", "France", "Germany", "Greece"]
    germany = [0.13131313131313133, 0.30303030303030304, 0.5252525252525253, 0.04040404040404041]
    total = sum(germany)
    assert row["distributions"][2] == pytest.approx([share / total for share in germany])
    assert row["distributions"][0] == pytest.approx([0.21, 0.07, 0.69, 0.03])


def test_numeric_options_become_text_with_their_values_as_positions(global_opinions_build):
    row = _by_row(global_opinions_build)[2]
    assert row["options"] == [str(n) for n in range(1, 11)]
    assert row["ordinal"] == [float(n) for n in range(1, 11)]
    assert row["groups"] == ["Czechia", "Great Britain", "Northern Ireland"]


def test_sample_qualifiers_and_spelling_variants(global_opinions_build):
    row = _by_row(global_opinions_build)[3]
    assert list(zip(row["source_groups"], row["groups"], row["sample_types"])) == [
        ("India (Current national sample)", "India", "national"),
        ("India (Old national sample)", "India (old national sample)", "old national"),
        ("Brazil", "Brazil", "national"),
        ("Brazil (Non-national sample)", "Brazil (non-national sample)", "non-national"),
        ("S. Korea", "South Korea", "national"),
        ("Czech Rep.", "Czechia", "national"),
        ("Palest. ter.", "Palestinian territories", "national"),
        ("Britain", "Great Britain", "national"),
    ]


def test_nominal_and_mixed_items_have_no_positions(global_opinions_build):
    rows = _by_row(global_opinions_build)
    assert rows[4]["ordinal"] == [None] * 5 and rows[4]["nonsubstantive"][-1] is True
    assert rows[9]["options"][:3] == ["Not important at all", "1", "Very important"]
    assert rows[9]["ordinal"] == [None] * 11


WVS_MISSING = ["Don't know", "No answer", "Missing; Not available", "Other missing; Multiple answers Mail (EVS)"]


@pytest.mark.parametrize(
    ("row", "ordinal"),
    [
        (15, [4.0, 3.0, 2.0, 1.0, None]),  # Not strong at all ... Very strong, listed ascending
        (16, [1.0, 2.0, 3.0, 4.0, None]),  # Very worried ... Not at all worried
        (17, [1.0, 2.0, 3.0, 4.0, None]),  # A lot / Fairly / Little / Nothing
        (18, [float(n) for n in range(1, 11)] + [None] * 4),  # anchor, "2".."9", anchor; WVS missing codes
        (19, [float(n) for n in range(1, 11)] + [None] * 3),  # anchor, 2.0..10.0 (floats)
    ],
)
def test_intensity_and_anchored_wvs_scales_are_ordinal(global_opinions_build, row, ordinal):
    item = _by_row(global_opinions_build)[row]
    assert item["ordinal"] == ordinal
    assert item["nonsubstantive"] == [position is None for position in ordinal]
    assert item["option_variant"] == [0] * len(ordinal) and set(item["group_variant"]) == {0}


def test_double_quoted_options_and_wvs_missing_codes(global_opinions_build):
    rows = _by_row(global_opinions_build)
    assert rows[18]["options"][0] == "Not integrated at all" and rows[18]["options"][-4:] == WVS_MISSING
    assert rows[19]["options"][1] == "2" and rows[19]["options"][-3:] == ["Don't know", "No answer", "Missing; Unknown"]


def test_merged_row_is_split_into_its_question_variants(global_opinions_build):
    row = _by_row(global_opinions_build)[20]
    assert row["options"] == ["Favor", "Oppose", "Good thing", "Bad thing", "DK/Refused"]
    assert row["option_variant"] == [0, 0, 1, 1, -1]  # DK/Refused chosen in both variants: shared
    assert row["group_variant"] == [0, 0, 1]  # France, Germany; Kenya
    assert row["ordinal"] == [1.0, 2.0, 1.0, 2.0, None]  # each variant classified on its own


def test_good_groups_of_a_row_with_bad_groups_are_kept(global_opinions_build):
    row = _by_row(global_opinions_build)[6]
    assert row["groups"] == ["Mexico", "South Korea"]
    assert row["ordinal"] == [1.0, 2.0, None]


def test_rounding_slack_and_multiline_question(global_opinions_build):
    row = _by_row(global_opinions_build)[11]
    assert "\n" in row["question"]
    assert row["groups"] == ["Poland", "Russia"]  # Poland sums to 1.02: inside 4 x 0.005
    assert row["distributions"][0] == pytest.approx([0.3 / 1.02, 0.4 / 1.02, 0.2 / 1.02, 0.12 / 1.02])


def test_ids_are_stable_unique_and_number_repeated_questions(global_opinions_build, global_opinions_csv):
    rows = _by_row(global_opinions_build)
    ids = [row["id"] for row in global_opinions_build.dataset["test"]]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"global_opinions-[0-9a-f]{12}(-\d+)?", i) for i in ids)
    assert rows[8]["id"] == rows[3]["id"] + "-2"
    again = global_opinions.build(global_opinions_csv)
    assert [row["id"] for row in again.dataset["test"]] == ids


def test_card(global_opinions_build):
    header, body = global_opinions_build.card.split("---\n", 2)[1:]
    meta = yaml.safe_load(header)
    assert meta["license"] == "cc-by-nc-sa-4.0"
    assert meta["source_datasets"] == ["Anthropic/llm_global_opinions"]
    assert "durmus2023measuring" in meta["citation"]
    assert "| Czech Rep. | Czechia |" in body
    assert "row 7: malformed selections" in body
    assert "Ordinal items (14)" in body and "Merged rows (1)" in body


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Japan", ("Japan", "national")),
        ("  S.  Korea ", ("South Korea", "national")),
        ("India (Current national sample)", ("India", "national")),
        ("Venezuela (Non-national sample)", ("Venezuela (non-national sample)", "non-national")),
        ("S. Africa (Non-national sample)", ("South Africa (non-national sample)", "non-national")),
        ("Hong Kong SAR", ("Hong Kong SAR", "national")),
    ],
)
def test_normalise_group(raw, expected):
    assert normalise_group(raw) == expected


def test_csv_without_the_upstream_columns_is_an_error(tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("question,answers\nA?,yes\n", encoding="utf-8")
    with pytest.raises(OpinionBenchError, match=r"wrong.csv: the header .* lacks the column\(s\) \['selections'"):
        global_opinions.build(wrong)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes('question,selections,options,source\n"Caf\xe9?",{},[],GAS\n'.encode("latin-1"))
    with pytest.raises(OpinionBenchError, match="latin1.csv: line 2: not UTF-8 text"):
        global_opinions.build(latin1)


def test_a_byte_order_mark_is_accepted(tmp_path, global_opinions_csv, global_opinions_build):
    with_bom = tmp_path / "global_opinions.csv"
    with_bom.write_bytes(b"\xef\xbb\xbf" + global_opinions_csv.read_bytes())
    build = global_opinions.build(with_bom)
    assert build.dataset["test"]["id"] == global_opinions_build.dataset["test"]["id"]
