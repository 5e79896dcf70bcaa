"""Source resolution: explicit path, $OPINIONBENCH_SOURCES, then the Hub (through a local fake Hub)."""

import re
from pathlib import PurePosixPath

import pytest

from opinionbench.data_builders import (
    eightvalues,
    global_opinions,
    mena_values,
    pct,
    sapplyvalues,
    wahl_o_mat,
    worldview_bench,
)
from opinionbench.dataset_cache import built_dataset_dir
from opinionbench.errors import OpinionBenchError
from opinionbench.sources import SourceSpec, file_checksum, resolve_source, source_files


def test_explicit_path_wins_and_a_missing_one_is_named(tmp_path, mena_xlsx):
    assert resolve_source(mena_values.SOURCE, mena_xlsx) == mena_xlsx
    with pytest.raises(OpinionBenchError, match=r"mena_values: the source file .*nowhere.xlsx does not exist"):
        resolve_source(mena_values.SOURCE, tmp_path / "nowhere.xlsx")


def test_sources_folder_is_used(monkeypatch, sources_dir, mena_xlsx):
    monkeypatch.setenv("OPINIONBENCH_SOURCES", str(sources_dir))
    assert resolve_source(mena_values.SOURCE) == mena_xlsx


def test_the_shared_copy_is_the_verified_upstream_file(mena_xlsx):
    kind, digest = mena_values.SOURCE.checksum
    assert file_checksum(mena_xlsx, kind) == digest


