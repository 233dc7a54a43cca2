"""Reads for a user, already scoped by the permission policy. One module per subject."""

from casework.selectors.cases import case_access_periods, case_get, case_list

__all__ = ["case_access_periods", "case_get", "case_list"]

# For the dashboard and the case-close page (other slices): callable positionally, as selectors.case_open_actions(case).
from casework.selectors.actions import actions_open_for_user, actions_overdue_for_user, case_open_actions  # noqa: E402
from casework.selectors.interventions import case_active_interventions  # noqa: E402

__all__ += ["actions_open_for_user", "actions_overdue_for_user", "case_active_interventions", "case_open_actions"]
