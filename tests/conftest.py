"""Shared test fixtures: the real source files, the upstream-format fixtures, built datasets."""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

import pytest
from persona_runs import CLOSED_GEN, LOGPROB, MAX_TOKENS, OPEN_GEN, PERSONAS

# The datasets library names its cache of a local folder after the folder's basename, so
# a rebuilt folder at a reused path could load stale rows: every session gets its own cache.
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="opinionbench-tests-hf-datasets-")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GLOBAL_OPINIONS_FIXTURE = FIXTURES / "global_opinions" / "global_opinions.csv"


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """``$OPINIONBENCH_SOURCES`` (the real source files); the README's test command sets it."""
    configured = os.environ.get("OPINIONBENCH_SOURCES")
    if not configured:
        pytest.fail("set OPINIONBENCH_SOURCES to the shared source folder (../shared/data), as the README says")
    path = Path(configured).resolve()
    if not (path / "mena_values" / "MenaValues Benchmark.xlsx").is_file():
        pytest.fail(f"OPINIONBENCH_SOURCES={configured} does not hold mena_values/MenaValues Benchmark.xlsx")
    return path


@pytest.fixture(scope="session")
def mena_xlsx(sources_dir: Path) -> Path:
    return sources_dir / "mena_values" / "MenaValues Benchmark.xlsx"


@pytest.fixture(scope="session")
def mena_build(mena_xlsx: Path):
    from opinionbench.data_builders import mena_values

    return mena_values.build(mena_xlsx)


@pytest.fixture(scope="session")
def implicit_bias_build(sources_dir: Path):
    from opinionbench.data_builders import implicit_bias

    return implicit_bias.build(sources_dir / "implicit_bias" / "stimuli" / "iat_stimuli.csv")


@pytest.fixture(scope="session")
def pct_build(sources_dir: Path):
    from opinionbench.data_builders import pct

    return pct.build(sources_dir / "pct" / "pct_propositions.jsonl")


@pytest.fixture(scope="session")
def eightvalues_build(sources_dir: Path):
    from opinionbench.data_builders import eightvalues

    return eightvalues.build(sources_dir / "eightvalues" / "questions.jsonl")


@pytest.fixture(scope="session")
def sapplyvalues_build(sources_dir: Path):
    from opinionbench.data_builders import sapplyvalues

    return sapplyvalues.build(sources_dir / "sapplyvalues" / "questions.jsonl")


@pytest.fixture(scope="session")
def wahl_o_mat_build(sources_dir: Path):
    from opinionbench.data_builders import wahl_o_mat

    return wahl_o_mat.build(sources_dir / "wahl_o_mat" / "upstream" / "election.json")


@pytest.fixture()
def source_copy(sources_dir: Path, tmp_path: Path):
    """``source_copy(name)``: a fresh writable copy of ``$OPINIONBENCH_SOURCES/<name>/`` in ``tmp_path``
    (the shared files are read-only), for breaking a file on purpose."""

    def copy(name: str) -> Path:
        target = Path(tempfile.mkdtemp(prefix="sources-", dir=tmp_path)) / name
        shutil.copytree(sources_dir / name, target, copy_function=shutil.copyfile)
        for folder in [target, *(path for path in target.rglob("*") if path.is_dir())]:
            folder.chmod(0o755)
        return target

    return copy


@pytest.fixture()
def build_error(source_copy):
    """``build_error(builder, relative, edit)``: the error message of building a copy of the builder's
    source in which the file ``relative`` (to the source folder) has been rewritten as ``edit(text)``."""
    from opinionbench.errors import OpinionBenchError

    def run(builder, relative: str, edit) -> str:
        folder = source_copy(builder.SOURCE.name)
        target = folder / relative
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
        with pytest.raises(OpinionBenchError) as raised:
            builder.build(folder / builder.SOURCE.filename)
        return str(raised.value)

    return run


@pytest.fixture(scope="session")
def global_opinions_csv() -> Path:
    """The upstream-format fixture (see fixtures/global_opinions/README.md)."""
    return GLOBAL_OPINIONS_FIXTURE


@pytest.fixture(scope="session")
def global_opinions_build():
    from opinionbench.data_builders import global_opinions

    return global_opinions.build(GLOBAL_OPINIONS_FIXTURE)


@pytest.fixture()
def isolated_env(tmp_path: Path, monkeypatch) -> dict[str, str]:
    """Environment for a subprocess: private cache and Hub folders, real sources, offline Hub."""
    env = dict(os.environ)
    env.update(
        OPINIONBENCH_CACHE=str(tmp_path / "cache"),
        HF_HOME=str(tmp_path / "hf_home"),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
    )
    if env.get("OPINIONBENCH_SOURCES"):  # absolute, so that a subprocess may run in another folder
        env["OPINIONBENCH_SOURCES"] = str(Path(env["OPINIONBENCH_SOURCES"]).resolve())
    return env


