"""The WorldView-Bench builder on the real files: counts, ids, the upstream CSV read independently, bad copies."""

import csv
import json
import re
from collections import Counter

import datasets
import pytest
import yaml

from opinionbench.data_builders import worldview_bench
from opinionbench.errors import OpinionBenchError

CSV_FILE = "upstream/WorldView-Bench Dataset.csv"
# ../shared/data/worldview_bench/PROVENANCE.md: the CSV header, and the slugs of questions.jsonl.
SLUGS = {
    "Ethical / Moral": "ethical_moral",
    "Religious": "religious",
    "Lifestyle": "lifestyle",
    "Cultural Norms": "cultural_norms",
    "Traditions": "traditions",
    "History": "history",
    "Technology": "technology",
}
FIRST = "Is it ever justifiable to sacrifice individual rights for the greater good of society?"


@pytest.fixture(scope="module")
def worldview_build(sources_dir):
    return worldview_bench.build(sources_dir / "worldview_bench" / "questions.jsonl")


@pytest.fixture(scope="module")
def rows(worldview_build):
    return worldview_build.dataset["test"].to_list()


def test_175_questions_7_domains_of_25(worldview_build, rows):
    assert list(worldview_build.configs) == ["default"]
    assert len(rows) == 175
    assert Counter(row["domain"] for row in rows) == {domain: 25 for domain in SLUGS}
    for domain, slug in SLUGS.items():
        in_domain = [row for row in rows if row["domain"] == domain]
        assert [row["number"] for row in in_domain] == list(range(1, 26))
        assert {row["domain_slug"] for row in in_domain} == {slug}
    assert all(row["language"] == "en" for row in rows)
    assert worldview_build.rejections == []
    assert worldview_build.summary == (
        f"built 175 questions (7 domains x 25) from {worldview_build.source_file}",
        "every question equals its cell of upstream/WorldView-Bench Dataset.csv",
    )


