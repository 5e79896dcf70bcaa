"""Dataset cards: the YAML header the Hub reads, written with ``huggingface_hub``'s card data API
(with the ``datasets`` library's own ``dataset_info``), and a Markdown body from a builder's template."""

from __future__ import annotations

import hashlib
import string
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import PurePosixPath

import datasets
import pyarrow
import pyarrow.parquet
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard, DatasetCardData

from opinionbench import families
from opinionbench.schema import FIELD_DESCRIPTIONS, Rejection

SPLIT = "test"
DATA_FILE = f"data/{SPLIT}-00000-of-00001.parquet"
MAX_LISTED_REJECTIONS = 50
LANGUAGE_FIELD = "language"


@dataclass(frozen=True)
class CardInfo:
    """What the Hub shows about a dataset: licence, languages, provenance, citation.

    ``language`` lists the ISO 639-1 codes of every language in the rows, the main one first;
    :func:`render_card` checks it against the ``language`` fields of the built rows.
    """

    pretty_name: str
    license: str
    language: list[str]
    source_datasets: list[str]
    citation: str
    homepage: str
    task_categories: list[str] = field(default_factory=lambda: ["question-answering"])
    tags: list[str] = field(default_factory=lambda: ["survey", "opinions", "values", "alignment"])
    # With ``license="other"``: a short id of the terms and where they are stated (Hub card fields).
    license_name: str | None = None
    license_link: str | None = None


def data_files(config_names: Sequence[str]) -> dict[str, str]:
    """Where each config's Parquet file lies in a Hub folder: ``data/test-00000-of-00001.parquet``
    for a single config, ``data/<config>/test-00000-of-00001.parquet`` for several."""
    if len(config_names) == 1:
        return {config_names[0]: DATA_FILE}
    return {name: f"data/{name}/{SPLIT}-00000-of-00001.parquet" for name in config_names}


def parquet_file(dataset: datasets.Dataset) -> bytes:
    """The content of a config's Parquet file, as ``write_hub_folder`` writes it: the Arrow table,
    whose schema metadata carries the ``datasets`` features. The same rows give the same bytes."""
    sink = pyarrow.BufferOutputStream()
    pyarrow.parquet.write_table(dataset.data.table, sink)
    return sink.getvalue().to_pybytes()


def card_template(package: str) -> str:
    """A builder's card template: ``card.md`` in its package (``data_builders/<family>/``)."""
    return resources.files(package).joinpath("card.md").read_text("utf-8")


def render_card(
    info: CardInfo,
    template: str,
    *,
    source: str,
    configs: dict[str, datasets.Dataset],
    field_descriptions: dict[str, str],
    rejections: list[Rejection],
    fields: dict[str, object],
) -> str:
    """Render a card ``template`` (see :func:`card_template`) with the shared sections filled in.

    ``source`` is the family the dataset belongs to; ``configs`` maps each config name to its
    dataset, the default config first. Shared placeholders: ``$schema_table`` (one table per
    distinct schema), ``$rejection_section``, ``$citation``, ``$n_rows`` (rows over all
    configs); ``fields`` supplies the builder's own. A "Usage" section (loading with
    ``datasets``, the lm-eval command of the family's default tasks) goes before the
    template's first ``## `` section.

    The YAML header is ``huggingface_hub``'s :class:`~huggingface_hub.DatasetCardData`, with
    ``configs`` (each config's Parquet files) and ``dataset_info`` (see :func:`dataset_infos`).
    Raises ``ValueError`` when ``info.language`` is not the set of languages in the rows (see
    :func:`row_languages`; not checked for rows without any ``language`` field).
    """
    _check_languages(info, configs)
    descriptions = {**FIELD_DESCRIPTIONS, **field_descriptions}
    n_rows = sum(len(dataset) for dataset in configs.values())
    body = string.Template(template).substitute(
        schema_table=_schema_section(configs, descriptions),
        rejection_section=_rejection_section(rejections),
        citation=info.citation.strip(),
        n_rows=n_rows,
        **fields,
    )
    body = _with_usage_section(body.strip(), _usage_section(source, list(configs)))
    card_data = _card_data(info, configs)
    return DatasetCard(f"---\n{card_data.to_yaml()}\n---\n\n{body}\n").content


