"""Build-wide state kept on the Sphinx application: the corpus and the exercise sets, loaded once per build."""

from __future__ import annotations

from typing import Any

from ..core.corpus import Corpus
from ..core.model import ItemSet


def store(app: Any, corpus: Corpus, sets: list[ItemSet]) -> None:
    """Keep what builder-inited loaded; forked parallel readers inherit it."""
    app.sourcework_corpus = corpus
    app.sourcework_sets = sets


def corpus_of(app: Any) -> Corpus:
    return app.sourcework_corpus  # type: ignore[no-any-return]


def sets_of(app: Any) -> list[ItemSet]:
    return app.sourcework_sets  # type: ignore[no-any-return]
