"""Rendering the report's templates, an office's own among them, safely.

An office's folder (--template-dir) is searched before the shipped templates.
Its templates are the office's, not ours, so they run in Jinja2's immutable
sandbox (no attribute starting with ``_``, no Python internals, no mutation
of lists or dicts) and see plain data only (dicts, lists, text, numbers,
dates, and the formatting functions). They are loaded from inside their folder
only: a name with ``..``, or a link whose target resolves outside the folder
(as copier's loader refuses it), is refused, never followed. A template over
1 MiB, one not in UTF-8, a result over MAX_OUTPUT characters and an
arithmetic result that large are refused; any error a template raises becomes
a ReportTemplateError naming the template file and line.

Markdown is escaped as HTML is: every value a template prints goes through
``markdown_text`` (the environment's finalize), so a custom template cannot
forget it; a line break inside a value becomes ``<br>``, so it never ends a
table row. Control characters stored in the register are shown as U+FFFD in
both.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from jinja2 import BaseLoader, ChoiceLoader, Environment, StrictUndefined, TemplateNotFound
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from kerjasama_cli.errors import KerjasamaError
from kerjasama_cli.exporting.content import printable

MAX_TEMPLATE_BYTES = 1 << 20  # 1 MiB: the shipped report.html.j2 is 9 KB
# A report of 100,000 agreements is some tens of MB: past this, a template
# loops without end, or multiplies text.
MAX_OUTPUT = 256 << 20
MAX_DIGITS = 4300  # Python's own limit for printing an int


class ReportTemplateError(KerjasamaError):
    """A report template that cannot be used, named by file and line."""


class _Refused(Exception):
    """A template the loader will not load; ``filename`` when the file itself is
    the problem, else the template naming it is (found in the traceback)."""

    def __init__(self, reason: str, filename: str | None = None, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.filename = filename
        self.line = line


class _TooLarge(Exception):
    pass


class FolderLoader(BaseLoader):
    """Templates from one folder, never from outside it, whatever links it holds."""

    def __init__(self, folder: Path, *, office: bool) -> None:
        self.folder = folder
        self.root = folder.resolve()
        self.office = office  # an office's --template-dir, not the shipped templates
        self.loaded: list[str] = []

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = [piece for piece in re.split(r"[/\\]", template) if piece not in ("", ".")]
        if ".." in pieces:
            raise _Refused(f"{template!r} names a file outside the template folder: refused")
        if not pieces:
            raise TemplateNotFound(template)
        path = self.folder.joinpath(*pieces)
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        target = path.resolve()
        if not target.is_relative_to(self.root):
            raise _Refused(
                f"{path} is a link to {target}, outside the template folder {self.folder}: refused",
                filename=str(path),
            )
        if not target.is_file():
            raise TemplateNotFound(template)
        with target.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise _Refused(
                f"larger than {MAX_TEMPLATE_BYTES >> 20} MiB: refused", filename=str(path)
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise _Refused(
                f"is not UTF-8 (byte 0x{data[error.start]:02x}): save it as UTF-8",
                filename=str(path),
                line=line,
            ) from None
        modified = target.stat().st_mtime
        self.loaded.append(str(path))

        def uptodate() -> bool:
            try:
                return target.stat().st_mtime == modified
            except OSError:
                return False

        return text, str(path), uptodate


# No report pads a value to a million characters: a width past it ("x"|center(10**9),
# "%0999999999d", "{:>999999999}".format(x)) is refused before Python builds it.
MAX_WIDTH = 1_000_000
# range() in a template: its items counted over the whole render (nested loops
# multiply), and the render's time and memory bounded.
MAX_RANGED = 10_000_000
MAX_SECONDS = 300
MAX_MEMORY = 2 << 30  # more address space than the process had when the render began
_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d{7,}|\d*\.(?:\*|\d{7,}))")
_FORMAT_WIDTH = re.compile(r"\{[^{}]*:[^{}]*?(?:\d{7,}|\{)")
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with text, lists and numbers kept to a size."""

    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.ranged = 0
        self.globals["range"] = self.counted_range
        for name in ("center", "indent", "format", "wordwrap"):
            self.filters[name] = _checked_filter(name, self.filters[name])

    def counted_range(self, *args: int) -> range:
        items = range(*args)
        self.ranged += len(items)
        if self.ranged > MAX_RANGED:
            raise _TooLarge(f"its loops over range() pass {MAX_RANGED:,} turns: it would not end")
        return items

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _too_many_digits(left, right):
            raise _TooLarge(f"the result of {left!r} ** {right!r} is too large")
        if operator in ("*", "+") and _length(operator, left, right) > MAX_OUTPUT:
            raise _TooLarge(
                f"the result of {operator} is too large (over {MAX_OUTPUT:,} characters)"
            )
        if operator == "%" and isinstance(left, str) and _PERCENT_WIDTH.search(left):
            raise _TooLarge(f"{_short(left)} % ...: a width past {MAX_WIDTH:,} characters")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_widening(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _check_widening(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """'x'.center(10**9), '{:>999999999}'.format(1): refused before they are built."""
    # The sandbox hands str.format out wrapped (functools.update_wrapper): unwrap it.
    function = getattr(function, "__wrapped__", function)
    owner = getattr(function, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(function, "__name__", "")
    numbers = [v for v in (*args, *kwargs.values()) if isinstance(v, int)]
    if name in _PADDING_METHODS and any(number > MAX_WIDTH for number in numbers):
        raise _TooLarge(f"{_short(owner)}.{name}(...): a width past {MAX_WIDTH:,} characters")
    if name in ("format", "format_map") and _FORMAT_WIDTH.search(owner):
        raise _TooLarge(f"{_short(owner)}.{name}(...): a width past {MAX_WIDTH:,} characters")


def _checked_filter(name: str, apply: Callable[..., Any]) -> Callable[..., Any]:
    """center, indent, wordwrap with a width past MAX_WIDTH, format with one in its
    format: refused before they are built."""

    def checked(*args: Any, **kwargs: Any) -> Any:
        values = [*args, *kwargs.values()]
        # Context/environment filters get those first; the text is the first str.
        text = next((v for v in values if isinstance(v, str)), "")
        if any(isinstance(v, int) and not isinstance(v, bool) and v > MAX_WIDTH for v in values):
            raise _TooLarge(f"|{name}: a width past {MAX_WIDTH:,} characters")
        if name == "format" and (_PERCENT_WIDTH.search(text) or _FORMAT_WIDTH.search(text)):
            raise _TooLarge(f"{_short(text)}|format: a width past {MAX_WIDTH:,} characters")
        return apply(*args, **kwargs)

    if hasattr(apply, "jinja_pass_arg"):  # pass_context / pass_environment, kept
        checked.jinja_pass_arg = apply.jinja_pass_arg  # type: ignore[attr-defined]
    return checked


def _too_many_digits(base: Any, exponent: Any) -> bool:
    if not isinstance(base, int) or not isinstance(exponent, int) or abs(base) < 2:
        return False
    return exponent > 0 and exponent * math.log10(abs(base)) > MAX_DIGITS


def _length(operator: str, left: Any, right: Any) -> int:
    sized = (str, list, tuple)
    if operator == "+":
        if isinstance(left, sized) and isinstance(right, sized):
            return len(left) + len(right)
        return 0
    for items, times in ((left, right), (right, left)):
        if isinstance(items, sized) and isinstance(times, int):
            return len(items) * times
    return 0


# Markdown: every character that starts inline markup anywhere (emphasis, code,
# links and images, raw HTML and autolinks, tables, strikethrough, escapes) and an
# & that would start an entity; then what starts a block at the start of a line.
_MD_INLINE = re.compile(r"[\\`*_\[\]<|~]|&(?=#?[0-9A-Za-z]+;)")
_MD_BLOCK = re.compile(r"^([#>]|[-+=](?=[ \t]|$|[-+=]))")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_MD_BREAK = re.compile(r"\r\n|\r|\n")


def markdown_text(value: Any) -> str:
    """A value as Markdown shows it literally, on one line: its line breaks become
    <br>, but never first or last (a line of only <br> would start an HTML block);
    spaces around it go (Markdown drops them, or reads a code block or a break)."""
    if isinstance(value, Markup):  # |safe: the template's author asked for it as is
        return printable(str(value))
    text = _MD_INLINE.sub(lambda found: "\\" + found.group(), printable(str(value)))
    lines = _MD_BREAK.split(text)
    while len(lines) > 1 and not lines[0].strip(" \t"):
        del lines[0]
    while len(lines) > 1 and not lines[-1].strip(" \t"):
        del lines[-1]
    text = "<br>".join(lines).strip(" \t")
    return _MD_ORDERED.sub(r"\1\\\2", _MD_BLOCK.sub(r"\\\1", text))


def html_value(value: Any) -> Any:
    """A value as HTML shows it (escaped afterwards), without control characters."""
    if isinstance(value, Markup):
        return Markup(printable(value))
    return printable(value) if isinstance(value, str) else value


def environment(loaders: list[FolderLoader], *, html: bool) -> Environment:
    env = Sandbox(
        loader=ChoiceLoader(loaders),
        autoescape=html,
        finalize=html_value if html else markdown_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.pop("lipsum", None)  # lipsum(10**7): text without end
    return env


@contextmanager
def _bounded(seconds: int, memory: int) -> Iterator[None]:
    """The render stopped past ``seconds`` (on the main thread, where signals
    arrive) and refused memory past ``memory`` more bytes (Linux: RLIMIT_AS; a
    Python allocation then fails with MemoryError instead of the machine swapping)."""
    with contextlib.ExitStack() as stack:
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

            def stop(_signum: int, _frame: Any) -> None:
                raise _TooLarge(f"it ran for more than {seconds} seconds: it would not end")

            previous = signal.signal(signal.SIGALRM, stop)
            signal.setitimer(signal.ITIMER_REAL, seconds)
            stack.callback(signal.signal, signal.SIGALRM, previous)
            stack.callback(signal.setitimer, signal.ITIMER_REAL, 0)
        stack.enter_context(_address_space_cap(memory))
        yield


@contextmanager
def _address_space_cap(memory: int) -> Iterator[None]:
    try:
        import resource

        used = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + memory
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def render(env: Environment, name: str, data: Mapping[str, Any]) -> str:
    """Render ``name`` with ``data``; any failure is a ReportTemplateError."""
    try:
        with _bounded(MAX_SECONDS, MAX_MEMORY):
            return _render(env, name, data)
    except KerjasamaError:
        raise
    except Exception as error:
        raise _told(error, env, name) from error


def _render(env: Environment, name: str, data: Mapping[str, Any]) -> str:
    try:
        stream = cast(Generator[str, None, None], env.get_template(name).generate(**data))
        parts: list[str] = []
        size = 0
        for part in stream:
            size += len(part)
            if size > MAX_OUTPUT:
                # Raised inside the template, where it was writing: its line is told.
                stream.throw(_TooLarge(f"the report is too large (over {MAX_OUTPUT:,} characters)"))
            parts.append(part)
        return "".join(parts)
    except MemoryError:
        raise _TooLarge(
            f"it needed more than {MAX_MEMORY >> 30} GiB of memory: it builds text without end"
        ) from None


def _told(error: Exception, env: Environment, name: str) -> ReportTemplateError:
    filename, line = _where(error)
    if isinstance(error, _Refused) and error.filename:
        filename, line = error.filename, error.line
    filename = filename or name
    if isinstance(error, RecursionError):
        reason = "the template includes, extends or calls itself without end"
    elif isinstance(error, TemplateSyntaxError):
        reason = error.message or str(error)
    elif isinstance(error, TemplateNotFound):
        reason = f"the template {error.name!r} was not found"
    elif isinstance(error, _Refused | _TooLarge | SecurityError) or type(error).__module__ == (
        "jinja2.exceptions"
    ):
        reason = str(error)
    elif isinstance(error, MemoryError):
        reason = "not enough memory to render it"
    else:
        reason = f"{type(error).__name__}: {error}"
    where = f"{filename}, line {line}" if line else filename
    if isinstance(error, _TooLarge):
        # Output is counted as it leaves the outermost template: the line is where
        # that one wrote it, perhaps an include; say which of the office's were used.
        used = [name for loader in _office(env) for name in loader.loaded if name != filename]
        if used:
            reason += f" (the office's templates used: {', '.join(used)})"
    return ReportTemplateError(f"template {where}: {reason}", hint=_hint(env))


def _where(error: BaseException) -> tuple[str | None, int | None]:
    """The template file and line the error was raised at (the innermost)."""
    if isinstance(error, TemplateSyntaxError):
        return error.filename or error.name, error.lineno
    found: tuple[str | None, int | None] = (None, None)
    trace = error.__traceback__
    while trace is not None:
        # Jinja2 rewrites a template's frames to point at its source file and line.
        if "__jinja_exception__" in trace.tb_frame.f_globals:
            found = (trace.tb_frame.f_code.co_filename, trace.tb_lineno)
        trace = trace.tb_next
    return found


def _office(env: Environment) -> list[FolderLoader]:
    loader = env.loader
    folders = loader.loaders if isinstance(loader, ChoiceLoader) else []
    return [folder for folder in folders if isinstance(folder, FolderLoader) and folder.office]


def _hint(env: Environment) -> str:
    for folder in _office(env):
        return (
            f"correct it in {folder.folder} (--template-dir), or move it out of that "
            "folder to use the shipped one"
        )
    return "this is a bug in a shipped template: please report it with the command you ran"
