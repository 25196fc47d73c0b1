"""``faultkit example``: write the bundled example export (real ServiceNow data)."""

from __future__ import annotations

from pathlib import Path

import click

from faultkit._data import data_bytes
from faultkit.adapters.files import standard_buffer, write_atomically
from faultkit.cli._common import emit
from faultkit.cli._guard import CONTEXT_SETTINGS

__all__ = ["EXAMPLE_NAME", "example"]

EXAMPLE_NAME = "servicenow_incidents_sample.csv"
"""The file name ``faultkit example`` writes by default."""


@click.command(
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  faultkit example
  faultkit example incidents.csv
  faultkit example - | head
""",
)
@click.argument("dest", default=EXAMPLE_NAME, metavar="[DEST]")
@click.option("--force", is_flag=True, help="Overwrite DEST if it holds something else.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def example(dest: str, force: bool, as_json: bool) -> None:
    """Write the bundled example export (real ServiceNow data) to DEST.

    The sample is the first 50 incidents (308 rows) of the "Incident management
    process enriched event log", UCI Machine Learning Repository (Amaral, Fantinato,
    Reijers, Peres, 2018), licensed CC BY 4.0. DEST defaults to
    servicenow_incidents_sample.csv in the current directory; '-' writes to stdout.
    """
    data = data_bytes(EXAMPLE_NAME)
    rows = data.count(b"\n") - 1
    if dest == "-":
        out = standard_buffer("stdout")
        out.write(data)
        out.flush()
        return
    target = Path(dest)
    if target.exists() and not force and target.read_bytes() != data:
        raise click.UsageError(f"{dest} exists and differs from the example; pass --force")
    write_atomically(dest, data)
    summary = {
        "command": "example",
        "output": dest,
        "rows": rows,
        "source": "Incident management process enriched event log, UCI Machine Learning "
        "Repository (Amaral, Fantinato, Reijers, Peres, 2018)",
        "licence": "CC BY 4.0",
    }
    lines = [
        f"wrote {dest}: {rows} rows of a real ServiceNow incident event log",
        f"  source: {summary['source']}; licence: {summary['licence']}",
        f"  next: faultkit score {dest} --preset servicenow --dayfirst",
    ]
    emit(summary, lines, as_json=as_json, to_stderr=False)
