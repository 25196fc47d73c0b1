"""The faultkit exception family.

Every error faultkit raises derives from :class:`FaultkitError`. Errors caused by
bad input also inherit :class:`ValueError`, so ``except ValueError`` keeps working
in code that does not know faultkit.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MISSING",
    "CommandRefusedError",
    "CorruptRecordError",
    "DiagramTooLargeError",
    "FaultkitError",
    "InvalidInputError",
    "MissingGlyphsError",
    "ProblemRefusedError",
    "RecordNotFoundError",
    "RerateRefusedError",
    "StorageConflictError",
    "StorageError",
    "TransitionRefusedError",
    "WorkflowDefinitionError",
]


class _Missing:
    """The value of a required field that was not given at all."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
"""Stands for the value of a required field that was absent from the input."""

_MAX_VALUE_REPR = 80


def _short_repr(value: Any) -> str:
    """``repr(value)``, cut to a readable length (huge inputs stay readable)."""
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<unrepresentable {type(value).__name__}>"
    if len(text) > _MAX_VALUE_REPR:
        text = f"{text[: _MAX_VALUE_REPR - 15]}...<{len(text)} chars>"
    return text


class FaultkitError(Exception):
    """Root of every error faultkit raises."""


class InvalidInputError(FaultkitError, ValueError):
    """A value given to faultkit is not acceptable: the caller's input is at fault.

    Attributes:
        field: dotted path to the offending field, with list indexes
            (``"steps[2].at"``); ``""`` when the whole input is at fault.
        value: the offending value, as given.
        reason: what is wrong with it, in words.
        line: for values read from a file, the 1-based line (or record) number;
            otherwise ``None``.
    """

    field: str
    value: Any
    reason: str
    line: int | None

    def __init__(self, field: str, value: Any, reason: str, *, line: int | None = None) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        self.line = line
        super().__init__(self._message())

    def _message(self) -> str:
        where = self.field or "input"
        if self.line is not None:
            where = f"line {self.line}: {where}"
        if self.value is MISSING:
            return f"{where}: {self.reason}"
        return f"{where}: {self.reason} (got {_short_repr(self.value)})"

    def at_path(self, prefix: str) -> InvalidInputError:
        """Return a copy whose field path is nested under ``prefix``.

        ``InvalidInputError("at", v, r).at_path("steps[2]")`` names ``steps[2].at``.
        """
        if not prefix:
            return self
        if not self.field:
            field = prefix
        elif self.field.startswith("["):
            field = f"{prefix}{self.field}"
        else:
            field = f"{prefix}.{self.field}"
        return type(self)(field, self.value, self.reason, line=self.line)

    def at_line(self, line: int) -> InvalidInputError:
        """Return a copy that names the file line (or record number) ``line``."""
        return type(self)(self.field, self.value, self.reason, line=line)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_invalid_input,
            (type(self), self.field, self.value, self.reason, self.line),
        )


def _rebuild_invalid_input(
    cls: type[InvalidInputError], field: str, value: Any, reason: str, line: int | None
) -> InvalidInputError:
    return cls(field, value, reason, line=line)


class WorkflowDefinitionError(FaultkitError, ValueError):
    """A workflow table is not a valid workflow; the message names the problem.

    Raised when a workflow is built: an unknown state or requirement name, an
    unreachable state, a non-terminal state with no way out, a trigger that is
    ambiguous from one state, and the like.

    Attributes:
        problem: what is wrong with the table, in words.
    """

    problem: str

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problem,))


