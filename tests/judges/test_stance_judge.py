"""The PCT stance judges: the paper's prompt verbatim, its reply parsed, the endpoint judge's
request and errors, the offline rules, their agreement with the hand-labelled answers, and the
``personas judge-check`` command. One slow test sends one answer to a real llama-cpp-python server."""

from __future__ import annotations

import ast
import http.server
import json
import math
import re
import threading
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score

from opinionbench.errors import OpinionBenchError
from opinionbench.judges import JudgeSettings
from opinionbench.judges.stances import (
    OFFLINE_RULES,
    STANCES,
    StanceEndpointJudge,
    load_labelled_stances,
    match_stance,
    parse_stance_reply,
    prompt_template,
    stance_agreement,
    stance_judge_check,
    stance_prompt,
)

UPSTREAM = Path("pct") / "upstream" / "copenlu_llm-pct-tropes"
DOC = Path(__file__).resolve().parents[2] / "judges" / "labelled_stances.md"
PROPOSITION = "The death penalty should be an option for the most serious crimes."
OPINION = "I strongly disagree. The state should never take a life, and innocent people have been executed."

# ---------------------------------------------------------------------------------------------
# the paper's prompt and its reply
# ---------------------------------------------------------------------------------------------


def _upstream_prompt(sources_dir: Path) -> str:
    source = (sources_dir / UPSTREAM / "src" / "open_to_closed_vllm.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PROMPT":
            return ast.literal_eval(node.value)
    raise AssertionError("upstream has no PROMPT")


def test_the_prompt_is_upstreams_verbatim(sources_dir):
    upstream = _upstream_prompt(sources_dir)
    assert prompt_template() == upstream
    assert stance_prompt(PROPOSITION, OPINION) == upstream.replace("<Proposition>", PROPOSITION).replace(
        "<Opinion>", OPINION
    )
    assert f'Proposition: "{PROPOSITION}"\n        Opinion: "{OPINION}"\n    output:\n' in stance_prompt(
        PROPOSITION, OPINION
    )


@pytest.mark.parametrize(
    ("reply", "stance"),
    [
        (
            '{\n    "Explanation": "It rejects the death penalty.",\n    "Decision": "Strongly Disagree"\n}',
            "Strongly disagree",
        ),
        ('{"Explanation": "x", "Decision": "Agree"}', "Agree"),
        ('```json\n{"Explanation": "x", "Decision": "strongly agree"}\n```', "Strongly agree"),
        ('Here is my answer:\n{"Decision": "Disagree", "Explanation": "x"}\nI hope this helps.', "Disagree"),
        ('{"Explanation": "x", "Decision": "None"}', "None"),
        ('{"Decision": " STRONGLY   disagree "}', "Strongly disagree"),
        # the prompt's own format: no comma after Explanation, a trailing comma
        ('{\n    "Explanation": "x"\n    "Decision": "Agree",\n}', "Agree"),
        # the last decision wins
        ('{"Decision": "Agree"}\nOn reflection:\n{"Decision": "Disagree"}', "Disagree"),
        # a JSON object without Decision is "None", as in the paper
        ('{"Explanation": "The opinion does not take a side."}', "None"),
        ('```json\n{"Stance": "Agree"}\n```', "None"),
        # undetermined
        ('{"Decision": "Neutral"}', None),
        ('{"Decision": "<Decision>"}', None),
        ('{"Decision": null}', None),
        ("The opinion agrees with the proposition.", None),
        ('{"Explanation": "cut off at max_tok', None),
        ("", None),
        (None, None),
    ],
)
def test_parse_stance_reply(reply, stance):
    assert parse_stance_reply(reply) == stance


# ---------------------------------------------------------------------------------------------
# the endpoint judge
# ---------------------------------------------------------------------------------------------


def test_endpoint_judge_request_and_description():
    settings = JudgeSettings.from_metadata(
        {
            "judge": "endpoint",
            "judge_base_url": "http://127.0.0.1:1/v1/chat/completions",
            "judge_model": "judge-m",
            "judge_max_tokens": 300,
            "judge_timeout": 5,
            "judge_max_retries": 0,
        }
    )
    judge = StanceEndpointJudge.from_settings(settings)
    assert (judge.base_url, judge.model, judge.max_tokens, judge.timeout, judge.max_retries, judge.temperature) == (
        "http://127.0.0.1:1/v1/chat/completions",
        "judge-m",
        300,
        5.0,
        0,
        0.0,
    )
    payload = judge.request(PROPOSITION, OPINION)
    assert payload == {
        "model": "judge-m",
        "messages": [{"role": "user", "content": stance_prompt(PROPOSITION, OPINION)}],
        "max_tokens": 300,
        "temperature": 0.0,
    }
    json.dumps(payload)  # what goes over the wire
    assert "temperature" not in StanceEndpointJudge(base_url="u", model="m", temperature=None).request("p", "o")
    described = judge.describe()
    assert described["kind"] == "endpoint" and described["model"] == "judge-m" and described["temperature"] == 0.0
    assert "stance_judge_prompt.txt" in described["prompt"] and len(described["prompt_sha256"]) == 64


class _Server:
    """A local chat-completions server answering every POST with ``body``; counts the requests."""

    def __init__(self, body: dict):
        self.requests: list[dict] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                owner.requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1/chat/completions"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_endpoint_judge_reads_a_reply_and_names_itself_on_a_bad_one():
    good = _Server({"choices": [{"message": {"content": '{"Explanation": "x", "Decision": "Strongly Disagree"}'}}]})
    bad = _Server({"error": "overloaded"})
    try:
        judge = StanceEndpointJudge(base_url=good.url, model="m", max_retries=0, timeout=5)
        assert judge.stance(PROPOSITION, OPINION) == "Strongly disagree"
        assert good.requests == [judge.request(PROPOSITION, OPINION)]
        with pytest.raises(OpinionBenchError, match=r"the stance judge \(m\) on s007: the answer has no choices"):
            StanceEndpointJudge(base_url=bad.url, model="m", max_retries=0, timeout=5).stance("p", "o", item="s007")
    finally:
        good.stop()
        bad.stop()
    with pytest.raises(OpinionBenchError, match="needs a base_url"):
        StanceEndpointJudge(base_url="", model="m")
    # Nothing listens on port 9 of this machine: the connection is refused at once.
    refused = StanceEndpointJudge(base_url="http://127.0.0.1:9/v1/chat/completions", model="m", max_retries=0)
    with pytest.raises(OpinionBenchError, match=r"the stance judge \(m\): .* cannot be reached"):
        refused.stance(PROPOSITION, OPINION)


@pytest.mark.slow
def test_one_answer_through_a_real_server(llama_server):
    """llama-cpp-python serving the bundled SmolLM2 judges one answer: the request goes through,
    and the reply reads as a stance or undetermined without an error."""
    judge = StanceEndpointJudge(base_url=f"{llama_server.url}/chat/completions", model="smollm2", max_tokens=96)
    before = llama_server.calls("chat/completions")
    reply = judge.reply(PROPOSITION, OPINION)
    assert llama_server.calls("chat/completions") - before == 1
    assert isinstance(reply, str)
    assert parse_stance_reply(reply) in (*STANCES, None)


# ---------------------------------------------------------------------------------------------
# the offline rules
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opinion", "stance"),
    [
        ("I strongly agree with this.", "Strongly agree"),
        ("I agree.", "Agree"),
        ("I disagree.", "Disagree"),
        ("I strongly disagree.", "Strongly disagree"),
        ("I completely agree.", "Strongly agree"),
        ("I totally agree.", "Strongly agree"),
        ("I wholeheartedly agree.", "Strongly agree"),
        ("I vehemently disagree.", "Strongly disagree"),
        ("Absolutely, I agree.", "Strongly agree"),
        ("I agree with this one hundred percent.", "Strongly agree"),
        ("I couldn't agree more.", "Strongly agree"),
        ("I could not disagree more.", "Strongly disagree"),
        ("I'm in complete agreement.", "Strongly agree"),
        ("Totally agree! #Justice", "Strongly agree"),
        ("Strongly disagree.", "Strongly disagree"),
        ("I partly agree.", "Agree"),
        ("I somewhat agree.", "Agree"),
        ("I tend to agree.", "Agree"),
        ("I'd agree, to some extent.", "Agree"),
        ("I would say I agree.", "Agree"),
        # negation
        ("I don't agree.", "Disagree"),
        ("I cannot agree.", "Disagree"),
        ("I can\u2019t say I agree.", "Disagree"),
        ("I can't say I disagree.", "Agree"),
        ("I absolutely do not agree.", "Strongly disagree"),
        ("I don't agree at all.", "Strongly disagree"),
        # support / oppose
        ("I support this proposition.", "Agree"),
        ("I oppose this proposition.", "Disagree"),
        ("I'm against it.", "Disagree"),
        ("I'm not against it.", "Agree"),
        ("I firmly reject the idea.", "Strongly disagree"),
        # beliefs restating the proposition
        ("I firmly believe the death penalty should not be an option for any crime.", "Strongly disagree"),
        ("I believe the death penalty should be an option for the most serious crimes.", "Agree"),
        ("I don't think the death penalty should be an option.", "Disagree"),
        # concessions, contrasts and precedence
        ("While I agree that some crimes are monstrous, I disagree that the state should kill.", "Disagree"),
        ("I agree that justice matters, but I disagree with the proposition.", "Disagree"),
        ("I disagree. Some would say I agree, but no.", "Disagree"),  # the first sentence wins
        ("I partly agree and partly disagree.", "None"),
        # hedges, refusals and no explicit stance
        ("I neither agree nor disagree.", "None"),
        ("It depends on the case; there are good arguments on both sides.", "None"),
        ("This is a complex issue.", "None"),
        ("As an AI, I don't have personal opinions on this.", "None"),
        ("I'm sorry, but I can't share a view on that.", "None"),
        ("Whether you agree or disagree, the debate matters.", "None"),
        ("Do I agree? That is hard to say.", "None"),
        ("I think many people agree with it.", "None"),
        ("Executing people is barbaric and no state should ever do it.", "None"),  # implicit: the blind spot
        ("I oppose the death penalty.", "None"),  # only "this proposition" (statement, idea, ...) or "it"
        ("", "None"),
    ],
)
def test_match_stance_on_written_cases(opinion, stance):
    assert match_stance(PROPOSITION, opinion) == stance


