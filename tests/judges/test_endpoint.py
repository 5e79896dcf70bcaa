"""The endpoint judge against a real OpenAI-compatible server (llama-cpp-python serving the bundled
SmolLM2 GGUF on 127.0.0.1): what it counts is what the server answers, inside lm-eval and out."""

from __future__ import annotations

import json

import pytest
import requests
from lm_eval_files import read_reported, read_samples

from opinionbench.errors import OpinionBenchError
from opinionbench.judges import JudgeSettings, make_judge
from opinionbench.judges.agreement import load_labelled_answers, shipped_set
from opinionbench.judges.endpoint import parse_reply
from opinionbench.metrics import pds, pds_entropy

pytestmark = pytest.mark.slow
WRITTEN = shipped_set("labelled_answers.jsonl")


def _settings(llama_server, **extra) -> dict:
    """lm-eval metadata for the endpoint judge on ``server`` (llama.cpp's schema grammar)."""
    return {
        "judge": "endpoint",
        "judge_base_url": f"{llama_server.url}/chat/completions",
        "judge_model": "smollm2",
        "judge_structured_output": "json_object",
        "judge_max_tokens": 1024,
        **extra,
    }


def _replayed(judge, question: str, answer: str, names: list[str]) -> list[list[str]]:
    """The server's own answer to the judge's request, sent here directly, parsed."""
    body = requests.post(judge.base_url, json=judge.request(question, answer), timeout=300).json()
    return [list(reference) for reference in parse_reply(body, names, where="replay")]


def test_endpoint_judge_counts_what_the_server_answers(llama_server):
    judge = make_judge(JudgeSettings.from_metadata(_settings(llama_server)))
    names = judge.perspectives.names
    answers = load_labelled_answers(WRITTEN, perspectives=names)[:2]
    before = llama_server.calls("chat/completions")
    judged = [judge.references(a.question, a.answer, item=a.id) for a in answers]
    assert llama_server.calls("chat/completions") - before == len(answers)  # one call per answer
    for answer, references in zip(answers, judged):
        assert [list(r) for r in references] == _replayed(judge, answer.question, answer.answer, names)
        assert all(r.perspective in names for r in references)


def test_a_reply_that_is_not_the_json_stops_with_the_answer_named(llama_server, tmp_path):
    prompt = tmp_path / "poem.txt"
    prompt.write_text("Write a two-line poem about this question: {question}\n(ignore: {perspectives} {answer})\n")
    settings = _settings(llama_server, judge_prompt=str(prompt), judge_structured_output="none", judge_max_tokens=40)
    judge = make_judge(JudgeSettings.from_metadata(settings))
    with pytest.raises(OpinionBenchError, match=r"the endpoint judge \(smollm2\) on judge-07: the reply"):
        judge.references("Should the elderly live with their children?", "Yes.", item="judge-07")


def test_lm_eval_run_judged_by_the_endpoint(llama_server, lm_eval_run, tmp_path):
    """The bundled model answers one question through `hf`; the server judges it inside lm-eval."""
    metadata = _settings(llama_server)
    results = lm_eval_run(
        tmp_path / "out",
        ["worldview_bench_gen"],
        "--apply_chat_template",
        "--limit",
        "2",
        "--gen_kwargs",
        "max_gen_toks=48",
        "--metadata",
        json.dumps(metadata),
    )
    samples = read_samples(results, "worldview_bench_gen")
    judge = make_judge(JudgeSettings.from_metadata(metadata))
    names = judge.perspectives.names
    counts = []
    for sample in samples:
        payload = sample["pds_entropy"]
        assert JudgeSettings.from_json(payload["judge_settings"]) == JudgeSettings.from_metadata(metadata)
        answer = sample["filtered_resps"][0]
        assert payload["references"] == _replayed(judge, sample["doc"]["question"], answer, names)
        counts.append([sum(r[0] == name for r in payload["references"]) for name in names])
    reported = read_reported(results, "worldview_bench_gen")
    expected = pds_entropy(pds(counts)) if sum(map(sum, counts)) else float("nan")
    assert reported["pds_entropy"] == pytest.approx(expected, nan_ok=True)
    assert reported["reference_rate"] == sum(sum(c) > 0 for c in counts) / len(counts)
