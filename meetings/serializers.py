"""Read-only output of meetings, agendas and minutes for the API. Case items carry only what the group pack shows."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import Case
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAction


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$", "example": "10:00:00"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the United Kingdom, as DRF writes it ("10:00:00"). Not the schema's `format: time`, which
    is RFC 3339's and needs a UTC offset that a meeting's start time does not have."""


class MeetingListFilterSerializer(serializers.Serializer):
    when = serializers.ChoiceField(
        choices=[("upcoming", "From today on, soonest first"), ("past", "Before today, latest first")], required=False, default="upcoming"
    )


class MeetingOutputSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name", read_only=True)
    starts_at = LocalTimeField(read_only=True, help_text="Local time (UK)")
    agenda_issued = serializers.SerializerMethodField()
    minutes_published = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "group", "held_on", "starts_at", "venue", "status", "cancelled_reason", "agenda_cut_off", "agenda_issued", "minutes_published"]
        read_only_fields = fields

    def get_agenda_issued(self, meeting) -> bool:
        return meeting.agenda_issued_at is not None

    def get_minutes_published(self, meeting) -> bool:
        return meeting.minutes_published_at is not None


class CaseFactsSerializer(serializers.Serializer):
    """The case as the group pack shows it at the cut-off: no names of people."""

    reference = serializers.CharField()
    why = serializers.CharField(required=False)
    summary = serializers.CharField()
    kind = serializers.CharField(allow_blank=True)
    category = serializers.CharField()
    subject_type = serializers.CharField()
    lead_agency = serializers.CharField()
    risk_level = serializers.CharField()
    over_threshold = serializers.BooleanField()
    next_review_on = serializers.DateField(allow_null=True)
    since = serializers.DateField()
    incidents = serializers.DictField()
    interventions_started = serializers.DictField()
    actions_done = serializers.DictField()
    actions_overdue = serializers.DictField()


class AgendaItemOutputSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="agenda_number", read_only=True)
    case = serializers.SerializerMethodField()
    section_title = serializers.CharField(source="get_section_display", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "number", "section", "section_title", "kind", "title", "body", "case", "proposed_for_closure", "closure_reason"]
        read_only_fields = fields

    @extend_schema_field(CaseFactsSerializer(allow_null=True))
    def get_case(self, item):
        return CaseFactsSerializer(item.facts).data if item.case_id is not None else None


class AgendaOutputSerializer(serializers.Serializer):
    meeting = MeetingOutputSerializer()
    items = AgendaItemOutputSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField(), help_text="Changes to meetings noted formally")


class AttendanceOutputSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["name", "agency", "role", "status"]
        read_only_fields = fields


class MeetingActionOutputSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = MeetingAction
        fields = ["description", "owner", "due_on"]
        read_only_fields = fields

    def get_owner(self, action) -> str:
        if action.owner_user_id:
            return action.owner_user.get_full_name() or action.owner_user.get_username()
        return action.owner_agency.name


class MinuteOutputSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="minute_no", read_only=True)
    case = serializers.SerializerMethodField()
    decision = serializers.CharField(read_only=True)
    decision_outcome = serializers.ChoiceField(choices=Case.Outcome.choices, allow_blank=True, read_only=True)
    decision_lead_agency = serializers.SerializerMethodField()
    declarations = serializers.SerializerMethodField()
    actions = MeetingActionOutputSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "case", "minute_text", "decision", "decision_lead_agency", "decision_outcome", "declarations", "actions"]
        read_only_fields = fields

    def get_case(self, item) -> str | None:
        return item.case.reference if item.case_id else None

    def get_decision_lead_agency(self, item) -> str | None:
        return item.decision_lead_agency.name if item.decision_lead_agency_id else None

    def get_declarations(self, item) -> list[str]:
        return [f"{d.attendee.name}: {d.interest}" for d in item.declarations.all()]


class MinutesOutputSerializer(serializers.Serializer):
    meeting = MeetingOutputSerializer()
    published = serializers.BooleanField()
    previous_minutes_approval = serializers.CharField(allow_blank=True)
    previous_minutes_alterations = serializers.CharField(allow_blank=True)
    present = AttendanceOutputSerializer(many=True)
    apologies = AttendanceOutputSerializer(many=True)
    minutes = MinuteOutputSerializer(many=True)