class MissingGlyphsError(FaultkitError, LookupError):
    """A PNG chart's labels hold characters no installed font can draw.

    The chart is refused rather than drawn with empty boxes; the machine lacks a font
    (for Chinese: Noto Sans CJK or WenQuanYi), the labels are not at fault. Also raised
    for Arabic, Hebrew or Indic labels when matplotlib is too old (before 3.11) to
    shape them.

    Attributes:
        characters: the characters missing (the first 20).
        reason: what to do about it.
    """

    characters: str
    reason: str

    def __init__(self, characters: str, reason: str) -> None:
        self.characters = characters
        self.reason = reason
        super().__init__(f"{reason} (missing: {characters!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.characters, self.reason))


class DiagramTooLargeError(FaultkitError, ValueError):
    """A five-whys tree or fishbone is too large to draw readably within its limits.

    Raised instead of drawing overlapping or unreadably small text; the limits are
    data (:class:`faultkit.rca.DiagramLimits`): raise them, or split the analysis.

    Attributes:
        limit: the limit exceeded (``"max_nodes"``, ``"max_causes_per_bone"``...).
        size: the size found.
        maximum: the limit's value.
        where: what is too large (``"five-whys 'w1'"``, ``"bone 'Machine'"``).
    """

    limit: str
    size: float
    maximum: float
    where: str

    def __init__(self, limit: str, size: float, maximum: float, where: str) -> None:
        self.limit = limit
        self.size = size
        self.maximum = maximum
        self.where = where
        super().__init__(
            f"{where} is too large to draw readably: {size:g} is over {limit} = {maximum:g} "
            "(raise the limit in DiagramLimits, or split the analysis)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.limit, self.size, self.maximum, self.where))


class TransitionRefusedError(FaultkitError):
    """A rule of the workflow refuses the transition (the input itself was valid).

    Attributes:
        state: the state the fault is in.
        trigger: the trigger that was fired.
        allowed: the triggers the workflow defines from ``state``.
        unmet: each unmet requirement as ``(name, what is missing)``; empty when
            ``trigger`` does not lead anywhere from ``state``.
    """

    state: str
    trigger: str
    allowed: tuple[str, ...]
    unmet: tuple[tuple[str, str], ...]

    def __init__(
        self,
        state: str,
        trigger: str,
        allowed: tuple[str, ...],
        unmet: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.state = state
        self.trigger = trigger
        self.allowed = allowed
        self.unmet = unmet
        super().__init__(self._message())

    def _message(self) -> str:
        allowed = ", ".join(self.allowed) or "none"
        if not self.unmet:
            return (
                f"trigger {self.trigger!r} is not allowed from state {self.state!r} "
                f"(allowed from there: {allowed})"
            )
        missing = "; ".join(f"{name}: {text}" for name, text in self.unmet)
        return (
            f"trigger {self.trigger!r} refused in state {self.state!r}: {missing} "
            f"(allowed from there: {allowed})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.state, self.trigger, self.allowed, self.unmet))


class CommandRefusedError(FaultkitError):
    """A rule of the fault case refuses a command (the input itself was valid).

    Nothing was appended to the fault's stream.

    Attributes:
        fault_id: the fault.
        command: the command given (``"set_severity"``, ``"advance_action"``...).
        rule: the rule that refuses it (``"override_needs_reason"``...).
        detail: what is wrong, with the values.
    """

    fault_id: str
    command: str
    rule: str
    detail: str

    def __init__(self, fault_id: str, command: str, rule: str, detail: str) -> None:
        self.fault_id = fault_id
        self.command = command
        self.rule = rule
        self.detail = detail
        super().__init__(f"fault {fault_id!r}: {command} refused ({rule}): {detail}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.fault_id, self.command, self.rule, self.detail))


class ProblemRefusedError(FaultkitError):
    """A rule of a problem record refuses a command or a trigger (the input itself was valid).

    Nothing was appended to the problem's stream.

    Attributes:
        problem_id: the problem.
        command: the command or trigger given (``"link_fault"``, ``"resolve"``...).
        rule: the rule that refuses it (``"workflow"`` for a trigger the table refuses,
            ``"analysis_of_this_problem"``...).
        detail: what is wrong, with the values (for a trigger: the state, each unmet
            requirement and the triggers allowed from there).
    """

    problem_id: str
    command: str
    rule: str
    detail: str

    def __init__(self, problem_id: str, command: str, rule: str, detail: str) -> None:
        self.problem_id = problem_id
        self.command = command
        self.rule = rule
        self.detail = detail
        super().__init__(f"problem {problem_id!r}: {command} refused ({rule}): {detail}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problem_id, self.command, self.rule, self.detail))


class RerateRefusedError(FaultkitError):
    """An FMEA rule refuses a re-rating of a risk item (the input itself was valid).

    The item is left as it was. See :mod:`faultkit.rca.rerating` for the rules.

    Attributes:
        item_id: the risk item.
        rating: the rating the rule is about (``"severity"``, ``"occurrence"``,
            ``"detection"``).
        before: its value before the re-rating.
        after: the value asked for.
        rule: the rule that refuses it (``"severity_lowers_only_with_a_design_change"``...).
        detail: what is missing, in words.
    """

    item_id: str
    rating: str
    before: int
    after: int
    rule: str
    detail: str

    def __init__(
        self, item_id: str, rating: str, before: int, after: int, rule: str, detail: str
    ) -> None:
        self.item_id = item_id
        self.rating = rating
        self.before = before
        self.after = after
        self.rule = rule
        self.detail = detail
        super().__init__(
            f"risk item {item_id!r}: {rating} {before} -> {after} refused ({rule}): {detail}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self.item_id, self.rating, self.before, self.after, self.rule, self.detail),
        )


class StorageError(FaultkitError):
    """A store cannot do what was asked (root of the storage errors).

    Raised as such when a database holds a schema this faultkit does not know (written
    by a newer version).
    """


class StorageConflictError(StorageError):
    """A save was based on a version that is no longer the stored one.

    Optimistic concurrency: the caller saves with the version it read; when someone
    else saved in between, the versions differ. Re-read the record, re-apply the
    change and save again.

    Attributes:
        key: the record's key (a fault id, ...).
        expected: the version the caller read (0: the caller expected no record).
        found: the version stored now (0: there is no record).
    """

    key: str
    expected: int
    found: int

    def __init__(self, key: str, expected: int, found: int) -> None:
        self.key = key
        self.expected = expected
        self.found = found
        super().__init__(self._message())

    def _message(self) -> str:
        if self.expected == 0:
            return f"{self.key!r} already exists (version {self.found})"
        if self.found == 0:
            return f"{self.key!r}: expected version {self.expected}, found no record"
        return (
            f"{self.key!r}: expected version {self.expected}, found version {self.found} "
            "(re-read and retry)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key, self.expected, self.found))


class RecordNotFoundError(StorageError, KeyError):
    """No record is stored under the key.

    Attributes:
        key: the key asked for.
    """

    key: str

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)

    def __str__(self) -> str:
        return f"no record stored under {self.key!r}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key,))


class CorruptRecordError(StorageError, ValueError):
    """A stored record cannot be read back: it is reported with its key, not crashed on.

    Attributes:
        key: the record's key.
        reason: what is wrong with the stored data.
    """

    key: str
    reason: str

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"stored record {key!r} is corrupt: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key, self.reason))
