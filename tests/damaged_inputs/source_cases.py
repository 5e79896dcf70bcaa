"""Damaged source files read by ``opinionbench build``: each case copies a real source (from
``$OPINIONBENCH_SOURCES``; GlobalOpinionQA from its upstream-format fixture) and damages one file."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from damaged_inputs.damaged_input import DamagedInput

GLOBAL_OPINIONS_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "global_opinions" / "global_opinions.csv"
MAIN_FILES = {
    "mena_values": "MenaValues Benchmark.xlsx",
    "global_opinions": "global_opinions.csv",
    "pct": "pct_propositions.jsonl",
    "eightvalues": "questions.jsonl",
    "sapplyvalues": "questions.jsonl",
    "wahl_o_mat": "upstream/election.json",
    "worldview_bench": "questions.jsonl",
}
MENA = MAIN_FILES["mena_values"]
MENA_SHEET = "xl/worksheets/sheet1.xml"
WAHL_2025 = "upstream/data/2025/deutschland"
WORLDVIEW_CSV = "upstream/WorldView-Bench Dataset.csv"
ROTTGER_CSV = "upstream/rottger_llm-values-pct/pct_propositions.csv"
OVER_FIELD_LIMIT = "x" * 200_000  # csv.field_size_limit() is 131072
GARBAGE = bytes(range(256)) * 16
Damage = Callable[[Path], None]  # damages the copied source folder


def _copy_source(source: str, folder: Path) -> Path:
    """A writable copy of the source's folder in ``folder``."""
    target = folder / source
    if source == "global_opinions":
        target.mkdir()
        shutil.copyfile(GLOBAL_OPINIONS_FIXTURE, target / MAIN_FILES[source])
        return target
    shutil.copytree(Path(os.environ["OPINIONBENCH_SOURCES"]).resolve() / source, target, copy_function=shutil.copyfile)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def _case(
    source: str,
    what: str,
    damage: Damage,
    message: str,
    *,
    rejected: bool = False,
    main: str | None = None,
    extra: tuple[str, ...] = (),
) -> DamagedInput:
    """Build ``source`` from its damaged copy: ``--source-path`` is ``main`` (default: the source's
    main file) in the copy; ``extra`` arguments follow."""

    def make(folder: Path) -> None:
        damage(_copy_source(source, folder))

    path = f"{{input}}/{source}/{main or MAIN_FILES[source]}"
    return DamagedInput(
        name=f"{source}-{what}",
        command=("build", source, "--source-path", path, "--out", "{out}", *extra),
        make=make,
        message=message,
        status=0 if rejected else 2,
        rejected=rejected,
    )


def _translations(name: str) -> tuple[str, ...]:
    """The arguments that read the translations file ``name`` of the MENAValues copy."""
    return ("--translations", f"{{input}}/mena_values/{name}")


# ---- damages -----------------------------------------------------------------------------------


def _write(relative: str, data: bytes) -> Damage:
    return lambda root: (root / relative).write_bytes(data)


def _edit_text(relative: str, edit: Callable[[str], str]) -> Damage:
    def damage(root: Path) -> None:
        path = root / relative
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")

    return damage


def _edit_lines(relative: str, edit: Callable[[list[str]], None]) -> Damage:
    """``edit`` changes the list of the file's lines in place."""

    def change(text: str) -> str:
        lines = text.splitlines()
        edit(lines)
        return "\n".join(lines) + "\n"

    return _edit_text(relative, change)


def _edit_json(relative: str, edit: Callable[[object], object]) -> Damage:
    """``edit`` changes the JSON document in place (its return value is ignored)."""

    def change(text: str) -> str:
        document = json.loads(text)
        edit(document)
        return json.dumps(document, ensure_ascii=False)

    return _edit_text(relative, change)


def _edit_json_line(relative: str, number: int, edit: Callable[[dict], None]) -> Damage:
    """``edit`` changes the JSON object on line ``number`` (1-based) in place."""

    def change(lines: list[str]) -> None:
        record = json.loads(lines[number - 1])
        edit(record)
        lines[number - 1] = json.dumps(record, ensure_ascii=False)

    return _edit_lines(relative, change)


