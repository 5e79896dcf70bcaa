"""API backends against a real OpenAI-compatible server: llama-cpp-python serving the bundled
GGUF on 127.0.0.1 (the portable build of `opinionbench llama-server install`, which the README's
test command runs).

- ``opinionbench-next-token-chat`` through ``python -m opinionbench.backends`` (plain lm-eval)
  and ``opinionbench eval``: one call per question, option log-probabilities equal to the
  server's own top-k answer with OpinionQA's floor (computed here from a direct request), the
  floor rate in the results file, and agreement with the ``hf`` backend on the same model;
- lm-eval's ``local-completions`` (all-zero log-likelihoods) and ``local-chat-completions``
  (fixed-seed repeats) stop with an error naming the backend and the cause; greedy generative
  tasks run through ``local-chat-completions``;
- a server killed mid-run gives a clear error within the configured timeouts.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests
from lm_eval_files import read_samples, results_file

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def _opinionbench(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "opinionbench"), *args]


def _eval(model: str, model_args: str, tasks: str, out: Path, *extra: str) -> list[str]:
    """``opinionbench eval`` of ``tasks`` on ``model`` writing to ``out``."""
    return _opinionbench(
        "eval", "--model", model, "--model_args", model_args, "--tasks", tasks, "--output_path", str(out), *extra
    )


def _error(stderr: str) -> str:
    """The one error line of a failed run (and no traceback)."""
    assert "Traceback" not in stderr
    [message] = [line for line in stderr.splitlines() if line.startswith("opinionbench: error:")]
    return message


def _next_token_info(out: Path) -> dict:
    """What the next-token backend stored in the results file (``config.next_token``)."""
    return json.loads(results_file(out).read_text())["config"]["next_token"]


def _opinionqa_logprobs(top: dict[str, float], labels: list[str]) -> list[float]:
    """Santurkar et al.'s rule, written out here: max over " X"/"X", else the floor."""
    found = {
        label: max(top[t] for t in (" " + label, label) if t in top)
        for label in labels
        if " " + label in top or label in top
    }
    missing = [label for label in labels if label not in found]
    remaining = max(0.0, 1 - sum(math.exp(v) for v in top.values()))
    floor = math.log(min(math.exp(min(top.values())), remaining / max(1, len(missing))))
    return [found.get(label, floor) for label in labels]


