"""Source resolution: the one place that decides which raw file a builder reads.

Order: an explicit path; else ``$OPINIONBENCH_SOURCES/<source>/<file>``; else a
download of the upstream file from the Hugging Face Hub (pinned revision).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.library_logs import quiet_logger

SOURCES_ENV = "OPINIONBENCH_SOURCES"


@dataclass(frozen=True)
class SourceSpec:
    """Where a raw source file lives locally and upstream.

    ``name`` is the folder under ``$OPINIONBENCH_SOURCES``; ``filename`` the file in
    it. ``hub_repo``/``hub_filename``/``hub_revision`` locate the upstream copy.
    ``checksum`` is ``(kind, hexdigest)`` of the verified upstream file, with kind
    ``"sha256"`` or ``"git-blob-sha1"`` (the id ``git hash-object`` prints).
    """

    name: str
    filename: str
    hub_repo: str
    hub_filename: str
    hub_revision: str
    hub_repo_type: str = "dataset"
    checksum: tuple[str, str] | None = None

    @property
    def hub_url(self) -> str:
        kind = "datasets/" if self.hub_repo_type == "dataset" else ""
        return f"https://huggingface.co/{kind}{self.hub_repo}"


def resolve_source(spec: SourceSpec, path: str | os.PathLike | None = None) -> Path:
    """Return the raw file for ``spec``, downloading it from the Hub as a last resort.

    Raises :class:`OpinionBenchError` naming every place looked at when nothing is found.
    """
    if path is not None:
        explicit = Path(path).expanduser()
        if not explicit.is_file():
            raise OpinionBenchError(f"{spec.name}: the source file {explicit} does not exist.")
        return explicit

    sources_root = os.environ.get(SOURCES_ENV)
    if sources_root:
        candidate = Path(sources_root).expanduser() / spec.name / spec.filename
        if candidate.is_file():
            return candidate
        local_note = f"${SOURCES_ENV}/{spec.name}/{spec.filename} ({candidate}) does not exist"
    else:
        local_note = f"${SOURCES_ENV} is not set, so ${SOURCES_ENV}/{spec.name}/{spec.filename} was not looked at"

    try:
        return _download(spec)
    except Exception as exc:  # noqa: BLE001 -- any failure of the download is reported the same way
        raise OpinionBenchError(
            f"{spec.name}: source file {spec.filename!r} not found.\n"
            f"  - no explicit path was given;\n"
            f"  - {local_note};\n"
            f"  - downloading {spec.hub_filename!r} from the Hugging Face {spec.hub_repo_type} repo "
            f"{spec.hub_repo} (revision {spec.hub_revision[:12]}) failed: "
            f"{type(exc).__name__}: {_first_line(exc)}\n"
            f"Pass the file's path, or put it at ${SOURCES_ENV}/{spec.name}/{spec.filename} "
            f"and set {SOURCES_ENV}, or run online ({spec.hub_url})."
        ) from None


def _download(spec: SourceSpec) -> Path:
    import huggingface_hub

    with quiet_logger("huggingface_hub"):
        downloaded = huggingface_hub.hf_hub_download(
            repo_id=spec.hub_repo,
            filename=spec.hub_filename,
            repo_type=spec.hub_repo_type,
            revision=spec.hub_revision,
        )
    return Path(downloaded)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no details"


def file_checksum(path: Path, kind: str) -> str:
    """Hex digest of ``path``: ``"sha256"`` or ``"git-blob-sha1"`` (as ``git hash-object``)."""
    data = Path(path).read_bytes()
    if kind == "sha256":
        return hashlib.sha256(data).hexdigest()
    if kind == "git-blob-sha1":
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    raise ValueError(f"unknown checksum kind {kind!r}; expected 'sha256' or 'git-blob-sha1'")
