"""sourcework: graded source-comparison exercises for Jupyter Book.

Layout: ``core`` (no Sphinx imports: model, corpus, items, scoring, render, submission), ``sphinx_ext`` (thin Sphinx
layer), ``grader`` and ``export`` (offline tools), ``cli`` (command line).
"""

__version__ = "0.1.0"


def setup(app):  # pragma: no cover - thin Sphinx entry point
    """Sphinx entry point: ``extensions: [sourcework]`` in _config.yml."""
    from sourcework.sphinx_ext import setup_extension

    return setup_extension(app)
