"""Random command sequences on a stored problem, against a model written apart from the table.

The model is ITIL 4 problem control in words, coded by hand (it does not read
``PROBLEM_WORKFLOW``): a wrong row of the table, or a requirement that lets through
what it should refuse, shows up as a disagreement. Refused commands are part of the
walk; after each step: replay equals state, the history never shrinks or changes, the
stored problem is the one in hand, and a stale save conflicts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from faultkit.errors import ProblemRefusedError, StorageConflictError
from faultkit.lifecycle import FactChange
from faultkit.models import Person
from faultkit.problems import Problem, ProblemStatus
from faultkit.serialization import from_dict, to_dict
from faultkit.storage import MemoryStore, ProblemQuery
from faultkit.testing.problems import apply_command, problem_commands

ANN = Person(id="ann", name="Ann")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# status -> trigger -> next status (requirements are checked by expected_refusal)
MODEL: dict[str, dict[str, str]] = {
    "new": {"start_analysis": "analysing", "close": "closed"},
    "analysing": {"declare_known_error": "known_error", "resolve": "resolved", "close": "closed"},
    "known_error": {"resolve": "resolved", "close": "closed"},
    "resolved": {"close": "closed", "reopen": "analysing"},
    "closed": {"reopen": "analysing"},
}

# Commands of the way from new to closed, drawn more often so that walks get there.
HAPPY: list[tuple[str, object]] = [
    ("fire", "start_analysis"),
    ("fire", "declare_known_error"),
    ("fire", "resolve"),
    ("fire", "close"),
    ("record_root_cause", "feed timing"),
    ("record_workaround", "roll back"),
    ("attach_analysis", (True, False)),
    ("attach_analysis", (True, True)),
    ("record_fix", "CHG-1"),
    ("record_verification", (True, True)),
]


def model_allows(problem: Problem, trigger: str, reason: bool, at: datetime) -> bool:
    """Whether the procedure in words allows ``trigger`` now."""
    status = problem.status.value
    if trigger not in MODEL[status]:
        return False
    if trigger == "declare_known_error":
        return problem.root_cause is not None and problem.workaround is not None
    if trigger == "resolve":
        analysis = problem.analysis
        if analysis is None:
            return False
        verified = any(s.verified for s in analysis.root_causes()) or (
            analysis.fishbone is not None
            and any(c.status.value == "verified" for c in analysis.fishbone.causes)
        )
        return verified and problem.fix is not None
    if trigger == "close" and status == "resolved":
        check = problem.verification
        last_resolve = [e.at for e in problem.history if e.to_state == "resolved"][-1]
        return (
            check is not None
            and check.effective
            and bool(check.evidence)
            and check.verified_at >= last_resolve
        )
    if trigger in ("close", "reopen"):
        return reason  # close without a fix, reopen
    return True  # start_analysis


class ProblemMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = MemoryStore()
        self.problem = Problem.open(id="PRB-1", title="Jams", product="printer", actor=ANN, at=T0)
        self.version = self.store.problems.add(self.problem)
        self.seen: tuple[object, ...] = ()
        self.refused = 0

    def _save(self, changed: Problem) -> None:
        self.version = self.store.problems.save(changed, expected_version=self.version)
        self.problem = changed

    @rule(command=problem_commands(), minutes=st.integers(0, 300))
    def command(self, command: tuple[str, object], minutes: int) -> None:
        self._do(command, minutes)

    @rule(command=st.sampled_from(HAPPY), minutes=st.integers(0, 300))
    def happy_path(self, command: tuple[str, object], minutes: int) -> None:
        self._do(command, minutes)

    def _do(self, command: tuple[str, object], minutes: int) -> None:
        before = self.problem
        name, arg = command
        step = timedelta(minutes=minutes)
        expected: bool | None = None
        if name in ("fire", "fire_with_reason"):
            at = before.last_changed_at + step
            expected = model_allows(before, str(arg), name == "fire_with_reason", at)
        refused: ProblemRefusedError | None = None
        try:
            changed = apply_command(before, command, ANN, step)
        except ProblemRefusedError as error:
            refused = error
        if refused is not None:
            self.refused += 1
            assert refused.problem_id == "PRB-1"
            assert expected is not True, f"the model allows {command} from {before.status}"
            assert self.problem is before
            return
        assert expected is not False, f"the model refuses {command} from {before.status}"
        # A reopen voids the verification of the fix that did not hold, by an event.
        voids = name == "fire_with_reason" and arg == "reopen" and before.verification is not None
        assert len(changed.events) == len(before.events) + 1 + voids
        if voids:
            void = changed.events[-1]
            assert isinstance(void, FactChange)
            assert (void.fact, void.command, void.before, void.after) == (
                "verification",
                "reopen",
                before.verification,
                None,
            )
            assert changed.verification is None
        if name in ("fire", "fire_with_reason"):
            assert changed.status.value == MODEL[before.status.value][str(arg)]
        self._save(changed)

    @rule()
    def stale_save_conflicts(self) -> None:
        if self.version < 2:
            return
        with pytest.raises(StorageConflictError):
            self.store.problems.save(self.problem, expected_version=self.version - 1)

    @invariant()
    def replay_equals_state(self) -> None:
        p = self.problem
        again = Problem(record=p.record, events=p.events)
        assert again == p
        assert again.status is p.status
        assert again.linked_faults == p.linked_faults
        assert again.known_error() == p.known_error()
        assert from_dict(to_dict(p), Problem) == p

    @invariant()
    def history_never_shrinks_or_changes(self) -> None:
        events = self.problem.events
        assert events[: len(self.seen)] == self.seen
        self.seen = events

    @invariant()
    def stored_is_in_hand(self) -> None:
        got = self.store.problems.get("PRB-1")
        assert (got.item, got.version) == (self.problem, self.version)
        page = self.store.problems.query(ProblemQuery(statuses=self.problem.status))
        assert [v.item.id for v in page.items] == ["PRB-1"]

    @invariant()
    def known_error_has_root_cause_and_workaround(self) -> None:
        p = self.problem
        if p.status is ProblemStatus.KNOWN_ERROR:
            assert p.known_error() is not None
        if p.is_known_error:
            assert p.root_cause is not None
            assert p.known_error_workaround() == p.workaround


ProblemMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
TestProblemMachine = ProblemMachine.TestCase
