"""Pages of long lists (case lists, the audit trail) that count no more than they must."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# A narrowed list (filtered or searched) is counted exactly up to this many cases.
COUNT_LIMIT = 500


def _related_names(tree: dict, prefix: str = "") -> list[str]:
    """select_related's nested dict ({"lead_agency": {}, "case": {"kind": {}}}) as the names it was given."""
    names = []
    for name, below in tree.items():
        names.append(prefix + name)
        names += _related_names(below, f"{prefix}{name}__")
    return names


def rows_by_ids(queryset: QuerySet, ids: list) -> list:
    """The rows with these ids, in this order, with what `queryset` selects alongside each (its select_related,
    prefetch_related and only/defer): read by primary key, so planned in a moment."""
    if not ids:
        return []
    rows = queryset.model._default_manager.filter(pk__in=ids)
    related = queryset.query.select_related
    if related is True:
        rows = rows.select_related()
    elif related:
        rows = rows.select_related(*_related_names(related))
    names, deferred = queryset.query.deferred_loading
    if names:
        rows = rows.defer(*names) if deferred else rows.only(*names)
    if queryset._prefetch_related_lookups:
        rows = rows.prefetch_related(*queryset._prefetch_related_lookups)
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


class BoundedPaginator(Paginator):
    """Pages of a long list, read once as the ids of its first `count_limit` + 1 rows in the list's order: that gives
    its count, exact up to `count_limit` (past that `count_is_capped` is set and the pages reach its first
    `count_limit` rows), and every page's ids, whose rows are then read by key. An exact count of a list of a hundred
    thousand rows would read them all, on every page."""

    def __init__(self, object_list, per_page, *, count_limit: int | None, rows_for_ids=None, **kwargs):
        """count_limit: None to count every row (read as ids).
        rows_for_ids: a function giving a page's rows from their ids, in order (by default the object list's own
        models, through rows_by_ids); a page that shows only a few columns can read just those."""
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = count_limit
        self.count_is_capped = False
        self.rows_for_ids = rows_for_ids or (lambda ids: rows_by_ids(self.object_list, ids))

    def _first_ids(self) -> list | None:
        """The ids of the list's first count_limit + 1 rows, in order; None to count and page it as Paginator does."""
        return list(self.object_list.values_list("pk", flat=True)[: self._read_limit()])

    def _read_limit(self) -> int | None:
        return None if self.count_limit is None else self.count_limit + 1

    @cached_property
    def _narrowed_ids(self) -> list | None:
        return self._first_ids()

    @cached_property
    def count(self):
        ids = self._narrowed_ids
        if ids is None:
            return super().count
        self.count_is_capped = self.count_limit is not None and len(ids) > self.count_limit
        return min(len(ids), self.count_limit) if self.count_is_capped else len(ids)

    def page(self, number):
        """As Paginator.page; a bounded list's rows are those of its ids (from _narrowed_ids), read by key."""
        if self._narrowed_ids is None:
            return super().page(number)
        number, bottom, top = self._bounds(number)
        return self._get_page(self.rows_for_ids(self._narrowed_ids[bottom:top]), number, self)

    def _bounds(self, number) -> tuple[int, int, int]:
        """The page's number, checked, and the first and after the last of its rows, as Paginator.page finds them."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return number, bottom, top


class CasePaginator(BoundedPaginator):
    """Pages of a case list from casework.permissions.cases_permitted.

    The whole list an agency may see is counted exactly, from its counter, and each page is one query that walks the
    grant index in the list's order with the lead agency a row shows: planned in under a millisecond. (Joining also
    the case's officer, kind and partnership, PostgreSQL took longer to plan that query than to run it, about 3 ms at
    200,000 cases: a list's rows carry only what a row shows.) A narrowed list (filtered or searched) is bounded
    (BoundedPaginator) at COUNT_LIMIT cases, its ids read from the grants alone when a search gives them
    (`ordered_ids`). A separate count would read the matches a second time (for a search, the union of four index
    lookups), and an unordered count to a limit let the planner pick a plan ten times slower for "every case not
    closed"."""

    def __init__(self, object_list, per_page, *, count_limit: int | None = None, rows_for_slice=None, **kwargs):
        """count_limit: COUNT_LIMIT unless given.
        rows_for_slice: a function giving the rows bottom to top of the list when it is not narrowed, the same as the
        object list's slice would (casework.selectors.cases.case_list_rows_for_slice)."""
        super().__init__(object_list, per_page, count_limit=COUNT_LIMIT if count_limit is None else count_limit, **kwargs)
        self.rows_for_slice = rows_for_slice

    def page(self, number):
        if self.rows_for_slice is None or self._narrowed_ids is not None:
            return super().page(number)
        number, bottom, top = self._bounds(number)
        return self._get_page(self.rows_for_slice(bottom, top), number, self)

    def _first_ids(self) -> list | None:
        """The ids of a narrowed case list's first count_limit + 1 cases, in order; None for anything else."""
        is_whole_set = getattr(self.object_list, "is_whole_set", None)
        if is_whole_set is None or is_whole_set() or self.object_list.query.annotations or self.object_list.query.values_select:
            return None
        ids = getattr(self.object_list, "ordered_ids", None)
        if ids is None:
            ids = self.object_list.values_list("pk", flat=True)
        return list(ids[: self._read_limit()])


class CaseSearchPaginator(BoundedPaginator):
    """The API's pages of a case list, counted exactly (the API answers with the count). A search's ids are read from
    the grants alone (`ordered_ids`), all of them at once: half the work of counting the search's matches and then
    reading a page of them through the cases, as Django's Paginator would. Any other list is paged as Paginator
    pages it (the whole list counted from its counter, casework.permissions.PermittedCaseQuerySet)."""

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, per_page, count_limit=None, **kwargs)

    def _first_ids(self) -> list | None:
        ids = getattr(self.object_list, "ordered_ids", None)
        return None if ids is None else list(ids)