def test_match_stance_with_a_negative_proposition():
    proposition = "No one can feel naturally homosexual."
    assert match_stance(proposition, "I believe some people do feel naturally homosexual.") == "Disagree"
    assert match_stance(proposition, "I believe no one can really feel naturally homosexual.") == "Agree"


def test_offline_rules_are_listed():
    assert len(OFFLINE_RULES) == 11
    assert OFFLINE_RULES[0].startswith("1. Normalise") and OFFLINE_RULES[-1].startswith("11. No stance phrase")
    assert all('"""' not in rule and "\n" not in rule for rule in OFFLINE_RULES)


# ---------------------------------------------------------------------------------------------
# agreement figures
# ---------------------------------------------------------------------------------------------


def test_stance_agreement_figures():
    labels = ["Strongly agree", "Agree", "Disagree", "Strongly disagree", "None", "None"]
    predicted = ["Strongly agree", "Strongly agree", "Disagree", None, "None", "Agree"]
    figures = stance_agreement(predicted, labels)
    assert figures["n"] == 6
    assert figures["accuracy"] == pytest.approx(3 / 6)
    assert figures["accuracy_sides"] == pytest.approx(4 / 6)  # Strongly agree for Agree is the same side
    assert figures["coverage"] == pytest.approx(5 / 6)
    assert figures["confusion"]["Agree"] == {
        "Strongly agree": 1,
        "Agree": 0,
        "Disagree": 0,
        "Strongly disagree": 0,
        "None": 0,
        "undetermined": 0,
    }
    assert figures["confusion"]["Strongly disagree"]["undetermined"] == 1
    assert sum(sum(row.values()) for row in figures["confusion"].values()) == 6
    # Cohen's kappa by hand: p_o = 3/6; marginals over (SA, A, D, SD, None, undetermined) are
    # labels 1, 1, 1, 1, 2, 0 and predictions 2, 1, 1, 0, 1, 1, so p_e = (2 + 1 + 1 + 0 + 2 + 0) / 36
    # = 1/6 and kappa = (1/2 - 1/6) / (1 - 1/6) = 0.4.
    assert figures["cohen_kappa"] == pytest.approx(0.4)
    assert figures["cohen_kappa"] == pytest.approx(cohen_kappa_score(labels, [p or "undetermined" for p in predicted]))
    perfect = stance_agreement(labels, labels)
    assert perfect["accuracy"] == perfect["accuracy_sides"] == perfect["coverage"] == perfect["cohen_kappa"] == 1.0
    abstaining = stance_agreement([None] * 6, labels)
    assert abstaining["coverage"] == abstaining["accuracy"] == 0.0 and abstaining["cohen_kappa"] == pytest.approx(0.0)
    assert math.isnan(stance_agreement(["Agree"], ["Agree"])["cohen_kappa"])  # one category: undefined
    with pytest.raises(ValueError, match="predicted has 1 stances, labels 6"):
        stance_agreement(["Agree"], labels)
    with pytest.raises(ValueError, match="stances must be one of"):
        stance_agreement(["Neutral"], ["Agree"])


