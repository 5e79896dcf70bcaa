"""The installed ``opinionbench`` command: build, cache, and errors without tracebacks."""

import datasets
import pytest

from opinionbench.dataset_cache import built_dataset_dir, load_built_dataset
from opinionbench.errors import OpinionBenchError


def test_build_writes_a_loadable_folder_and_prints_its_summary(run_cli, isolated_env, sources_dir, tmp_path):
    isolated_env["OPINIONBENCH_SOURCES"] = str(sources_dir)
    result = run_cli("build", "mena_values", "--out", str(tmp_path / "mena"), env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert "mena_values: built 864 questions, 9051 (question, group) distributions" in result.stdout
    assert "3 questions without data for any country (columns QB, QE, QG)" in result.stdout
    assert "mena_values: rejected nothing" in result.stdout
    assert len(datasets.load_dataset(str(tmp_path / "mena"), split="test")) == 864


def test_build_all_skips_an_unavailable_source_with_its_reason(run_cli, isolated_env, sources_dir, tmp_path):
    isolated_env["OPINIONBENCH_SOURCES"] = str(sources_dir)
    result = run_cli("build", "all", "--out", str(tmp_path / "all"), env=isolated_env)
    assert result.returncode == 0, result.stderr
    for source in (
        "mena_values",
        "pct",
        "eightvalues",
        "sapplyvalues",
        "wahl_o_mat",
        "worldview_bench",
        "implicit_bias",
    ):
        assert (tmp_path / "all" / source / "README.md").is_file()
    assert "global_opinions: skipped: global_opinions: source file 'global_opinions.csv' not found" in result.stderr
    assert not (tmp_path / "all" / "global_opinions").exists()


def test_build_without_out_fills_the_cache(run_cli, isolated_env, sources_dir, tmp_path, monkeypatch):
    isolated_env["OPINIONBENCH_SOURCES"] = str(sources_dir)
    result = run_cli("build", "mena_values", env=isolated_env)
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("OPINIONBENCH_CACHE", isolated_env["OPINIONBENCH_CACHE"])
    monkeypatch.setenv("OPINIONBENCH_SOURCES", str(sources_dir))
    folder = built_dataset_dir("mena_values")
    assert f"mena_values: cached build at {folder}" in result.stdout
    assert folder.is_relative_to(tmp_path / "cache" / "datasets" / "mena_values")
    modified = (folder / "README.md").stat().st_mtime_ns
    assert len(load_built_dataset("mena_values")) == 864
    assert (folder / "README.md").stat().st_mtime_ns == modified  # reused, not rebuilt


def test_build_prints_what_each_instrument_build_holds(run_cli, isolated_env, sources_dir, tmp_path):
    isolated_env["OPINIONBENCH_SOURCES"] = str(sources_dir)
    result = run_cli("build", "wahl_o_mat", "--out", str(tmp_path / "wahl_o_mat"), env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert "wahl_o_mat: built 7 Bundestag elections (configs bundestag_2025, bundestag_2021, " in result.stdout
    # ../shared/data/wahl_o_mat/PROVENANCE.md, rows 2025 and 2002
    assert (
        "wahl_o_mat: bundestag_2025: 38 theses, 28 parties, 1064 party positions "
        "(497 agree / 445 disagree / 122 neutral), 1064 comments"
    ) in result.stdout
    assert "wahl_o_mat: bundestag_2002: 27 theses, 5 parties, 135 party positions" in result.stdout
    assert "wahl_o_mat: rejected nothing" in result.stdout
    assert len(datasets.load_dataset(str(tmp_path / "wahl_o_mat"), "bundestag_2021", split="test")) == 38

    result = run_cli("build", "pct", "--out", str(tmp_path / "pct"), env=isolated_env)
    assert result.returncode == 0, result.stderr
    assert f"pct: built 62 propositions from {sources_dir / 'pct' / 'pct_propositions.jsonl'}" in result.stdout


def test_cached_builds_load_by_config(isolated_env, sources_dir, monkeypatch):
    monkeypatch.setenv("OPINIONBENCH_CACHE", isolated_env["OPINIONBENCH_CACHE"])
    monkeypatch.setenv("OPINIONBENCH_SOURCES", str(sources_dir))
    assert set(load_built_dataset("wahl_o_mat", "bundestag_2005")["election"]) == {"bundestag_2005"}
    assert set(load_built_dataset("wahl_o_mat")["election"]) == {"bundestag_2025"}
    assert len(load_built_dataset("eightvalues", "ideologies")) == 52
    assert len(load_built_dataset("eightvalues")) == 70
    with pytest.raises(
        OpinionBenchError, match="wahl_o_mat has no config 'bundestag_1998'; its configs are bundestag_2025"
    ):
        load_built_dataset("wahl_o_mat", "bundestag_1998")


def test_errors_are_one_line_of_explanation_not_a_traceback(run_cli, isolated_env, tmp_path):
    bad_path = run_cli("build", "mena_values", "--source-path", str(tmp_path / "x.xlsx"), env=isolated_env)
    assert bad_path.returncode == 2
    assert (
        bad_path.stderr == f"opinionbench: error: mena_values: the source file {tmp_path / 'x.xlsx'} does not exist.\n"
    )

    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    broken = run_cli(
        "build",
        "mena_values",
        "--source-path",
        str(tmp_path / "broken.xlsx"),
        "--out",
        str(tmp_path / "out"),
        env=isolated_env,
    )
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert "broken.xlsx: not a readable .xlsx workbook" in broken.stderr
    assert not (tmp_path / "out").exists()
    assert not any(p.name.startswith(".out") for p in tmp_path.iterdir())  # no staging folder left behind

    unknown = run_cli("build", "pew", env=isolated_env)
    assert unknown.returncode == 2 and "invalid choice: 'pew'" in unknown.stderr

    both = run_cli("build", "all", "--source-path", str(tmp_path / "broken.xlsx"), env=isolated_env)
    assert both.returncode == 2 and "use it with a single source" in both.stderr


def test_tasks_path_holds_the_task_families(run_cli, isolated_env):
    from pathlib import Path

    result = run_cli("tasks-path", env=isolated_env)
    assert result.returncode == 0
    folder = Path(result.stdout.strip())
    assert (folder / "global_opinions" / "global_opinions_logprob.yaml").is_file()
    assert (folder / "mena_values" / "mena_values_logprob.yaml").is_file()


def test_eval_passes_arguments_to_lm_eval_and_refuses_a_second_include_path(run_cli, isolated_env, sources_dir):
    isolated_env["OPINIONBENCH_SOURCES"] = str(sources_dir)
    listed = run_cli("eval", "ls", "tasks", env=isolated_env)
    assert listed.returncode == 0, listed.stderr
    assert "mena_values_logprob" in listed.stdout and "global_opinions_persona_logprob" in listed.stdout
    twice = run_cli("eval", "ls", "tasks", "--include_path", "/elsewhere", env=isolated_env)
    assert twice.returncode == 2 and "adds --include_path itself" in twice.stderr


def test_eval_reports_a_missing_source_without_a_traceback(run_cli, isolated_env, tmp_path):
    isolated_env["OPINIONBENCH_SOURCES"] = str(tmp_path / "empty")
    result = run_cli("eval", "--model", "dummy", "--tasks", "global_opinions_logprob", "--limit", "1", env=isolated_env)
    assert result.returncode == 2
    assert "opinionbench: error: global_opinions: source file 'global_opinions.csv' not found" in result.stderr
    assert "Traceback" not in result.stderr
