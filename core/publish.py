"""``opinionbench publish``: a source's Hub-ready folder (from the build cache) to a dataset repository."""

from __future__ import annotations

from pathlib import Path

from opinionbench import __version__
from opinionbench.dataset_cache import build_available, built_dataset_dir
from opinionbench.hub_upload import FolderFile, check_repo_id, print_upload, upload_folder


def publish(source: str, repo_id: str, *, dry_run: bool = False, out: Path | None = None) -> None:
    """Publish ``source`` to ``repo_id``, or with ``source="all"`` every source that builds to
    ``<repo_id>-<source>`` (a source that cannot be built is reported and skipped, a failed
    upload stops); print each repository's files.

    A dry run uploads nothing and writes the folders to ``out`` (default ``./<NAME>``; with
    ``all``, ``out/<source>``).
    """
    check_repo_id(repo_id)
    base = _dry_run_out(dry_run, out, repo_id)
    if source != "all":
        _publish_one(source, repo_id, base)
        return
    # Build everything first (a source that cannot be built is skipped); a failed upload stops.
    for name in build_available(built_dataset_dir):
        _publish_one(name, f"{repo_id}-{name}", base / name if base else None)


def _dry_run_out(dry_run: bool, out: Path | None, repo_id: str) -> Path | None:
    if not dry_run:
        return None
    return out if out is not None else Path.cwd() / repo_id.split("/")[1]


def _publish_one(source: str, repo_id: str, dry_run_out: Path | None) -> list[FolderFile]:
    folder = built_dataset_dir(source)
    message = f"Upload the {source} dataset (opinionbench {__version__})"
    files = upload_folder(folder, repo_id, dry_run_out=dry_run_out, commit_message=message)
    print_upload(source, "dataset", repo_id, files, dry_run_out)
    return files
