"""The regulations as plain typed Python: no Django, checked with `mypy --strict`, tested exhaustively."""
