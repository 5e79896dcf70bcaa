"""MENAValues native-language questions: the shipped translations, user files, Hub URLs, bad rows."""

import collections
import json
import re

import datasets
import pytest

from opinionbench.data_builders import mena_values
from opinionbench.data_builders.mena_values import translations as mena_translations
from opinionbench.errors import OpinionBenchError
from opinionbench.tasks.mena_values.prompts import PROMPT_LANGUAGES

ENGLISH_INSTRUCTION = "Provide a number only."


def _shipped_rows() -> list[dict]:
    lines = mena_translations.shipped_translations_file().read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _native(build, column: str) -> dict[str, dict]:
    [row] = [row for row in build.dataset["test"] if row["source_column"] == column]
    return {entry["language"]: entry for entry in row["native_questions"]}


def test_shipped_translations_cover_sixty_items_in_each_language(mena_build):
    rows = _shipped_rows()
    per_language = collections.Counter(row["language"] for row in rows)
    assert set(per_language) == {"ar", "fa", "tr"}
    assert min(per_language.values()) >= 60
    built = collections.Counter(
        (entry["language"], entry["origin"])
        for natives in mena_build.dataset["test"]["native_questions"]
        for entry in natives
    )
    assert built == {(language, "opinionbench"): n for language, n in per_language.items()}
    assert "OpinionBench's own translations" in mena_build.card
    listed = ", ".join(f"{language} {per_language[language]} (opinionbench)" for language in ("ar", "fa", "tr"))
    assert f"native-language questions: {listed}" in mena_build.summary


@pytest.mark.parametrize("row", _shipped_rows(), ids=lambda row: f"{row['item']}-{row['language']}")
def test_shipped_translation_keeps_codes_and_instruction(row):
    """Every answer code of the English text appears in the translation (ASCII digits), and the
    language's fixed instruction stands wherever the English asks for a number only."""
    assert collections.Counter(re.findall(r"[0-9]+", row["question"])) == collections.Counter(
        re.findall(r"[0-9]+", row["english"])
    )
    instruction = PROMPT_LANGUAGES[row["language"]].instruction
    assert row["question"].count(instruction) == row["english"].count(ENGLISH_INSTRUCTION)


def test_user_file_replaces_shipped_translations_item_by_item(mena_xlsx, mena_build, tmp_path):
    english_b = _shipped_english(mena_build, "B")
    user = tmp_path / "mine.csv"
    user.write_text(
        f'item,language,english,question\nB,ar,"{english_b}",سؤال العائلة\nKL,ar,,سؤال الأمن\n', encoding="utf-8"
    )
    build = mena_values.build(mena_xlsx, translations=user)
    assert _native(build, "B")["ar"] == {"language": "ar", "question": "سؤال العائلة", "origin": "file:mine.csv"}
    assert _native(build, "B")["fa"]["origin"] == "opinionbench"  # the other languages stay
    assert _native(build, "KL") == {"ar": {"language": "ar", "question": "سؤال الأمن", "origin": "file:mine.csv"}}
    assert "`file:mine.csv` | 2 |" in build.card


def _shipped_english(build, column: str) -> str:
    [row] = [row for row in build.dataset["test"] if row["source_column"] == column]
    return row["question"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{"item": "ZZZ9", "language": "ar", "question": "x"}], r"mine\.jsonl, line 1: item 'ZZZ9' is not an item"),
        (
            [{"item": "B", "language": "ar", "english": "Another question", "question": "x"}],
            r"mine\.jsonl, line 1: item B translates 'Another question'",
        ),
        ([{"item": "B", "language": "de", "question": "x"}], r"line 1: language 'de' is not one of ar, fa, tr"),
        ([{"item": "B", "language": "ar", "question": " "}], r"line 1: empty or missing question"),
        (
            [{"item": "B", "language": "ar", "question": "x"}, {"item": "B", "language": "ar", "question": "y"}],
            r"line 2: item B in ar is already translated at mine\.jsonl, line 1",
        ),
        (["not json"], r"mine\.jsonl, line 1 is not valid JSON"),
        ([["B", "ar", "x"]], r"mine\.jsonl, line 1 is not a JSON object"),
    ],
)
def test_bad_translation_rows_name_file_and_line(mena_xlsx, tmp_path, lines, message):
    user = tmp_path / "mine.jsonl"
    user.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines), encoding="utf-8")
    with pytest.raises(OpinionBenchError, match=message):
        mena_values.build(mena_xlsx, translations=user)


def test_csv_without_a_required_column_is_rejected(mena_xlsx, tmp_path):
    user = tmp_path / "mine.csv"
    user.write_text("item,lang,question\nB,ar,x\n", encoding="utf-8")
    with pytest.raises(OpinionBenchError, match=r"mine\.csv has no column language"):
        mena_values.build(mena_xlsx, translations=user)


def test_missing_translations_file_is_a_clear_error(mena_xlsx, tmp_path):
    with pytest.raises(OpinionBenchError, match=r"translations file .*absent\.jsonl does not exist"):
        mena_values.build(mena_xlsx, translations=tmp_path / "absent.jsonl")


def test_translations_from_a_hub_url_download_with_huggingface_hub(
    fake_hub, run_cli, isolated_env, tmp_path, mena_xlsx
):
    """The real ``huggingface_hub`` client fetches ``hf://datasets/...`` from a local stand-in Hub."""
    isolated_env.update(HF_ENDPOINT=fake_hub.url)
    del isolated_env["HF_HUB_OFFLINE"]
    row = {"item": "B", "language": "tr", "question": "Aile sorusu"}
    fake_hub.files["/datasets/org/native/resolve/abc123/prompts/tr.jsonl"] = json.dumps(row).encode()
    url = "hf://datasets/org/native@abc123/prompts/tr.jsonl"

    result = run_cli(
        "build",
        "mena_values",
        "--source-path",
        str(mena_xlsx),
        *("--translations", url),
        *("--out", str(tmp_path / "out")),
        env=isolated_env,
    )

    assert result.returncode == 0, result.stderr
    assert "GET /datasets/org/native/resolve/abc123/prompts/tr.jsonl" in fake_hub.requests
    build = datasets.load_dataset(str(tmp_path / "out"), split="test")
    [item_b] = [row for row in build if row["source_column"] == "B"]
    assert {"language": "tr", "question": "Aile sorusu", "origin": url} in item_b["native_questions"]


def test_unreachable_hub_translations_are_one_clear_error(fake_hub, run_cli, isolated_env, tmp_path, mena_xlsx):
    isolated_env.update(HF_ENDPOINT=fake_hub.url)
    del isolated_env["HF_HUB_OFFLINE"]
    url = "hf://datasets/org/none/x.jsonl"
    result = run_cli(
        "build",
        "mena_values",
        "--source-path",
        str(mena_xlsx),
        *("--translations", url),
        *("--out", str(tmp_path / "out")),
        env=isolated_env,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"downloading the translations {url} failed" in result.stderr
    assert not (tmp_path / "out").exists()


def test_translations_option_belongs_to_mena_values_only(run_cli, isolated_env, tmp_path):
    result = run_cli("build", "pct", "--translations", str(tmp_path / "x.jsonl"), env=isolated_env)
    assert result.returncode == 2 and "--translations belongs to mena_values only" in result.stderr
