"""Source resolution: the one place that decides which raw files a builder reads.

Order: an explicit path; else ``$OPINIONBENCH_SOURCES/<source>/<file>``; else a
download of the upstream file from the Hugging Face Hub (pinned revision), for the
sources that have a Hub copy.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from opinionbench.errors import OpinionBenchError
from opinionbench.library_logs import quiet_logger

SOURCES_ENV = "OPINIONBENCH_SOURCES"


@dataclass(frozen=True)
class Upstream:
    """A repository that a source's files were copied or extracted from, at a pinned commit."""

    repo: str
    commit: str
    files: tuple[str, ...]

    def __str__(self) -> str:
        return f"https://github.com/{self.repo} at commit {self.commit} ({', '.join(self.files)})"


@dataclass(frozen=True)
class SourceSpec:
    """Where a source's raw files live locally and upstream.

    ``name`` is the folder under ``$OPINIONBENCH_SOURCES``; ``filename`` the main file in
    it (a path relative to that folder). ``companions`` are further files the builder
    reads, as paths or glob patterns relative to the main file's folder; each must match
    at least one file, and all of them are hashed into the dataset cache key.

    ``hub_repo``/``hub_filename``/``hub_revision`` locate the upstream copy on the Hub;
    a source without one (``hub_repo`` None) names the ``upstream`` repositories its
    files come from instead, so that a missing file can be fetched by hand.
    ``checksum`` is ``(kind, hexdigest)`` of the verified upstream main file, with kind
    ``"sha256"`` or ``"git-blob-sha1"`` (the id ``git hash-object`` prints).
    """

    name: str
    filename: str
    hub_repo: str | None = None
    hub_filename: str | None = None
    hub_revision: str | None = None
    hub_repo_type: str = "dataset"
    checksum: tuple[str, str] | None = None
    companions: tuple[str, ...] = ()
    upstream: tuple[Upstream, ...] = ()

    def __post_init__(self):
        if self.hub_repo is not None and (self.hub_filename is None or self.hub_revision is None):
            raise ValueError(f"{self.name}: a Hub copy needs hub_filename and hub_revision")
        if self.hub_repo is not None and self.companions:
            raise ValueError(f"{self.name}: companion files are supported only for sources without a Hub copy")
        if self.hub_repo is None and not self.upstream:
            raise ValueError(f"{self.name}: a source without a Hub copy must name its upstream repositories")

    @property
    def hub_url(self) -> str:
        kind = "datasets/" if self.hub_repo_type == "dataset" else ""
        return f"https://huggingface.co/{kind}{self.hub_repo}"

    @property
    def expected_files(self) -> str:
        """The main file and its companions, as written in ``$OPINIONBENCH_SOURCES/<name>/``."""
        folder = PurePosixPath(self.filename).parent
        return ", ".join([self.filename, *(str(folder / companion) for companion in self.companions)])


def resolve_source(spec: SourceSpec, path: str | os.PathLike | None = None) -> Path:
    """Return the main raw file for ``spec`` (its companions checked present beside it),
    downloading it from the Hub as a last resort.

    Raises :class:`OpinionBenchError` naming every place looked at when nothing is found.
    """
    if path is not None:
        explicit = Path(path).expanduser()
        if explicit.is_dir():
            raise OpinionBenchError(f"{spec.name}: the source file {explicit} is a folder, not a file.")
        if not explicit.is_file():
            raise OpinionBenchError(f"{spec.name}: the source file {explicit} does not exist.")
        source_files(spec, explicit)
        return explicit

    sources_root = os.environ.get(SOURCES_ENV)
    if sources_root:
        candidate = Path(sources_root).expanduser() / spec.name / spec.filename
        if candidate.is_file():
            source_files(spec, candidate)
            return candidate
        local_note = f"${SOURCES_ENV}/{spec.name}/{spec.filename} ({candidate}) does not exist"
    else:
        local_note = f"${SOURCES_ENV} is not set, so ${SOURCES_ENV}/{spec.name}/{spec.filename} was not looked at"

    if spec.hub_repo is None:
        raise OpinionBenchError(
            f"{spec.name}: source file {spec.filename!r} not found.\n"
            f"  - no explicit path was given;\n"
            f"  - {local_note};\n"
            f"  - this source has no Hugging Face copy to download.\n"
            f"Put the files {spec.expected_files} in ${SOURCES_ENV}/{spec.name}/ and set {SOURCES_ENV}, "
            f"or pass the path of {PurePosixPath(spec.filename).name} (its companion files beside it). "
            f"They come from:\n" + "\n".join(f"  - {upstream}" for upstream in spec.upstream)
        )
    try:
        return _download(spec)
    except Exception as exc:  # noqa: BLE001 -- any failure of the download is reported the same way
        raise OpinionBenchError(
            f"{spec.name}: source file {spec.filename!r} not found.\n"
            f"  - no explicit path was given;\n"
            f"  - {local_note};\n"
            f"  - downloading {spec.hub_filename!r} from the Hugging Face {spec.hub_repo_type} repo "
            f"{spec.hub_repo} (revision {spec.hub_revision[:12]}) failed: "
            f"{type(exc).__name__}: {first_line(exc)}\n"
            f"Pass the file's path, or put it at ${SOURCES_ENV}/{spec.name}/{spec.filename} "
            f"and set {SOURCES_ENV}, or run online ({spec.hub_url})."
        ) from None


def source_files(spec: SourceSpec, main_file: Path) -> list[Path]:
    """The main file followed by every companion file (globs expanded, sorted).

    Raises :class:`OpinionBenchError` naming a companion that matches no file.
    """
    folder = Path(main_file).parent
    files = [Path(main_file)]
    for companion in spec.companions:
        matches = sorted(match for match in folder.glob(companion) if match.is_file())
        if not matches:
            raise OpinionBenchError(
                f"{spec.name}: the companion file {companion!r} of {main_file} is missing "
                f"(looked for {folder / companion}); the source needs {spec.expected_files}."
            )
        files += [match for match in matches if match not in files]
    return files


def source_checksums(spec: SourceSpec, main_file: Path) -> dict[str, str]:
    """sha256 of every file of the source, keyed by its path relative to the main file's folder."""
    folder = Path(main_file).parent
    return {
        file.relative_to(folder).as_posix(): file_checksum(file, "sha256") for file in source_files(spec, main_file)
    }


def sources_digest(spec: SourceSpec, main_file: Path) -> str:
    """One sha256 over the path and sha256 of every file of the source (main file and companions)."""
    lines = [f"{name}\0{digest}\n" for name, digest in source_checksums(spec, main_file).items()]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _download(spec: SourceSpec) -> Path:
    return hub_download(spec.hub_repo, spec.hub_filename, revision=spec.hub_revision, repo_type=spec.hub_repo_type)


def hub_download(repo_id: str, filename: str, *, revision: str, repo_type: str = "dataset") -> Path:
    """``huggingface_hub.hf_hub_download`` of one file, with the library's logging quietened."""
    import huggingface_hub

    with quiet_logger("huggingface_hub"):
        downloaded = huggingface_hub.hf_hub_download(
            repo_id=repo_id, filename=filename, repo_type=repo_type, revision=revision
        )
    return Path(downloaded)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (for one-line error reports)."""
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