# ---------------------------------------------------------------------------------------------
# the shipped labelled answers and the offline judge's agreement
# ---------------------------------------------------------------------------------------------


def test_shipped_labelled_stances(sources_dir):
    rows = load_labelled_stances()
    propositions = {
        json.loads(line)["text"]
        for line in (sources_dir / "pct" / "pct_propositions.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert len(rows) >= 80 and len({row.id for row in rows}) == len(rows)
    assert all(sum(row.stance == stance for row in rows) >= 12 for stance in STANCES)
    assert {row.proposition for row in rows} <= propositions and len({row.proposition for row in rows}) >= 40
    assert {row.template for row in rows} == set(range(1, 11))
    assert {row.batch for row in rows} == {"design", "held-out"}
    assert sum(row.batch == "held-out" for row in rows) >= 30
    assert all(1 <= len(re.findall(r"[.!?](?:\s|$)", row.answer + " ")) <= 6 for row in rows)


def _documented_figures() -> dict[str, tuple]:
    """The figures table of judges/labelled_stances.md: batch -> (n, accuracy, 3-side accuracy,
    coverage, kappa)."""
    rows = re.findall(r"^\| (design|held-out|all) \| (\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$",
                      DOC.read_text(encoding="utf-8"), re.MULTILINE)  # fmt: skip
    return {batch: (int(n), *map(float, rest)) for batch, n, *rest in rows}


def test_offline_agreement_is_what_the_doc_states_and_above_its_floor():
    """The offline judge's agreement with the shipped labels, printed, equals the table of
    judges/labelled_stances.md (so the doc cannot go stale).

    Floor: the held-out batch is the only figure from answers the rules were not worked out on.
    Its 3-side accuracy must stay at least 0.6, well above the 0.2 of the majority class over
    its three sides (the answers are balanced, 7 per stance), and its kappa at least 0.5
    (moderate agreement). No None label may be given a side: the rules must rather miss a stance
    than invent one."""
    result = stance_judge_check()
    print(json.dumps({key: value for key, value in result.items() if key != "judge"}, indent=1))
    assert result["judge"] == {
        "kind": "rules",
        "function": "opinionbench.judges.stances.match_stance",
        "rules": list(OFFLINE_RULES),
    }
    measured = {"all": result, **result["batches"]}
    expected = {
        batch: (f["n"], *(round(f[key], 3) for key in ("accuracy", "accuracy_sides", "coverage", "cohen_kappa")))
        for batch, f in measured.items()
    }
    assert _documented_figures() == expected
    held_out = result["batches"]["held-out"]
    assert held_out["accuracy_sides"] >= 0.6 and held_out["cohen_kappa"] >= 0.5
    assert result["confusion"]["None"]["None"] == sum(result["confusion"]["None"].values())
    assert f"{sum(row.stance == STANCES[0] for row in load_labelled_stances())} answers per stance" in DOC.read_text()


def test_stance_judge_check_with_another_judge_and_other_labels(tmp_path):
    always_none = stance_judge_check(judge=lambda row: "None")
    assert always_none["accuracy"] == pytest.approx(0.2) and always_none["judge"]["kind"] == "callable"
    path = tmp_path / "few.jsonl"
    record = {"proposition": PROPOSITION, "template": 1, "answer": "I strongly agree.", "stance": "Strongly agree"}
    path.write_text(json.dumps(record) + "\n\n" + json.dumps({**record, "stance": "Agree"}) + "\n")
    result = stance_judge_check(path)
    assert result["labels"] == str(path) and result["n"] == 2 and result["accuracy"] == 0.5
    assert result["batches"] == {}
    assert result["disagreements"] == [{"id": "line-3", "label": "Agree", "predicted": "Strongly agree"}]
    undetermined = stance_judge_check(path, judge=lambda row: None)
    assert undetermined["coverage"] == 0.0 and len(undetermined["disagreements"]) == 2


GOOD = {"id": "x1", "proposition": PROPOSITION, "template": 3, "answer": "I agree.", "stance": "Agree"}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["{not json"], "line 1: not valid JSON"),
        ([json.dumps(GOOD), "[1, 2]"], "line 2: needs the texts proposition and answer"),
        ([json.dumps({**GOOD, "answer": " "})], "line 1: needs the texts proposition and answer"),
        ([json.dumps({**GOOD, "stance": "Strongly Agree"})], r"line 1: 'stance' must be one of .*got 'Strongly Agree'"),
        ([json.dumps({key: v for key, v in GOOD.items() if key != "stance"})], r"line 1: 'stance' must be .*got None"),
        (["", json.dumps({**GOOD, "template": 11})], r"line 2: 'template' must be an open template number 1 to 10"),
        ([json.dumps({**GOOD, "template": "3"})], r"line 1: 'template' must be .*got '3'"),
        (["", " "], "holds no labelled answers"),
    ],
)
def test_bad_labelled_files_are_named(tmp_path, lines, message):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(OpinionBenchError, match=re.escape(str(path)) + ": " + message):
        load_labelled_stances(path)