def _card_data(info: CardInfo, configs: dict[str, datasets.Dataset]) -> DatasetCardData:
    card_data = DatasetCardData(
        pretty_name=info.pretty_name,
        license=info.license,
        language=list(info.language),
        task_categories=list(info.task_categories),
        size_categories=[size_category(sum(len(dataset) for dataset in configs.values()))],
        source_datasets=list(info.source_datasets),
        **({"license_name": info.license_name} if info.license_name else {}),
        **({"license_link": info.license_link} if info.license_link else {}),
        tags=list(info.tags),
        homepage=info.homepage,
        citation=info.citation.strip(),
    )
    infos = dataset_infos(configs)
    infos.to_dataset_card_data(card_data)
    # ``datasets`` reads every DatasetInfo field from the card but writes only some; the
    # checksums of the data files make its cache of a local folder depend on their content.
    entries = card_data["dataset_info"]
    for entry in entries if isinstance(entries, list) else [entries]:
        entry["download_checksums"] = infos[entry.get("config_name", "default")].download_checksums
    card_data["configs"] = _configs_metadata(list(configs))
    return card_data


def dataset_infos(configs: Mapping[str, datasets.Dataset]) -> DatasetInfosDict:
    """Each config's ``datasets.DatasetInfo``, with the fields ``push_to_hub`` records: ``features``,
    split ``test`` with ``num_examples`` and ``num_bytes`` (its Arrow size), ``dataset_size`` and
    the Parquet file's size (``download_size``); and the file's size and sha256
    (``download_checksums``, keyed by its path in the folder). ``render_card`` writes them into
    the card with ``DatasetInfosDict.to_dataset_card_data``."""
    paths = data_files(list(configs))
    infos = DatasetInfosDict()
    for name, dataset in configs.items():
        content = parquet_file(dataset)
        # The Arrow size of the table read back from the file: what ``datasets`` records as the
        # split's ``num_bytes`` when it prepares the folder.
        num_bytes = pyarrow.parquet.read_table(pyarrow.BufferReader(content)).nbytes
        splits = datasets.SplitDict()
        splits.add(datasets.SplitInfo(name=SPLIT, num_bytes=num_bytes, num_examples=len(dataset)))
        infos[name] = datasets.DatasetInfo(
            config_name=name,
            features=dataset.features,
            splits=splits,
            download_size=len(content),
            dataset_size=num_bytes,
            download_checksums={
                paths[name]: {"num_bytes": len(content), "checksum": hashlib.sha256(content).hexdigest()}
            },
        )
    return infos


def _configs_metadata(config_names: list[str]) -> list[dict]:
    configs = [
        {
            "config_name": name,
            "data_files": [{"split": SPLIT, "path": f"{PurePosixPath(path).parent}/{SPLIT}-*.parquet"}],
        }
        for name, path in data_files(config_names).items()
    ]
    if len(configs) > 1:
        configs[0]["default"] = True
    return configs


def row_languages(configs: Mapping[str, datasets.Dataset]) -> set[str]:
    """Every value of a ``language`` field in the rows: a ``language`` column, or the
    ``language`` of the records in a list column (MENAValues' ``native_questions``)."""
    found: set[str] = set()
    for dataset in configs.values():
        for name, feature in dataset.features.items():
            if name == LANGUAGE_FIELD:
                found.update(dataset[name])
            elif (
                isinstance(feature, datasets.List)
                and isinstance(feature.feature, dict)
                and LANGUAGE_FIELD in feature.feature
            ):
                found.update(record[LANGUAGE_FIELD] for records in dataset[name] for record in records)
    found.discard(None)
    return found


def _check_languages(info: CardInfo, configs: Mapping[str, datasets.Dataset]) -> None:
    found = row_languages(configs)
    if found and set(info.language) != found:
        raise ValueError(
            f"the card declares the languages {list(info.language)}, but the rows hold {sorted(found)}: "
            "fix `language` in the builder's CardInfo"
        )


