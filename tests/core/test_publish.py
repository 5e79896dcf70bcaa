"""``opinionbench publish``: the dry-run folder holds every built row; the upload through the real
``huggingface_hub`` client to a local fake Hub commits exactly that folder; the token stays secret."""

import re
from pathlib import Path

import datasets
import pytest

TOKEN = "hf_opinionbenchTestToken0123456789"
_LISTED_FILE = re.compile(r"^  (\S+)  \(([\d,]+) bytes\)$")


def _listed_files(stdout: str) -> dict[str, int]:
    """The files a publish run printed, with their sizes."""
    matches = (_LISTED_FILE.match(line) for line in stdout.splitlines())
    return {match[1]: int(match[2].replace(",", "")) for match in matches if match}


def _folder_contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize(
    ("source", "build_fixture", "folder_name"),
    [("mena_values", "mena_build", "mena-dry-run"), ("wahl_o_mat", "wahl_o_mat_build", "wahl-dry-run")],
)
def test_the_dry_run_folder_holds_every_built_row_and_is_what_it_lists(
    source, build_fixture, folder_name, request, run_cli, isolated_env, tmp_path
):
    built = request.getfixturevalue(build_fixture)
    out = tmp_path / folder_name  # distinct names: the datasets cache keys a local folder by its name
    result = run_cli("publish", source, "--repo-id", "org/name", "--dry-run", "--out", str(out), env=isolated_env)
    assert result.returncode == 0, result.stderr

    written = _folder_contents(out)
    assert _listed_files(result.stdout) == {path: len(content) for path, content in written.items()}
    assert "README.md" in written
    for config, dataset in built.configs.items():
        loaded = datasets.load_dataset(str(out), config, split="test")
        assert loaded.to_list() == dataset.to_list()
    assert len(built.configs) == (7 if source == "wahl_o_mat" else 1)


def test_the_dry_run_defaults_to_a_folder_named_after_the_repository(run_cli, isolated_env, tmp_path):
    result = run_cli("publish", "pct", "--repo-id", "org/pct-test", "--dry-run", env=isolated_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert set(_listed_files(result.stdout)) == set(_folder_contents(tmp_path / "pct-test"))


def test_the_upload_commits_the_dry_run_folder_byte_for_byte_with_the_token(fake_hub, run_cli, tmp_path, hub_env):
    env = hub_env(TOKEN)
    dry = run_cli(
        "publish", "mena_values", "--repo-id", "org/mena", "--dry-run", "--out", str(tmp_path / "dry"), env=env
    )
    assert dry.returncode == 0, dry.stderr
    assert fake_hub.requests == []

    result = run_cli("publish", "mena_values", "--repo-id", "org/mena", env=env)
    assert result.returncode == 0, result.stderr
    [(repo, committed)] = fake_hub.commits
    assert repo == "datasets/org/mena"
    assert committed == _folder_contents(tmp_path / "dry")
    assert _listed_files(result.stdout) == {path: len(content) for path, content in committed.items()}
    assert "POST /api/repos/create" in fake_hub.requests
    assert "POST /api/datasets/org/mena/commit/main" in fake_hub.requests
    posts = [headers for request, headers in zip(fake_hub.requests, fake_hub.headers) if request.startswith("POST")]
    assert posts and all(headers.get("authorization") == f"Bearer {TOKEN}" for headers in posts)
    assert TOKEN not in dry.stdout + dry.stderr + result.stdout + result.stderr
    assert all(TOKEN.encode() not in content for content in committed.values())


def test_the_stored_login_is_used_when_hf_token_is_unset(fake_hub, run_cli, hub_env):
    env = hub_env(token=None)
    token_file = Path(env["HF_HOME"]) / "token"
    token_file.parent.mkdir(parents=True)
    token_file.write_text(TOKEN)
    result = run_cli("publish", "sapplyvalues", "--repo-id", "org/sapply", env=env)
    assert result.returncode == 0, result.stderr
    assert [repo for repo, _ in fake_hub.commits] == ["datasets/org/sapply"]
    assert fake_hub.headers[-1].get("authorization") == f"Bearer {TOKEN}"
    assert TOKEN not in result.stdout + result.stderr


def test_all_publishes_each_source_to_its_own_repository(fake_hub, run_cli, hub_env):
    result = run_cli("publish", "all", "--repo-id", "org/ob", env=hub_env(TOKEN))
    assert result.returncode == 0, result.stderr
    repos = [repo for repo, _ in fake_hub.commits]
    # GlobalOpinionQA's file is not on these machines: it is reported as skipped.
    assert repos == [
        f"datasets/org/ob-{source}"
        for source in (
            "mena_values",
            "pct",
            "eightvalues",
            "sapplyvalues",
            "wahl_o_mat",
            "worldview_bench",
            "implicit_bias",
        )
    ]
    assert "global_opinions: skipped" in result.stderr


def test_a_missing_token_is_one_clear_error(fake_hub, run_cli, hub_env):
    result = run_cli("publish", "pct", "--repo-id", "org/pct", env=hub_env(token=None))
    assert result.returncode == 2
    expected = (
        "opinionbench: error: cannot publish to dataset repository org/pct: no Hugging Face token; set HF_TOKEN or "
        "log in with `hf auth login`."
    )
    assert result.stderr.strip().splitlines() == [expected]
    assert fake_hub.requests == []


@pytest.mark.parametrize("status", [401, 500])
def test_a_refused_request_is_one_clear_error_naming_the_repository(status, fake_hub, run_cli, hub_env):
    fake_hub.status = status
    result = run_cli("publish", "pct", "--repo-id", "org/pct", env=hub_env(TOKEN))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("opinionbench: error: cannot publish to dataset repository org/pct: ")
    assert str(status) in line and "Traceback" not in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert fake_hub.commits == []


def test_a_failed_upload_stops_publishing_all(fake_hub, run_cli, hub_env):
    fake_hub.status = 401
    result = run_cli("publish", "all", "--repo-id", "org/ob", env=hub_env(TOKEN))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("opinionbench: error: cannot publish to dataset repository org/ob-mena_values: ")
    )
    assert [request for request in fake_hub.requests if request.startswith("POST")] == ["POST /api/repos/create"]


def test_an_unreachable_hub_is_one_clear_error(fake_hub, run_cli, hub_env):
    env = hub_env(TOKEN)
    fake_hub.server.shutdown()
    fake_hub.server.server_close()
    result = run_cli("publish", "pct", "--repo-id", "org/pct", env=env)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("opinionbench: error: cannot publish to dataset repository org/pct: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--repo-id", "no-slash"], "is not of the form ORG/NAME"),
        (["--repo-id", "org/name", "--out", "x"], "--out names the folder of a --dry-run"),
    ],
)
def test_bad_arguments_are_one_clear_error(args, message, run_cli, isolated_env):
    result = run_cli("publish", "pct", *args, env=isolated_env)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
