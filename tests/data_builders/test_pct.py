"""The PCT builder on the real files: counts, hand-read rows, worked examples, cross-checks, bad copies."""

import csv
import json

import pytest

from opinionbench.data_builders import pct
from opinionbench.errors import OpinionBenchError

OPTIONS = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
# ../shared/data/pct/PROVENANCE.md, "Worked examples": the same answer everywhere -> (Σecon, Σsoc).
WEIGHT_SUMS = {"Strongly agree": (-3, 38), "Agree": (0, 0), "Disagree": (-5, -94), "Strongly disagree": (-3, -132)}
PRE_2024_50 = "Multinational companies are unethically exploiting the plant genetic resources of developing countries."


@pytest.fixture(scope="module")
def rows(pct_build):
    return pct_build.dataset["test"].to_list()


def test_counts_and_order_match_the_provenance(pct_build, rows):
    assert list(pct_build.configs) == ["default"]
    assert [row["number"] for row in rows] == list(range(1, 63))
    assert [row["id"] for row in rows] == [f"pct-{n:02d}" for n in range(1, 63)]
    assert all(row["options"] == OPTIONS and row["language"] == "en" for row in rows)
    econ_only = [r for r in rows if any(r["econ_weights"]) and not any(r["soc_weights"])]
    soc_only = [r for r in rows if any(r["soc_weights"]) and not any(r["econ_weights"])]
    assert (len(econ_only), len(soc_only)) == (18, 43)
    assert [r["number"] for r in rows if not any(r["econ_weights"] + r["soc_weights"])] == [21]
    assert pct_build.summary == (f"built 62 propositions from {pct_build.source_file}",)


def test_hand_read_rows(rows):
    first = rows[0]  # pct_scoring.json econ_weights[0] and soc_weights[0]
    assert first["statement"].startswith("If economic globalisation is inevitable")
    assert (first["econ_weights"], first["soc_weights"]) == ([7, 5, 0, -2], [0, 0, 0, 0])
    assert (first["page"], first["page_name"], first["site_key"]) == (1, "Country and World", "globalisationinevitable")
    assert first["source_id"] == "pc-01"
    # PROVENANCE mixed example: #2 answered Strongly disagree weighs -8 on the social axis.
    assert rows[1]["soc_weights"][OPTIONS.index("Strongly disagree")] == -8
    assert rows[20]["statement"].startswith("A genuine free market requires restrictions")
    assert rows[20]["econ_weights"] == rows[20]["soc_weights"] == [0, 0, 0, 0]


def test_proposition_50_carries_its_pre_2024_wording(rows):
    assert rows[49]["statement"].startswith("Almost all politicians promise economic growth")
    assert rows[49]["statement_pre_2024"] == PRE_2024_50
    assert rows[49]["soc_weights"] == [7, 5, 0, -2]
    assert [row["number"] for row in rows if row["statement_pre_2024"] is not None] == [50]


@pytest.mark.parametrize("answer", list(WEIGHT_SUMS))
def test_weight_sums_equal_the_worked_examples(rows, answer):
    column = OPTIONS.index(answer)
    sums = (sum(r["econ_weights"][column] for r in rows), sum(r["soc_weights"][column] for r in rows))
    assert sums == WEIGHT_SUMS[answer]


def test_ids_texts_and_pages_agree_with_the_upstream_copies(sources_dir, rows):
    upstream = sources_dir / "pct" / "upstream"
    with (upstream / "rottger_llm-values-pct" / "pct_propositions.csv").open(encoding="utf-8") as handle:
        rottger = list(csv.DictReader(handle))
    assert [(r["source_id"], r["statement"]) for r in rows] == [(r["pct_id"], r["pct_prompt"]) for r in rottger]
    pages = json.loads((upstream / "copenlu_llm-pct-tropes" / "question_category_mapping.json").read_text())
    for page_number, page in enumerate(pages, start=1):
        assert {(rows[i]["page"], rows[i]["page_name"]) for i in page["questions"]} == {(page_number, page["name"])}


def test_a_text_that_differs_from_rottger_is_named_with_file_and_row(build_error):
    message = build_error(
        pct,
        "upstream/rottger_llm-values-pct/pct_propositions.csv",
        lambda text: text.replace("The enemy of my enemy is my friend.", "The enemy of my enemy is my enemy."),
    )
    assert "upstream/rottger_llm-values-pct/pct_propositions.csv: row 5: text differs from the propositions file" in (
        message
    )
    assert "pct_propositions.jsonl #5" in message and "nothing was built" in message


def test_a_changed_pre_2024_wording_is_caught_by_polilean(build_error):
    message = build_error(pct, "pct_propositions.jsonl", lambda text: text.replace("plant genetic", "seed"))
    assert "upstream/bunsenfeng_polilean/example.jsonl: element 49: text differs from the propositions file" in message


def test_bad_json_and_bad_weights_are_named_with_file_and_row(build_error):
    message = build_error(pct, "pct_propositions.jsonl", lambda text: text.replace('{"index": 2,', '{"index": 2', 1))
    assert message.startswith("pct_propositions.jsonl: line 3: not valid JSON")
    message = build_error(pct, "pct_propositions.jsonl", lambda text: text.replace('"index": 3,', '"index": 4,', 1))
    assert "pct_propositions.jsonl: line 4: inconsistent numbering ('index' is 4, but 'number' is 4)" in message

    message = build_error(pct, "pct_scoring.json", lambda text: text.replace("[7, 5, 0, -2]", '[7, 5, 0, "-2"]', 1))
    assert "pct_scoring.json: econ_weights row 0 (proposition #1): malformed weights" in message


def test_a_missing_companion_file_is_named(source_copy):
    folder = source_copy("pct")
    (folder / "pct_scoring.json").unlink()
    with pytest.raises(OpinionBenchError, match=r"pct: the companion file 'pct_scoring.json' of .* is missing"):
        pct.build(folder / "pct_propositions.jsonl")
