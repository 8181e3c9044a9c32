"""The one error type the converter raises for bad input."""

from __future__ import annotations


class SourceError(ValueError):
    """The input cannot be converted; names the file, line, column and problem."""

    def __init__(self, file: str, line: int, column: int, problem: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        super().__init__(f"{file}:{line}:{column}: {problem}")