@pytest.fixture(scope="session")
def eval_env(tmp_path_factory, sources_dir, global_opinions_csv) -> dict[str, str]:
    """Environment for lm-eval subprocesses: every real source (symlinked) and the GlobalOpinionQA
    fixture, a private cache, the Hub offline."""
    root = tmp_path_factory.mktemp("lm_eval_env")
    sources = root / "sources"
    (sources / "global_opinions").mkdir(parents=True)
    shutil.copy(global_opinions_csv, sources / "global_opinions" / "global_opinions.csv")
    for source in sources_dir.iterdir():
        if source.is_dir() and not (sources / source.name).exists():
            (sources / source.name).symlink_to(source)
    env = dict(os.environ)
    env.update(
        OPINIONBENCH_SOURCES=str(sources),
        OPINIONBENCH_CACHE=str(root / "cache"),
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
    )
    return env


@pytest.fixture(scope="session")
def prepared_model(eval_env, run_cli) -> Path:
    """The bundled SmolLM2 model converted (once per session) into a Hugging Face folder."""
    result = run_cli("models", "prepare", "smollm2", env=eval_env)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def lm_eval_run(eval_env, run_cli, prepared_model):
    """``lm_eval_run(out, tasks, *extra, timeout=600)``: ``opinionbench eval`` of the bundled model
    on ``tasks`` with samples logged into ``out`` (stopped after ``timeout`` seconds); returns the
    results file."""

    def run(out: Path, tasks, *extra: str, timeout: int = 600) -> Path:
        model = ["--model", "hf", "--model_args", f"pretrained={prepared_model},dtype=float32"]
        logging = ["--output_path", str(out), "--log_samples"]
        batch = [] if "--batch_size" in extra else ["--batch_size", "8"]
        result = run_cli(
            "eval", *model, "--tasks", ",".join(tasks), *logging, *batch, *extra, env=eval_env, timeout=timeout
        )
        assert result.returncode == 0, result.stderr[-3000:]
        [results_file] = out.rglob("results_*.json")
        return results_file

    return run


_LLAMA_SERVER_FAILURE: list[str] = []  # why the server could not start, once per session


@pytest.fixture(scope="session")
def start_llama_server():
    """``start_llama_server(log)``: llama-cpp-python serving the bundled GGUF on a free 127.0.0.1
    port, which has answered one multi-token completion before a test uses it. If it could not
    (a build that crashes on this CPU), every test that needs a server fails with that one
    message, and no server is started again."""
    from opinionbench.errors import OpinionBenchError
    from opinionbench.local_server import LlamaServer
    from opinionbench.models import bundled_gguf

    def start(log: Path):
        if _LLAMA_SERVER_FAILURE:
            pytest.fail(_LLAMA_SERVER_FAILURE[0], pytrace=False)
        try:
            return LlamaServer(bundled_gguf("smollm2"), log)
        except OpinionBenchError as err:
            _LLAMA_SERVER_FAILURE.append(str(err))
            pytest.fail(str(err), pytrace=False)

    return start


@pytest.fixture(scope="module")
def llama_server(start_llama_server, tmp_path_factory):
    """The llama-cpp-python server of one test module (see :func:`start_llama_server`)."""
    running = start_llama_server(tmp_path_factory.mktemp("llama") / "server.log")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def run_cli():
    """Run the installed ``opinionbench`` command: ``run_cli(*args, env=...)``."""
    executable = shutil.which("opinionbench", path=str(Path(sys.executable).parent))
    if executable is None:
        pytest.fail("the opinionbench console script is not installed beside this Python")

    def run(
        *args: str, env: dict[str, str], cwd: Path | None = None, timeout: int = 600
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )

    return run