def _softmax(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


def _server_top_logprobs(llama_server, endpoint: str, context: str, k: int) -> dict[str, float]:
    """The server's own top-k next tokens for a logged prompt, asked directly."""
    if endpoint == "chat/completions":
        request = {"messages": json.loads(context), "logprobs": True, "top_logprobs": k}
    else:
        request = {"prompt": context, "logprobs": k}
    answer = requests.post(
        f"{llama_server.url}/{endpoint}", json={**request, "max_tokens": 1, "temperature": 0}, timeout=60
    ).json()["choices"][0]["logprobs"]
    if endpoint == "chat/completions":
        return {entry["token"]: entry["logprob"] for entry in answer["content"][0]["top_logprobs"]}
    return answer["top_logprobs"][0]


def _check_one_call_per_question(llama_server, endpoint: str, k: int, out: Path, tasks: list[str], calls: int) -> int:
    """Every logged option log-likelihood equals OpinionQA's rule on the server's own answer,
    one call was made per question, and the results file counts the floored options; returns
    how many were floored."""
    samples = [sample for task in tasks for sample in read_samples(results_file(out), task)]
    assert calls == len(samples)
    floored = options = 0
    for sample in samples:
        [context] = {argument["arg_0"] for argument in sample["arguments"].values()}  # one prompt per question
        labels = [argument["arg_1"].strip() for argument in sample["arguments"].values()]
        top = _server_top_logprobs(llama_server, endpoint, context, k)
        logged = [float(response[0][0]) for response in sample["resps"]]
        assert logged == pytest.approx(_opinionqa_logprobs(top, labels), abs=1e-4), sample["doc"]["id"]
        floored += sum(" " + label not in top and label not in top for label in labels)
        options += len(labels)
    info = _next_token_info(out)
    assert info["calls"] == info["questions"] == len(samples)
    assert (info["options"], info["floored"]) == (options, floored)
    assert info["floor_rate"] == pytest.approx(floored / options)
    return floored


def test_next_token_chat_through_plain_lm_eval_reads_each_question_from_one_call(llama_server, eval_env, tmp_path):
    out = tmp_path / "out"
    before = llama_server.calls("chat/completions")
    tasks_path = _run(_opinionbench("tasks-path"), eval_env).stdout.strip()
    plain_lm_eval = [sys.executable, "-m", "opinionbench.backends", "--include_path", tasks_path]
    result = _run(
        [
            *plain_lm_eval,
            "--model",
            "opinionbench-next-token-chat",
            "--model_args",
            f"model=smollm2,base_url={llama_server.url}/chat/completions,top_logprobs=5,timeout=60",
            "--tasks",
            "pct_logprob,sapplyvalues_logprob",
            "--limit",
            "4",
            "--apply_chat_template",
            "--output_path",
            str(out),
            "--log_samples",
        ],
        eval_env,
        cwd=REPO,  # from the root of the checkout, which holds no folder that shadows the installed package
    )
    assert result.returncode == 0, result.stderr[-3000:]
    calls = llama_server.calls("chat/completions") - before
    floored = _check_one_call_per_question(
        llama_server, "chat/completions", 5, out, ["pct_logprob", "sapplyvalues_logprob"], calls
    )
    assert floored > 0  # with the top 5, the floor is exercised


def test_next_token_completions_reads_each_question_from_one_call(llama_server, eval_env, tmp_path):
    """GlobalOpinionQA's prompt ends in "my answer would be (": the next token is the letter."""
    out = tmp_path / "out"
    before = llama_server.calls("completions")
    model_args = f"model=smollm2,base_url={llama_server.url}/completions,top_logprobs=10,timeout=60"
    result = _run(
        _eval(
            "opinionbench-next-token-completions",
            model_args,
            "global_opinions_logprob",
            out,
            "--limit",
            "4",
            "--log_samples",
        ),
        eval_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    calls = llama_server.calls("completions") - before
    _check_one_call_per_question(llama_server, "completions", 10, out, ["global_opinions_logprob"], calls)


def test_next_token_chat_agrees_with_the_hf_backend_on_the_same_model(llama_server, eval_env, lm_eval_run, tmp_path):
    """Same prompts (the model's own chat template on both sides), same weights: llama.cpp runs
    them in Q4_1 with quantised activations, transformers in float32 dequantised from the same
    GGUF. Tolerance: total variation per question at most 0.1, mean at most 0.06."""
    hf_out, api_out = tmp_path / "hf", tmp_path / "api"
    lm_eval_run(hf_out, ["pct_logprob"], "--limit", "8", "--apply_chat_template")
    result = _run(
        _eval(
            "opinionbench-next-token-chat",
            f"model=smollm2,base_url={llama_server.url}/chat/completions",
            "pct_logprob",
            api_out,
            "--limit",
            "8",
            "--apply_chat_template",
            "--log_samples",
        ),
        eval_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    hf = {s["doc"]["id"]: s for s in read_samples(results_file(hf_out), "pct_logprob")}
    api = {s["doc"]["id"]: s for s in read_samples(results_file(api_out), "pct_logprob")}
    assert hf.keys() == api.keys() and len(hf) == 8
    distances = []
    for item, sample in api.items():
        [message] = json.loads(sample["arguments"]["gen_args_0"]["arg_0"])
        assert message["content"] in hf[item]["arguments"]["gen_args_0"]["arg_0"]  # the same question
        p_api = _softmax([float(r[0][0]) for r in sample["resps"]])
        p_hf = _softmax([float(r[0][0]) for r in hf[item]["resps"]])
        distances.append(0.5 * np.abs(p_api - p_hf).sum())
    assert max(distances) <= 0.1, distances
    assert np.mean(distances) <= 0.06, distances
    assert _next_token_info(api_out)["floored"] == 0


def test_local_completions_without_prompt_logprobs_stops_with_the_cause(
    llama_server, eval_env, prepared_model, tmp_path
):
    model_args = (
        f"model=smollm2,base_url={llama_server.url}/completions,tokenizer={prepared_model},"
        "tokenizer_backend=huggingface,tokenized_requests=False,timeout=60,max_retries=1"
    )
    result = _run(_eval("local-completions", model_args, "pct_logprob", tmp_path / "out", "--limit", "1"), eval_env)
    assert result.returncode == 2, result.stderr[-3000:]
    message = _error(result.stderr)
    assert "local-completions: question 'pct-01'" in message
    assert "all 4 options have the same log-likelihood; every one is 0.0" in message
    assert not list((tmp_path / "out").rglob("results_*.json"))


def _chat_completions_args(llama_server) -> str:
    return f"model=smollm2,base_url={llama_server.url}/chat/completions,timeout=60,max_retries=1"


def test_local_chat_completions_runs_greedy_generative_tasks(llama_server, eval_env, tmp_path):
    out = tmp_path / "out"
    tasks = "pct_forced_gen,mena_values_gen"
    extra = ("--limit", "3", "--apply_chat_template", "--log_samples")
    result = _run(_eval("local-chat-completions", _chat_completions_args(llama_server), tasks, out, *extra), eval_env)
    assert result.returncode == 0, result.stderr[-3000:]
    for task in ("pct_forced_gen", "mena_values_gen"):
        samples = read_samples(results_file(out), task)
        assert len(samples) == 3
        for sample in samples:  # each answer is the server's greedy answer to the logged request
            context, gen_kwargs = sample["arguments"]["gen_args_0"]["arg_0"], sample["arguments"]["gen_args_0"]["arg_1"]
            context = context[0] if isinstance(context, list) else context  # lm-eval logs its JsonChatStr as [text]
            direct = requests.post(
                f"{llama_server.url}/chat/completions",
                json={
                    "messages": json.loads(context),
                    "temperature": 0,
                    "max_tokens": gen_kwargs["max_gen_toks"],
                    "stop": gen_kwargs["until"],
                },
                timeout=60,
            ).json()["choices"][0]["message"]["content"]
            assert sample["resps"][0][0] == direct


def test_fixed_seed_repeats_are_detected_and_explained(llama_server, eval_env, tmp_path):
    extra = ("--limit", "4", "--apply_chat_template")
    arguments = _eval(
        "local-chat-completions", _chat_completions_args(llama_server), "global_opinions_gen", tmp_path, *extra
    )
    result = _run(arguments, eval_env)
    assert result.returncode == 2, result.stderr[-3000:]
    message = _error(result.stderr)
    assert message.startswith("opinionbench: error: local-chat-completions: each of the 4 questions")
    assert "same seed" in message and "opinionbench-next-token-chat" in message


@pytest.mark.parametrize(
    ("backend", "model_args", "task", "expected"),
    [
        ("opinionbench-next-token-chat", "model=smollm2,timeout=10,max_retries=1", "pct_logprob", "cannot be reached"),
        (
            "local-chat-completions",
            "model=smollm2,timeout=10,max_retries=1",
            "pct_forced_gen",
            "request to the server failed",
        ),
    ],
)
def test_a_server_killed_mid_run_gives_a_clear_error_not_a_hang(
    backend, model_args, task, expected, eval_env, start_llama_server, tmp_path
):
    doomed = start_llama_server(tmp_path / "doomed.log")
    run = subprocess.Popen(
        _eval(
            backend,
            f"base_url={doomed.url}/chat/completions,{model_args}",
            task,
            tmp_path / "out",
            "--apply_chat_template",
        ),
        env=eval_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while doomed.calls("chat/completions") < 3 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
    assert doomed.calls("chat/completions") >= 3, "the run never reached the server"
    doomed.stop()
    killed_at = time.monotonic()
    _, stderr = run.communicate(timeout=120)
    assert time.monotonic() - killed_at < 60
    assert run.returncode == 2, stderr[-3000:]
    message = _error(stderr)
    assert message.startswith(f"opinionbench: error: {backend}: ") and expected in message
    assert "is the server running?" in message
    assert not list((tmp_path / "out").rglob("results_*.json"))
