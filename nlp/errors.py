"""Errors and warnings shown to users, always in Mongolian and English."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["BiyeleltError", "ReportError", "ModelError", "DataError", "bilingual"]


def bilingual(mn: str, en: str) -> str:
    """Join a Mongolian and an English message the way every user-facing message is shown."""
    return f"{mn} / {en}"


class BiyeleltError(Exception):
    """Base class: a problem the user can fix, with a message in Mongolian and English.

    Parameters
    ----------
    mn, en : str
        The message in Mongolian and in English.
    path : str or Path, optional
        The file concerned.
    where : str, optional
        The place inside the file (line, table and row, sheet and cell).
    """

    def __init__(self, mn: str, en: str, *, path: str | Path | None = None, where: str | None = None):
        self.mn = mn
        self.en = en
        self.path = str(path) if path is not None else None
        self.where = where
        super().__init__(self.message)

    @property
    def message(self) -> str:
        loc = ""
        if self.path:
            loc = self.path + (f" ({self.where})" if self.where else "") + ": "
        return loc + bilingual(self.mn, self.en)


class ReportError(BiyeleltError):
    """A submitted report could not be read."""


class DataError(BiyeleltError):
    """Labelled data or a rows table is malformed."""


class ModelError(BiyeleltError):
    """A model folder is missing, incomplete or untrusted."""


@dataclass(frozen=True)
class Failure:
    """A file of a batch that could not be read; the batch goes on without it."""

    path: str
    message: str
