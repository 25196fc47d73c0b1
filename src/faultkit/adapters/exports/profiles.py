"""Export profiles: a TOML file describing one tool's (or one instance's) exports.

A profile says where each faultkit field is found (``[columns]``), which export labels
mean which level or workflow state (``[values.priority]``, ``[values.impact]``,
``[values.urgency]``, ``[values.state]``), how dates are written (``[dates]``) and how
the file is laid out (``[profile]``: format, delimiter, encoding, workflow, matrix and
the cells that mean "no value"). It is data, never code: a user writes one per tool and
passes it with ``--profile FILE``; the built-in presets (``servicenow``, ``jira``,
``generic``) are profiles shipped in the package (``faultkit profile show NAME``).

The shape::

    [profile]
    name = "hive-jira"
    format = "csv"          # csv | jsonl; by default from the file's extension
    delimiter = ";"         # one character; sniffed from the header when absent
    encoding = "utf-8-sig"
    workflow = "itil"       # itil | procedure | a workflow file (JSON or TOML)
    matrix = "servicenow"   # a name of MATRICES
    missing = ["", "?"]     # cells that mean "no value" (an empty cell always does)

    [columns]               # faultkit field = export column
    id = "Key"
    priority = "Priority"
    state = "Status"

    [values.priority]       # export label = level, 1 = most urgent
    Blocker = 1

    [values.state]          # export label = workflow state
    Cancelled = "canceled"

    [dates]
    order = "dayfirst"      # dayfirst | monthfirst | iso
    zone = "Europe/Amsterdam"

Rules the loader checks, each failure a :class:`ProfileError` naming the key path
(``values.priority.Medium``) and the value: no unknown section or key (the known ones
are listed); levels are whole numbers 1-5; a label given twice (level labels compare
case-insensitively) with two levels is refused; a state label must map to a state of
the profile's workflow; the format, order, zone, encoding, matrix and workflow must be
known. The workflow is a name of :data:`WORKFLOWS` or a workflow file (see
:func:`load_workflow`), relative to the profile's folder. A column may be named
``Name#2`` (the second column called ``Name``, for a header that repeats a name) or
``#7`` (the seventh column).
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Mapping
from datetime import UTC, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from faultkit._data import data_bytes
from faultkit.adapters.exports.dates import DateOrder
from faultkit.adapters.exports.presets import MATRICES, ExportField, Preset
from faultkit.adapters.exports.tabular import ExportFormat
from faultkit.errors import InvalidInputError
from faultkit.lifecycle import ITIL, PROCEDURE, Workflow

__all__ = [
    "PRESETS",
    "PROFILES",
    "WORKFLOWS",
    "Profile",
    "ProfileError",
    "builtin_profile_text",
    "get_preset",
    "get_profile",
    "load_profile",
    "load_workflow",
    "parse_profile",
    "resolve_zone",
]

WORKFLOWS: Mapping[str, Workflow] = MappingProxyType({ITIL.name: ITIL, PROCEDURE.name: PROCEDURE})
"""The workflows a profile (or ``--workflow``) can name."""

_LEVEL_FIELDS = (ExportField.PRIORITY, ExportField.IMPACT, ExportField.URGENCY)
"""The fields whose labels ``[values.<field>]`` maps to level numbers."""

_SECTIONS = ("profile", "columns", "values", "dates")
_PROFILE_KEYS = (
    "name",
    "description",
    "format",
    "delimiter",
    "encoding",
    "workflow",
    "matrix",
    "missing",
)
_VALUE_KEYS = (*(str(field) for field in _LEVEL_FIELDS), "state")
_DATE_KEYS = ("order", "zone")
_BUILTIN = ("generic", "jira", "servicenow")


class ProfileError(InvalidInputError):
    """A profile file is wrong: the key path (``values.priority.Medium``), value, reason.

    >>> parse_profile('[values.priority]\\nMedium = 7')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    faultkit...ProfileError: values.priority.Medium: expected a level 1-5 (got 7)
    """


def resolve_zone(zone: str) -> tzinfo:
    """The time zone named ``zone`` (``UTC``, ``Z`` or an IANA name such as ``Europe/Paris``).

    Raises:
        InvalidInputError: no such zone.
    """
    if zone.upper() in {"UTC", "Z"}:
        return UTC
    from dateutil import tz as dateutil_tz  # imported here: most runs read UTC

    found = dateutil_tz.gettz(zone) if zone.strip() else None
    if found is None:
        raise InvalidInputError("zone", zone, "unknown time zone (expected an IANA name)")
    return found


def load_workflow(path: str | Path, *, field: str = "workflow") -> Workflow:
    """The :class:`~faultkit.lifecycle.Workflow` in the file at ``path``.

    The file holds what :func:`faultkit.serialization.to_json` writes for a workflow;
    a ``.toml`` file holds the same keys as TOML (``[[states]]``, ``[[transitions]]``).

    Raises:
        ProfileError: the file is missing, unreadable, or not a workflow, naming
            ``field`` and ``path`` (and, for a bad workflow, the key path inside it).
    """
    # the converter (cattrs) is imported only when a workflow file is read: the
    # commands that never read one start without it
    from faultkit.serialization import from_dict, from_json

    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(field, str(path), f"cannot read the workflow file: {error}") from None
    try:
        if where.suffix.lower() == ".toml":
            return from_dict(tomllib.loads(text), Workflow)
        return from_json(text, Workflow)
    except tomllib.TOMLDecodeError as error:
        raise _fail(field, str(path), f"not valid TOML: {error}") from None
    except RecursionError:
        raise _fail(field, str(path), "not a workflow: nested too deeply") from None
    except InvalidInputError as error:
        raise _fail(field, str(path), f"not a workflow: {error}") from None


def _frozen_states(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Profile:
    """One export profile, checked (see the module's rules).

    Attributes:
        name: the profile's name.
        preset: the column layout, the "no value" cells, the level labels and the
            matrix name: what the scorer and the readers use.
        description: one line.
        format: the file format; ``None`` reads it from the file's extension.
        delimiter: the CSV delimiter; ``None`` sniffs it from the header.
        encoding: the text encoding of the file.
        workflow: the workflow the states follow, as the profile names it: a name in
            :data:`WORKFLOWS` or a workflow file.
        flow: the workflow itself (the one named, or the one read from the file); by
            default the one :data:`WORKFLOWS` has under ``workflow``.
        states: export state label -> workflow state name, added to the workflow's
            own label map (labels compare exactly).
        date_order: how numeric dates are read; ``None`` leaves it to the options.
        zone: the time zone of dates written without one; ``None``: the options'.
        source: where the profile came from (a path, or ``built-in``).
    """

    name: str
    preset: Preset
    description: str = ""
    format: ExportFormat | None = None
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    workflow: str = "itil"
    flow: Workflow = attrs.field(
        default=attrs.Factory(lambda self: WORKFLOWS[self.workflow], takes_self=True)
    )
    states: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_states)
    date_order: DateOrder | None = None
    zone: str | None = None
    source: str = ""

    def workflow_table(self, workflow: str | Workflow | None = None) -> Workflow:
        """The workflow (``workflow``, else the profile's) with the profile's state labels added.

        ``workflow`` is a :class:`~faultkit.lifecycle.Workflow` or a name in :data:`WORKFLOWS`.

        Raises:
            ProfileError: a state label maps to a state the workflow does not have.
        """
        if workflow is None:
            base = self.flow
        elif isinstance(workflow, Workflow):
            base = workflow
        else:
            base = WORKFLOWS[workflow]
        if not self.states:
            return base
        for label, state in self.states.items():
            if state not in base.state_names:
                raise ProfileError(
                    f"values.state.{label}",
                    state,
                    f"not a state of workflow {base.name!r} "
                    f"(states: {', '.join(base.state_names)})",
                )
        return attrs.evolve(base, labels={**base.labels, **self.states})


def _fail(path: str, value: Any, reason: str) -> ProfileError:
    return ProfileError(path, value, reason)


def _table(data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise _fail(path, value, "expected a table")
    return value


def _known(table: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
    for key in table:
        if key not in known:
            raise _fail(f"{prefix}{key}", key, f"unknown key (known: {', '.join(known)})")


def _text(table: Mapping[str, Any], key: str, path: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, value, "expected a non-empty string")
    return value


def _levels(table: Mapping[str, Any], path: str) -> dict[str, int]:
    levels: dict[str, int] = {}
    seen: dict[str, str] = {}
    for label, level in table.items():
        where = f"{path}.{label}"
        if not label.strip():
            raise _fail(where, label, "expected a non-empty label")
        if type(level) is not int or not 1 <= level <= 5:
            raise _fail(where, level, "expected a level 1-5")
        folded = label.strip().casefold()
        if folded in seen and levels[folded] != level:
            raise _fail(
                where,
                level,
                f"the label is also given as {seen[folded]!r} = {levels[folded]} "
                "(labels compare case-insensitively)",
            )
        seen[folded] = label
        levels[folded] = level
    return levels


def parse_profile(
    text: str, *, source: str = "", default_name: str = "profile", folder: str | Path = "."
) -> Profile:
    """The :class:`Profile` a TOML text describes.

    Args:
        text: the TOML text.
        source: where it came from (kept in :attr:`Profile.source`).
        default_name: the name when ``[profile] name`` is absent.
        folder: the folder a relative workflow file is read from (the profile's).

    Raises:
        ProfileError: the text is not TOML or breaks a rule, naming the key path.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _fail("", source or "profile", f"not valid TOML: {error}") from None
    except RecursionError:
        raise _fail("", source or "profile", "not a profile: nested too deeply") from None
    _known(data, _SECTIONS, "")
    head = _table(data, "profile", "profile")
    _known(head, _PROFILE_KEYS, "profile.")
    name = _text(head, "name", "profile.name") or default_name
    description = _text(head, "description", "profile.description") if "description" in head else ""
    fmt: ExportFormat | None = None
    format_text = _text(head, "format", "profile.format")
    if format_text is not None:
        try:
            fmt = ExportFormat(format_text)
        except ValueError:
            known = ", ".join(f.value for f in ExportFormat)
            raise _fail("profile.format", format_text, f"unknown format (known: {known})") from None
    delimiter = head.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise _fail("profile.delimiter", delimiter, "expected one character")
    if isinstance(delimiter, str) and delimiter in '"\r\n':
        raise _fail("profile.delimiter", delimiter, "a quote or line end cannot be a delimiter")
    encoding = _text(head, "encoding", "profile.encoding") or "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise _fail("profile.encoding", encoding, "unknown encoding") from None
    workflow = _text(head, "workflow", "profile.workflow") or "itil"
    if workflow in WORKFLOWS:
        flow = WORKFLOWS[workflow]
    elif (Path(folder) / workflow).exists():
        flow = load_workflow(Path(folder) / workflow, field="profile.workflow")
    else:
        known = ", ".join(sorted(WORKFLOWS))
        raise _fail(
            "profile.workflow",
            workflow,
            f"unknown workflow and no such workflow file (known: {known})",
        )
    matrix = _text(head, "matrix", "profile.matrix") or "servicenow"
    if matrix not in MATRICES:
        known = ", ".join(sorted(MATRICES))
        raise _fail("profile.matrix", matrix, f"unknown matrix (known: {known})")
    missing = head.get("missing", [""])
    if not isinstance(missing, list) or not all(isinstance(cell, str) for cell in missing):
        raise _fail("profile.missing", missing, "expected a list of strings")

    columns_table = _table(data, "columns", "columns")
    _known(columns_table, tuple(field.value for field in ExportField), "columns.")
    columns: dict[str, str] = {}
    for field, column in columns_table.items():
        checked = _text(columns_table, field, f"columns.{field}")
        assert checked is not None
        columns[field] = column

    values = _table(data, "values", "values")
    _known(values, _VALUE_KEYS, "values.")
    levels = {
        str(field): _levels(_table(values, str(field), f"values.{field}"), f"values.{field}")
        for field in _LEVEL_FIELDS
        if str(field) in values
    }
    states: dict[str, str] = {}
    for label, state in _table(values, "state", "values.state").items():
        where = f"values.state.{label}"
        if not isinstance(state, str) or state not in flow.state_names:
            raise _fail(
                where,
                state,
                f"not a state of workflow {flow.name!r} (states: {', '.join(flow.state_names)})",
            )
        states[label] = state

    dates = _table(data, "dates", "dates")
    _known(dates, _DATE_KEYS, "dates.")
    order: DateOrder | None = None
    order_text = _text(dates, "order", "dates.order")
    if order_text is not None:
        try:
            order = DateOrder(order_text)
        except ValueError:
            known = ", ".join(o.value for o in DateOrder)
            raise _fail("dates.order", order_text, f"unknown order (known: {known})") from None
    zone = _text(dates, "zone", "dates.zone")
    if zone is not None:
        try:
            resolve_zone(zone)
        except InvalidInputError as error:
            raise _fail("dates.zone", zone, error.reason) from None

    preset = Preset(
        name=name,
        description=description or "",
        columns=columns,
        missing=frozenset({"", *(cell.strip() for cell in missing)}),
        levels=levels,
        matrix=matrix,
    )
    return Profile(
        name=name,
        preset=preset,
        description=description or "",
        format=fmt,
        delimiter=delimiter,
        encoding=encoding,
        workflow=workflow,
        flow=flow,
        states=states,
        date_order=order,
        zone=zone,
        source=source,
    )


def load_profile(path: str | Path) -> Profile:
    """Read and check the profile file at ``path`` (UTF-8 TOML).

    Raises:
        ProfileError: the file cannot be read, is not TOML, or breaks a rule.
    """
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _fail("", str(path), f"cannot read the profile: {error}") from None
    return parse_profile(text, source=str(path), default_name=where.stem, folder=where.parent)


def builtin_profile_text(name: str) -> str:
    """The TOML text of the built-in profile ``name``, comments included (to copy).

    Raises:
        InvalidInputError: no such built-in profile, naming the known ones.
    """
    if name not in _BUILTIN:
        known = ", ".join(_BUILTIN)
        raise InvalidInputError("profile", name, f"unknown built-in profile (known: {known})")
    text = data_bytes("profiles", f"{name}.toml").decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as a text read gives it


PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        name: parse_profile(builtin_profile_text(name), source="built-in", default_name=name)
        for name in _BUILTIN
    }
)
"""The built-in profiles by name, read from the TOML files shipped in ``faultkit/data``."""

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {name: profile.preset for name, profile in PROFILES.items()}
)
"""The column layouts of the built-in profiles by name (what ``--preset`` names)."""


def get_profile(name_or_path: str) -> Profile:
    """The built-in profile called ``name_or_path``, else the profile file at that path.

    Raises:
        ProfileError: the file breaks a rule.
        InvalidInputError: neither a built-in name nor a file, naming the built-in ones.
    """
    if name_or_path in PROFILES:
        return PROFILES[name_or_path]
    if Path(name_or_path).is_file():
        return load_profile(name_or_path)
    known = ", ".join(sorted(PROFILES))
    raise InvalidInputError(
        "profile", name_or_path, f"neither a profile file nor a built-in profile ({known})"
    )


def get_preset(name: str) -> Preset:
    """The column layout of the built-in profile ``name`` (:data:`PRESETS`).

    Raises:
        InvalidInputError: no such preset, naming the known ones.
    """
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(sorted(PRESETS))
        raise InvalidInputError("preset", name, f"unknown preset (known: {known})") from None
