"""Every builder's Hub-ready folder: byte-identical across builds, loadable with datasets."""

import datasets
import pytest

from opinionbench.data_builders import global_opinions, mena_values
from opinionbench.hub_folder import write_hub_folder


@pytest.mark.parametrize(
    ("builder", "raw_fixture"),
    [(mena_values, "mena_xlsx"), (global_opinions, "global_opinions_csv")],
    ids=["mena_values", "global_opinions"],
)
def test_builds_are_byte_identical_and_round_trip_through_datasets(builder, raw_fixture, request, tmp_path):
    raw = request.getfixturevalue(raw_fixture)
    built = builder.build(raw)
    # Distinct folder names: the datasets cache keys a local folder by its name.
    first = write_hub_folder(built, tmp_path / f"{builder.SOURCE.name}-first")
    second = write_hub_folder(builder.build(raw), tmp_path / f"{builder.SOURCE.name}-second")
    for name in ("README.md", "data/test-00000-of-00001.parquet"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    loaded = datasets.load_dataset(str(first), split="test")
    assert loaded.features == built.dataset["test"].features
    assert loaded.to_list() == built.dataset["test"].to_list()
