"""``faultkit diagram``: a workflow as Mermaid, or an RCA picture (fishbone, five-whys tree).

Without INPUT or ``--db``, the command writes a workflow's Mermaid state diagram (as
it always did). With INPUT (a JSON file of a five-whys tree, a fishbone or a whole
analysis, as :mod:`faultkit.rca.codec` writes them) or ``--db FILE --fault ID`` (the
analysis stored with a fault in a SQLite store, read through
:class:`~faultkit.adapters.sql.SqlStore` without changing the file), it draws the
fishbone or a five-whys tree as SVG (no dependency), PNG (the ``plot`` extra) or
Mermaid. The output goes through :class:`~faultkit.adapters.files.AtomicWriter`.

Bad input is one line and exit status 2: a file that is not JSON or not an RCA
record (naming the field path), a fault that is not stored or has no analysis, an
analysis whose tree is ambiguous, a picture past
:class:`~faultkit.rca.DiagramLimits` (:class:`~faultkit.errors.DiagramTooLargeError`),
a label no installed font can draw in a PNG. A file that cannot be written is exit
status 3, and leaves what was there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from faultkit.adapters.exports import WORKFLOWS
from faultkit.adapters.files import write_atomically
from faultkit.cli._common import emit, fail_usage, refuse_overwrite, resolve_workflow
from faultkit.errors import (
    DiagramTooLargeError,
    InvalidInputError,
    MissingGlyphsError,
    RecordNotFoundError,
    StorageError,
)
from faultkit.lifecycle.diagram import mermaid
from faultkit.rca import (
    Analysis,
    DiagramStyle,
    Fishbone,
    FiveWhys,
    analysis_from_dict,
    fishbone_from_dict,
    fishbone_layout,
    fishbone_mermaid,
    five_whys_from_dict,
    five_whys_layout,
    five_whys_mermaid,
    layout_svg,
)

__all__ = ["diagram"]

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FORMATS = ("mermaid", "svg", "png")
"""The choices of ``--format``."""


def read_rca_json(data: bytes, source: str) -> FiveWhys | Fishbone | Analysis:
    """A five-whys tree, fishbone or analysis from JSON text, told apart by its keys.

    An analysis has ``fault_id``, a fishbone ``effect``, a five-whys tree ``problem``.

    Raises:
        InvalidInputError: not JSON (``line`` names the line), not an object, none of
            the three, or not a valid one (``field`` is the path).
    """
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            source, exc.doc[exc.pos : exc.pos + 20], f"not JSON: {exc.msg}", line=exc.lineno
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInputError(source, data[:20], f"not a JSON document: {exc}") from None
    if not isinstance(parsed, dict):
        raise InvalidInputError(source, type(parsed).__name__, "expected a JSON object")
    if "fault_id" in parsed:
        return analysis_from_dict(parsed)
    if "effect" in parsed:
        return fishbone_from_dict(parsed)
    if "problem" in parsed:
        return five_whys_from_dict(parsed)
    raise InvalidInputError(
        source,
        sorted(parsed)[:8],
        "not an RCA record: expected an analysis (fault_id), a fishbone (effect) or a "
        "five-whys tree (problem)",
    )


def stored_analysis(db: str, fault_id: str) -> Analysis:
    """The analysis stored with fault ``fault_id`` in the SQLite store ``db`` (read only).

    Raises:
        click.UsageError: no such fault, no analysis, or not a faultkit store.
    """
    try:
        from faultkit.adapters.sql import SqlStore
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise click.UsageError(
            "--db needs SQLAlchemy: install faultkit[sql] (pip install '.[sql]' in a clone)"
        ) from None
    try:
        store = SqlStore(f"sqlite:///{Path(db).resolve()}", upgrade=False)
    except StorageError as error:
        raise click.UsageError(f"--db {db}: {error}") from None
    try:
        fault = store.faults.get(fault_id).item
    except RecordNotFoundError:
        raise click.UsageError(f"--fault {fault_id!r}: no such fault in {db}") from None
    except StorageError as error:
        raise click.UsageError(f"--db {db}: {error}") from None
    finally:
        store.close()
    analysis = fault.analysis
    if analysis is None:
        raise click.UsageError(f"--fault {fault_id!r}: the fault has no analysis in {db}")
    if not isinstance(analysis, Analysis):
        raise click.UsageError(
            f"--fault {fault_id!r}: its analysis is a {type(analysis).__name__}, "
            "not a faultkit.rca.Analysis"
        )
    return analysis


def pick(record: FiveWhys | Fishbone | Analysis, tree_id: str | None) -> FiveWhys | Fishbone:
    """What to draw: the record itself, or from an analysis ``--tree ID``, else its
    fishbone, else its only tree.

    Raises:
        click.UsageError: the tree is not in the analysis, or the choice is ambiguous.
    """
    if not isinstance(record, Analysis):
        if tree_id is not None:
            raise click.UsageError("--tree picks a tree of an analysis; INPUT holds one record")
        return record
    ids = ", ".join(t.id for t in record.trees) or "none"
    if tree_id is not None:
        for tree in record.trees:
            if tree.id == tree_id:
                return tree
        raise click.UsageError(f"--tree {tree_id!r}: not a tree of the analysis (trees: {ids})")
    if record.fishbone is not None:
        return record.fishbone
    if len(record.trees) == 1:
        return record.trees[0]
    if not record.trees:
        raise click.UsageError(f"the analysis of {record.fault_id!r} has no fishbone and no tree")
    raise click.UsageError(
        f"the analysis of {record.fault_id!r} has {len(record.trees)} trees and no fishbone: "
        f"pick one with --tree ({ids})"
    )


def render(
    drawn: FiveWhys | Fishbone, fmt: str, font_size: float, dpi: float
) -> tuple[bytes, dict[str, Any]]:
    """The picture's bytes and its summary facts (kind, id, nodes, size)."""
    is_tree = isinstance(drawn, FiveWhys)
    facts: dict[str, Any] = {
        "drawn": "five_whys" if is_tree else "fishbone",
        "id": drawn.id,
        "nodes": len(drawn.steps) if isinstance(drawn, FiveWhys) else len(drawn.causes),
    }
    if fmt == "mermaid":
        text = five_whys_mermaid(drawn) if isinstance(drawn, FiveWhys) else fishbone_mermaid(drawn)
        return text.encode("utf-8"), facts
    base = DiagramStyle()
    scale = font_size / base.font_size  # label width and gaps grow with the text
    style = DiagramStyle(
        font_size=font_size, label_width=base.label_width * scale, gap=base.gap * scale
    )
    layout = (
        five_whys_layout(drawn, style=style)
        if isinstance(drawn, FiveWhys)
        else fishbone_layout(drawn, style=style)
    )
    facts["width"] = round(layout.width)
    facts["height"] = round(layout.height)
    if fmt == "svg":
        return layout_svg(layout).encode("utf-8"), facts
    from faultkit.rca.png import layout_png

    try:
        data = layout_png(layout, dpi=dpi)
    except ImportError:
        raise click.UsageError(
            "--format png needs matplotlib: install faultkit[plot] "
            "(pip install '.[plot]' in a clone of faultkit)"
        ) from None
    facts["width"] = round(layout.width * dpi / 100)
    facts["height"] = round(layout.height * dpi / 100)
    return data, facts


