"""``opinionbench leaderboard push``: a built site's results dataset (``SITE/data``) to a dataset
repository and, optionally, the whole site to a static Hugging Face Space."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from opinionbench import __version__
from opinionbench.errors import OpinionBenchError
from opinionbench.hub_upload import check_repo_id, print_upload, upload_folder

from .command import is_site_folder

SPACE_TITLE = "OpinionBench leaderboard"


def push_site(
    site: str | Path,
    repo_id: str,
    *,
    space_id: str | None = None,
    dry_run: bool = False,
    out: Path | None = None,
) -> None:
    """Upload ``site/data`` to the dataset repository ``repo_id`` and, with ``space_id``, the whole
    site (plus the Space's ``README.md`` header) to that static Space; print each one's files.

    A dry run uploads nothing and writes the folders to ``out/dataset`` and ``out/space``
    (default ``out``: ``./<NAME of repo_id>``). The site itself is never changed.
    """
    site = check_site(site)
    check_repo_id(repo_id)
    if space_id is not None:
        check_repo_id(space_id, "--space-id")
    base = (out if out is not None else Path.cwd() / repo_id.split("/")[1]) if dry_run else None
    message = f"Upload the OpinionBench leaderboard {{}} (opinionbench {__version__})"
    files = upload_folder(
        site / "data",
        repo_id,
        dry_run_out=base / "dataset" if base else None,
        commit_message=message.format("results"),
    )
    print_upload("dataset", "dataset", repo_id, files, base / "dataset" if base else None)
    if space_id is None:
        return
    with tempfile.TemporaryDirectory(prefix="opinionbench-space-") as staging:
        space = Path(staging) / "space"
        shutil.copytree(site, space, copy_function=shutil.copyfile)
        (space / "README.md").write_text(space_card(repo_id), encoding="utf-8")
        files = upload_folder(
            space,
            space_id,
            repo_type="space",
            space_sdk="static",
            dry_run_out=base / "space" if base else None,
            commit_message=message.format("site"),
        )
    print_upload("space", "space", space_id, files, base / "space" if base else None)


def check_site(site: str | Path) -> Path:
    """``site`` as an absolute path if ``opinionbench leaderboard build`` wrote it, else an
    :class:`OpinionBenchError` naming the folder."""
    folder = Path(site).expanduser().absolute()
    if not (folder.is_dir() and is_site_folder(folder) and (folder / "data" / "README.md").is_file()):
        raise OpinionBenchError(
            f"{folder} is not a leaderboard site (index.html and data/README.md written by "
            "`opinionbench leaderboard build`)."
        )
    return folder


def space_card(repo_id: str) -> str:
    """The ``README.md`` a static Space needs at its root: the header that serves ``index.html``."""
    header = {
        "title": SPACE_TITLE,
        "emoji": "🧭",
        "colorFrom": "blue",
        "colorTo": "gray",
        "sdk": "static",
        "app_file": "index.html",
        "pinned": False,
        "datasets": [repo_id],
    }
    body = (
        f"# {SPACE_TITLE}\n\nThe static site written by `opinionbench leaderboard build`. The numbers as a "
        f"dataset: [{repo_id}](https://huggingface.co/datasets/{repo_id}).\n"
    )
    return f"---\n{yaml.safe_dump(header, sort_keys=False, allow_unicode=True)}---\n\n{body}"
