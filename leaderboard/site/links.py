"""Where the site's pages are, and the links of a family to its task README, its dataset card
(in the project's repository, ``data_builders/<family>/card.md``: the card of the dataset that
``opinionbench publish`` uploads) and the paper or instrument page that defines it."""

from __future__ import annotations

import functools
from importlib import metadata
from pathlib import Path

from opinionbench.families import Family
from opinionbench.tasks import tasks_path

from .html import esc, page_name
from .ingest import Entry

MODELS_DIR = "models"  # a page per model
QUESTIONS_DIR = "questions"  # a page per (model, task, kind of run) with a samples log
BUILDERS_PACKAGE = "opinionbench.data_builders"  # the folder data_builders/ of the repository


@functools.cache
def repository_url() -> str:
    """The project's source repository (``[project.urls] Source`` of the installed package)."""
    for entry in metadata.metadata("opinionbench").get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip() == "Source":
            return url.strip()
    return ""


def family_links(family: Family) -> list[tuple[str, str]]:
    """``(text, url)`` of the family's task README, dataset card and paper, where it has them."""
    found = []
    repository = repository_url()
    tasks = Path(tasks_path())
    if repository and Path(family.tasks_dir).is_relative_to(tasks):
        folder = Path(family.tasks_dir).relative_to(tasks).as_posix()
        found.append(("task README", f"{repository}/blob/main/tasks/{folder}/README.md"))
    if repository and family.builder_module.startswith(f"{BUILDERS_PACKAGE}."):
        builder = family.builder_module.removeprefix(f"{BUILDERS_PACKAGE}.").replace(".", "/")
        found.append(("dataset card", f"{repository}/blob/main/data_builders/{builder}/card.md"))
    if family.reference_url:
        found.append(("paper", family.reference_url))
    return found


def links_html(family: Family | None) -> str:
    """The family's links as a line of the page (nothing for tasks of no family)."""
    if family is None:
        return ""
    links = " ".join(f'<a href="{esc(url)}">{esc(text)}</a>' for text, url in family_links(family))
    return f'<nav class="links">{links}</nav>' if links else ""


def model_href(model: str, root: str = "") -> str:
    """The model's page, from a page ``root`` (``""`` or ``"../"``) away from the site's top."""
    return f"{root}{MODELS_DIR}/{page_name(model)}"


def questions_href(entry: Entry, root: str = "") -> str:
    """The entry's per-question page."""
    return f"{root}{QUESTIONS_DIR}/{questions_name(entry)}"


def questions_name(entry: Entry) -> str:
    return page_name(entry.model, entry.task, "partial" if entry.partial else "full")
