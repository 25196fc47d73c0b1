"""Mermaid state diagrams of workflow tables.

The diagram is generated from the table itself (the same data the engine and the bulk
validator read), so it cannot drift from the rules; the built-in workflows' diagrams
are committed under ``docs/diagrams/`` and a test fails when one is out of date.
"""

from __future__ import annotations

from faultkit.lifecycle.workflow import StateCategory, Workflow

__all__ = ["mermaid"]

_STYLE = {
    StateCategory.OPEN: "fill:#e8f0fe,stroke:#4a6fa5",
    StateCategory.ACTIVE: "fill:#fff4e0,stroke:#b7791f",
    StateCategory.ON_HOLD: "fill:#f3e8ff,stroke:#6b46c1",
    StateCategory.RESOLVED: "fill:#e6fffa,stroke:#2c7a7b",
    StateCategory.CLOSED: "fill:#edf2f7,stroke:#4a5568",
}


def mermaid(workflow: Workflow) -> str:
    """The workflow as a Mermaid ``stateDiagram-v2``, one edge per (source, trigger).

    Edges are labelled with the trigger and, in brackets, the requirements it checks;
    states are coloured by category; ``[*]`` marks the initial and the terminal states.
    """
    lines = ["stateDiagram-v2", f"    [*] --> {workflow.initial}"]
    for state in workflow.states:
        if state.description:
            lines.append(f"    {state.name} : {state.description}")
    for row in workflow.transitions:
        label = row.trigger
        if row.requires:
            label += f" [{', '.join(row.requires)}]"
        lines.extend(f"    {source} --> {row.dest} : {label}" for source in row.sources)
    for state in workflow.states:
        if state.terminal:
            lines.append(f"    {state.name} --> [*]")
    for category in StateCategory:
        names = [s.name for s in workflow.states if s.category is category]
        if names:
            lines.append(f"    classDef category_{category.value} {_STYLE[category]}")
            lines.append(f"    class {','.join(names)} category_{category.value}")
    return "\n".join(lines) + "\n"
