"""``opinionbench leaderboard push``: the dry-run folders are the site's dataset and the whole site
plus a static Space's header; the upload through the real ``huggingface_hub`` client to a local
fake Hub commits exactly those folders; the token stays secret; a folder that is not a site and a
refused request are one clear error each."""

import json
import re
from pathlib import Path

import datasets
import pytest
import yaml

from opinionbench.leaderboard.site.command import build_site

TOKEN = "hf_opinionbenchTestToken0123456789"
_LISTED_FILE = re.compile(r"^  (\S+)  \(([\d,]+) bytes\)$")
PCT = {"econ": (-1.5, 0.5), "soc": (2.25, 0.75)}  # metric -> (value, standard error)
MENA = {"js_similarity": (0.4429, 0.006)}


def _results_json(model: str, tasks: dict[str, dict]) -> dict:
    """A results file in lm-eval 0.4's schema: ``tasks`` maps a task to ``{metric: (value, stderr)}``."""
    results = {
        task: {"alias": task}
        | {
            key: number
            for metric, (value, stderr) in metrics.items()
            for key, number in ((f"{metric},none", value), (f"{metric}_stderr,none", stderr))
        }
        for task, metrics in tasks.items()
    }
    return {
        "results": results,
        "configs": {task: {"task": task, "num_fewshot": 0} for task in tasks},
        "versions": {task: 1.0 for task in tasks},
        "n-shot": {task: 0 for task in tasks},
        "model_name": model,
        "date": 1.0e9,
    }


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    runs = [
        ("a", "org/a", {"pct_logprob": PCT, "mena_values_logprob": MENA}),
        ("b", "org/b", {"mena_values_logprob": MENA}),
    ]
    for stamp, model, tasks in runs:
        folder = tmp_path / "out" / f"run_{stamp}"
        folder.mkdir(parents=True)
        (folder / f"results_{stamp}.json").write_text(json.dumps(_results_json(model, tasks)), encoding="utf-8")
    return build_site([tmp_path / "out"], tmp_path / "site")


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _listed(stdout: str) -> dict[str, dict[str, int]]:
    """The files a push run printed, per repository kind (``dataset``, ``space``), with their sizes."""
    listed: dict[str, dict[str, int]] = {}
    for line in stdout.splitlines():
        if line.startswith(("dataset: ", "space: ")):
            current = listed.setdefault(line.split(":")[0], {})
        elif match := _LISTED_FILE.match(line):
            current[match[1]] = int(match[2].replace(",", ""))
    return listed


def _push(run_cli, site: Path, env: dict[str, str], *extra: str):
    return run_cli("leaderboard", "push", str(site), "--repo-id", "org/results", *extra, env=env)


