"""A portable build of llama-cpp-python, the local OpenAI-compatible server of the API-backend tests.

pip compiles llama-cpp-python from source, by default tuned to the CPU it compiles on
(``GGML_NATIVE``): on a Xeon with AVX-512 and AMX that build segfaults on every prompt of two
or more tokens, and pip's wheel cache, which is keyed on the source archive only, serves the
same native wheel to every later venv. :func:`install` builds the wheel once with native tuning
off (:data:`CMAKE_ARGS`: llama.cpp's x86-64 baseline of AVX2, FMA, F16C, BMI2, without AVX-512
or AMX code), keeps it in OpinionBench's own cache under a name that includes those flags, and
installs that wheel, never one from pip's cache.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from opinionbench.errors import OpinionBenchError
from opinionbench.paths import cache_dir

VERSION = "0.3.36"
CMAKE_ARGS = "-DGGML_NATIVE=OFF"
# Instruction sets a portable build must not have compiled in (as llama_print_system_info names them).
NATIVE_ONLY_FEATURES = ("AVX512", "AMX")


def wheel_dir() -> Path:
    """Where the portable wheel is kept: one folder per version, build flags, Python and platform."""
    key = f"{VERSION} {CMAKE_ARGS} {sys.implementation.cache_tag} {sysconfig.get_platform()} {platform.machine()}"
    return cache_dir() / "wheels" / f"llama-cpp-python-{VERSION}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def install(*, rebuild: bool = False) -> list[str]:
    """Install the portable llama-cpp-python (with its ``server`` extra) into this Python's
    environment, compiling it first if it is not cached (a few minutes on 2 cores) or if
    ``rebuild``; returns the CPU features the installed build reports."""
    folder = wheel_dir()
    if rebuild or not list(folder.glob("llama_cpp_python-*.whl")):
        _build_wheel(folder)
    package = f"llama-cpp-python=={VERSION}"
    _pip("install", "--force-reinstall", "--no-deps", "--no-index", "--find-links", str(folder), package)
    _pip(
        "install",
        "--find-links",
        str(folder),
        "--only-binary",
        "llama-cpp-python",
        f"llama-cpp-python[server]=={VERSION}",
    )
    features = installed_features()
    native = [name for name in features if name.startswith(NATIVE_ONLY_FEATURES)]
    if native:
        raise OpinionBenchError(
            f"the installed llama-cpp-python was compiled with {', '.join(native)} code; "
            "run `opinionbench llama-server install --rebuild`."
        )
    return features


def installed_features() -> list[str]:
    """The CPU features compiled into the installed llama-cpp-python (``llama_print_system_info``,
    e.g. ``["SSE3", ..., "AVX2", ...]``), read in a child process so that a broken build cannot
    take this one down."""
    probe = "import llama_cpp; print(llama_cpp.llama_print_system_info().decode())"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise OpinionBenchError(f"llama-cpp-python does not import: {result.stderr.strip()[-500:]}")
    return re.findall(r"(\w+) = 1\b", result.stdout)


def _build_wheel(folder: Path) -> None:
    """Compile the wheel with :data:`CMAKE_ARGS` into ``folder`` (complete or not at all)."""
    print(f"compiling llama-cpp-python {VERSION} with {CMAKE_ARGS} (once; a few minutes) ...", file=sys.stderr)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        _pip(
            "wheel",
            "--no-deps",
            "--no-cache-dir",
            "--no-binary",
            "llama-cpp-python",
            "--wheel-dir",
            str(staging),
            f"llama-cpp-python=={VERSION}",
            env={**os.environ, "CMAKE_ARGS": CMAKE_ARGS},
        )
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _pip(*args: str, env: dict[str, str] | None = None) -> None:
    command = [sys.executable, "-m", "pip", "--quiet", *args]
    if subprocess.run(command, env=env, check=False).returncode != 0:
        raise OpinionBenchError(f"`{' '.join(command[2:])}` failed (its messages are above).")
