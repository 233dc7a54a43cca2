"""A realistic county for the scale benchmark: six partnerships, forty agencies, users, and five years of casework.

Everything is made in proportion to the number of cases asked for (200,000 gives the county of the issue): people,
incidents, interventions, notes, actions, risk assessments, referrals, the access they carry, and the audit trail.
The access is exactly what the services would have written (CaseAccess periods and the guardian grants
casework.permissions.LEVEL_PERMISSIONS derives from them, with the sort key casework.services.access writes); the
audit rows are chained with audit.services.event_hash, so that verify_audit passes.

Rows are generated in Python and written in bulk: COPY on PostgreSQL, executemany elsewhere (SQLite, for tests).
"""

import bisect
import io
import json
import math
import random
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from datetime import timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, CaseworkGroup, Membership, Partnership
from agencies.two_factor import TOTP_DEVICE_NAME
from audit.models import AuditChainHead, AuditEvent
from audit.services import GENESIS_HASH, Actor, event_hash
from casework.models import (
    Action, AsbKind, Case, CaseAccess, CaseGroupObjectPermission, CasePerson, CaseReferenceCounter, Incident,
    Intervention, Note, Person, RiskAssessment, VisibleCaseCount,
)
from casework.permissions import LEVEL_PERMISSIONS, VIEW
from meetings.models import Meeting
from meetings.services.schedule import group_schedule_set
from referrals.models import GroupReferral, Referral
from referrals.services.routing import EAST_CAMBRIDGESHIRE_ROLES, routing_rules_seed_east_cambridgeshire
from scale import catalogue as cat

UTC = dt_timezone.utc

# Per case, on average (the county: 200,000 cases, 300,000 people, a million incidents, ...).
PER_CASE = {
    "people": 1.5,
    "incidents": 5.0,
    "interventions": 0.75,
    "notes": 3.0,
    "referrals": 0.4,
    "actions": 0.5,
    "audit": 10.0,
    "users": 0.01,
}
HISTORY_YEARS = 5
# The share of the county's cases opened before it moved onto ASB Casework (imported, so with a short audit trail).
GO_LIVE_QUANTILE = 0.33
# Views recorded per case beyond the changes (most views are of recent cases: those audit rows are the newest).
VIEWS_PER_CASE = 0.3
POLICE_SHARE = 1 / 3
# The share of cases referred to the partnership's monthly casework group: of those still open (with the group now;
# about sixty for the largest partnership at 200,000 cases, a full monthly agenda, once those whose referral day is
# still to come are left out), and of those closed (returned to the lead agency before closing).
GROUP_SHARE_OPEN, GROUP_SHARE_CLOSED = 0.015, 0.04
# When the groups meet (meetings.services.schedule): monthly on the second Tuesday at 10:00, three months ahead.
GROUP_WEEKDAY, GROUP_WEEK, GROUP_STARTS_AT = 1, 2, (10, 0)
CHUNK = 5000

LEVEL = CaseAccess.Level
INCIDENT_CHANNELS = ["phone", "phone", "online", "online", "police", "in_person", "other_agency"]
INTERVENTIONS_BY_KIND = {
    "police": ["warning_letter", "abc", "cpw", "cpn", "civil_injunction", "cbo", "dispersal", "closure_notice"],
    "district_council": ["warning_letter", "cpw", "cpn", "fixed_penalty", "mediation", "pspo", "good_neighbour_charter"],
    "housing": ["warning_letter", "abc", "tenancy_enforcement", "mediation", "professional_witness", "floating_support", "civil_injunction"],
    "youth_offending": ["abc", "referral_order", "iss"],
    "locality_team": ["abc", "floating_support"],
    "drug_alcohol": ["treatment_referral"],
    "fire_rescue": ["warning_letter", "other"],
}
RISK_SCORES = {"standard": (0, 7), "medium": (8, 14), "high": (15, 24)}


def _exp_count(rng, mean: float) -> int:
    """A whole number from a geometric distribution with this mean (long-tailed, like real caseloads)."""
    if mean <= 0:
        return 0
    return int(rng.expovariate(math.log(1 + 1 / mean)))


def _grant(periods: list, agency, level, granted_at, granted_by, reason):
    """Open an access period unless one is open at that level already (as case_access_grant does)."""
    if any(p[0] is agency and p[1] == level and p[5] is None for p in periods):
        return None
    period = [agency, level, granted_at, granted_by, reason, None, None]
    periods.append(period)
    return period


class _Event:
    """The fields audit.services.event_hash reads, without a model instance per row."""

    __slots__ = ("at", "user_id", "username", "agency_id", "agency_name", "action", "object_type", "object_id",
                 "object_repr", "case_id", "person_id", "changes", "detail", "ip_address")


_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPE)
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is dict or kind is list:
        return json.dumps(value).translate(_COPY_ESCAPE)
    if kind is datetime or kind is date:
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPE)


