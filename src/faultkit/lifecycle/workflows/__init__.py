"""The built-in workflow tables, one readable file each."""

from faultkit.lifecycle.workflows.itil import ITIL
from faultkit.lifecycle.workflows.procedure import PROCEDURE

__all__ = ["ITIL", "PROCEDURE"]
