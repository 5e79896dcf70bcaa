"""A real OpenAI-compatible server on 127.0.0.1: llama-cpp-python serving a GGUF file.

Used by the API-backend tests and ``benchmarks/backends.py``; needs the portable build that
``opinionbench llama-server install`` puts into the environment (:mod:`opinionbench.portable_llama`).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from opinionbench.errors import OpinionBenchError


class LlamaServer:
    """``python -m llama_cpp.server`` serving ``gguf`` on a free local port, its output in ``log``;
    on return it has answered a multi-token completion.

    ``server`` replaces the server's command line before ``--host``/``--port`` (for checking
    the start-up guard with a server that crashes).
    """

    def __init__(self, gguf: Path, log: Path, *, startup_timeout: float = 120, server: list[str] | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = log
        command = server or [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--n_ctx", "2048"]
        command = [*command, "--host", "127.0.0.1", "--port", str(self.port)]
        with log.open("w") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise OpinionBenchError(f"llama_cpp.server exited ({log}): {log.read_text()[-1500:]}")
            try:
                if requests.get(f"{self.url}/models", timeout=2).ok:
                    self._check_multi_token_completion()
                    return
            except requests.ConnectionError:
                time.sleep(0.5)
        self.stop()
        raise OpinionBenchError(f"llama_cpp.server did not answer within {startup_timeout:g} s ({log}).")

    def _check_multi_token_completion(self) -> None:
        """One completion of a prompt of several tokens (batched decoding), which a llama-cpp-python
        compiled for another CPU's native instructions does not survive; a clear error if it dies."""
        request = {"prompt": "The capital of France is", "max_tokens": 2, "temperature": 0}
        try:
            requests.post(f"{self.url}/completions", json=request, timeout=120).raise_for_status()
            return
        except requests.RequestException as err:
            failure = str(err)
        try:
            status = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.stop()
            raise OpinionBenchError(
                f"llama_cpp.server failed its first completion ({failure}); log: {self.log}"
            ) from None
        from opinionbench.portable_llama import installed_features

        died = f"signal {signal.Signals(-status).name}" if -status in signal.valid_signals() else f"status {status}"
        raise OpinionBenchError(
            f"llama_cpp.server died ({died}) on its first completion of a multi-token prompt (its build: "
            f"{' '.join(installed_features())}). The likely "
            "cause: a llama-cpp-python compiled for a CPU's native instructions (AVX-512/AMX kernels that "
            "segfault in batched decoding on some Xeons), for example a wheel pip took from its cache. "
            "Remedy: `opinionbench llama-server install --rebuild` (a portable build, GGML_NATIVE=OFF). "
            f"Server log: {self.log}"
        )

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
