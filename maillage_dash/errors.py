"""Exceptions raised by Maillage."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maillage_dash.validation import Problem


class MaillageError(Exception):
    """Base class of every error Maillage raises on purpose."""


class DataValidationError(MaillageError):
    """The directory files hold problems; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the directory data")