@click.command(
    context_settings=_CONTEXT,
    epilog="""\b
Examples:
  faultkit diagram --workflow itil
  faultkit diagram --workflow procedure -o procedure.mmd
  faultkit diagram analysis.json -o fishbone.svg
  faultkit diagram analysis.json --tree w1 --format png -o why.png
  faultkit diagram --db faults.db --fault F-1042 -o rca.svg --json
""",
)
@click.argument(
    "input_path",
    metavar="[INPUT]",
    required=False,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
)
@click.option(
    "--workflow",
    metavar="NAME|FILE",
    default=None,
    help=f"Draw a workflow ({' | '.join(sorted(WORKFLOWS))}, or a workflow file) as Mermaid "
    "[default without INPUT or --db: itil].",
)
@click.option(
    "--db",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="Draw the analysis stored with --fault in this SQLite store (read only).",
)
@click.option("--fault", "fault_id", metavar="ID", help="The fault whose analysis --db holds.")
@click.option("--tree", "tree_id", metavar="ID", help="Of an analysis, draw this five-whys tree.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="svg (the default for RCA), png (the plot extra) or mermaid (a workflow's only).",
)
@click.option(
    "--font-size",
    type=click.FloatRange(min=0, min_open=True, max=200),
    default=13.0,
    show_default=True,
    help="Text size in pixels (SVG, PNG); under 9 is refused as unreadable.",
)
@click.option(
    "--dpi", type=click.FloatRange(min=10, max=1000), default=100.0, show_default=True, help="PNG."
)
@click.option("-o", "--output", default="-", metavar="PATH", help="Where to write ('-': stdout).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
def diagram(
    input_path: str | None,
    workflow: str | None,
    db: str | None,
    fault_id: str | None,
    tree_id: str | None,
    fmt: str | None,
    font_size: float,
    dpi: float,
    output: str,
    as_json: bool,
) -> None:
    """Draw a workflow (Mermaid) or an RCA fishbone / five-whys tree (SVG, PNG, Mermaid).

    INPUT is a JSON file of a five-whys tree, a fishbone or an analysis ('-': stdin);
    or give --db and --fault to draw a stored analysis. Of an analysis, the fishbone
    is drawn, or the tree named by --tree, or its only tree.
    """
    if input_path is None and db is None and fault_id is None:
        _workflow(workflow or "itil", fmt, output, as_json)
        return
    if workflow is not None:
        raise click.UsageError("--workflow draws a workflow: leave out INPUT, --db and --fault")
    if input_path is not None and (db is not None or fault_id is not None):
        raise click.UsageError("give INPUT or --db with --fault, not both")
    if (db is None) != (fault_id is None):
        raise click.UsageError("--db and --fault go together")
    fmt = fmt or "svg"
    terminal = sys.stdout is not None and sys.stdout.isatty()
    if output == "-" and fmt == "png" and (as_json or terminal):
        raise click.UsageError("a PNG needs -o PATH here (stdout is a terminal or the summary)")
    record: FiveWhys | Fishbone | Analysis
    if input_path is not None:
        refuse_overwrite(input_path, {"-o": output})
        source = "stdin" if input_path == "-" else input_path
        with click.open_file(input_path, "rb") as stream:
            data = stream.read()
        try:
            record = read_rca_json(data, source)
        except InvalidInputError as error:
            text = str(error)
            raise click.UsageError(text if source in text else f"{source}: {text}") from None
    else:
        db, fault_id = str(db), str(fault_id)  # both given (checked above)
        refuse_overwrite(db, {"-o": output})
        source = f"{db} fault {fault_id}"
        record = stored_analysis(db, fault_id)
    drawn = pick(record, tree_id)
    try:
        picture, facts = render(drawn, fmt, font_size, dpi)
    except (InvalidInputError, DiagramTooLargeError) as error:
        raise fail_usage(error) from None
    except MissingGlyphsError as error:
        raise click.UsageError(f"--format png: {error}") from None
    summary = {"command": "diagram", "source": source, **facts, "format": fmt, "output": output}
    if output == "-" and as_json and fmt != "png":
        summary["picture"] = picture.decode("utf-8")
        emit(summary, [], as_json=True, to_stderr=False)
        return
    write_atomically(output, picture)
    if output == "-":
        return
    what = "five-whys tree" if facts["drawn"] == "five_whys" else "fishbone"
    emit(
        summary,
        [f"wrote the {what} {drawn.id!r} ({facts['nodes']} nodes) as {fmt} to {output}"],
        as_json=as_json,
        to_stderr=False,
    )


def _workflow(name: str, fmt: str | None, output: str, as_json: bool) -> None:
    if fmt not in (None, "mermaid"):
        raise click.UsageError("a workflow is drawn as Mermaid only (--format mermaid)")
    flow = resolve_workflow(name)
    text = mermaid(flow)
    summary = {
        "command": "diagram",
        "workflow": flow.name,
        "states": len(flow.states),
        "transitions": len(flow.pairs),
        "output": output,
        "mermaid": text,
    }
    if output == "-":
        if as_json:
            emit(summary, [], as_json=True, to_stderr=False)
        else:
            click.echo(text, nl=False)
        return
    write_atomically(output, text.encode("utf-8"))
    if as_json:
        emit(summary, [], as_json=True, to_stderr=False)
    else:
        click.echo(f"wrote the {flow.name} workflow diagram to {output}")
