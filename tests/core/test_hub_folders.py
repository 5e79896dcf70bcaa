"""Every builder's Hub-ready folder: byte-identical across builds, loadable with datasets, per config;
its card's header (written with huggingface_hub's card data API) describes the Parquet files and the
rows' languages, its body says how to load it and run its tasks; a rebuilt folder loads its own rows."""

import csv
import dataclasses
import hashlib
import re

import datasets
import pyarrow.compute
import pyarrow.parquet
import pytest
import yaml
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard

from opinionbench import families
from opinionbench.cards import size_category
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
    # Distinct folder names, though the datasets cache now keys a local folder by its name and its card.
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


@pytest.fixture(scope="module")
def built_folders(sources_dir, global_opinions_csv, tmp_path_factory):
    """Every builder's build and its Hub-ready folder, by source name."""
    root = tmp_path_factory.mktemp("hub_folders")
    folders = {}
    for builder, raw_file in BUILDERS:
        built = builder.build(sources_dir / raw_file if raw_file else global_opinions_csv)
        folders[builder.SOURCE.name] = (built, write_hub_folder(built, root / builder.SOURCE.name))
    return folders


SOURCES = [builder.SOURCE.name for builder, _ in BUILDERS]


def _parquet_files(folder, card: DatasetCard) -> dict[str, list]:
    """Each config's Parquet files, found with the glob patterns of the card's ``configs``."""
    return {
        config["config_name"]: sorted(folder.glob(config["data_files"][0]["path"])) for config in card.data["configs"]
    }


@pytest.mark.parametrize("source", SOURCES)
def test_the_card_header_records_every_config_s_features_and_parquet_file(source, built_folders):
    built, folder = built_folders[source]
    text = (folder / "README.md").read_text(encoding="utf-8")
    card = DatasetCard.load(folder / "README.md")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header == card.data.to_dict()
    files = _parquet_files(folder, card)
    assert list(files) == list(built.configs) and all(len(paths) == 1 for paths in files.values())

    # As `datasets` writes it: one mapping for the single config `default`, else a list by config_name.
    raw = header["dataset_info"]
    if list(files) == ["default"]:
        assert isinstance(raw, dict) and "config_name" not in raw
    else:
        assert sorted(entry["config_name"] for entry in raw) == sorted(files)
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    assert sorted(infos) == sorted(files)
    for config, [path] in files.items():
        info = infos[config]
        parquet = pyarrow.parquet.ParquetFile(path)
        assert info.features == datasets.Features.from_arrow_schema(parquet.schema_arrow)
        assert list(info.splits) == ["test"]
        assert info.splits["test"].num_examples == parquet.metadata.num_rows
        assert info.splits["test"].num_bytes == info.dataset_size == pyarrow.parquet.read_table(path).nbytes
        content = path.read_bytes()
        assert info.download_size == len(content)
        relative = path.relative_to(folder).as_posix()
        assert info.download_checksums == {
            relative: {"num_bytes": len(content), "checksum": hashlib.sha256(content).hexdigest()}
        }
        # ... and `datasets` reads it back as the builder's info.
        builder_info = datasets.load_dataset_builder(str(folder), config).info
        assert builder_info.features == info.features
        assert builder_info.splits["test"].num_examples == parquet.metadata.num_rows
    assert header["size_categories"] == [size_category(sum(infos[c].splits["test"].num_examples for c in infos))]


def _languages_in(table: pyarrow.Table) -> set[str]:
    """The values of every ``language`` column and of every ``language`` field of the records
    in a list-of-records column."""
    found = set()
    for name, column in zip(table.column_names, table.columns):
        if name == "language":
            found |= set(column.to_pylist())
        elif (
            pyarrow.types.is_list(column.type)
            and pyarrow.types.is_struct(column.type.value_type)
            and column.type.value_type.get_field_index("language") >= 0
        ):
            records = pyarrow.compute.list_flatten(column)
            found |= set(pyarrow.compute.struct_field(records, "language").to_pylist())
    return found - {None}


@pytest.mark.parametrize("source", SOURCES)
def test_the_card_language_is_every_language_in_the_rows(source, built_folders):
    _, folder = built_folders[source]
    card = DatasetCard.load(folder / "README.md")
    found = set()
    for [path] in _parquet_files(folder, card).values():
        found |= _languages_in(pyarrow.parquet.read_table(path))
    assert found
    assert sorted(card.data.language) == sorted(found)
    assert len(card.data.language) == len(set(card.data.language))


def test_a_card_declaring_other_languages_than_its_rows_is_refused(mena_xlsx, monkeypatch):
    monkeypatch.setattr(mena_values, "CARD", dataclasses.replace(mena_values.CARD, language=["en"]))
    with pytest.raises(
        ValueError, match=r"declares the languages \['en'\], but the rows hold \['ar', 'en', 'fa', 'tr'\]"
    ):
        mena_values.build(mena_xlsx)