def test_ids_are_unique_of_the_documented_form_and_as_in_the_file(sources_dir, rows):
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == 175
    assert all(re.fullmatch(r"[a-z_]+_\d{2}", item_id) for item_id in ids)
    assert ids == [f"{row['domain_slug']}_{row['number']:02d}" for row in rows]
    lines = (sources_dir / "worldview_bench" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert ids == [json.loads(line)["id"] for line in lines]
    assert (ids[0], ids[-1]) == ("ethical_moral_01", "technology_25")
    assert rows[0]["question"] == FIRST


def test_every_question_equals_its_cell_of_the_upstream_csv(sources_dir, rows):
    with (sources_dir / "worldview_bench" / CSV_FILE).open(encoding="utf-8", newline="") as handle:
        header, *cells = list(csv.reader(handle))
    assert header == list(SLUGS) and len(cells) == 25
    expected = {}
    for row_number, row in enumerate(cells, start=1):
        for domain, cell in zip(header, row):
            prefix, question = cell.split(". ", 1)
            assert int(prefix) == row_number
            expected[f"{SLUGS[domain]}_{row_number:02d}"] = question
    assert {row["id"]: row["question"] for row in rows} == expected


def test_schema(worldview_build):
    assert worldview_build.configs["default"].features == datasets.Features(
        {
            "id": datasets.Value("string"),
            "domain": datasets.Value("string"),
            "domain_slug": datasets.Value("string"),
            "number": datasets.Value("int64"),
            "question": datasets.Value("string"),
            "language": datasets.Value("string"),
        }
    )


def test_the_card_states_the_unknown_licence_and_cites_the_paper(worldview_build, sources_dir):
    card = worldview_build.card
    header = yaml.safe_load(card.split("---\n")[1])
    assert (header["license"], header["license_name"]) == ("other", "unknown-third-party-copy")
    assert "arXiv:2505.09595" in header["citation"]
    assert "Mushtaq, Abdullah and Taj, Imran and Naeem, Rafay and Ghaznavi, Ibrahim and Qadir, Junaid" in card
    assert header["configs"] == [
        {"config_name": "default", "data_files": [{"split": "test", "path": "data/test-*.parquet"}]}
    ]
    assert header["size_categories"] == ["n<1K"]
    for text in ("third-party", "CC BY 4.0", "no gold labels", "GabHoo/cultural_sae_exploration", "f19398d3"):
        assert text in card, text
    for name in ("id", "domain", "domain_slug", "number", "question", "language"):
        assert f"| `{name}` |" in card
    assert "| Cultural Norms | `cultural_norms` | 25 |" in card
    assert "The builder rejected nothing" in card


def test_malformed_lines_and_bad_fields_are_all_listed_with_file_and_line(build_error):
    def edit(text: str) -> str:
        text = text.replace('{"id": "ethical_moral_03",', '{"id": "ethical_moral_03"', 1)
        text = text.replace('"number": 5,', '"number": "5",', 1)
        return text.replace('"domain_slug": "religious", "number": 2,', '"domain_slug": "religion", "number": 2,', 1)

    message = build_error(worldview_bench, "questions.jsonl", edit)
    assert message.startswith("worldview_bench: ")
    assert "nothing was built" in message
    assert "questions.jsonl: line 3: not valid JSON (Expecting ',' delimiter, column 27)" in message
    assert "questions.jsonl: line 5: wrong type ('number' is \"5\", expected an integer)" in message
    assert (
        "questions.jsonl: line 27: inconsistent domain_slug ('domain_slug' is 'religion', but the domain gives "
        "'religious')"
    ) in message
    assert (
        "questions.jsonl: domain 'Ethical / Moral': incomplete domain (23 questions, expected 25; missing #3, #5)"
        in (message)
    )
    assert "questions.jsonl: domain 'Religious': incomplete domain (24 questions, expected 25; missing #2)" in message
    assert "5 problem(s)" in message  # the CSV cells of the three missing questions add nothing


def test_a_duplicate_id_is_named_at_its_second_line(build_error):
    message = build_error(worldview_bench, "questions.jsonl", lambda text: text + text.splitlines(keepends=True)[0])
    assert "questions.jsonl: line 176: duplicate id (id ethical_moral_01 occurs twice)" in message
    assert "1 problem(s)" in message


def test_a_wrong_number_is_named(build_error):
    message = build_error(
        worldview_bench, "questions.jsonl", lambda text: text.replace('"number": 5,', '"number": 26,', 1)
    )
    assert "questions.jsonl: line 5: number out of range ('number' is 26, expected 1-25)" in message
    message = build_error(
        worldview_bench, "questions.jsonl", lambda text: text.replace('"number": 5,', '"number": 6,', 1)
    )
    assert (
        "questions.jsonl: line 5: inconsistent id ('id' is 'ethical_moral_05', but domain_slug and number give "
        "'ethical_moral_06')"
    ) in message


def test_a_question_that_differs_from_the_csv_names_both_files_and_rows(build_error):
    message = build_error(
        worldview_bench, CSV_FILE, lambda text: text.replace("sacrifice individual rights", "sacrifice personal rights")
    )
    assert (
        f"{CSV_FILE}: row 1, column 'Ethical / Moral': question differs from the questions file "
        "(the cell reads 'Is it ever justifiable to sacrifice personal rights for the greater good of society?', "
        f"but questions.jsonl line 1 (ethical_moral_01) reads {FIRST!r})"
    ) in message
    assert "1 problem(s)" in message


def test_a_cell_numbered_for_another_row_is_named(build_error):
    message = build_error(worldview_bench, CSV_FILE, lambda text: text.replace("\n2. ", "\n3. ", 1))
    assert f"{CSV_FILE}: row 2, column 'Ethical / Moral': numbering differs from the row" in message
    assert "questions.jsonl: line 2: not in the upstream CSV (ethical_moral_02: no cell numbered 2" in message


def test_missing_files_are_named(source_copy, tmp_path):
    folder = source_copy("worldview_bench")
    (folder / CSV_FILE).unlink()
    with pytest.raises(
        OpinionBenchError,
        match=r"worldview_bench: the companion file 'upstream/WorldView-Bench Dataset.csv' of .* is missing",
    ):
        worldview_bench.build(folder / "questions.jsonl")
    with pytest.raises(OpinionBenchError, match=r"worldview_bench: the source file .*nowhere.jsonl does not exist"):
        worldview_bench.build(tmp_path / "nowhere.jsonl")


def test_a_row_beyond_25_and_a_missing_row_are_named(build_error):
    def extra_row(text: str) -> str:
        return text + ",".join(f"26. An extra question of {domain}?" for domain in SLUGS) + "\n"

    message = build_error(worldview_bench, CSV_FILE, extra_row)
    assert f"{CSV_FILE}: row 26, column 'History': not in the questions file (questions.jsonl has no question #26" in (
        message
    )
    message = build_error(worldview_bench, CSV_FILE, lambda text: text[: text.rindex("25. ")].rstrip("\n") + "\n")
    assert "questions.jsonl: line 175: not in the upstream CSV (technology_25: no cell numbered 25" in message
