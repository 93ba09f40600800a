"""The core: model, corpus, item parsing and validation, scoring, rendering. No Sphinx imports here."""
