"""The rules behind the API backends, without a server: OpinionQA's top-k floor (hand
calculations from ANCHORS.md 1.1), which labels one next token can tell apart, the loud checks on
backend output, lm-eval's registry, and which task index ``opinionbench eval`` builds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opinionbench.backends.next_token import NextTokenChat, NextTokenCompletions, _messages
from opinionbench.backends.top_logprobs import option_logprobs, unreadable_labels
from opinionbench.errors import OpinionBenchError
from opinionbench.tasks.common.backend_checks import require_distinct_loglikelihoods, require_varied_samples

L = math.log


def test_found_labels_take_the_larger_of_both_spellings_and_missing_ones_the_remaining_mass():
    # top-k mass 0.5 + 0.2 + 0.05 + 0.1 + 0.05 = 0.9: remaining 0.1 over 2 missing = 0.05 each,
    # and min_prob = 0.05: the floor is log(min(0.05, 0.05)).
    top = {" A": L(0.5), "B": L(0.2), " C": L(0.05), "C": L(0.1), "The": L(0.05)}
    read = option_logprobs(top, [" A", " B", " C", " D", " E"])
    assert read.logprobs == pytest.approx([L(0.5), L(0.2), L(0.1), L(0.05), L(0.05)])
    assert read.floored == [False, False, False, True, True]
    assert read.top_token == " A"


def test_the_floor_is_the_smallest_top_k_probability_when_that_is_below_the_remaining_share():
    # mass 0.6 + 0.1 + 0.02 = 0.72; remaining 0.28 over 1 missing = 0.28 > min_prob 0.02.
    read = option_logprobs({"1": L(0.6), "2": L(0.1), "x": L(0.02)}, ["1", "2", "3"])
    assert read.logprobs[2] == pytest.approx(L(0.02))


def test_no_remaining_mass_floors_to_minus_infinity():
    read = option_logprobs({"A": L(0.7), "B": L(0.3)}, ["A", "B", "C"])
    assert read.logprobs[:2] == pytest.approx([L(0.7), L(0.3)]) and read.logprobs[2] == -math.inf


@given(
    st.dictionaries(st.sampled_from(["A", " A", "B", " B", "C", "x", " y", "z"]), st.floats(-12, -0.01), min_size=1),
)
def test_a_floored_label_is_never_more_likely_than_any_top_k_token(top):
    read = option_logprobs(top, ["A", "B", "C", "D"])
    for logprob, floored in zip(read.logprobs, read.floored):
        if floored:
            assert logprob <= min(top.values()) + 1e-12
        else:
            assert logprob in top.values()


@pytest.mark.parametrize(
    ("labels", "reason"),
    [
        ([" A", " B", " C"], None),
        (["1", "2", "3", "4"], None),
        ([str(code) for code in range(1, 11)], "the labels '1' and '10' begin alike"),
        ([" Agree", " Strongly agree"], "the option ' Agree' is not a one- or two-character label"),
        (["A", "A"], "two options have the same label"),
    ],
)
def test_labels_one_next_token_can_tell_apart(labels, reason):
    assert unreadable_labels(labels) == reason


def test_chat_messages_come_from_lm_evals_chat_json_or_wrap_plain_text():
    chat = NextTokenChat(base_url="http://127.0.0.1:1/v1/chat/completions", model="m")
    history = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Q?"}]
    assert _messages(chat.apply_chat_template(history)) == history
    assert _messages("Question: [{x}]\nAnswer:") == [{"role": "user", "content": "Question: [{x}]\nAnswer:"}]
    assert chat._payload("Q?") == {
        "model": "m",
        "messages": [{"role": "user", "content": "Q?"}],
        "max_tokens": 1,
        "temperature": 0,
        "logprobs": True,
        "top_logprobs": 20,
    }
    assert "seed" not in NextTokenCompletions(base_url="http://x", model="m")._payload("Q?")


def test_a_backend_without_a_model_name_says_what_to_give():
    with pytest.raises(OpinionBenchError, match=r"opinionbench-next-token-chat: give model=NAME in --model_args"):
        NextTokenChat(base_url="http://127.0.0.1:1/v1/chat/completions")


def test_the_backends_are_in_lm_evals_registry_beside_its_own():
    from lm_eval.api.registry import get_model

    assert get_model("opinionbench-next-token-chat") is NextTokenChat
    assert get_model("opinionbench-next-token-completions") is NextTokenCompletions
    assert get_model("hf").__name__ == "HFLM"  # registering ours first must not hide lm-eval's


def test_a_refused_question_is_named_before_any_call_is_made():
    from lm_eval.api.instance import Instance

    requests = [
        Instance("loglikelihood", {}, ("Scale 1-10?", f" {code}"), idx, metadata=("t", 0, 1))
        for idx, code in enumerate(["1", "2", "10"])
    ]
    backend = NextTokenChat(base_url="http://127.0.0.1:9/v1/chat/completions", model="m")  # nothing listens
    with pytest.raises(OpinionBenchError, match=r"the labels '1' and '10' begin alike in a question starting 'Scale"):
        backend.loglikelihood(requests, disable_tqdm=True)
    assert backend.stats["calls"] == 0


def test_the_same_prompt_in_two_tasks_is_two_questions_not_one_with_doubled_labels():
    from lm_eval.api.instance import Instance

    requests = [
        Instance("loglikelihood", {}, ("Agree?", f" {code}"), idx, metadata=(task, 0, 1))
        for task in ("wahl_o_mat_logprob", "wahl_o_mat_2025_logprob")
        for idx, code in enumerate(["1", "2", "3"])
    ]
    backend = NextTokenChat(base_url="http://127.0.0.1:9/v1/chat/completions", model="m", max_retries=0)
    with pytest.raises(OpinionBenchError, match="cannot be reached"):  # not "two options have the same label"
        backend.loglikelihood(requests, disable_tqdm=True)


def test_identical_loglikelihoods_stop_the_run_with_the_cause():
    doc = {"id": "pct-07"}
    with pytest.raises(OpinionBenchError, match=r"question 'pct-07': all 4 options .* every one is 0\.0"):
        require_distinct_loglikelihoods(doc, np.zeros(4))
    with pytest.raises(OpinionBenchError, match=r"every one is -2\.5, which no model gives"):
        require_distinct_loglikelihoods(doc, np.full(3, -2.5))
    require_distinct_loglikelihoods(doc, np.array([-1.0, -1.0, -1.5]))  # a tie is not all identical
    require_distinct_loglikelihoods(doc, np.zeros(1))  # one option: nothing to compare


def test_identical_sampled_repeats_stop_the_run_but_a_varied_question_does_not():
    fixed = [["(A)"] * 10, ["(B)"] * 9 + ["(C)"], ["(D)"] * 10]
    with pytest.raises(OpinionBenchError, match=r"each of the 3 questions got the same sampled answer .* same seed"):
        require_varied_samples(fixed)
    require_varied_samples([*fixed[:2], ["(A)"] * 8 + ["(B)", "(C)"]])  # one question really sampled
    require_varied_samples(fixed[:2])  # two questions are too few to tell
    require_varied_samples([["(A)"], ["(A)"], ["(A)"]])  # no repeats


def test_opinionbench_eval_indexes_only_the_project_tasks_when_it_can():
    from lm_eval.tasks import TaskManager

    from opinionbench.cli.eval import _only_project_tasks
    from opinionbench.cli.eval_arguments import requested_tasks as _requested_tasks
    from opinionbench.tasks import tasks_path

    assert _requested_tasks(["--model", "hf", "--tasks", "pct_logprob,mena_values", "--limit", "2"]) == [
        "pct_logprob",
        "mena_values",
    ]
    assert _requested_tasks(["-t", "pct", "eightvalues", "--log_samples"]) == ["pct", "eightvalues"]
    assert _requested_tasks(["--tasks=pct_*"]) == ["pct_*"]
    assert _requested_tasks(["ls", "tasks"]) is None
    path = tasks_path()
    project = TaskManager(include_path=path, include_defaults=False)
    assert _only_project_tasks(["pct_logprob", "mena_values", "wahl_o_mat_*"], project)
    assert not _only_project_tasks(["pct_logprob", "hellaswag"], project)
    assert not _only_project_tasks(["my_task.yaml"], project)
    assert not _only_project_tasks(None, project)