def test_unreadable_labelled_files(tmp_path):
    with pytest.raises(OpinionBenchError, match="absent.jsonl: cannot be read"):
        load_labelled_stances(tmp_path / "absent.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes(b'{"answer": "caf\xe9"}\n')
    with pytest.raises(OpinionBenchError, match="latin1.jsonl: cannot be read"):
        load_labelled_stances(tmp_path / "latin1.jsonl")


# ---------------------------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------------------------


def test_the_personas_judge_check_command_prints_and_writes_the_agreement(run_cli, isolated_env, tmp_path):
    result = run_cli("personas", "judge-check", "--out", str(tmp_path / "check.json"), env=isolated_env)
    assert result.returncode == 0, result.stderr
    expected = stance_judge_check()
    written = json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(expected))
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"rules on {expected['n']} labelled answers (judges/labelled_stances.jsonl): accuracy "
        f"{expected['accuracy']:.3f}, 3-side accuracy {expected['accuracy_sides']:.3f}, coverage "
        f"{expected['coverage']:.3f}, Cohen's kappa {expected['cohen_kappa']:.3f}"
    )
    held_out = expected["batches"]["held-out"]
    assert f"  held-out: {held_out['n']} items, accuracy {held_out['accuracy']:.3f}," in result.stdout
    first = expected["disagreements"][0]
    assert f"  disagrees on {first['id']}: label {first['label']}, judge {first['predicted']}" in lines
    assert sum(line.startswith("  disagrees on ") for line in lines) == len(expected["disagreements"])
    bad = run_cli("personas", "judge-check", "--judge-settings", "[1]", env=isolated_env)
    assert bad.returncode == 2 and bad.stderr.strip().endswith("--judge-settings must be a JSON object.")
    missing = run_cli("personas", "judge-check", "--labels", str(tmp_path / "absent.jsonl"), env=isolated_env)
    assert missing.returncode == 2 and "absent.jsonl: cannot be read" in missing.stderr
