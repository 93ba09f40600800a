"""Exporters that turn the exercise sets into other documents: the instructor answer key (``key``), and more."""
