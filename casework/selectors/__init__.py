"""Reads for a user, already scoped by the permission policy. One module per subject."""

from casework.selectors.cases import case_access_periods, case_get, case_list

__all__ = ["case_access_periods", "case_get", "case_list"]