class Sink:
    """Writes rows of one model in bulk. Rows give the `columns` named by the caller, in order; every other column
    gets its field's default, so that a field added to a model later does not break the seed."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self._plans = {}

    def _plan(self, model, columns):
        key = (model, tuple(columns))
        if key not in self._plans:
            fields = {f.attname: f for f in model._meta.concrete_fields}
            unknown = set(columns) - set(fields)
            if unknown:
                raise ValueError(f"{model.__name__} has no column(s) {sorted(unknown)}")
            missing = [name for name in fields if name not in columns]
            defaults = tuple(fields[name].get_default() for name in missing)
            all_columns = list(columns) + missing
            self._plans[key] = (all_columns, defaults, [fields[name] for name in all_columns])
        return self._plans[key]

    def write(self, model, columns, rows) -> int:
        if not rows:
            return 0
        all_columns, defaults, fields = self._plan(model, columns)
        table = model._meta.db_table
        quoted = ", ".join(connection.ops.quote_name(fields[i].column) for i in range(len(all_columns)))
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                write = buffer.write
                for row in rows:
                    write("\t".join(map(_copy_text, row + defaults if defaults else row)))
                    write("\n")
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN", buffer)
            else:
                placeholders = ", ".join(["%s"] * len(all_columns))
                prepared = [
                    [field.get_db_prep_save(value, connection) for field, value in zip(fields, row + defaults)]
                    for row in rows
                ]
                cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})", prepared)
        return len(rows)


@contextmanager
def postgres_bulk_load(models):
    """Load many rows into these tables the way pg_restore does: their secondary indexes, unique constraints and
    foreign keys are dropped first and made again at the end (one sort per index, one join per foreign key, every
    row still checked), which is several times quicker than keeping them up to date row by row. All of it inside
    the caller's transaction, so a failure leaves the tables as they were."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid AND c.contype = 'u')
            ORDER BY c.contype
            """,
            [tables],
        )
        constraints = cursor.fetchall()  # foreign keys first: they may stand on a unique constraint
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        # Rows written so far in this transaction have deferred key checks queued; run them now, or the tables they
        # touch cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition, _ in reversed(constraints):  # unique constraints, then the keys that use them
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Ids:
    """The next primary key per model: rows are written with their ids so that children can point at them."""

    def __init__(self):
        self._next = {}

    def take(self, model, n: int = 1) -> int:
        if model not in self._next:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self._next[model] = last + 1
        first = self._next[model]
        self._next[model] = first + n
        return first


class CountySeeder:
    def __init__(self, *, cases: int, password: str, stdout=None, seed: int = 2026, today: date | None = None):
        self.cases = cases
        self.password = password
        self.stdout = stdout
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.start = self.today - timedelta(days=365 * HISTORY_YEARS)
        self.sink = Sink()
        self.ids = Ids()
        self.counts = defaultdict(int)
        self.timings = {}
        self._clock = time.perf_counter()

    # -- reporting

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self._clock
        self._clock = now
        self.say(f"  {name}: {self.timings[name]:.1f} s")

    def write(self, model, columns, rows) -> None:
        self.counts[model._meta.label] += self.sink.write(model, columns, rows)

    # -- the county

    def run(self) -> dict:
        self.make_partnerships()
        self.make_agencies()
        self.make_users()
        self.make_groups()
        self.lap("partnerships, agencies, users")
        self.make_casework()
        self.finish()
        self.lap("reference counters and sequences")
        self.make_meetings()
        self.lap("meeting schedules")
        self.make_routing_rules()
        self.lap("routing rules")
        return dict(self.counts)

    def make_partnerships(self):
        self.partnerships = []
        for name, slug, code, share, districts in cat.PARTNERSHIPS:
            partnership = Partnership.objects.create(
                name=name, slug=cat.SCALE_PREFIX + slug, short_code=code,
                area_description=f"{name}: " + ", ".join(sorted({town for _, town in districts})),
            )
            partnership.share = share
            partnership.districts = districts
            self.partnerships.append(partnership)
        self.counts["agencies.Partnership"] = len(self.partnerships)
        self.by_code = {p.short_code: p for p in self.partnerships}
        self.partnership_cum = self._cumulative([p.share for p in self.partnerships])

    def make_agencies(self):
        self.agencies = []
        taken = set(Agency.objects.values_list("name", flat=True))
        for name, short, slug, kind, statutory, served, lead_weight, staff_weight in cat.AGENCIES:
            group = Group.objects.create(name=f"agency:{cat.SCALE_PREFIX}{slug}")
            agency = Agency.objects.create(
                name=name if name not in taken else f"{name} (county scale)", short_name=f"{short} [{slug}]"[:40],
                slug=cat.SCALE_PREFIX + slug, kind=kind, is_statutory=statutory, group=group,
                sharing_agreement_signed_on=self.start - timedelta(days=200),
            )
            agency.partnerships.set([self.by_code[code] for code in served])
            agency.key, agency.served, agency.lead_weight, agency.staff_weight = slug, served, lead_weight, staff_weight
            self.agencies.append(agency)
        self.counts["agencies.Agency"] = len(self.agencies)
        self.agency_by_key = {a.key: a for a in self.agencies}
        self.agency_by_id = {a.pk: a for a in self.agencies}
        self.police = self.agency_by_key["police"]
        # Who may lead in each partnership: the police a third of the time, the others by weight.
        self.lead_choices = {}
        for p in self.partnerships:
            others = [a for a in self.agencies if p.short_code in a.served and a is not self.police]
            self.lead_choices[p.pk] = (others, self._cumulative([a.lead_weight for a in others]))
        self.serving = {p.pk: [a for a in self.agencies if p.short_code in a.served] for p in self.partnerships}
        self.council = {p.pk: next(a for a in self.agencies if a.kind == "district_council" and p.short_code in a.served)
                        for p in self.partnerships}

    def make_users(self):
        User = get_user_model()
        rng = self.rng
        total = max(int(round(self.cases * PER_CASE["users"])), 2 * len(self.agencies) + 3 * len(self.partnerships))
        hashed = make_password(self.password)
        plan = []  # (agency, partnership, role)
        for p in self.partnerships:
            plan.append((self.council[p.pk], p, Membership.Role.COORDINATOR))
            plan.append((self.council[p.pk], p, Membership.Role.COORDINATOR))
            plan.append((self.police, p, Membership.Role.CHAIR))
        for agency in self.agencies:  # one caseworker for each agency in each partnership it serves, at least
            for code in agency.served:
                plan.append((agency, self.by_code[code], Membership.Role.CASEWORKER))
        staff_cum = self._cumulative([a.staff_weight for a in self.agencies])
        roles = [Membership.Role.CASEWORKER] * 80 + [Membership.Role.SUPERVISOR] * 10 + [Membership.Role.AGENCY_ADMIN] * 3 + [Membership.Role.ANALYST] * 5
        while len(plan) < total:
            agency = self.agencies[self._pick(staff_cum)]
            served = [self.by_code[code] for code in agency.served]
            partnership = self._weighted([(p, p.share) for p in served])
            plan.append((agency, partnership, rng.choice(roles)))
        users, memberships, in_groups = [], [], []
        numbers = defaultdict(int)
        first_id = self.ids.take(User, len(plan))
        joined = datetime.combine(self.start, datetime.min.time(), tzinfo=UTC)
        for offset, (agency, partnership, role) in enumerate(plan):
            numbers[agency.key] += 1
            user = User(
                pk=first_id + offset, username=f"{cat.SCALE_PREFIX}{agency.key}-{numbers[agency.key]:04d}", password=hashed,
                first_name=rng.choice(cat.FIRST_NAMES), last_name=rng.choice(cat.LAST_NAMES), is_active=True,
                date_joined=joined,
            )
            user.email = f"{user.username}@county-scale.invalid"
            users.append(user)
            memberships.append(Membership(user=user, agency=agency, partnership=partnership, role=role, is_active=True))
            in_groups.append(User.groups.through(user_id=user.pk, group_id=agency.group_id))
        User.objects.bulk_create(users, batch_size=1000)
        Membership.objects.bulk_create(memberships, batch_size=1000)
        User.groups.through.objects.bulk_create(in_groups, batch_size=1000)
        # Everyone signs in with two factors: each user has a confirmed authenticator device (a random secret each,
        # which the benchmark reads from the database to compute its codes).
        TOTPDevice.objects.bulk_create(
            [TOTPDevice(user_id=u.pk, name=TOTP_DEVICE_NAME, confirmed=True) for u in users], batch_size=1000
        )
        self.counts["otp_totp.TOTPDevice"] = len(users)
        self.counts["auth.User"] = len(users)
        self.counts["agencies.Membership"] = len(memberships)
        self.username = {u.pk: u.username for u in users}
        self.workers = defaultdict(list)  # (agency id, partnership id) -> user ids who work cases
        self.any_staff = defaultdict(list)
        for m in memberships:
            self.any_staff[m.agency.pk].append(m.user.pk)
            if m.role in (Membership.Role.CASEWORKER, Membership.Role.SUPERVISOR, Membership.Role.CHAIR, Membership.Role.COORDINATOR):
                self.workers[(m.agency.pk, m.partnership.pk)].append(m.user.pk)
        self.chair = {m.partnership.pk: m.user.pk for m in memberships if m.role == Membership.Role.CHAIR}

    def make_groups(self):
        self.casework_groups = {}
        for p in self.partnerships:
            group = CaseworkGroup.objects.create(
                partnership=p, name=f"{p.name.replace(' Community Safety Partnership', '')} ASB Casework Group",
                chair_id=self.chair[p.pk], default_venue="Council offices, committee room 2",
            )
            members = [a for a in self.agencies if a.key in cat.GROUP_MEMBER_SLUGS and p.short_code in a.served]
            group.member_agencies.set(members)
            group.members_list = members
            self.casework_groups[p.pk] = group

    # -- helpers

    @staticmethod
    def _cumulative(weights):
        total, out = 0.0, []
        for w in weights:
            total += w
            out.append(total)
        return out

    def _pick(self, cumulative) -> int:
        return bisect.bisect_left(cumulative, self.rng.random() * cumulative[-1])

    def _weighted(self, pairs):
        return pairs[self._pick(self._cumulative([w for _, w in pairs]))][0]

    def _worker(self, agency_id, partnership_id):
        staff = self.workers.get((agency_id, partnership_id)) or self.any_staff[agency_id]
        return self.rng.choice(staff)

    def _at(self, day: date, hour_from: int = 8, hour_to: int = 18) -> datetime:
        seconds = self.rng.randrange(hour_from * 3600, hour_to * 3600)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds, microseconds=self.rng.randrange(1_000_000))

    def _opening_dates(self) -> list[date]:
        """Cases opened over five years, a little more each year (a density rising by half across the period)."""
        days = (self.today - self.start).days
        growth = 0.5
        dates = []
        for _ in range(self.cases):
            u = self.rng.random()
            # Inverse of the CDF of a density proportional to 1 + growth * x on [0, 1].
            x = (-1 + math.sqrt(1 + growth * (2 + growth) * u)) / growth
            dates.append(self.start + timedelta(days=min(days, int(x * days))))
        dates.sort()
        return dates

    def _postcode(self, partnership):
        district, town = self.rng.choice(partnership.districts)
        return f"{district} {self.rng.randrange(1, 10)}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{self.rng.choice('ABDEFGHJLNPQRSTUWXYZ')}", town

    # -- casework

    def make_casework(self):
        rng = self.rng
        kinds = {k.slug: k for k in AsbKind.objects.all()}
        kind_pairs = [(kinds[slug], weight) for slug, weight in cat.KIND_WEIGHTS.items() if slug in kinds]
        kind_cum = self._cumulative([w for _, w in kind_pairs])
        kind_list = [k for k, _ in kind_pairs]
        permission_ids = dict(
            Permission.objects.filter(content_type__app_label="casework", content_type__model="case").values_list("codename", "pk")
        )
        self.level_permission_ids = {level: [permission_ids[c] for c in codenames] for level, codenames in LEVEL_PERMISSIONS.items()}
        self.view_permission_id = permission_ids[VIEW]
        self.viewable = defaultdict(int)  # group id -> cases it may view, for VisibleCaseCount
        opening = self._opening_dates()
        # The county moved onto ASB Casework a while into the five years: older cases came in by import, so their
        # audit trail starts then (an import event), as it would have.
        self.go_live = opening[int(GO_LIVE_QUANTILE * (len(opening) - 1))]
        self.lap("opening dates")
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        self.previous_hash = (head.last_hash if head and head.last_hash else GENESIS_HASH)
        self.reference_numbers = defaultdict(int)
        # Existing references per partnership and year: none (the partnerships are new).
        self.people_pool = defaultdict(list)  # partnership id -> person ids that may come back on another case
        self.people_made = 0
        self.audit_made = 0
        started = time.perf_counter()
        bulk = postgres_bulk_load(BULK_MODELS) if self.sink.postgres and self.cases >= BULK_LOAD_FROM else nullcontext()
        with bulk:
            for chunk_start in range(0, self.cases, CHUNK):
                chunk = range(chunk_start, min(self.cases, chunk_start + CHUNK))
                self._make_chunk(chunk, opening, kind_list, kind_cum)
                if self.stdout is not None and (chunk.stop % (CHUNK * 10) == 0 or chunk.stop == self.cases):
                    self.say(f"  {chunk.stop:,} cases ({time.perf_counter() - started:.0f} s)")
            self.lap("casework and audit")
        self.lap("indexes and constraints")

    def _make_chunk(self, chunk, opening, kind_list, kind_cum):
        rng = self.rng
        today = self.today
        rows = defaultdict(list)
        events = []
        n = len(chunk)
        case_id = self.ids.take(Case, n)
        for index in chunk:
            opened_on = opening[index]
            partnership = self.partnerships[self._pick(self.partnership_cum)]
            pid = partnership.pk
            others, others_cum = self.lead_choices[pid]
            lead = self.police if rng.random() < POLICE_SHARE else others[bisect.bisect_left(others_cum, rng.random() * others_cum[-1])]
            serving = self.serving[pid]
            kind = kind_list[bisect.bisect_left(kind_cum, rng.random() * kind_cum[-1])]
            age_days = (today - opened_on).days
            # How the case ended, or where it is now.
            if age_days > 270 and rng.random() < 0.97 or age_days > 60 and rng.random() < 0.5:
                status = Case.Status.CLOSED
                closed_on = min(today, opened_on + timedelta(days=20 + int(rng.expovariate(1 / 70))))
            else:
                status = rng.choice(["open", "active", "active", "active", "monitoring"]) if age_days > 14 else "open"
                closed_on = None
            end = closed_on or today
            created_at = self._at(opened_on)
            creator = self._worker(lead.pk, pid)
            subject_type = rng.choices(["individual", "family", "area"], weights=[70, 18, 12])[0]
            postcode, town = self._postcode(partnership)
            street = rng.choice(cat.STREETS)
            address = f"{rng.randrange(1, 180)} {street}, {town}"
            summary = rng.choice(cat.SUMMARIES.get(kind.slug, cat.SUMMARIES["other"])).format(addr=address.split(",")[0], street=street)
            year = opened_on.year
            self.reference_numbers[(pid, year)] += 1
            reference = f"{partnership.short_code}-{year}-{self.reference_numbers[(pid, year)]:04d}"
            risk = rng.choices(["not_assessed", "standard", "medium", "high"], weights=[30, 45, 18, 7])[0]
            flagged = self._at(opened_on + timedelta(days=rng.randrange(10, 90))) if rng.random() < 0.015 else None
            if flagged is not None and flagged.date() > end:
                flagged = None
            next_review = today + timedelta(days=rng.randrange(-30, 57)) if closed_on is None else None

            # People: a subject (not for areas), one or two victims, sometimes a witness; some come back.
            links = []
            roles = []
            if subject_type != "area":
                roles.append("perpetrator")
                if subject_type == "family":
                    roles.append("parent_guardian")
            roles.extend(["victim"] * (1 + (rng.random() < 0.3)))
            if rng.random() < 0.2:
                roles.append("witness")
            seen = set()
            for role in roles:
                pool = self.people_pool[pid]
                target = PER_CASE["people"] * (index + 1)
                if pool and (self.people_made >= target or rng.random() < 0.12):
                    # Repeat victims and persistent perpetrators: the earliest people come back most often.
                    person_id = pool[int(len(pool) * rng.random() ** 1.5)]
                else:
                    person_id = self.ids.take(Person)
                    self.people_made += 1
                    first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.LAST_NAMES)
                    p_postcode, p_town = (postcode, town) if rng.random() < 0.6 else self._postcode(partnership)
                    born = date(rng.randrange(1940, 2012), rng.randrange(1, 13), rng.randrange(1, 29)) if rng.random() < 0.85 else None
                    rows["person"].append((
                        person_id, first, last, born, rng.choice(["female", "male", "male", "female", "not_known"]),
                        f"{rng.randrange(1, 180)} {rng.choice(cat.STREETS)}, {p_town}", p_postcode,
                        f"07{rng.randrange(100000000, 999999999)}" if rng.random() < 0.7 else "",
                        created_at, creator, 1,
                    ))
                    if rng.random() < 0.3:
                        pool.append(person_id)
                if (person_id, role) in seen:
                    continue
                seen.add((person_id, role))
                links.append((person_id, role))
                rows["caseperson"].append((self.ids.take(CasePerson), case_id, person_id, role, created_at, creator))
            victims = [pid_ for pid_, role in links if role == "victim"]
            subject = next((pid_ for pid_, role in links if role == "perpetrator"), None)

            # Access: the lead from the start, then referrals and the casework group.
            case_events_from = len(events)
            periods = []  # [agency, level, granted_at, granted_by, reason, revoked_at, revoked_by]
            periods.append([lead, LEVEL.LEAD, created_at, creator, "Lead agency when opened", None, None])
            events.append((created_at, creator, lead, "create", "case", case_id, reference, case_id, None,
                           {"summary": [None, summary], "category": [None, kind.category], "status": [None, "open"]}, ""))
            events.append((created_at, creator, lead, "grant", "case", case_id, reference, case_id, None, {},
                           f"Lead agency access for {lead.name}. Lead agency when opened"))
            current_lead = lead
            for _ in range(_exp_count(rng, PER_CASE["referrals"])):
                sent_on = opened_on + timedelta(days=rng.randrange(1, 60))
                if sent_on > end:  # a short case: sent some time in its life
                    sent_on = opened_on + timedelta(days=rng.randrange(0, max(1, (end - opened_on).days + 1)))
                candidates = [a for a in serving if a is not current_lead]
                purpose = rng.choices(["contribute", "information", "take_lead"], weights=[45, 35, 20])[0]
                if purpose == "take_lead":
                    to = self.police if current_lead is not self.police and rng.random() < POLICE_SHARE else self._weighted(
                        [(a, a.lead_weight) for a in candidates if a is not self.police])
                else:
                    to = self._weighted([(a, a.lead_weight + 1) for a in candidates])
                sent_at = self._at(sent_on)
                sender = self._worker(current_lead.pk, pid)
                respond_by = sent_on + timedelta(days=7)
                referral_id = self.ids.take(Referral)
                # Most are answered within the five working days asked; a few run late.
                pending = closed_on is None and ((today - sent_on).days < 7 and rng.random() < 0.7 or (today - sent_on).days < 21 and rng.random() < 0.08)
                responded_at = responder = None
                decline = ""
                overdue = None
                if pending:
                    outcome = "pending"
                    overdue = respond_by + timedelta(days=1) if respond_by < today else None
                else:
                    outcome = rng.choices(["accepted", "declined", "withdrawn"], weights=[65, 27, 8])[0]
                    responded_at = min(self._at(sent_on + timedelta(days=rng.randrange(0, 9))), self._at(end))
                    if responded_at < sent_at:
                        responded_at = sent_at + timedelta(minutes=30)
                    responder = self._worker((to if outcome != "withdrawn" else current_lead).pk, pid)
                    if outcome == "declined":
                        decline = "Not for us: no tenancy with us at this address." if to.kind == "housing" else "Does not meet our criteria."
                former = "contributor"
                if purpose == "take_lead":
                    former = rng.choices(["contributor", "information", "none"], weights=[60, 25, 15])[0]
                rows["referral"].append((
                    referral_id, case_id, current_lead.pk, to.pk, purpose,
                    f"Please {'take the lead on' if purpose == 'take_lead' else 'help with'} this case: {summary.lower()}",
                    "urgent" if rng.random() < 0.1 else "routine", respond_by, former, outcome, sent_at, sender,
                    responded_at, responder, decline, overdue,
                ))
                events.append((sent_at, sender, current_lead, "create", "referral", referral_id, f"{reference} to {to.name}",
                               case_id, None, {"purpose": [None, purpose]}, f"Referred to {to.name}"))
                if outcome == "pending":
                    continue
                events.append((responded_at, responder, to if outcome != "withdrawn" else current_lead, "update", "referral",
                               referral_id, f"{reference} to {to.name}", case_id, None, {"status": ["pending", outcome]}, ""))
                if outcome != "accepted":
                    continue
                reason = f"Referral {referral_id} from {current_lead.name} accepted"
                if purpose == "take_lead":
                    periods.append([to, LEVEL.LEAD, responded_at, responder, reason, None, None])
                    for period in periods:
                        if period[0] is current_lead and period[1] == LEVEL.LEAD and period[5] is None:
                            period[5], period[6] = responded_at, responder
                    if former != "none":
                        _grant(periods, current_lead, former, responded_at, responder, "Former lead agency")
                    current_lead = to
                else:
                    level = LEVEL.CONTRIBUTOR if purpose == "contribute" else LEVEL.INFORMATION
                    _grant(periods, to, level, responded_at, responder, reason)
            lead = current_lead
            officer = self._worker(lead.pk, pid) if rng.random() < 0.85 else None

            # The monthly casework group: open cases with it now, and some closed ones that went there.
            referred_to_group_on = None
            if (closed_on is None and rng.random() < GROUP_SHARE_OPEN) or (closed_on is not None and rng.random() < GROUP_SHARE_CLOSED):
                group = self.casework_groups[pid]
                referred_on = opened_on + timedelta(days=rng.randrange(14, 120))
                if referred_on <= end:
                    referred_to_group_on = referred_on
                    with_group = closed_on is None
                    returned_on = None if with_group else min(end, referred_on + timedelta(days=rng.randrange(28, 150)))
                    referrer = self._worker(lead.pk, pid)
                    gr_id = self.ids.take(GroupReferral)
                    rows["groupreferral"].append((gr_id, case_id, group.pk, referred_on, "Persistent ASB despite interventions; partners' help needed.",
                                                  referrer, "with_group" if with_group else "returned", returned_on))
                    at = self._at(referred_on)
                    events.append((at, referrer, lead, "create", "groupreferral", gr_id, f"{reference} to {group.name}", case_id, None,
                                   {"referred_on": [None, referred_on.isoformat()]}, f"Referred to {group.name}"))
                    returned_at = self._at(returned_on) if returned_on else None
                    for member in group.members_list:
                        period = _grant(periods, member, LEVEL.GROUP_MEMBER, at, referrer, f"Member of {group.name}")
                        if period is not None and returned_at is not None:
                            period[5], period[6] = returned_at, referrer
                    if with_group:
                        status = Case.Status.REFERRED_TO_GROUP

            for agency, level, granted_at, granted_by, reason, revoked_at, revoked_by in periods:
                rows["caseaccess"].append((self.ids.take(CaseAccess), case_id, agency.pk, level, granted_at, granted_by, reason[:300],
                                           revoked_at, revoked_by))
                if granted_at != created_at or level != LEVEL.LEAD:
                    events.append((granted_at, granted_by, agency, "grant", "case", case_id, reference, case_id, None, {},
                                   f"{LEVEL(level).label} access for {agency.name}. {reason}"))
                if revoked_at is not None:
                    events.append((revoked_at, revoked_by, agency, "revoke", "case", case_id, reference, case_id, None, {},
                                   f"{LEVEL(level).label} access for {agency.name} ended."))
            held = defaultdict(set)
            for agency, level, _, _, _, revoked_at, _ in periods:
                if revoked_at is None:
                    held[agency.group_id].update(self.level_permission_ids[level])
            for group_id, permission_ids in held.items():
                if self.view_permission_id in permission_ids:
                    self.viewable[group_id] += 1
                for permission_id in sorted(permission_ids):
                    rows["grant"].append((self.ids.take(CaseGroupObjectPermission), group_id, permission_id, case_id, opened_on))
            contributors = list({p[0].pk: p[0] for p in periods if p[5] is None and p[1] in (LEVEL.LEAD, LEVEL.CONTRIBUTOR)}.values())

            # Incidents, each a report of the behaviour.
            span = max(1, (end - opened_on).days)
            hate = kind.slug == "hate-motivated"
            for k in range(1 + _exp_count(rng, PER_CASE["incidents"] - 1)):
                occurred_day = opened_on + timedelta(days=(0 if k == 0 else rng.randrange(span)) - (rng.randrange(0, 10) if k == 0 else 0))
                occurred_at = self._at(occurred_day, 0, 24)
                reported_on = min(end, occurred_day + timedelta(days=rng.choice([0, 0, 0, 1, 2, 5])))
                if reported_on < occurred_day:
                    reported_on = occurred_day
                reporter = rng.choice(victims) if victims and rng.random() < 0.7 else None
                recorder = self._worker(lead.pk, pid)
                incident_id = self.ids.take(Incident)
                rec_at = self._at(reported_on)
                rows["incident"].append((
                    incident_id, case_id, occurred_at, reported_on, reporter, rng.choice(INCIDENT_CHANNELS),
                    rng.choice(cat.INCIDENT_TEXTS), hate or rng.random() < 0.02,
                    f"CC-{occurred_day.year}-{rng.randrange(10000, 99999)}" if rng.random() < 0.3 else "", rec_at, recorder, lead.pk,
                ))
                events.append((rec_at, recorder, lead, "create", "incident", incident_id, f"Incident on {occurred_day:%d %b %Y}",
                               case_id, None, {}, ""))

            # Interventions, by what the delivering agency does.
            for _ in range(_exp_count(rng, PER_CASE["interventions"])):
                agency = rng.choice(contributors)
                kinds_of_work = INTERVENTIONS_BY_KIND.get(agency.kind, ["warning_letter", "other"])
                start_on = opened_on + timedelta(days=rng.randrange(0, span))
                if closed_on is not None:
                    i_status = rng.choice(["completed", "completed", "discharged", "breached"])
                else:
                    i_status = rng.choice(["proposed", "active", "active", "breached"])
                by = self._worker(agency.pk, pid)
                intervention_id = self.ids.take(Intervention)
                at = self._at(start_on)
                rows["intervention"].append((
                    intervention_id, case_id, rng.choice(kinds_of_work), agency.pk, subject, start_on, start_on + timedelta(days=28),
                    start_on + timedelta(days=rng.choice([90, 180, 365])) if i_status in ("completed", "discharged") else None,
                    i_status, "", at, by,
                ))
                events.append((at, by, agency, "create", "intervention", intervention_id, reference, case_id, None, {}, ""))

            # Notes on the timeline.
            for _ in range(_exp_count(rng, PER_CASE["notes"])):
                agency = rng.choice(contributors)
                author = self._worker(agency.pk, pid)
                at = self._at(opened_on + timedelta(days=rng.randrange(0, span)))
                note_id = self.ids.take(Note)
                sensitive = rng.random() < 0.08
                rows["note"].append((note_id, case_id, at, author, agency.pk, "official_sensitive" if sensitive else "official",
                                     rng.choice(cat.NOTE_TEXTS)))
                events.append((at, author, agency, "create", "note", note_id, reference, case_id, None, {}, ""))

            # Actions: done on closed cases, some overdue on open ones.
            for _ in range(_exp_count(rng, PER_CASE["actions"])):
                agency = rng.choice(contributors)
                owner = self._worker(agency.pk, pid) if rng.random() < 0.7 else None
                due = opened_on + timedelta(days=rng.randrange(7, 60))
                done = None
                if closed_on is not None:
                    done = min(closed_on, due)
                elif due < today and rng.random() < 0.6:
                    done = due
                rows["action"].append((self.ids.take(Action), case_id, rng.choice(cat.ACTION_TEXTS), owner, agency.pk if owner is None else None,
                                       due, done, self._at(opened_on), self._worker(lead.pk, pid), ""))

            if risk != "not_assessed":
                low, high = RISK_SCORES[risk]
                assessor = self._worker(lead.pk, pid)
                on = min(end, opened_on + timedelta(days=rng.randrange(0, 7)))
                rows["risk"].append((self.ids.take(RiskAssessment), case_id, on, assessor, lead.pk, rng.randrange(low, high + 1), risk, "",
                                     self._at(on)))

            if closed_on is not None:
                closer = self._worker(lead.pk, pid)
                events.append((self._at(closed_on), closer, lead, "update", "case", case_id, reference, case_id, None,
                               {"status": ["active", "closed"]}, "Case closed"))
            if opened_on < self.go_live:
                # Opened before the county moved onto ASB Casework: imported, with what happened since go-live.
                moved_at = self._at(self.go_live)
                kept = [e for e in events[case_events_from:] if e[0] >= moved_at]
                del events[case_events_from:]
                events.append((moved_at, None, lead, "import", "case", case_id, reference, case_id, None, {}, "Imported from the previous system"))
                events.append((moved_at, None, lead, "grant", "case", case_id, reference, case_id, None, {},
                               f"Lead agency access for {lead.name}. Imported from the previous system"))
                events.extend(kept)
            # The remainder of the trail: cases viewed by the agencies that work on them.
            for _ in range(_exp_count(rng, VIEWS_PER_CASE)):
                agency = rng.choice(contributors)
                events.append((self._at(opened_on + timedelta(days=rng.randrange(0, span))), self._worker(agency.pk, pid), agency,
                               "view", "case", case_id, reference, case_id, None, {}, "Summary"))

            rows["case"].append((
                case_id, reference, pid, summary, kind.category, kind.pk, subject_type,
                rng.choice(["housing_association", "council", "private", "owner_occupier", "unknown"]),
                rng.choice(["10_15", "16_17", "adult", "adult", "adult", "unknown"]), kind.slug == "drug-alcohol",
                rng.random() < 0.15, lead.pk, officer, status,
                rng.choice(["resolved", "resolved", "no_further_action", "escalated_to_court", "other"]) if status == "closed" else "",
                "Closed after review." if status == "closed" else "", risk, "official_sensitive" if rng.random() < 0.05 else "official",
                address, postcode, rng.choice(cat.WARDS), opened_on, referred_to_group_on, next_review, closed_on, flagged,
                "Three complaints in six months" if flagged else "", 1, created_at, created_at, creator,
            ))
            case_id += 1

        self.write(Case, CASE_COLUMNS, rows["case"])
        self.write(Person, PERSON_COLUMNS, rows["person"])
        self.write(CasePerson, ["id", "case_id", "person_id", "role", "added_at", "added_by_id"], rows["caseperson"])
        self.write(CaseAccess, ["id", "case_id", "agency_id", "level", "granted_at", "granted_by_id", "reason", "revoked_at", "revoked_by_id"], rows["caseaccess"])
        self.write(CaseGroupObjectPermission, ["id", "group_id", "permission_id", "content_object_id", "case_opened_on"], rows["grant"])
        self.write(Referral, REFERRAL_COLUMNS, rows["referral"])
        self.write(GroupReferral, ["id", "case_id", "group_id", "referred_on", "reason", "referred_by_id", "status", "returned_on"], rows["groupreferral"])
        self.write(Incident, INCIDENT_COLUMNS, rows["incident"])
        self.write(Intervention, INTERVENTION_COLUMNS, rows["intervention"])
        self.write(Note, ["id", "case_id", "written_at", "author_id", "agency_id", "marking", "text"], rows["note"])
        self.write(Action, ["id", "case_id", "description", "owner_user_id", "owner_agency_id", "due_on", "done_on", "created_at", "created_by_id", "source"], rows["action"])
        self.write(RiskAssessment, ["id", "case_id", "assessed_on", "assessor_id", "agency_id", "score", "level", "notes", "created_at"], rows["risk"])
        self._write_audit(events)

    def _write_audit(self, events):
        """Chain the chunk's events in time order, exactly as audit_record would have chained them one by one."""
        events.sort(key=lambda e: e[0])
        first_id = self.ids.take(AuditEvent, len(events))
        previous = self.previous_hash
        username, rows = self.username, []
        e = _Event()
        for offset, (at, user_id, agency, action, object_type, object_id, object_repr, case_id, person_id, changes, detail) in enumerate(events):
            e.at, e.user_id, e.username = at, user_id, username.get(user_id, "")
            e.agency_id, e.agency_name = agency.pk, agency.name
            e.action, e.object_type, e.object_id, e.object_repr = action, object_type, str(object_id), str(object_repr)[:200]
            e.case_id, e.person_id, e.changes, e.detail = case_id, person_id, changes, detail[:500]
            e.ip_address = "10.20.0.1"
            digest = event_hash(e, previous)
            rows.append((first_id + offset, at, user_id, e.username, e.agency_id, e.agency_name, action, object_type, e.object_id,
                         e.object_repr, case_id, person_id, changes, e.detail, e.ip_address, previous, digest))
            previous = digest
        self.write(AuditEvent, AUDIT_COLUMNS, rows)
        self.previous_hash = previous
        self.audit_made += len(rows)

    def finish(self):
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
        head.last_hash = self.previous_hash
        head.save(update_fields=["last_hash"])
        VisibleCaseCount.objects.bulk_create([VisibleCaseCount(group_id=g, cases=n) for g, n in self.viewable.items()])
        CaseReferenceCounter.objects.bulk_create(
            [CaseReferenceCounter(partnership_id=pid, year=year, last_number=n) for (pid, year), n in self.reference_numbers.items()]
        )
        models = [Case, Person, CasePerson, CaseAccess, CaseGroupObjectPermission, Referral, GroupReferral, Incident, Intervention,
                  Note, Action, RiskAssessment, AuditEvent, get_user_model()]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


    def make_meetings(self):
        """Each group's schedule and its meetings for the months ahead, through the meetings services (audited,
        continuing the chain finish() has closed)."""
        for group in self.casework_groups.values():
            group_schedule_set(
                actor=Actor.system(), group=group, weekday=GROUP_WEEKDAY, week_of_month=GROUP_WEEK, starts_at=dt_time(*GROUP_STARTS_AT),
                today=self.today,
            )
        self.counts["meetings.Meeting"] = Meeting.objects.filter(group__in=self.casework_groups.values()).count()

    def make_routing_rules(self):
        """Each partnership's lead-agency flow chart, as the East Cambridgeshire working agreement has it, through the
        routing services (audited, continuing the chain): the case page and the open-a-case form run it. Each role the
        rules name goes to the partnership's busiest agency of that kind; where none serves it (Peterborough has no
        locality team), the district council takes that part."""
        made = 0
        for p in self.partnerships:
            serving = sorted(self.serving[p.pk], key=lambda a: (-a.lead_weight, a.pk))
            by_role = {role: next((a for a in serving if a.kind == role), self.council[p.pk]) for role in EAST_CAMBRIDGESHIRE_ROLES}
            made += len(routing_rules_seed_east_cambridgeshire(partnership=p, agencies=by_role, actor=Actor.system()))
        self.counts["referrals.RoutingRule"] = made


