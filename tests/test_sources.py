"""Source resolution: explicit path, $OPINIONBENCH_SOURCES, then the Hub (through a local fake Hub)."""

import pytest

from opinionbench.data_builders import global_opinions, mena_values
from opinionbench.errors import OpinionBenchError
from opinionbench.sources import file_checksum, resolve_source


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
