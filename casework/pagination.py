"""Pages of case lists that count no more than they must."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# A narrowed list (filtered or searched) is counted exactly up to this many cases.
COUNT_LIMIT = 500


class CasePaginator(Paginator):
    """Pages of a case list from casework.permissions.cases_permitted.

    The whole list an agency may see is counted exactly, from its counter. A narrowed list is counted exactly up to
    `count_limit` cases; past that `count_is_capped` is set and the pages reach its first `count_limit` cases, newest
    first: counting forty thousand matches only to print the number would read every one of them."""

    def __init__(self, object_list, per_page, *, count_limit: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = COUNT_LIMIT if count_limit is None else count_limit
        self.count_is_capped = False

    @cached_property
    def count(self):
        count_at_most = getattr(self.object_list, "count_at_most", None)
        if count_at_most is None:
            return super().count
        counted, self.count_is_capped = count_at_most(self.count_limit)
        return counted
