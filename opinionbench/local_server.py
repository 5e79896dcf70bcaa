"""A real OpenAI-compatible server on 127.0.0.1: llama-cpp-python serving a GGUF file.

Used by the API-backend tests and ``benchmarks/backends.py``; needs
``pip install "llama-cpp-python[server]"`` (the test extra installs it).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from opinionbench.errors import OpinionBenchError


class LlamaServer:
    """``python -m llama_cpp.server`` on a free local port, its output in ``log``; ready on return."""

    def __init__(self, gguf: Path, log: Path, *, startup_timeout: float = 120) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = log
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--n_ctx", "2048"]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with log.open("w") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise OpinionBenchError(f"llama_cpp.server exited ({log}): {log.read_text()[-1500:]}")
            try:
                if requests.get(f"{self.url}/models", timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.5)
        self.stop()
        raise OpinionBenchError(f"llama_cpp.server did not answer within {startup_timeout:g} s ({log}).")

    @property
    def url(self) -> str:
        """The OpenAI-compatible base URL, ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def calls(self, endpoint: str) -> int:
        """How many POSTs to ``/v1/<endpoint>`` the server has logged."""
        return self.log.read_text().count(f'"POST /v1/{endpoint} HTTP')

    def stop(self) -> None:
        """Kill the server and wait for it."""
        self.process.kill()
        self.process.wait(timeout=30)