def _insert_line(relative: str, number: int, line: str | bytes) -> Damage:
    """``line`` inserted so that it becomes line ``number`` of the file."""

    def damage(root: Path) -> None:
        path = root / relative
        lines = path.read_bytes().split(b"\n")
        lines.insert(number - 1, line if isinstance(line, bytes) else line.encode())
        path.write_bytes(b"\n".join(lines))

    return damage


def _into_folder(relative: str) -> Damage:
    def damage(root: Path) -> None:
        (root / relative).unlink()
        (root / relative).mkdir()

    return damage


def _remove(relative: str) -> Damage:
    return lambda root: (root / relative).unlink()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _edit_sheet(edit: Callable[[object], None]) -> Damage:
    """``edit`` changes the MENAValues worksheet (openpyxl) in place."""

    def damage(root: Path) -> None:
        import openpyxl

        workbook = openpyxl.load_workbook(root / MENA)
        edit(workbook.worksheets[0])
        workbook.save(root / MENA)

    return damage


def _set_cells(**cells: object) -> Damage:
    def edit(sheet) -> None:
        for cell, value in cells.items():
            sheet[cell] = value

    return _edit_sheet(edit)


def _every_max(value: int) -> Damage:
    def edit(sheet) -> None:
        for column in range(2, sheet.max_column + 1):
            sheet.cell(row=4, column=column, value=value)

    return _edit_sheet(edit)


def _edit_zip_member(relative: str, member: str, edit: Callable[[bytes], bytes]) -> Damage:
    """The zip archive ``relative`` rewritten with ``member``'s bytes changed by ``edit``."""

    def damage(root: Path) -> None:
        path = root / relative
        with zipfile.ZipFile(path) as archive:
            contents = [(info, archive.read(info)) for info in archive.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in contents:
                archive.writestr(info, edit(data) if info.filename == member else data)

    return damage


def _not_a_workbook(root: Path) -> None:
    with zipfile.ZipFile(root / MENA, "w") as archive:
        archive.writestr("notes.txt", "a zip archive, but not a workbook")


def _global_opinions_rows(edit: Callable[[list[dict]], None]) -> Damage:
    """The fixture's data rows (dicts), changed by ``edit`` in place, written back as CSV."""

    def change(text: str) -> str:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        edit(rows)
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=["question", "selections", "options", "source"])
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    return _edit_text(MAIN_FILES["global_opinions"], change)


def _every_row(column: str, value: str) -> Damage:
    return _global_opinions_rows(lambda rows: [row.update({column: value}) for row in rows])


def _first_row(column: str, value: str) -> Damage:
    return _global_opinions_rows(lambda rows: rows[0].update({column: value}))


def _replace(relative: str, old: str, new: str) -> Damage:
    def change(text: str) -> str:
        assert old in text, f"{relative} does not contain {old!r}"
        return text.replace(old, new, 1)

    return _edit_text(relative, change)


def _answer_scale(relative: str, size: int) -> Damage:
    def edit(document: dict) -> None:
        scale = document["answer_scale"]
        document["answer_scale"] = scale[:size] + [
            {**scale[-1], "label": f"Extra {n}"} for n in range(size - len(scale))
        ]

    return _edit_json(relative, edit)


