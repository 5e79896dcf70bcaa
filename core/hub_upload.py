"""Uploading a folder to a Hugging Face Hub repository in one commit, or a dry run of it.

The token comes from ``huggingface_hub``'s own settings (``HF_TOKEN``, else the stored login
of ``hf auth login``); it is never taken as an argument, printed or written anywhere.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from opinionbench.atomic import atomic_folder
from opinionbench.errors import OpinionBenchError
from opinionbench.sources import first_line

_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")


@dataclass(frozen=True)
class FolderFile:
    """One file of an uploaded folder: its path in the repository (``/``-separated) and size."""

    path: str
    size: int

    def __str__(self) -> str:
        return f"{self.path}  ({self.size:,} bytes)"


def check_repo_id(repo_id: str, option: str = "--repo-id") -> str:
    """``repo_id`` if it has the Hub's ``ORG/NAME`` form, else an :class:`OpinionBenchError`
    naming the command-line ``option`` it came from."""
    if not _REPO_ID.match(repo_id):
        raise OpinionBenchError(f"{option} {repo_id!r} is not of the form ORG/NAME (letters, digits, '-', '_', '.').")
    return repo_id


def folder_files(folder: str | os.PathLike) -> list[FolderFile]:
    """Every file under ``folder``, sorted by path, with its size."""
    root = Path(folder)
    return sorted(
        (
            FolderFile(path.relative_to(root).as_posix(), path.stat().st_size)
            for path in root.rglob("*")
            if path.is_file()
        ),
        key=lambda file: file.path,
    )


def upload_folder(
    folder: str | os.PathLike,
    repo_id: str,
    *,
    repo_type: str = "dataset",
    dry_run_out: str | os.PathLike | None = None,
    commit_message: str | None = None,
    space_sdk: str | None = None,
) -> list[FolderFile]:
    """Upload every file of ``folder`` to the Hub repository ``repo_id`` (created if missing) in
    one commit; returns the files.

    With ``dry_run_out``, nothing is uploaded: the folder is copied there exactly as it would
    be uploaded (replacing only an earlier copy of the same kind of folder). ``space_sdk`` (e.g.
    ``"static"``) is the SDK a Space repository is created with. A missing token
    or a failed request is one :class:`OpinionBenchError` naming the repository and the reason.
    """
    check_repo_id(repo_id)
    folder = Path(folder)
    if dry_run_out is not None:
        _copy_folder(folder, Path(dry_run_out))
        return folder_files(dry_run_out)
    files = folder_files(folder)
    message = commit_message or f"Upload {folder.name} with opinionbench"
    _commit(folder, files, repo_id, repo_type, message, space_sdk)
    return files


def _copy_folder(folder: Path, out: Path) -> None:
    names = {entry.name for entry in folder.iterdir()}
    with atomic_folder(out, ours=lambda target: {entry.name for entry in target.iterdir()} <= names) as staging:
        shutil.copytree(folder, staging, dirs_exist_ok=True, copy_function=shutil.copyfile)


def _commit(
    folder: Path, files: list[FolderFile], repo_id: str, repo_type: str, message: str, space_sdk: str | None
) -> None:
    import huggingface_hub
    from huggingface_hub.errors import HfHubHTTPError

    if not huggingface_hub.get_token():
        raise OpinionBenchError(
            f"cannot publish to {repo_type} repository {repo_id}: no Hugging Face token; set HF_TOKEN or log in "
            "with `hf auth login`."
        )
    # The HTTP library's base error (requests' or httpx's, by huggingface_hub version) covers
    # connection failures; OSError covers offline mode, ValueError an invalid card header.
    http_error = next(cls for cls in HfHubHTTPError.__mro__ if cls.__name__ == "HTTPError")
    operations = [
        huggingface_hub.CommitOperationAdd(path_in_repo=file.path, path_or_fileobj=str(folder / file.path))
        for file in files
    ]
    api = huggingface_hub.HfApi()
    try:
        api.create_repo(repo_id, repo_type=repo_type, exist_ok=True, space_sdk=space_sdk)
        api.create_commit(repo_id, operations, commit_message=message, repo_type=repo_type)
    except (http_error, OSError, ValueError) as err:
        reason = first_line(err)
        server = (getattr(err, "server_message", None) or "").strip()
        if server and server.splitlines()[0] not in reason:
            reason += f" ({server.splitlines()[0]})"
        raise OpinionBenchError(f"cannot publish to {repo_type} repository {repo_id}: {reason}") from None


def print_upload(label: str, kind: str, repo_id: str, files: list[FolderFile], dry_run_out: Path | None) -> None:
    """Say what an upload did (or, in a dry run, where the folder was written) and list its files."""
    if dry_run_out is None:
        print(f"{label}: uploaded {len(files)} files to the {kind} repository {repo_id}:")
    else:
        print(f"{label}: dry run, nothing uploaded; {len(files)} files for {repo_id} written to {dry_run_out}:")
    for file in files:
        print(f"  {file}")
