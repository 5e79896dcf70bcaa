"""The local OpenAI-compatible test server: the portable llama-cpp-python build and the start-up
guard (one multi-token completion before any test uses the server)."""

from __future__ import annotations

import sys
import textwrap

import pytest

from opinionbench import portable_llama
from opinionbench.errors import OpinionBenchError
from opinionbench.local_server import LlamaServer

# A stand-in server that answers GET /v1/models and dies of a segmentation fault on the first
# POST, as a natively compiled llama-cpp-python does on an AMX-capable Xeon.
CRASHING_SERVER = textwrap.dedent(
    """
    import argparse, http.server, json, os, signal
    parser = argparse.ArgumentParser()
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"data": []}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            os.kill(os.getpid(), signal.SIGSEGV)

    http.server.HTTPServer((args.host, args.port), Handler).serve_forever()
    """
)


def test_the_installed_llama_cpp_python_has_no_native_only_instructions():
    features = portable_llama.installed_features()
    assert "AVX2" in features  # the x86-64 baseline llama.cpp builds without native tuning
    assert not [name for name in features if name.startswith(portable_llama.NATIVE_ONLY_FEATURES)], features


def test_the_wheel_cache_folder_is_keyed_on_the_build_flags(monkeypatch, tmp_path):
    monkeypatch.setenv("OPINIONBENCH_CACHE", str(tmp_path))
    portable = portable_llama.wheel_dir()
    monkeypatch.setattr(portable_llama, "CMAKE_ARGS", "-DGGML_NATIVE=ON")
    native = portable_llama.wheel_dir()
    assert portable != native and portable.parent == native.parent == tmp_path / "wheels"
    assert portable.name.startswith(f"llama-cpp-python-{portable_llama.VERSION}-")


def test_a_server_that_dies_on_its_first_completion_stops_with_the_cause_and_the_remedy(tmp_path):
    script = tmp_path / "crashing_server.py"
    script.write_text(CRASHING_SERVER, encoding="utf-8")
    with pytest.raises(OpinionBenchError) as raised:
        LlamaServer(tmp_path / "unused.gguf", tmp_path / "server.log", server=[sys.executable, str(script)])
    message = str(raised.value)
    assert "died (signal SIGSEGV) on its first completion of a multi-token prompt" in message
    assert "opinionbench llama-server install --rebuild" in message and "GGML_NATIVE=OFF" in message
    assert str(tmp_path / "server.log") in message


@pytest.mark.slow
def test_the_real_server_has_answered_one_multi_token_completion_when_it_is_handed_over(start_llama_server, tmp_path):
    server = start_llama_server(tmp_path / "server.log")
    try:
        assert server.calls("completions") == 1
        assert server.process.poll() is None
    finally:
        server.stop()