# The tables loaded in bulk, and from how many cases dropping and remaking their indexes is worth it.
BULK_MODELS = [Case, Person, CasePerson, CaseAccess, CaseGroupObjectPermission, Referral, GroupReferral, Incident, Intervention,
               Note, Action, RiskAssessment, AuditEvent]
BULK_LOAD_FROM = 10_000

CASE_COLUMNS = [
    "id", "reference", "partnership_id", "summary", "category", "kind_id", "subject_type", "subject_tenure", "subject_age_band",
    "is_drug_alcohol_related", "is_complex", "lead_agency_id", "lead_officer_id", "status", "closing_outcome", "closing_reason",
    "risk_level", "security_marking", "address", "postcode", "ward", "opened_on", "referred_to_group_on", "next_review_on",
    "closed_on", "case_review_flagged_at", "case_review_rule", "version", "created_at", "updated_at", "created_by_id",
]
PERSON_COLUMNS = ["id", "first_name", "last_name", "date_of_birth", "gender", "address", "postcode", "phone", "created_at", "created_by_id", "version"]
REFERRAL_COLUMNS = [
    "id", "case_id", "from_agency_id", "to_agency_id", "purpose", "reason", "priority", "respond_by", "former_lead_access", "status",
    "created_at", "created_by_id", "responded_at", "responded_by_id", "decline_reason", "overdue_since",
]
INCIDENT_COLUMNS = [
    "id", "case_id", "occurred_at", "reported_on", "reported_by_id", "channel", "description", "is_hate_motivated", "other_references",
    "created_at", "created_by_id", "agency_id",
]
INTERVENTION_COLUMNS = [
    "id", "case_id", "type", "delivering_agency_id", "person_id", "start_on", "review_on", "end_on", "status", "notes", "created_at",
    "created_by_id",
]
AUDIT_COLUMNS = [
    "id", "at", "user_id", "username", "agency_id", "agency_name", "action", "object_type", "object_id", "object_repr", "case_id",
    "person_id", "changes", "detail", "ip_address", "previous_hash", "hash",
]