def test_the_dry_run_writes_the_dataset_and_the_site_with_a_static_space_header(site, run_cli, isolated_env, tmp_path):
    before = _contents(site)
    out = tmp_path / "dry"
    result = _push(run_cli, site, isolated_env, "--space-id", "org/board", "--dry-run", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["dataset", "space"]
    dataset, space = _contents(out / "dataset"), _contents(out / "space")
    assert _listed(result.stdout) == {
        "dataset": {path: len(content) for path, content in dataset.items()},
        "space": {path: len(content) for path, content in space.items()},
    }

    assert dataset == _contents(site / "data")
    assert set(dataset) == {"README.md", "results.parquet", "results.jsonl"}
    rows = [json.loads(line) for line in (site / "data" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    loaded = datasets.load_dataset(str(out / "dataset"), split="test", cache_dir=str(tmp_path / "datasets_cache"))
    assert json.dumps(loaded.to_list()) == json.dumps(rows) and len(rows) == 4  # NaN intervals: no samples logs

    card = space.pop("README.md").decode()
    assert space == before
    header = yaml.safe_load(card.split("---\n")[1])
    assert header["sdk"] == "static" and header["app_file"] == "index.html" and header["title"]
    assert header["datasets"] == ["org/results"]
    assert _contents(site) == before, "the site itself is unchanged"


def test_without_a_space_only_the_dataset_is_written(site, run_cli, isolated_env, tmp_path):
    out = tmp_path / "dry"
    result = _push(run_cli, site, isolated_env, "--dry-run", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert [path.name for path in out.iterdir()] == ["dataset"]
    assert set(_listed(result.stdout)) == {"dataset"}


def test_the_upload_commits_the_dry_run_folders_byte_for_byte(site, fake_hub, run_cli, tmp_path, hub_env):
    env = hub_env(TOKEN)
    dry = _push(run_cli, site, env, "--space-id", "org/board", "--dry-run", "--out", str(tmp_path / "dry"))
    assert dry.returncode == 0, dry.stderr
    assert fake_hub.requests == []

    result = _push(run_cli, site, env, "--space-id", "org/board")
    assert result.returncode == 0, result.stderr
    assert fake_hub.commits == [
        ("datasets/org/results", _contents(tmp_path / "dry" / "dataset")),
        ("spaces/org/board", _contents(tmp_path / "dry" / "space")),
    ]
    assert [(body["type"], body["organization"], body["name"]) for body in fake_hub.created] == [
        ("dataset", "org", "results"),
        ("space", "org", "board"),
    ]
    assert fake_hub.created[1]["sdk"] == "static"
    assert _listed(result.stdout) == _listed(dry.stdout)
    posts = [headers for request, headers in zip(fake_hub.requests, fake_hub.headers) if request.startswith("POST")]
    assert posts and all(headers.get("authorization") == f"Bearer {TOKEN}" for headers in posts)
    assert TOKEN not in dry.stdout + dry.stderr + result.stdout + result.stderr
    assert all(TOKEN.encode() not in content for _, files in fake_hub.commits for content in files.values())


@pytest.mark.parametrize("status", [401, 500])
def test_a_refused_request_is_one_clear_error(status, site, fake_hub, run_cli, hub_env):
    fake_hub.status = status
    result = _push(run_cli, site, hub_env(TOKEN), "--space-id", "org/board")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("opinionbench: error: cannot publish to dataset repository org/results: ")
    assert str(status) in line and "Traceback" not in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert fake_hub.commits == []


def test_a_missing_token_is_one_clear_error(site, fake_hub, run_cli, hub_env):
    result = _push(run_cli, site, hub_env(token=None))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("opinionbench: error: cannot publish to dataset repository org/results: no Hugging Face")
    assert fake_hub.requests == []


@pytest.mark.parametrize("damage", ["missing", "empty", "no_card", "foreign_index"])
def test_a_folder_that_is_not_a_site_is_one_clear_error(damage, site, run_cli, isolated_env, tmp_path):
    folder = tmp_path / "not-a-site"
    if damage == "missing":
        pass
    elif damage == "empty":
        folder.mkdir()
    elif damage == "no_card":
        site.rename(folder)
        (folder / "data" / "README.md").unlink()
    else:
        folder.mkdir()
        (folder / "index.html").write_text("<html>my own page</html>")
        (folder / "data").mkdir()
        (folder / "data" / "README.md").write_text("mine")
    result = _push(run_cli, folder, isolated_env, "--dry-run", "--out", str(tmp_path / "dry"))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line == (
        f"opinionbench: error: {folder} is not a leaderboard site (index.html and data/README.md written by "
        "`opinionbench leaderboard build`)."
    )
    assert not (tmp_path / "dry").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--space-id", "no-slash", "--dry-run"], "--space-id 'no-slash' is not of the form ORG/NAME"),
        (["--out", "x"], "--out names the folder of a --dry-run"),
    ],
)
def test_bad_arguments_are_one_clear_error(args, message, site, run_cli, isolated_env, tmp_path):
    result = run_cli(
        "leaderboard", "push", str(site), "--repo-id", "org/results", *args, env=isolated_env, cwd=tmp_path
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "results").exists()
