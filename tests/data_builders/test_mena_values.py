"""The MENAValues builder on the real spreadsheet: counts, hand-checked cells, rejections, determinism."""

import collections
import re
import shutil

import openpyxl
import pytest
import yaml

from opinionbench.data_builders import mena_values
from opinionbench.errors import OpinionBenchError
from opinionbench.hub_folder import write_hub_folder

# Counts stated in ../shared/data/mena_values/PROVENANCE.md
SOURCE_ITEMS, DATA_CELLS = 864, 9051
ITEMS_WITHOUT_DATA = {"QB": 443, "QE": 446, "QG": 448}  # items #443, #446, #448
COUNTRIES = [
    "Egypt",
    "Iran",
    "Iraq",
    "Jordan",
    "Lebanon",
    "Libya",
    "Morocco",
    "Turkey",
    "Tunisia",
    "Algeria",
    "Saudi Arabia",
    "Sudan",
    "Palestine",
    "Kuwait",
    "Mauritania",
    "Qatar",
]


def _rows(build):
    return {row["source_column"]: row for row in build.dataset["test"]}


def test_counts_match_the_provenance(mena_build, mena_xlsx):
    rows = mena_build.dataset["test"]
    assert len(rows) == SOURCE_ITEMS and mena_build.rejections == []
    without_data = {column: groups for column, groups in zip(rows["source_column"], rows["groups"]) if not groups}
    assert set(without_data) == set(ITEMS_WITHOUT_DATA)
    assert "3 questions without data for any country (columns QB, QE, QG)" in mena_build.summary[1]
    assert sum(len(groups) for groups in rows["groups"]) == DATA_CELLS
    assert sorted({g for groups in rows["groups"] for g in groups}) == sorted(COUNTRIES)

    # Scale flags and surveys of the items add up to the source's totals.
    raw = list(openpyxl.load_workbook(mena_xlsx, read_only=True).worksheets[0].iter_rows(values_only=True))
    letter = openpyxl.utils.get_column_letter
    surveys = {letter(c + 1): raw[0][c] for c in range(1, len(raw[0]))}  # row "Source"
    flags = {letter(c + 1): raw[4][c] for c in range(1, len(raw[4]))}  # row "Scale"
    built_flags = collections.Counter(flags[c] for c in rows["source_column"])
    assert built_flags == {"y": 754, "n": 109, "s": 1}
    assert collections.Counter(rows["scale_type"]) == {
        "ordinal": built_flags["y"],
        "nominal": built_flags["n"],
        "special": built_flags["s"],
    }
    assert collections.Counter(surveys[c] for c in rows["source_column"]) == {
        "WVS 7": 291,
        "The 2022 Arab Opinion Index": 573,
    }


def test_jordan_q1_hand_checked(mena_build):
    item = _rows(mena_build)["B"]
    assert item["sub_question"] == "Q1: Important in life: Family"
    assert item["question"].endswith("Provide a number only.")
    assert item["survey"] == "WVS 7" and item["scale_type"] == "ordinal"
    assert (item["scale_min"], item["scale_max"]) == (1, 4)
    assert item["options"] == ["1", "2", "3", "4"]
    assert item["ordinal"] == [1.0, 2.0, 3.0, 4.0]
    assert item["nonsubstantive"] == [False] * 4
    assert item["groups"] == COUNTRIES[:9]  # WVS countries only; empty cells are not zeros
    jordan = item["groups"].index("Jordan")
    # (1.02, {'1': '97.92%', '2': '1.91%', '4': '0.17%'}), renormalised over the total of 100.00
    assert item["distributions"][jordan] == pytest.approx([0.9792, 0.0191, 0.0, 0.0017])
    assert item["reference_values"][jordan] == 1.02
    assert item["language"] == "en" and re.fullmatch(r"mena_values-[0-9a-f]{12}", item["id"])


def test_codes_written_with_a_decimal_and_not_applicable_code(mena_build):
    # Column NB (item 365): codes '1.0'..'4.0' plus '0.0' = "Not applicable", outside 1..4.
    item = _rows(mena_build)["NB"]
    assert item["options"] == ["1", "2", "3", "4", "0"]
    assert item["ordinal"] == [1.0, 2.0, 3.0, 4.0, None]
    assert item["nonsubstantive"] == [False, False, False, False, True]
    egypt = item["groups"].index("Egypt")
    # (2.00, {'2.0': '56.53%', '1.0': '23.24%', '3.0': '15.08%', '4.0': '4.65%', '0.0': '0.50%'})
    assert item["distributions"][egypt] == pytest.approx([0.2324, 0.5653, 0.1508, 0.0465, 0.0050])


def test_zero_inside_the_scale_is_an_ordinary_option(mena_build):
    # Column CU (item 98): membership 0 = not a member, 1 inactive, 2 active (Min 0).
    item = _rows(mena_build)["CU"]
    assert (item["scale_min"], item["scale_max"]) == (0, 2)
    assert item["options"] == ["0", "1", "2"]
    assert item["nonsubstantive"] == [False, False, False]
    assert item["ordinal"] == [0.0, 1.0, 2.0]