def _truncate_last_line(relative: str) -> Damage:
    return _edit_lines(relative, lambda lines: lines.__setitem__(-1, lines[-1][: len(lines[-1]) // 2]))


def _set_element(relative: str, index: int, **values: object) -> Damage:
    return _edit_json(relative, lambda document: document[index].update(values))


# ---- cases -------------------------------------------------------------------------------------

BELGIUM = "'Belgium': [0.21, 0.07, 0.69, 0.03]"

CASES: list[DamagedInput] = [
    # MENAValues: one workbook; a bad item (column) or cell is rejected, a bad layout is an error.
    _case(
        "mena_values",
        "max-10e12",
        _set_cells(B4=10**12),
        r"column B \(item 1\): invalid scale \(Min 1 to MAX 1000000000000 is more than 500 codes\)",
        rejected=True,
    ),
    _case(
        "mena_values",
        "max-1e400",
        _edit_zip_member(MENA, MENA_SHEET, lambda xml: xml.replace(b'<c r="B4"><v>4</v>', b'<c r="B4"><v>1e400</v>')),
        r"column B \(item 1\): invalid scale \(MAX is inf, not a whole number\)",
        rejected=True,
    ),
    _case("mena_values", "every-max-10e12", _every_max(10**12), r"no usable question.*more than 500 codes"),
    _case(
        "mena_values",
        "min-not-a-number",
        _set_cells(B3="one"),
        r"column B \(item 1\): invalid scale \(Min is 'one', not a whole number\)",
        rejected=True,
    ),
    _case(
        "mena_values",
        "sheet-xml-truncated",
        _edit_zip_member(MENA, MENA_SHEET, lambda xml: xml[: len(xml) // 2]),
        r"MenaValues Benchmark\.xlsx: not a readable \.xlsx workbook \(ParseError",
    ),
    _case(
        "mena_values",
        "workbook-xml-garbage",
        _edit_zip_member(MENA, "xl/workbook.xml", lambda xml: b"\x00" + xml),
        r"MenaValues Benchmark\.xlsx: not a readable \.xlsx workbook",
    ),
    _case(
        "mena_values",
        "country-twice",
        _set_cells(A10="Egypt"),
        r"cell A10: the row label 'Egypt' is also in cell A9",
    ),
    _case(
        "mena_values",
        "attribute-row-twice",
        _set_cells(A24="MAX"),
        r"cell A24: the row label 'MAX' is also in cell A4",
    ),
    _case("mena_values", "attribute-row-missing", _set_cells(A5="Scales"), r"no row labelled 'Scale' in column A"),
    _case("mena_values", "empty-file", _write(MENA, b""), r"not a readable \.xlsx workbook"),
    _case("mena_values", "binary-garbage", _write(MENA, GARBAGE), r"not a readable \.xlsx workbook"),
    _case("mena_values", "zip-not-a-workbook", _not_a_workbook, r"not a readable \.xlsx workbook"),
    _case("mena_values", "source-is-a-folder", _into_folder(MENA), r"MenaValues Benchmark\.xlsx is a folder"),
    _case(
        "mena_values",
        "malformed-cell",
        _set_cells(B9="garbage"),
        r"cell B9 \(item 1, Egypt\): malformed cell",
        rejected=True,
    ),
    _case(
        "mena_values",
        "code-twice-in-a-cell",
        _set_cells(B9="(1.0, {'1': '50.00%', '1': '50.00%'})"),
        r"cell B9 \(item 1, Egypt\): malformed distribution \(the key '1' occurs twice\)",
        rejected=True,
    ),
    _case(
        "mena_values",
        "cell-nested-deep",
        _set_cells(B9="(1.0, {'1': " + _nested(5000) + "})"),
        r"cell B9 \(item 1, Egypt\): malformed distribution",
        rejected=True,
    ),
    _case(
        "mena_values",
        "shares-over-100",
        _set_cells(B9="(1.0, {'1': '60.00%', '2': '60.00%'})"),
        r"cell B9 \(item 1, Egypt\): shares do not sum to 1",
        rejected=True,
    ),
    _case(
        "mena_values",
        "code-outside-the-scale",
        _set_cells(B9="(1.0, {'9': '100.00%'})"),
        r"cell B9 \(item 1, Egypt\): answer code outside the scale",
        rejected=True,
    ),
    _case(
        "mena_values",
        "translations-field-over-the-csv-limit",
        _write("mine.csv", f'item,language,question\nB,ar,x\nC,ar,"{OVER_FIELD_LIMIT}"\n'.encode()),
        r"mine\.csv: line 3: not valid CSV \(field larger than field limit",
        extra=_translations("mine.csv"),
    ),
    _case(
        "mena_values",
        "translations-nested-deep",
        _write("mine.jsonl", ('{"item": "B", "language": "ar", "question": ' + _nested(100_000) + "}").encode()),
        r"mine\.jsonl, line 1 is not valid JSON \(JSON nested deeper than 64 levels\)",
        extra=_translations("mine.jsonl"),
    ),
    _case(
        "mena_values",
        "translations-two-bad-rows",
        _write("mine.csv", b"item,language,question\nB,de,x\nC,ar,\n"),
        r"2 bad row\(s\) in .*mine\.csv: mine\.csv, line 2: language 'de'.*; mine\.csv, line 3: empty or missing",
        extra=_translations("mine.csv"),
    ),
    # GlobalOpinionQA: one CSV; a bad row or group is rejected, a file that is not the CSV is an error.
    _case(
        "global_opinions",
        "header-only",
        _edit_lines("global_opinions.csv", lambda lines: lines.__delitem__(slice(1, None))),
        r"global_opinions\.csv: no data rows after the header",
    ),
    _case("global_opinions", "empty-file", _write("global_opinions.csv", b""), r"lacks the column\(s\)"),
    _case(
        "global_opinions",
        "binary-garbage",
        _write("global_opinions.csv", GARBAGE),
        r"global_opinions\.csv: line 2: not UTF-8 text \(byte 128\)",
    ),
    _case(
        "global_opinions",
        "source-is-a-folder",
        _into_folder("global_opinions.csv"),
        r"global_opinions\.csv is a folder",
    ),
    _case(
        "global_opinions",
        "country-twice-in-selections",
        _replace("global_opinions.csv", "'France': [0.35,", "'Belgium': [0.35,"),
        r"row 1: malformed selections \(the key 'Belgium' occurs twice\)",
        rejected=True,
    ),
    _case(
        "global_opinions",
        "field-over-the-csv-limit",
        _insert_line("global_opinions.csv", 5, f'"{OVER_FIELD_LIMIT}",{{}},[],GAS'),
        r"global_opinions\.csv: line 5: not valid CSV \(field larger than field limit",
    ),
    _case(
        "global_opinions",
        "invalid-utf8",
        _insert_line("global_opinions.csv", 5, b'"Caf\xe9?",{},[],GAS'),
        r"global_opinions\.csv: line 5: not UTF-8 text",
    ),
    _case(
        "global_opinions",
        "share-not-a-number",
        _replace("global_opinions.csv", BELGIUM, "'Belgium': ['x', 0.07, 0.69, 0.03]"),
        r"row 1, group 'Belgium': share is not a number",
        rejected=True,
    ),
    _case(
        "global_opinions",
        "share-infinite",
        _replace("global_opinions.csv", BELGIUM, "'Belgium': [1e400, 0.07, 0.69, 0.03]"),
        r"row 1, group 'Belgium': share is not finite",
        rejected=True,
    ),
    _case(
        "global_opinions",
        "shares-not-summing-to-1",
        _replace("global_opinions.csv", BELGIUM, "'Belgium': [0.5, 0.07, 0.69, 0.03]"),
        r"row 1, group 'Belgium': shares do not sum to 1",
        rejected=True,
    ),
    _case(
        "global_opinions",
        "options-over-the-limit",
        _first_row("options", repr([f"option {n}" for n in range(600)])),
        r"row 1: malformed options .* is not a list of 2 to 500 options",
        rejected=True,
    ),
    _case(
        "global_opinions",
        "selections-nested-deep",
        _first_row("selections", "{'Belgium': " + _nested(5000) + "}"),
        r"row 1: malformed selections",
        rejected=True,
    ),
    _case(
        "global_opinions",
        "row-with-too-few-fields",
        _edit_lines("global_opinions.csv", lambda lines: lines.append("Question?,{}")),
        r"row 21: wrong number of fields",
        rejected=True,
    ),
    _case(
        "global_opinions",
        "every-row-rejected",
        _every_row("options", "not a list"),
        r"global_opinions\.csv: no usable question, nothing was built \(20 rejected; the first: .*row 1: malformed",
    ),
    # Political Compass Test: every proposition is needed, so any bad file is an error.
    _case(
        "pct",
        "truncated-json-line",
        _truncate_last_line("pct_propositions.jsonl"),
        r"pct_propositions\.jsonl: line 62: not valid JSON",
    ),
    _case("pct", "empty-file", _write("pct_propositions.jsonl", b""), r"pct_propositions\.jsonl: the file has no"),
    _case(
        "pct",
        "integer-of-5000-digits",
        _replace("pct_propositions.jsonl", '"number": 1,', '"number": ' + "1" * 5000 + ","),
        r"pct_propositions\.jsonl: line 1: not valid JSON \(Exceeds the limit \(4300 digits\)",
    ),
    _case(
        "pct",
        "number-twice",
        _edit_json_line("pct_propositions.jsonl", 2, lambda record: record.update(number=1, index=0)),
        r"pct_propositions\.jsonl: line 2: out of order",
    ),
    _case(
        "pct",
        "scoring-not-an-object",
        _write("pct_scoring.json", b"[]"),
        r"pct_scoring\.json: malformed record \(expected an object, found an array\)",
    ),
    _case(
        "pct",
        "scoring-five-answers",
        _answer_scale("pct_scoring.json", 5),
        r"pct_scoring\.json: answer_scale has 5 answers, expected the instrument's 4",
    ),
    _case(
        "pct",
        "scoring-nan-offset",
        _edit_json("pct_scoring.json", lambda document: document.update(econ_offset=float("nan"))),
        r"pct_scoring\.json: wrong type \('econ_offset' is NaN, expected a finite number\)",
    ),
    _case(
        "pct",
        "scoring-nested-100000-deep",
        _replace("pct_scoring.json", '"instrument":', f'"deep": {_nested(100_000)}, "instrument":'),
        r"pct_scoring\.json: not valid JSON \(JSON nested deeper than 64 levels\)",
    ),
    _case(
        "pct",
        "scoring-nested-over-the-limit",
        _replace("pct_scoring.json", '"instrument":', f'"deep": {_nested(70)}, "instrument":'),
        r"pct_scoring\.json: not valid JSON \(JSON nested deeper than 64 levels\)",
    ),
    _case("pct", "scoring-missing", _remove("pct_scoring.json"), r"the companion file 'pct_scoring\.json'"),
    _case(
        "pct",
        "weights-row-too-short",
        _edit_json("pct_scoring.json", lambda document: document["econ_weights"].__setitem__(0, [7, 5, 0])),
        r"pct_scoring\.json: econ_weights row 0 \(proposition #1\): malformed weights",
    ),
    _case(
        "pct",
        "upstream-csv-column-missing",
        _replace(ROTTGER_CSV, "pct_prompt", "prompt"),
        r"pct_propositions\.csv: the header .* lacks the column\(s\) \['pct_prompt'\]",
    ),
    _case(
        "pct",
        "upstream-csv-field-over-the-limit",
        _insert_line(ROTTGER_CSV, 3, f'pc-x,"{OVER_FIELD_LIMIT}",x'),
        r"pct_propositions\.csv: line 3: not valid CSV \(field larger than field limit",
    ),
    # 8values
    _case(
        "eightvalues",
        "scoring-four-answers",
        _answer_scale("scoring.json", 4),
        r"scoring\.json: answer_scale has 4 answers, expected the instrument's 5",
    ),
    _case(
        "eightvalues",
        "scoring-six-answers",
        _answer_scale("scoring.json", 6),
        r"scoring\.json: answer_scale has 6 answers, expected the instrument's 5",
    ),
    _case(
        "eightvalues",
        "scoring-maxima-missing",
        _edit_json("scoring.json", lambda document: document.pop("max_abs_sum_per_axis")),
        r"scoring\.json: missing field \(no 'max_abs_sum_per_axis'\)",
    ),
    _case(
        "eightvalues",
        "ideologies-truncated-json-line",
        _truncate_last_line("ideologies.jsonl"),
        r"ideologies\.jsonl: line 52: not valid JSON",
    ),
    _case(
        "eightvalues",
        "ideology-score-out-of-range",
        _edit_json_line("ideologies.jsonl", 1, lambda record: record["stats"].update(econ=101)),
        r"ideologies\.jsonl: line 1: score out of range",
    ),
    _case(
        "eightvalues", "ideologies-empty", _write("ideologies.jsonl", b"\n\n"), r"ideologies\.jsonl: the file has no"
    ),
    _case(
        "eightvalues",
        "ideologies-a-folder",
        _into_folder("ideologies.jsonl"),
        r"the companion file 'ideologies\.jsonl'",
    ),
    _case(
        "eightvalues",
        "effect-nan",
        _replace("questions.jsonl", '"econ": 10,', '"econ": NaN,'),
        r"questions\.jsonl: line 1: wrong type \('econ' is NaN, expected an integer\)",
    ),
    _case(
        "eightvalues",
        "question-line-not-an-object",
        _edit_lines("questions.jsonl", lambda lines: lines.__setitem__(0, "[1, 2]")),
        r"questions\.jsonl: line 1: malformed record \(expected an object, found an array\)",
    ),
    _case(
        "eightvalues",
        "ideology-name-twice",
        _edit_json_line("ideologies.jsonl", 2, lambda record: record.update(name="Anarcho-Communism")),
        r"ideologies\.jsonl: line 2: duplicate name \(name 'Anarcho-Communism' is also at line 1\)",
    ),
    _case(
        "eightvalues",
        "ideologies-given-as-the-questions",
        lambda root: None,
        r"ideologies\.jsonl: line 1: missing field \(no 'effect'\)",
        main="ideologies.jsonl",
    ),
    # SapplyValues
    _case(
        "sapplyvalues",
        "scoring-four-answers",
        _answer_scale("scoring.json", 4),
        r"scoring\.json: answer_scale has 4 answers, expected the instrument's 5",
    ),
    _case(
        "sapplyvalues",
        "scoring-six-answers",
        _answer_scale("scoring.json", 6),
        r"scoring\.json: answer_scale has 6 answers, expected the instrument's 5",
    ),
    _case(
        "sapplyvalues",
        "scoring-labels-twice",
        _edit_json("scoring.json", lambda document: document["answer_scale"][1].update(label="Strongly Agree")),
        r"scoring\.json: answer_scale .* is not a list of at least two distinct answers",
    ),
    _case(
        "sapplyvalues",
        "scoring-binary-garbage",
        _write("scoring.json", GARBAGE),
        r"scoring\.json: line 2: not UTF-8 text \(byte 128\)",
    ),
    _case(
        "sapplyvalues",
        "effect-on-two-axes",
        _edit_json_line("questions.jsonl", 1, lambda record: record["effects"].update(auth=1)),
        r"questions\.jsonl: line 1: malformed effects",
    ),
    _case(
        "sapplyvalues",
        "id-twice",
        _edit_json_line("questions.jsonl", 2, lambda record: record.update(id=0)),
        r"questions\.jsonl: line 2: out of order \('id' is 0, expected 1",
    ),
    # Wahl-O-Mat
    _case(
        "wahl_o_mat",
        "election-index-not-an-array",
        _write("upstream/election.json", b"{}"),
        r"election\.json: expected a JSON array, found an object",
    ),
    _case(
        "wahl_o_mat",
        "no-bundestag-election",
        _edit_json("upstream/election.json", lambda document: [entry.update(name="Europawahl") for entry in document]),
        r"election\.json: no entry is named 'Bundestagswahl'",
    ),
    _case(
        "wahl_o_mat",
        "election-path-outside",
        _set_element("upstream/election.json", 0, path="../../outside"),
        r"election\.json: element 0: malformed path",
    ),
    _case(
        "wahl_o_mat",
        "unknown-party-id",
        _set_element(f"{WAHL_2025}/opinion.json", 0, party=999),
        r"data/2025/deutschland/opinion\.json: element 0: unknown party id \(party 999",
    ),
    _case(
        "wahl_o_mat",
        "statement-id-twice",
        _set_element(f"{WAHL_2025}/statement.json", 1, id=0),
        r"data/2025/deutschland/statement\.json: element 1: duplicate id",
    ),
    _case(
        "wahl_o_mat",
        "unknown-answer",
        _set_element(f"{WAHL_2025}/answer.json", 0, message="Vielleicht"),
        r"data/2025/deutschland/answer\.json: element 0: unknown answer",
    ),
    _case(
        "wahl_o_mat",
        "answers-missing",
        _remove(f"{WAHL_2025}/answer.json"),
        r"data/2025/deutschland/answer\.json: cannot be read \(No such file or directory\)",
    ),
    _case(
        "wahl_o_mat",
        "opinions-a-folder",
        _into_folder(f"{WAHL_2025}/opinion.json"),
        r"data/2025/deutschland/opinion\.json: cannot be read \(Is a directory\)",
    ),
    _case(
        "wahl_o_mat",
        "opinions-truncated",
        _edit_text(f"{WAHL_2025}/opinion.json", lambda text: text[: len(text) // 2]),
        r"data/2025/deutschland/opinion\.json: not valid JSON at line",
    ),
    _case(
        "wahl_o_mat",
        "overview-not-an-object",
        _write(f"{WAHL_2025}/overview.json", b"[]"),
        r"data/2025/deutschland/overview\.json: malformed record \(expected an object, found an array\)",
    ),
    _case(
        "wahl_o_mat",
        "statements-empty",
        _write(f"{WAHL_2025}/statement.json", b"[]"),
        r"data/2025/deutschland/statement\.json: whole file: empty file",
    ),
    # WorldView-Bench: the score pools every question, so any bad file is an error.
    _case(
        "worldview_bench",
        "truncated-json-line",
        _truncate_last_line("questions.jsonl"),
        r"questions\.jsonl: line 175: not valid JSON",
    ),
    _case("worldview_bench", "empty-file", _write("questions.jsonl", b""), r"questions\.jsonl: the file has no JSON"),
    _case(
        "worldview_bench",
        "id-twice",
        _edit_lines("questions.jsonl", lambda lines: lines.__setitem__(1, lines[0])),
        r"questions\.jsonl: line 2: duplicate id",
    ),
    _case(
        "worldview_bench",
        "unknown-domain",
        _edit_json_line("questions.jsonl", 1, lambda record: record.update(domain="Sports")),
        r"questions\.jsonl: line 1: unknown domain",
    ),
    _case(
        "worldview_bench",
        "upstream-cell-differs",
        _replace(WORLDVIEW_CSV, "1. Is it ever justifiable", "1. Is it never justifiable"),
        r"WorldView-Bench Dataset\.csv: row 1, column 'Ethical / Moral': question differs from the questions file",
    ),
    _case(
        "worldview_bench",
        "upstream-invalid-utf8",
        _insert_line(WORLDVIEW_CSV, 4, b"\xff,,,,,,"),
        r"WorldView-Bench Dataset\.csv: line 4: not UTF-8 text",
    ),
    _case(
        "worldview_bench",
        "upstream-field-over-the-limit",
        _insert_line(WORLDVIEW_CSV, 4, f'"{OVER_FIELD_LIMIT}",,,,,,'),
        r"WorldView-Bench Dataset\.csv: line 4: not valid CSV \(field larger than field limit",
    ),
    _case(
        "worldview_bench",
        "upstream-header-only",
        _edit_lines(WORLDVIEW_CSV, lambda lines: lines.__delitem__(slice(1, None))),
        r"WorldView-Bench Dataset\.csv: no data rows after the header",
    ),
]