def test_git_blob_checksum_equals_git_hash_object(tmp_path):
    sample = tmp_path / "sample.txt"
    sample.write_bytes(b"hello\n")
    # `git hash-object` of "hello\n" (a well-known value)
    assert file_checksum(sample, "git-blob-sha1") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_offline_with_nothing_local_is_one_clear_error(run_cli, isolated_env, tmp_path):
    isolated_env["OPINIONBENCH_SOURCES"] = str(tmp_path / "empty")
    result = run_cli("build", "global_opinions", "--out", str(tmp_path / "out"), env=isolated_env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("opinionbench: error: global_opinions: source file 'global_opinions.csv' not found")
    for expected in (
        "OPINIONBENCH_SOURCES",
        "global_opinions/global_opinions.csv",
        "Anthropic/llm_global_opinions",
        "data/global_opinions.csv",
    ):
        assert expected in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("builder", [global_opinions, mena_values], ids=lambda b: b.SOURCE.name)
def test_download_from_the_hub_at_the_pinned_revision(
    builder, fake_hub, run_cli, isolated_env, tmp_path, global_opinions_csv, mena_xlsx
):
    source_file = global_opinions_csv if builder is global_opinions else mena_xlsx
    fake_hub.serve(builder.SOURCE, source_file.read_bytes())
    isolated_env.update(HF_ENDPOINT=fake_hub.url, OPINIONBENCH_SOURCES=str(tmp_path / "empty"))
    del isolated_env["HF_HUB_OFFLINE"]

    result = run_cli("build", builder.SOURCE.name, "--out", str(tmp_path / "out"), env=isolated_env)

    assert result.returncode == 0, result.stderr
    expected_path = (
        f"/datasets/{builder.SOURCE.hub_repo}/resolve/{builder.SOURCE.hub_revision}/{builder.SOURCE.hub_filename}"
    )
    assert f"GET {expected_path}" in fake_hub.requests
    downloaded = list((tmp_path / "hf_home").rglob(builder.SOURCE.hub_filename.rsplit("/", 1)[-1]))
    assert downloaded and downloaded[0].read_bytes() == source_file.read_bytes()
    assert (tmp_path / "out" / "README.md").is_file()


def test_file_missing_upstream_is_reported_with_the_repo(fake_hub, run_cli, isolated_env, tmp_path):
    isolated_env.update(HF_ENDPOINT=fake_hub.url, OPINIONBENCH_SOURCES=str(tmp_path / "empty"))
    del isolated_env["HF_HUB_OFFLINE"]
    result = run_cli("build", "mena_values", env=isolated_env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "llm-lab/MENA_VALUES_Benchmark" in result.stderr and "'MENA VALUES Benchmark.xlsx'" in result.stderr
    assert "EntryNotFoundError" in result.stderr


# Upstream repository and pinned commit of each source without a Hub copy (the instruments and
# WorldView-Bench), as its PROVENANCE.md gives them.
UPSTREAMS = {
    pct: ("politicalcompass/politicalcompass.github.io", "7019e5c26ad24e9acd1100c3cba27a44004afe76"),
    eightvalues: ("8values/8values.github.io", "3971ed8bc0c3dda18f9b001013327f382343b74f"),
    sapplyvalues: ("SapplyValues/SapplyValues.github.io", "cf2554cb77424d42bc6cea6ad59861564e0a653f"),
    wahl_o_mat: ("gockelhahn/qual-o-mat-data", "9a3a210b93eec852cb6791d17f2685e8a32ab7ed"),
    worldview_bench: ("GabHoo/cultural_sae_exploration", "f19398d3eb69f77bceb8e9602e3a8ab64311bacc"),
}
WITHOUT_HUB_COPY = list(UPSTREAMS)


@pytest.mark.parametrize("builder", WITHOUT_HUB_COPY, ids=lambda b: b.SOURCE.name)
def test_a_source_without_a_hub_copy_names_its_files_and_upstream(builder, run_cli, isolated_env, tmp_path):
    isolated_env["OPINIONBENCH_SOURCES"] = str(tmp_path / "empty")
    name, main_file = builder.SOURCE.name, builder.SOURCE.filename
    result = run_cli("build", name, "--out", str(tmp_path / "out"), env=isolated_env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"opinionbench: error: {name}: source file '{main_file}' not found.")
    assert "this source has no Hugging Face copy" in result.stderr
    assert f"$OPINIONBENCH_SOURCES/{name}/" in result.stderr
    for companion in builder.SOURCE.companions:
        assert companion in result.stderr
    repo, commit = UPSTREAMS[builder]
    assert f"https://github.com/{repo} at commit {commit}" in result.stderr
    assert not (tmp_path / "out").exists()


def _provenance_checksums(sources_dir, name: str) -> dict[str, str]:
    """``| `file` | `sha256` | ...`` rows of the source's PROVENANCE.md."""
    text = (sources_dir / name / "PROVENANCE.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|", text, flags=re.MULTILINE))


@pytest.mark.parametrize("builder", WITHOUT_HUB_COPY, ids=lambda b: b.SOURCE.name)
def test_the_card_lists_every_file_read_with_the_provenance_checksum(builder, sources_dir):
    main_file = sources_dir / builder.SOURCE.name / builder.SOURCE.filename
    card = builder.build(main_file).card
    listed = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", card, flags=re.MULTILINE))
    folder = PurePosixPath(builder.SOURCE.filename).parent
    as_in_provenance = {str(folder / name): digest for name, digest in listed.items()}
    assert builder.SOURCE.filename in as_in_provenance
    assert len(as_in_provenance) == len(source_files(builder.SOURCE, main_file))
    assert as_in_provenance.items() <= _provenance_checksums(sources_dir, builder.SOURCE.name).items()


def test_every_companion_file_is_part_of_the_cache_key(source_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("OPINIONBENCH_CACHE", str(tmp_path / "cache"))
    folder = source_copy("eightvalues")
    first = built_dataset_dir("eightvalues", folder / "questions.jsonl")
    assert built_dataset_dir("eightvalues", folder / "questions.jsonl") == first
    ideologies = folder / "ideologies.jsonl"
    ideologies.write_text(ideologies.read_text(encoding="utf-8").replace("Anarcho-Communism", "Anarcho-Communism "))
    changed = built_dataset_dir("eightvalues", folder / "questions.jsonl")
    assert changed != first and changed.parent == first.parent


def test_a_spec_without_a_hub_copy_must_name_its_upstream():
    with pytest.raises(ValueError, match="must name its upstream repositories"):
        SourceSpec(name="x", filename="x.json")
    with pytest.raises(ValueError, match="companion files are supported only for sources without a Hub copy"):
        SourceSpec(
            name="x", filename="x.csv", hub_repo="a/b", hub_filename="x.csv", hub_revision="0", companions=("y",)
        )
