"""Every builder's Hub-ready folder: byte-identical across builds, loadable with datasets, per config."""

import datasets
import pytest
import yaml

from opinionbench.data_builders import (
    eightvalues,
    global_opinions,
    mena_values,
    pct,
    sapplyvalues,
    wahl_o_mat,
    worldview_bench,
)
from opinionbench.hub_folder import folder_configs, write_hub_folder

BUILDERS = [
    (mena_values, "mena_values/MenaValues Benchmark.xlsx"),
    (global_opinions, None),  # the upstream-format fixture
    (pct, "pct/pct_propositions.jsonl"),
    (eightvalues, "eightvalues/questions.jsonl"),
    (sapplyvalues, "sapplyvalues/questions.jsonl"),
    (wahl_o_mat, "wahl_o_mat/upstream/election.json"),
    (worldview_bench, "worldview_bench/questions.jsonl"),
]


def _card_header(folder) -> dict:
    return yaml.safe_load((folder / "README.md").read_text(encoding="utf-8").split("---\n")[1])


@pytest.mark.parametrize(("builder", "raw_file"), BUILDERS, ids=[b.SOURCE.name for b, _ in BUILDERS])
def test_builds_are_byte_identical_and_round_trip_through_datasets(
    builder, raw_file, sources_dir, global_opinions_csv, tmp_path
):
    raw = sources_dir / raw_file if raw_file else global_opinions_csv
    built = builder.build(raw)
    # Distinct folder names: the datasets cache keys a local folder by its name.
    first = write_hub_folder(built, tmp_path / f"{builder.SOURCE.name}-first")
    second = write_hub_folder(builder.build(raw), tmp_path / f"{builder.SOURCE.name}-second")
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    assert folder_configs(first) == list(built.configs)
    for config, dataset in built.configs.items():
        loaded = datasets.load_dataset(str(first), config, split="test")
        assert loaded.features == dataset.features
        assert loaded.to_list() == dataset.to_list()


def test_a_single_config_keeps_the_flat_layout(pct_build, tmp_path):
    folder = write_hub_folder(pct_build, tmp_path / "pct")
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.parquet")) == ["data/test-00000-of-00001.parquet"]
    assert _card_header(folder)["configs"] == [
        {"config_name": "default", "data_files": [{"split": "test", "path": "data/test-*.parquet"}]}
    ]


def test_several_configs_get_a_folder_each_and_the_default_is_marked(wahl_o_mat_build, tmp_path):
    folder = write_hub_folder(wahl_o_mat_build, tmp_path / "wahl_o_mat_multi")
    years = [2025, 2021, 2017, 2013, 2009, 2005, 2002]
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.parquet")) == sorted(
        f"data/bundestag_{year}/test-00000-of-00001.parquet" for year in years
    )
    configs = _card_header(folder)["configs"]
    assert [c["config_name"] for c in configs] == [f"bundestag_{year}" for year in years]
    assert [c.get("default", False) for c in configs] == [True] + [False] * 6
    assert configs[1]["data_files"] == [{"split": "test", "path": "data/bundestag_2021/test-*.parquet"}]

    election_2021 = datasets.load_dataset(str(folder), "bundestag_2021", split="test")
    assert len(election_2021) == 38 and set(election_2021["election"]) == {"bundestag_2021"}
    default = datasets.load_dataset(str(folder), split="test")
    assert set(default["election"]) == {"bundestag_2025"}
