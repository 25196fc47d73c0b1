"""Drawing five-whys trees and fishbones: Mermaid diagrams and indented outlines.

Mermaid text is displayed by GitHub and by MkDocs (Material, with a ``mermaid``
fence). Node names in the diagram are generated (``n0``, ``n1`` ...), so ids of any
shape are safe; labels are escaped with Mermaid's entity codes. Rendering walks the
stored depth-first order: no recursion, time linear in the number of nodes.
"""

from __future__ import annotations

import re

from faultkit.rca.fishbone import CauseStatus, Fishbone
from faultkit.rca.five_whys import FiveWhys, StepRole, WhyStep

__all__ = [
    "fishbone_mermaid",
    "fishbone_outline",
    "five_whys_mermaid",
    "five_whys_outline",
]

_ENTITIES = str.maketrans(
    {
        "#": "#35;",
        '"': "#quot;",
        "&": "#amp;",
        "<": "#lt;",
        ">": "#gt;",
        "`": "#96;",
    }
)


# Characters that need an entity code in a quoted label, or end a line.
_SPECIAL = re.compile('[#"&<>`\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]')


def _label(text: str) -> str:
    """Escape ``text`` for a quoted Mermaid label; line breaks become ``<br/>``."""
    if _SPECIAL.search(text) is None:
        return text
    lines = text.translate(_ENTITIES).splitlines() or [""]
    return "<br/>".join(lines)


def _inline(text: str) -> str:
    """One line of outline text: line breaks folded into spaces."""
    return " ".join(text.split())


def _step_label(step: WhyStep) -> str:
    text = step.answer if step.answer.strip() else "(no answer yet)"
    if step.role is StepRole.ROOT_CAUSE:
        head = "Root cause"
        if step.category is not None:
            head += f" ({step.category})"
        text = f"{head}: {text}"
    elif step.role is StepRole.CONTRIBUTING_FACTOR:
        text = f"Contributing factor: {text}"
    if step.verified:
        text += " (verified)"
    return _label(text)


def five_whys_mermaid(tree: FiveWhys) -> str:
    """A Mermaid flowchart of ``tree``: the problem at the top, answers below.

    Root causes are drawn with the ``root`` class (red), contributing factors with
    ``factor`` (amber); verified answers say so.
    """
    names = {step.id: f"n{i}" for i, step in enumerate(tree.steps)}
    lines = ["flowchart TD", f'    problem["Problem: {_label(tree.problem)}"]']
    for step in tree.steps:
        name = names[step.id]
        style = _STYLES[step.role]
        parent = "problem" if step.parent is None else names[step.parent]
        edge = "-->|why?|" if step.question is None else f'-->|"{_label(step.question)}"|'
        lines.append(f'    {name}["{_step_label(step)}"]{style}\n    {parent} {edge} {name}')
    lines.append("    classDef root fill:#fde2e1,stroke:#c62828,stroke-width:2px")
    lines.append("    classDef factor fill:#fff4ce,stroke:#b26a00")
    lines.append("")  # a final newline, without copying the text again
    return "\n".join(lines)


_STYLES = {
    StepRole.CAUSE: "",
    StepRole.ROOT_CAUSE: ":::root",
    StepRole.CONTRIBUTING_FACTOR: ":::factor",
}


def five_whys_outline(tree: FiveWhys) -> str:
    """An indented Markdown outline of ``tree`` (two spaces a level)."""
    lines = [f"**Problem:** {_inline(tree.problem)}", ""]
    depth = tree._index.depth
    for step in tree.steps:
        text = _inline(step.answer) or "(no answer yet)"
        if step.role is StepRole.ROOT_CAUSE:
            category = f" ({_inline(step.category)})" if step.category is not None else ""
            text = f"**Root cause{category}:** {text}"
        elif step.role is StepRole.CONTRIBUTING_FACTOR:
            text = f"*Contributing factor:* {text}"
        notes = []
        if step.verified:
            notes.append("verified")
        if step.evidence:
            notes.append("evidence: " + ", ".join(_inline(e) for e in step.evidence))
        if notes:
            text += f" [{'; '.join(notes)}]"
        indent = "  " * (depth[step.id] - 1)
        lines.append(f"{indent}- {text}")
    lines.append("")  # a final newline, without copying the text again
    return "\n".join(lines)


def _cause_note(votes: int, status: CauseStatus) -> str:
    notes = []
    if votes:
        notes.append(f"{votes} vote{'s' if votes != 1 else ''}")
    if status is not CauseStatus.OPEN:
        notes.append(status.value.replace("_", " "))
    return f" ({', '.join(notes)})" if notes else ""


_CAUSE_STYLES = {
    CauseStatus.OPEN: "",
    CauseStatus.VERIFIED: ":::verified",
    CauseStatus.RULED_OUT: ":::ruled_out",
}
_NOTES = {
    (votes, status): _cause_note(votes, status) for votes in range(10) for status in CauseStatus
}


def fishbone_mermaid(fishbone: Fishbone) -> str:
    """A Mermaid flowchart of ``fishbone``, left to right: causes -> bones -> effect.

    Verified causes use the ``verified`` class (green), ruled-out ones ``ruled_out``
    (grey, dashed).
    """
    lines = ["flowchart LR", f'    effect[["{_label(fishbone.effect)}"]]']
    bones = {}
    for i, category in enumerate(fishbone.categories):
        bones[category] = f"b{i}"
        lines.append(f'    b{i}(["{_label(category)}"]) --> effect')
    names = {cause.id: f"n{i}" for i, cause in enumerate(fishbone.causes)}
    for cause in fishbone.causes:
        name = names[cause.id]
        note = _NOTES.get((cause.votes, cause.status))
        if note is None:
            note = _cause_note(cause.votes, cause.status)
        if cause.parent is None:
            assert cause.category is not None  # checked at construction
            target = bones[cause.category]
        else:
            target = names[cause.parent]
        lines.append(
            f'    {name}["{_label(cause.text + note)}"]{_CAUSE_STYLES[cause.status]}'
            f"\n    {name} --> {target}"
        )
    lines.append("    classDef verified fill:#e3f4e1,stroke:#2e7d32,stroke-width:2px")
    lines.append("    classDef ruled_out fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:4 3")
    lines.append("")  # a final newline, without copying the text again
    return "\n".join(lines)


def fishbone_outline(fishbone: Fishbone) -> str:
    """An indented Markdown outline of ``fishbone``: one list per category."""
    lines = [f"**Effect:** {_inline(fishbone.effect)}", ""]
    depth = fishbone._index.depth
    by_category: dict[str, list[str]] = {c: [] for c in fishbone.categories}
    current: list[str] = []
    for cause in fishbone.causes:
        if cause.parent is None:
            assert cause.category is not None  # checked at construction
            current = by_category[cause.category]
        note = _NOTES.get((cause.votes, cause.status))
        if note is None:
            note = _cause_note(cause.votes, cause.status)
        text = _inline(cause.text) + note
        if cause.evidence:
            text += " [evidence: " + ", ".join(_inline(e) for e in cause.evidence) + "]"
        if cause.five_whys is not None:
            text += f" -> five-whys {_inline(cause.five_whys)}"
        current.append(f"{'  ' * depth[cause.id]}- {text}")
    for category in fishbone.categories:
        lines.append(f"- **{_inline(category)}**")
        lines.extend(by_category[category] or ["  - (no causes)"])
    lines.append("")  # a final newline, without copying the text again
    return "\n".join(lines)