class FakeHub:
    """A local HTTP server answering the Hub's file-resolution URLs and the write API that
    ``HfApi.create_repo`` and ``HfApi.create_commit`` call, so the real ``huggingface_hub``
    client talks to 127.0.0.1 (``HF_ENDPOINT``).

    Writes (shapes from huggingface_hub's ``hf_api.py`` and ``_commit_api.py``): ``POST
    /api/repos/create``, ``POST /api/validate-yaml`` (the card header), ``POST
    /api/<type>s/<repo>/preupload/<revision>`` (every file answered ``regular``: no LFS) and
    ``POST /api/<type>s/<repo>/commit/<revision>`` (NDJSON, base64 file contents), whose files
    land in ``commits``. Setting ``status`` makes every request fail with that status.
    """

    def __init__(self):
        self.files: dict[str, bytes] = {}  # "/datasets/<repo>/resolve/<revision>/<path>" -> content
        self.requests: list[str] = []
        self.headers: list[dict[str, str]] = []  # each request's headers (lower-case names), as `requests`
        self.commits: list[tuple[str, dict[str, bytes]]] = []  # ("datasets/<repo>", {path: content})
        self.created: list[dict] = []  # the JSON bodies of `POST /api/repos/create`
        self.status: int | None = None
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _record(self) -> str:
                path = urllib.parse.unquote(self.path.split("?")[0])
                hub.requests.append(f"{self.command} {path}")
                hub.headers.append({name.lower(): value for name, value in self.headers.items()})
                return path

            def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _json(self, value, status: int = 200) -> None:
                self._send(status, json.dumps(value).encode(), {"Content-Type": "application/json"})

            def _failed(self) -> bool:
                if hub.status is not None:
                    self._json({"error": f"the fake Hub answers {hub.status}"}, hub.status)
                return hub.status is not None

            def do_HEAD(self):
                self.do_GET()

            def do_GET(self):
                path = self._record()
                if self._failed():
                    return
                content = hub.files.get(path)
                if content is None:
                    self._send(404, headers={"X-Error-Code": "EntryNotFound"})
                    return
                revision = path.split("/resolve/")[1].split("/")[0]
                self._send(200, content, {"ETag": f'"{hashlib.sha1(content).hexdigest()}"', "X-Repo-Commit": revision})

            def do_POST(self):
                path = self._record()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self._failed():
                    return
                if path == "/api/repos/create":
                    request = json.loads(body)
                    hub.created.append(request)
                    self._json({"url": f"{hub.url}/{request['type']}s/{request['organization']}/{request['name']}"})
                elif path == "/api/validate-yaml":
                    self._json({"errors": [], "warnings": []})
                elif "/preupload/" in path:
                    files = json.loads(body)["files"]
                    self._json(
                        {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]}
                    )
                elif "/commit/" in path:
                    lines = [json.loads(line) for line in body.splitlines() if line.strip()]
                    added = {
                        line["value"]["path"]: base64.b64decode(line["value"]["content"])
                        for line in lines
                        if line["key"] == "file"
                    }
                    repo = path.removeprefix("/api/").split("/commit/")[0]
                    hub.commits.append((repo, added))
                    self._json({"commitUrl": f"{hub.url}/{repo}/commit/{'0' * 40}", "commitOid": "0" * 40})
                else:
                    self._json({"error": f"the fake Hub does not know {path}"}, 404)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, spec, content: bytes) -> None:
        """Serve ``content`` where the Hub would serve ``spec``'s file at its pinned revision."""
        self.files[f"/datasets/{spec.hub_repo}/resolve/{spec.hub_revision}/{spec.hub_filename}"] = content


@pytest.fixture()
def fake_hub():
    hub = FakeHub()
    yield hub
    hub.server.shutdown()


@pytest.fixture()
def hub_env(isolated_env: dict[str, str], fake_hub):
    """``hub_env(token)``: the isolated environment pointed at the fake Hub, with ``token`` as
    HF_TOKEN (none for ``None``) and no stored login."""

    def env(token: str | None) -> dict[str, str]:
        values = {name: value for name, value in isolated_env.items() if name not in ("HF_TOKEN", "HF_TOKEN_PATH")}
        values.update(HF_ENDPOINT=fake_hub.url, HF_HUB_OFFLINE="0")
        if token is not None:
            values["HF_TOKEN"] = token
        return values

    return env


# --- the persona tasks' real runs, shared by the task, report and site tests ---------------------
# ``--limit`` would cut conditions, so the grid is small instead (``--metadata``): the base case and
# one persona value; the log-likelihood task under one closed template, the generation tasks under
# two closed templates and one open one (answers cut at ``MAX_TOKENS`` tokens, to keep the open task
# quick). Each run takes minutes on two CPU cores: :data:`PERSONA_TIMEOUT` seconds are allowed.

PERSONA_TIMEOUT = 1800


def _persona_metadata(templates: str) -> str:
    return json.dumps({"personas": ",".join(PERSONAS), "templates": templates})


@pytest.fixture(scope="session")
def persona_runs(lm_eval_run, tmp_path_factory) -> Path:
    """The output folder of two runs: ``logprob/`` (the log-likelihood task) and ``gen/`` (the
    closed- and open-generation tasks); returns the folder."""
    out = tmp_path_factory.mktemp("persona_runs")
    chat = "--apply_chat_template"
    lm_eval_run(out / "logprob", (LOGPROB,), chat, "--metadata", _persona_metadata("closed1"), timeout=PERSONA_TIMEOUT)
    gen = ("--metadata", _persona_metadata("closed1,closed2,open1"), "--gen_kwargs", f"max_gen_toks={MAX_TOKENS}")
    lm_eval_run(out / "gen", (CLOSED_GEN, OPEN_GEN), chat, *gen, timeout=PERSONA_TIMEOUT)
    return out
