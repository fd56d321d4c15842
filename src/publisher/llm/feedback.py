"""Problems with a model's answer: English for the model, the message language for people.

The checks of an answer (translation, outline, sections, revision, alt text) say what is wrong so the
model can fix it on the retry; the same problems reach the writer when the retry fails too. The model
reads English like the rest of its prompt, the writer reads the message language: a `Feedback` is the
English sentence (it *is* a `str`, so it joins, compares and goes into JSON as one) and `shown()` gives it
translated. scripts/messages.py extracts `Feedback("...")` like `_("...")`.
"""

from __future__ import annotations

from typing import Iterable

from ..i18n import _


class Feedback(str):
    """One problem: the English text for the model; `shown()` for people."""

    message: str
    """The message id: English with `{placeholders}`."""
    values: dict[str, object]
    """What fills the placeholders."""

    def __new__(cls, message: str, **values: object) -> "Feedback":
        self = super().__new__(cls, message.format(**values) if values else message)
        self.message = message
        self.values = values
        return self

    def shown(self) -> str:
        """The problem in the message language."""
        return _(self.message).format(**self.values) if self.values else _(self.message)


def shown(problems: Iterable[str] | str) -> str:
    """Problems (or one) as people read them: each `Feedback` translated, joined with `; `."""
    if isinstance(problems, str):
        problems = [problems]
    return "; ".join(problem.shown() if isinstance(problem, Feedback) else str(problem) for problem in problems)