def test_every_distribution_sums_to_one_and_ordinal_references_are_means(mena_build):
    for item in mena_build.dataset["test"]:
        codes = [float(option) for option in item["options"]]
        for distribution, reference in zip(item["distributions"], item["reference_values"]):
            assert sum(distribution) == pytest.approx(1.0, abs=1e-12)
            assert min(distribution) >= 0
            if item["scale_type"] != "nominal":  # the source's reference is the mean (2 decimals)
                mean = sum(code * share for code, share in zip(codes, distribution))
                assert mean == pytest.approx(reference, abs=0.02)
        if item["scale_type"] == "nominal":
            assert item["ordinal"] == [None] * len(item["options"])


def test_nominal_reference_value_is_the_modal_code(mena_build):
    nominal = [item for item in mena_build.dataset["test"] if item["scale_type"] == "nominal"]
    agree = total = 0
    for item in nominal:
        for distribution, reference in zip(item["distributions"], item["reference_values"]):
            total += 1
            agree += float(item["options"][distribution.index(max(distribution))]) == reference
    assert total > 1000 and agree / total > 0.85  # PROVENANCE: the mode in 1,224 of 1,343 cells


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("(1.02, {'1': '97.92%', '2': 'abc'})", "malformed percentage"),
        ("(1.02, {'1': '87.92%', '2': '1.91%', '4': '0.17%'})", "shares do not sum to 1"),
        ("(1.02, {'1': '97.92%', '7': '1.91%', '4': '0.17%'})", "answer code outside the scale"),
        ("(1.02, {'1': '97.92%', 'x': '1.91%', '4': '0.17%'})", "malformed answer code"),
        ("1.02 and some percentages", "malformed cell"),
        ("(abc, {'1': '100%'})", "malformed reference value"),
        ("(1.02, {'1': __import__('os')})", "malformed distribution"),
        ("(No data, {'1': '100%'})", "malformed cell"),
    ],
)
def test_a_malformed_real_cell_is_rejected_with_its_place(mena_xlsx, tmp_path, cell, kind):
    broken = tmp_path / "broken.xlsx"
    workbook = openpyxl.load_workbook(mena_xlsx)
    workbook.worksheets[0]["B12"] = cell  # Jordan, item 1 (Q1)
    workbook.save(broken)

    result = mena_values.build(broken)
    [rejection] = result.rejections[:1]
    assert (rejection.file, rejection.location, rejection.kind) == ("broken.xlsx", "cell B12 (item 1, Jordan)", kind)
    assert str(rejection).startswith("broken.xlsx: cell B12 (item 1, Jordan): " + kind)
    q1 = next(item for item in result.dataset["test"] if item["source_column"] == "B")
    assert "Jordan" not in q1["groups"] and len(q1["groups"]) == 8  # the other countries stay


def test_a_file_that_is_not_the_mena_layout_is_an_error(tmp_path, mena_xlsx):
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("plain text")
    with pytest.raises(OpinionBenchError, match="notes.xlsx: not a readable .xlsx workbook"):
        mena_values.build(not_xlsx)
    relabelled = tmp_path / "relabelled.xlsx"
    workbook = openpyxl.load_workbook(mena_xlsx)
    workbook.worksheets[0]["A4"] = "Maximum"
    workbook.save(relabelled)
    with pytest.raises(OpinionBenchError, match="relabelled.xlsx: the first sheet has no row labelled 'MAX'"):
        mena_values.build(relabelled)


def test_card_header_and_body(mena_build):
    header, body = mena_build.card.split("---\n", 2)[1:]
    meta = yaml.safe_load(header)
    assert meta["license"] == "cc-by-4.0"
    assert meta["source_datasets"] == ["llm-lab/MENA_VALUES_Benchmark"]
    assert "zahraei2025menavalues" in meta["citation"]
    assert meta["configs"] == [
        {"config_name": "default", "data_files": [{"split": "test", "path": "data/test-*.parquet"}]}
    ]
    assert "An item no country has\n  data for (3 items) is kept with empty `groups`" in body
    assert "| `reference_values` | list[float64] |" in body
    # every placeholder ($name, ${name}) filled; `$(opinionbench tasks-path)` is the usage's shell command
    assert [name for name in re.findall(r"\$\{?\w+", body) if name != "$OPINIONBENCH_SOURCES"] == []


def test_out_folder_with_foreign_files_is_refused(mena_build, tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(OpinionBenchError, match="already holds files that this command did not write"):
        write_hub_folder(mena_build, tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_a_failed_write_leaves_no_partial_folder(mena_build, tmp_path, monkeypatch):
    import pyarrow.parquet

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pyarrow.parquet, "write_table", disk_full)
    with pytest.raises(OSError):
        write_hub_folder(mena_build, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
    shutil.rmtree(tmp_path, ignore_errors=True)
