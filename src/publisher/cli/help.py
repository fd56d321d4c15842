"""`--help` in the message language: command descriptions, option help and click's own headings.

Click reads help texts when the commands are defined, at import, but the language is chosen per call
(`i18n._` must never run at import). So the texts stay English in the code and are translated only when
help is printed: `HelpContext.get_help` formats a translated copy of the command. scripts/messages.py
collects every help text from the command tree itself (`help_texts`), so an option added anywhere in
`cli/` reaches the catalogs without a marker. Japanese and Chinese lines are wrapped by display width
(a CJK character takes two columns), never cut.
"""

from __future__ import annotations

import copy
import inspect
import unicodedata
from typing import Iterator

import click

from ..i18n import _

_NO_LINE_START = set("、。，．・：；？！）」』】〕〉》’”%％,.:;?!)]")
"""Characters that may not begin a line (they stay with the character before them)."""

_NO_LINE_END = set("(（「『【〔〈《‘“[")
"""Characters that may not end a line (they stay with the character after them)."""


def text_of(help_text: str | None) -> str | None:
    """A help text as click shows it (docstring indentation removed, cut at a form feed): the message id."""
    if not help_text:
        return None
    return inspect.cleandoc(help_text).partition("\f")[0].strip() or None


def _translated(help_text: str | None) -> str | None:
    text = text_of(help_text)
    return _(text) if text else help_text


def _extras(text: str) -> str:
    """Click's `[default: 6000; required]` after an option's help, in the message language."""
    help_text, bracket, extra = text.rpartition("  [")
    if not bracket or not extra.endswith("]"):
        return text
    items = []
    for item in extra[:-1].split("; "):
        if item == "required":
            item = _("required")
        elif item.startswith("default: "):
            item = _("default: {value}").format(value=item.removeprefix("default: "))
        items.append(item)
    return f"{help_text}  [{'; '.join(items)}]"


def _param(param: click.Parameter) -> click.Parameter:
    clone = copy.copy(param)
    if getattr(param, "help", None):
        clone.help = _translated(param.help)
    return clone


def translated(command: click.Command, ctx: click.Context) -> click.Command:
    """A copy of `command` whose help texts (its own, its options', its subcommands' summaries) are in the
    message language; `command` itself is not changed."""
    clone = copy.copy(command)
    clone.help = _translated(command.help)
    clone.short_help = _translated(command.short_help)
    clone.epilog = _translated(command.epilog)
    clone.params = [_param(param) for param in command.params]
    help_option = command.get_help_option(ctx)
    clone._help_option = _param(help_option) if help_option is not None else None
    if isinstance(command, click.Group):
        summaries = {}
        for name, sub in command.commands.items():
            summary = copy.copy(sub)
            summary.short_help = _translated(sub.short_help)
            summary.help = _translated(sub.help)
            summaries[name] = summary
        clone.commands = summaries
    return clone


def help_texts(command: click.Command) -> Iterator[tuple[str, str, int]]:
    """Every help text of `command` and its subcommands as (text, file, line), for the catalogs."""
    callback = command.callback
    try:
        where = (inspect.getsourcefile(callback), inspect.getsourcelines(callback)[1]) if callback else ("", 0)
    except (OSError, TypeError):
        where = ("", 0)
    for text in (command.help, command.short_help, command.epilog,
                 *(getattr(param, "help", None) for param in command.params)):
        if text_of(text):
            yield text_of(text), *where
    help_option = command.get_help_option(click.Context(command))
    if help_option is not None and text_of(help_option.help):
        yield text_of(help_option.help), *where
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from help_texts(sub)


def _heading(name: str) -> str:
    """Click's own section headings, in the message language."""
    return {"Options": _("Options"), "Commands": _("Commands"), "Arguments": _("Arguments")}.get(name, name)


def _width(text: str) -> int:
    """Columns `text` takes on a terminal: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _has_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(char) in "WF" for char in text)


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: words with their trailing space, and each CJK character alone
    (with the punctuation that may not start a line)."""
    tokens: list[str] = []
    for char in text:
        wide = unicodedata.east_asian_width(char) in "WF"
        if tokens and (char in _NO_LINE_START or char == " " or tokens[-1][-1] in _NO_LINE_END
                       or (not wide and not tokens[-1].endswith(" ") and _width(tokens[-1][-1]) == 1)):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns (a longer word gets a line of its own), paragraphs
    separated by an empty line."""
    lines: list[str] = []
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            lines.append("")
        line = ""
        for token in _tokens(" ".join(paragraph.split())):
            if line and _width(line + token.rstrip()) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        if line.strip():
            lines.append(line.rstrip())
    return lines


class HelpFormatter(click.HelpFormatter):
    """Click's help layout with translated headings and wrapping by display width."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage:") + " ")

    def section(self, name: str):
        return super().section(_heading(name))

    def write_text(self, text: str) -> None:
        if not _has_wide(text):
            return super().write_text(text)  # English: exactly click's layout
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 11)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_width(first) for first, _second in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - 2, 10)  # as click counts it
            second = _extras(second)
            lines = ((wrap(second, width) if _has_wide(second) else
                      click.formatting.wrap_text(second, width, preserve_paragraphs=True).splitlines()) or [""])
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


class HelpContext(click.Context):
    """The context of every `publish` command: help is formatted from a translated copy of the command."""

    formatter_class = HelpFormatter

    def get_help(self) -> str:
        return translated(self.command, self).get_help(self)


class PublishGroup(click.Group):
    """The `publish` group: its help, and that of each command added to it, in the message language."""

    context_class = HelpContext

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.context_class = HelpContext
        super().add_command(cmd, name)
