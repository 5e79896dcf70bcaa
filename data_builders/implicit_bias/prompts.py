"""The upstream prompt scripts of Bai et al., read as data with :mod:`ast` (never executed).

Each script of ``upstream/prompt_implicit_gpt4/<folder>/<variation>.py`` (word association) and
``upstream/prompt_decision_gpt4/<folder>/<variation>.py`` (decision) holds one function that
selects its stimuli, draws one prompt per iteration and sends it with a system message. This module
reads from the syntax tree, without retyping anything:

- the stimuli a script selects: ``df.loc[df['dataset'] == NAME][COLUMN].dropna().str.lower().tolist()``
  for ``defaults``, ``stigmas`` and ``attributes``, and the CSV file ``df`` is read from;
- a decision script's two position lists: list literals, or the halves of ``attributes``
  (``attributes[:len(attributes) // 2]`` and ``attributes[len(attributes) // 2:]``);
- the prompt, an f-string: its literal text and its fields (``pair_group[0|1]``,
  ``pair_attribute[0|1]``, ``attributes``) in order, as a :class:`Template`;
- the system message, the iteration count (``iterations = range(N)``), the ``domain``,
  ``category`` and ``variation`` the script records, and a decision script's fixed group labels
  (``'group0': 'white'``) when its prompt names the groups in its text instead of drawing them.

The draws themselves (``pair_group = [...] if random.uniform(0, 1) > 0.5 else [...]``) are
checked to have the form every script uses, so that the builder's seeded draws stand for them.
Anything else, or a file that is not Python, is a :class:`ScriptError` with its line; the builder
reports it with the file's name.

The judge scripts (``upstream/prompt_decision_judge/<folder>.py``) are read for what their
lists A and B are: the columns of ``decision_stimuli_synonym.csv`` (not shipped) they select.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from opinionbench.schema import RowError

from ..source_records import read_text

GROUP_FIELDS = ("pair_group[0]", "pair_group[1]")
POSITION_FIELDS = ("pair_attribute[0]", "pair_attribute[1]")
ATTRIBUTES_FIELD = "attributes"

# The draw expressions every script uses (compared as syntax trees, so layout does not matter).
_GROUP_DRAW = (
    "[random.choice(defaults), random.choice(stigmas)] if random.uniform(0, 1) > 0.5 "
    "else [random.choice(stigmas), random.choice(defaults)]"
)
_POSITION_DRAW = (
    "[random.choice(positive), random.choice(negative)] if random.uniform(0, 1) > 0.5 "
    "else [random.choice(negative), random.choice(positive)]"
)
_FIRST_HALF = "attributes[:len(attributes) // 2]"
_SECOND_HALF = "attributes[len(attributes) // 2:]"
_SELECTION = re.compile(
    r"(?P<frame>\w+)\.loc\[(?P=frame)\['dataset'\] == '(?P<name>[^'\\]+)'\]\['(?P<column>[A-Z])'\]"
    r"\.dropna\(\)\.str\.lower\(\)\.tolist\(\)"
)
_READ_CSV = re.compile(r"pd\.read_csv\('(?P<path>[^'\\]+)'\)")


class ScriptError(RowError):
    """A script that does not have the form this module reads, at ``line`` (0: the whole file)."""

    def __init__(self, line: int, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.line = line

    @property
    def location(self) -> str:
        return f"line {self.line}" if self.line else "the whole file"


@dataclass(frozen=True)
class Selection:
    """``<frame>.loc[<frame>['dataset'] == name][column].dropna().str.lower().tolist()``."""

    name: str
    column: str


@dataclass(frozen=True)
class Template:
    """An f-string prompt: literal text and field names, in order."""

    parts: tuple[tuple[str, str], ...]  # ("text", literal) or ("field", field name)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(value for kind, value in self.parts if kind == "field")

    @property
    def text(self) -> str:
        """The literal text alone (the fields left out)."""
        return "".join(value for kind, value in self.parts if kind == "text")

    def render(self, values: dict[str, object]) -> str:
        """The prompt with each field replaced as an f-string does (``str`` of the value: a
        list of words is written as its Python ``repr``, ``['a', 'b']``)."""
        return "".join(value if kind == "text" else str(values[value]) for kind, value in self.parts)


@dataclass(frozen=True)
class PromptScript:
    """What one word-association or decision script does."""

    label: str
    stimuli_file: str | None  # the basename of the CSV ``df`` is read from; None: not read
    defaults: Selection | None
    stigmas: Selection | None
    attributes: Selection | None
    positive: tuple[str, ...] | None  # literal positions; None: the first half of ``attributes``
    negative: tuple[str, ...] | None
    draws_groups: bool
    fixed_groups: tuple[str, str] | None  # ``group0``/``group1`` labels of a prompt without group fields
    shuffles_attributes: bool
    template: Template
    system_prompt: str
    iterations: int
    domain: str
    category: str
    variation: str
    bias: str


@dataclass(frozen=True)
class JudgeScript:
    """What one judge script selects as its lists A and B."""

    label: str
    stimuli_file: str
    list_a: Selection
    list_b: Selection
    list_a_variable: str
    list_b_variable: str
    variation: str


def read_prompt_script(path: Path, label: str) -> PromptScript:
    """Read one word-association or decision script; a :class:`ScriptError` names the line
    of anything that does not have the expected form."""
    tree = _parse(path, label)
    function = _prompt_function(tree)
    assigned = _assignments(function)
    module = _assignments(tree, top_level=True)

    template = _template(_one(assigned, "prompt", function))
    fields = set(template.fields)
    selections = {
        name: _selection(assigned[name][0]) if name in assigned else None
        for name in ("defaults", "stigmas", "attributes")
    }
    for name in selections:
        _at_most_once(assigned, name)
    stimuli_file = _stimuli_file(module)
    if any(selections.values()) and stimuli_file is None:
        raise ScriptError(0, "stimuli selected from no file", "the script selects from `df` but never reads it")

    draws_groups = bool(fields & set(GROUP_FIELDS))
    if draws_groups:
        _expect_draw(assigned, "pair_group", _GROUP_DRAW, function)
        for name in ("defaults", "stigmas"):
            if selections[name] is None:
                raise ScriptError(
                    function.lineno, "no group words", f"the prompt draws groups but `{name}` is not selected"
                )
    positive = negative = None
    if fields & set(POSITION_FIELDS):
        _expect_draw(assigned, "pair_attribute", _POSITION_DRAW, function)
        positive = _positions(assigned, "positive", _FIRST_HALF, function)
        negative = _positions(assigned, "negative", _SECOND_HALF, function)
        if (positive is None or negative is None) and selections["attributes"] is None:
            raise ScriptError(
                function.lineno, "no attributes", "the positions are halves of `attributes`, never selected"
            )

    assign = _record_keywords(function)
    return PromptScript(
        label=label,
        stimuli_file=stimuli_file,
        defaults=selections["defaults"],
        stigmas=selections["stigmas"],
        attributes=selections["attributes"],
        positive=positive,
        negative=negative,
        draws_groups=draws_groups,
        fixed_groups=None if draws_groups else _fixed_groups(function),
        shuffles_attributes=_shuffles(function, "attributes"),
        template=template,
        system_prompt=_system_prompt(function),
        iterations=_iterations(module),
        domain=assign["domain"],
        category=assign["category"],
        variation=assign["variation"],
        bias=assign["bias"],
    )


def read_judge_script(path: Path, label: str) -> JudgeScript:
    """Read one judge script: the file and columns of its ``List A`` and ``List B``."""
    tree = _parse(path, label)
    module = _assignments(tree, top_level=True)
    stimuli_file = _stimuli_file(module, frame="stimuli_df")
    if stimuli_file is None:
        raise ScriptError(0, "no stimuli file", "`stimuli_df = pd.read_csv(...)` not found")
    function = _prompt_function(tree, prompt="prompt1")
    assigned = _assignments(function)
    template = _template(_one(assigned, "prompt1", function))
    lists = {}
    for letter in "AB":
        variable = _field_after(template, f"List {letter}: [")
        lists[letter] = (variable, _selection(_one(assigned, variable, function)))
    return JudgeScript(
        label=label,
        stimuli_file=stimuli_file,
        list_a=lists["A"][1],
        list_b=lists["B"][1],
        list_a_variable=lists["A"][0],
        list_b_variable=lists["B"][0],
        variation=_keyword_values(function, ("variation",))["variation"],
    )


def _parse(path: Path, label: str) -> ast.Module:
    text = read_text(path, label)
    try:
        return ast.parse(text, filename=label)
    except SyntaxError as exc:
        raise ScriptError(exc.lineno or 0, "not valid Python", exc.msg) from None


def _prompt_function(tree: ast.Module, prompt: str = "prompt") -> ast.FunctionDef:
    """The one function of the script that assigns ``prompt``."""
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef) and prompt in _assignments(node)]
    if len(functions) != 1:
        raise ScriptError(0, "no single prompt function", f"{len(functions)} top-level functions assign `{prompt}`")
    return functions[0]


def _assignments(node: ast.AST, *, top_level: bool = False) -> dict[str, list[ast.Assign]]:
    """Every ``name = value`` in ``node`` (its direct statements only when ``top_level``), by name."""
    found: dict[str, list[ast.Assign]] = {}
    nodes = node.body if top_level else ast.walk(node)
    for statement in nodes:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(statement)
    return found


def _at_most_once(assigned: dict[str, list[ast.Assign]], name: str) -> None:
    if len(assigned.get(name, [])) > 1:
        raise ScriptError(assigned[name][1].lineno, "assigned twice", f"`{name}` is assigned more than once")


def _one(assigned: dict[str, list[ast.Assign]], name: str, scope: ast.AST) -> ast.Assign:
    if name not in assigned:
        raise ScriptError(getattr(scope, "lineno", 0), "missing assignment", f"`{name}` is never assigned")
    _at_most_once(assigned, name)
    return assigned[name][0]


def _selection(statement: ast.Assign) -> Selection:
    source = ast.unparse(statement.value)
    match = _SELECTION.fullmatch(source)
    if match is None:
        raise ScriptError(
            statement.lineno,
            "unrecognised stimulus selection",
            f"{statement.targets[0].id} = {source[:120]}; expected <frame>.loc[<frame>['dataset'] == NAME][COLUMN]"
            ".dropna().str.lower().tolist()",
        )
    return Selection(match["name"], match["column"])


def _stimuli_file(module: dict[str, list[ast.Assign]], frame: str = "df") -> str | None:
    if frame not in module:
        return None
    statement = module[frame][-1]
    match = _READ_CSV.fullmatch(ast.unparse(statement.value))
    if match is None:
        raise ScriptError(
            statement.lineno, "unrecognised stimuli file", f"{frame} = {ast.unparse(statement.value)[:120]}"
        )
    return Path(match["path"]).name


def _template(statement: ast.Assign) -> Template:
    value = statement.value
    if not isinstance(value, ast.JoinedStr):
        raise ScriptError(statement.lineno, "prompt is not an f-string", ast.unparse(value)[:120])
    parts = []
    for part in value.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            parts.append(("text", part.value))
            continue
        if not isinstance(part, ast.FormattedValue):
            raise ScriptError(statement.lineno, "unrecognised prompt part", ast.dump(part)[:120])
        name = ast.unparse(part.value)
        if part.conversion != -1 or part.format_spec is not None:
            raise ScriptError(statement.lineno, "formatted prompt field", f"{{{name}}} has a conversion or format spec")
        parts.append(("field", name))
    return Template(tuple(parts))


def _field_after(template: Template, text: str) -> str:
    """The field that directly follows literal text ending in ``text`` (a judge's list)."""
    for (kind, value), following in zip(template.parts, template.parts[1:]):
        if kind == "text" and value.endswith(text) and following[0] == "field":
            return following[1]
    raise ScriptError(0, "list not found", f"no field follows {text!r} in the judge prompt")


def _expect_draw(assigned: dict[str, list[ast.Assign]], name: str, expected: str, scope: ast.AST) -> None:
    statement = _one(assigned, name, scope)
    if ast.dump(statement.value) != ast.dump(ast.parse(expected, mode="eval").body):
        raise ScriptError(
            statement.lineno, "unrecognised draw", f"{name} = {ast.unparse(statement.value)[:160]}; expected {expected}"
        )


def _positions(assigned: dict[str, list[ast.Assign]], name: str, half: str, scope: ast.AST) -> tuple[str, ...] | None:
    """A list literal of non-empty strings, or None for the half of ``attributes``."""
    statement = _one(assigned, name, scope)
    if ast.unparse(statement.value) == half:
        return None
    try:
        value = ast.literal_eval(statement.value)
    except ValueError:
        value = None
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
        raise ScriptError(
            statement.lineno,
            "unrecognised positions",
            f"{name} = {ast.unparse(statement.value)[:120]}; expected a list of strings or {half}",
        )
    return tuple(value)


def _calls(scope: ast.AST, attribute: str):
    for node in ast.walk(scope):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attribute:
            yield node


def _shuffles(scope: ast.AST, name: str) -> bool:
    return any(
        ast.unparse(call.func) == "random.shuffle" and [ast.unparse(arg) for arg in call.args] == [name]
        for call in _calls(scope, "shuffle")
    )


def _system_prompt(function: ast.FunctionDef) -> str:
    """The system message of ``messages=[{"role": "system", "content": "..."}, {"role": "user",
    "content": prompt}]``."""
    lists = [
        keyword.value for call in _calls(function, "create") for keyword in call.keywords if keyword.arg == "messages"
    ]
    if len(lists) != 1 or not isinstance(lists[0], ast.List):
        raise ScriptError(function.lineno, "no messages", "expected one `create(..., messages=[...])` call")
    messages = [_message(element) for element in lists[0].elts]
    roles = [role for role, _ in messages]
    if roles != ["system", "user"] or messages[1][1] != ast.Name or not isinstance(messages[0][1], str):
        raise ScriptError(
            lists[0].lineno, "unexpected messages", "expected a literal system message, then the user's `prompt`"
        )
    return messages[0][1]


def _message(node: ast.AST) -> tuple[str, object]:
    """``(role, content)`` of one ``{"role": ..., "content": ...}``: the content's string, or
    ``ast.Name`` when it is the variable ``prompt``."""
    unrecognised = ScriptError(getattr(node, "lineno", 0), "unrecognised message", ast.unparse(node)[:120])
    if not isinstance(node, ast.Dict) or not all(isinstance(key, ast.Constant) for key in node.keys):
        raise unrecognised
    entries = {key.value: value for key, value in zip(node.keys, node.values)}
    role, content = entries.get("role"), entries.get("content")
    if set(entries) != {"role", "content"} or not (isinstance(role, ast.Constant) and isinstance(role.value, str)):
        raise unrecognised
    if isinstance(content, ast.Name) and content.id == "prompt":
        return role.value, ast.Name
    if isinstance(content, ast.Constant) and isinstance(content.value, str):
        return role.value, content.value
    raise unrecognised


def _keyword_values(scope: ast.AST, names: tuple[str, ...]) -> dict[str, str]:
    """The string literals given as ``name=...`` to the script's ``.assign(...)`` call."""
    calls = list(_calls(scope, "assign"))
    if len(calls) != 1:
        raise ScriptError(getattr(scope, "lineno", 0), "no single record", "expected one `.assign(...)` call")
    given = {keyword.arg: keyword.value for keyword in calls[0].keywords}
    values = {}
    for name in names:
        node = given.get(name)
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            raise ScriptError(calls[0].lineno, "missing record field", f"`.assign(...)` gives no string `{name}`")
        values[name] = node.value
    return values


def _record_keywords(function: ast.FunctionDef) -> dict[str, str]:
    return _keyword_values(function, ("domain", "category", "variation", "bias"))


def _fixed_groups(function: ast.FunctionDef) -> tuple[str, str]:
    """The ``'group0'``/``'group1'`` string literals a script records when its prompt names the groups."""
    for node in ast.walk(function):
        if isinstance(node, ast.Dict):
            record = {key.value: value for key, value in zip(node.keys, node.values) if isinstance(key, ast.Constant)}
            if "group0" in record and "group1" in record:
                labels = [record[key] for key in ("group0", "group1")]
                if all(isinstance(label, ast.Constant) and isinstance(label.value, str) for label in labels):
                    return labels[0].value, labels[1].value
                raise ScriptError(
                    node.lineno, "groups neither drawn nor fixed", "group0/group1 are not string literals"
                )
    raise ScriptError(function.lineno, "no group labels", "the prompt has no group fields and no group0/group1 labels")


def _iterations(module: dict[str, list[ast.Assign]]) -> int:
    if "iterations" not in module:
        raise ScriptError(0, "no iteration count", "`iterations = range(N)` not found")
    statement = module["iterations"][-1]
    value = statement.value
    if (
        isinstance(value, ast.Call)
        and ast.unparse(value.func) == "range"
        and len(value.args) == 1
        and isinstance(value.args[0], ast.Constant)
        and isinstance(value.args[0].value, int)
    ):
        return value.args[0].value
    raise ScriptError(statement.lineno, "unrecognised iteration count", ast.unparse(value)[:120])