def _usage_section(source: str, config_names: list[str]) -> str:
    """How to load the dataset with ``datasets`` and run the family's default tasks with lm-eval."""
    default, *others = config_names
    task = families.get(source).default_task
    loads = [
        'ds = datasets.load_dataset("ORG/NAME", split="test")  # from the Hub',
        'ds = datasets.load_dataset("DIR", split="test")  # from a local folder',
    ]
    configs_note = ""
    if others:
        loads.append(f'{others[0]} = datasets.load_dataset("ORG/NAME", "{others[0]}", split="test")')
        listed = ", ".join(f"`{name}`" for name in others)
        configs_note = (
            f"Without a config name, `load_dataset` loads the default config, `{default}`; the others are {listed}."
        )
    command = (
        f"lm_eval --model hf --model_args pretrained=ORG/MODEL --tasks {task} "
        '--include_path "$(opinionbench tasks-path)" --apply_chat_template --log_samples --output_path out'
    )
    parts = [
        "## Usage",
        _prose(
            "Load it with `datasets`, from its Hub repository `ORG/NAME` (uploaded with "
            f"`opinionbench publish {source} --repo-id ORG/NAME`) or from a local folder `DIR` "
            f"(written by `opinionbench build {source} --out DIR`):"
        ),
        "\n".join(["```python", "import datasets", "", *loads, "```"]),
        _prose(configs_note),
        _prose(
            f"Run the benchmark's default tasks, the lm-eval group `{task}`, on a Hugging Face model "
            "`ORG/MODEL` with lm-evaluation-harness:"
        ),
        f"```bash\n{command}\n```",
    ]
    return "\n\n".join(part for part in parts if part)


def _prose(text: str) -> str:
    """``text`` wrapped at 100 characters, never inside a `code span`."""
    spans = text.split("`")
    kept = "`".join(span.replace(" ", "\0") if index % 2 else span for index, span in enumerate(spans))
    wrapped = textwrap.fill(kept, width=100, break_long_words=False, break_on_hyphens=False)
    return wrapped.replace("\0", " ")


def _with_usage_section(body: str, usage: str) -> str:
    """``body`` with ``usage`` before its first ``## `` section (at the end if it has none)."""
    lines = body.split("\n")
    first = next((index for index, line in enumerate(lines) if line.startswith("## ")), len(lines))
    before = "\n".join(lines[:first]).rstrip()
    after = "\n".join(lines[first:])
    return "\n\n".join(part for part in (before, usage, after) if part)


def size_category(n_rows: int) -> str:
    """The Hub's ``size_categories`` label of a dataset with ``n_rows`` rows."""
    for bound, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n_rows < bound:
            return label
    return "100K<n<1M"


def _schema_section(configs: dict[str, datasets.Dataset], descriptions: dict[str, str]) -> str:
    """One schema table when all configs share their columns, else one table per schema."""
    by_schema: dict[str, list[str]] = {}
    for name, dataset in configs.items():
        by_schema.setdefault(_schema_table(dataset.features, descriptions), []).append(name)
    if len(by_schema) == 1:
        return next(iter(by_schema))
    return "\n\n".join(
        f"Config{'s' if len(names) > 1 else ''} {', '.join(f'`{name}`' for name in names)}:\n\n{table}"
        for table, names in by_schema.items()
    )


def _schema_table(features: datasets.Features, descriptions: dict[str, str]) -> str:
    missing = [name for name in features if name not in descriptions]
    if missing:
        raise ValueError(f"card has no description for columns {missing}")
    rows = ["| column | type | meaning |", "|---|---|---|"]
    rows += [f"| `{name}` | {_type_name(feature)} | {descriptions[name]} |" for name, feature in features.items()]
    return "\n".join(rows)


def _type_name(feature) -> str:
    if isinstance(feature, datasets.List):
        return f"list[{_type_name(feature.feature)}]"
    if isinstance(feature, dict):
        return "{" + ", ".join(f"{name}: {_type_name(field)}" for name, field in feature.items()) + "}"
    return feature.dtype


def _rejection_section(rejections: list[Rejection]) -> str:
    if not rejections:
        return "The builder rejected nothing: every row and cell of the source file passed validation."
    by_kind = Counter(r.kind for r in rejections)
    lines = [
        (
            f"The builder rejected {len(rejections)} rows or cells; each is listed with its place in the "
            "source file and the reason. Nothing else was dropped."
        ),
        "",
        "| reason | count |",
        "|---|---|",
        *(f"| {kind} | {count} |" for kind, count in sorted(by_kind.items())),
        "",
    ]
    lines += [f"- {r.location}: {r.reason}" for r in rejections[:MAX_LISTED_REJECTIONS]]
    if len(rejections) > MAX_LISTED_REJECTIONS:
        lines.append(
            f"- ... and {len(rejections) - MAX_LISTED_REJECTIONS} more (`opinionbench build` prints the complete list)"
        )
    return "\n".join(lines)