@pytest.mark.parametrize("source", SOURCES)
def test_the_card_says_how_to_load_it_and_run_its_default_tasks(source, built_folders):
    built, folder = built_folders[source]
    body = DatasetCard.load(folder / "README.md").text
    sections = re.findall(r"^## (.+)$", body, flags=re.MULTILINE)
    assert sections[0] == "Usage" and sections.count("Usage") == 1
    usage = body.split("## Usage\n", 1)[1].split("\n## ", 1)[0]
    assert 'datasets.load_dataset("ORG/NAME", split="test")' in usage
    assert 'datasets.load_dataset("DIR", split="test")' in usage
    assert f"opinionbench build {source} --out DIR" in usage
    default, *others = built.configs
    if others:
        assert f'datasets.load_dataset("ORG/NAME", "{others[0]}", split="test")' in usage
        assert f"loads the default config, `{default}`;" in usage
    group = families.get(source).default_task
    command = (
        f"lm_eval --model hf --model_args pretrained=ORG/MODEL --tasks {group} "
        '--include_path "$(opinionbench tasks-path)" --apply_chat_template --log_samples --output_path out'
    )
    assert f"```bash\n{command}\n```" in usage
    # The group the command runs is declared in the family's task folder.
    declared = {
        match
        for path in families.get(source).tasks_dir.glob("*.yaml")
        for match in re.findall(r"^group: (\S+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    }
    assert group in declared


def _global_opinions_source(fixture, path, questions):
    """A GlobalOpinionQA file in the upstream format: the fixture's first row once per question."""
    with fixture.open(encoding="utf-8", newline="") as handle:
        header, first, *_ = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([question, *first[1:]] for question in questions)
    return path


def _load(folder, cache_dir, **options) -> datasets.Dataset:
    return datasets.load_dataset(str(folder), split="test", cache_dir=str(cache_dir), **options)


def test_a_rebuild_into_another_folder_of_the_same_name_loads_its_own_rows(global_opinions_csv, tmp_path):
    # The documented `datasets.load_dataset(DIR, split="test")`; datasets names its cache of a
    # local folder after the folder's name.
    big = global_opinions.build(
        _global_opinions_source(global_opinions_csv, tmp_path / "big.csv", [f"Question {k}?" for k in range(100)])
    )
    small = global_opinions.build(
        _global_opinions_source(global_opinions_csv, tmp_path / "small.csv", [f"Question {k}?" for k in range(12)])
    )
    first = write_hub_folder(big, tmp_path / "first" / "global_opinions")
    second = write_hub_folder(small, tmp_path / "second" / "global_opinions")
    cache = tmp_path / "hf_datasets_cache"
    assert _load(first, cache).to_list() == big.dataset["test"].to_list()
    loaded = _load(second, cache)
    assert len(loaded) == 12
    assert loaded.to_list() == small.dataset["test"].to_list()


def test_a_rebuild_of_the_same_size_loads_its_own_rows(global_opinions_csv, tmp_path):
    # One character differs: same row count and Arrow size; the Parquet checksum tells them apart.
    questions = [f"Question {k:02d}?" for k in range(20)]
    edited = [question.replace("03", "93") for question in questions]
    before = global_opinions.build(_global_opinions_source(global_opinions_csv, tmp_path / "before.csv", questions))
    after = global_opinions.build(_global_opinions_source(global_opinions_csv, tmp_path / "after.csv", edited))
    first = write_hub_folder(before, tmp_path / "first" / "global_opinions")
    second = write_hub_folder(after, tmp_path / "second" / "global_opinions")
    infos = [
        DatasetInfosDict.from_dataset_card_data(DatasetCard.load(f / "README.md").data)["default"]
        for f in (first, second)
    ]
    assert infos[0].splits == infos[1].splits and infos[0].features == infos[1].features
    assert infos[0].download_checksums != infos[1].download_checksums
    cache = tmp_path / "hf_datasets_cache"
    assert _load(first, cache)["question"] == questions
    assert _load(second, cache)["question"] == edited


def test_folders_of_earlier_builds_load_their_own_rows_once_rebuilt(global_opinions_csv, tmp_path):
    # Cards written before `dataset_info` was added (the control): datasets serves the first
    # folder's rows for the second, and `download_mode="force_redownload"` checks the second's rows
    # against the first's split size. Rebuilding the folders (docs/datasets.md) is the remedy.
    builds = [
        global_opinions.build(
            _global_opinions_source(global_opinions_csv, tmp_path / f"{n}.csv", [f"Question {k}?" for k in range(n)])
        )
        for n in (100, 12)
    ]
    folders = [write_hub_folder(built, tmp_path / name / "global_opinions") for built, name in zip(builds, "ab")]
    for folder in folders:
        card = DatasetCard.load(folder / "README.md")
        card.data.pop("dataset_info")
        card.save(folder / "README.md")
    cache = tmp_path / "hf_datasets_cache"
    assert [len(_load(folder, cache)) for folder in folders] == [100, 100]
    with pytest.raises(datasets.exceptions.NonMatchingSplitsSizesError):
        _load(folders[1], cache, download_mode="force_redownload")

    folders = [write_hub_folder(built, folder) for built, folder in zip(builds, folders)]
    assert [_load(folder, cache).to_list() for folder in folders] == [
        built.dataset["test"].to_list() for built in builds
    ]
