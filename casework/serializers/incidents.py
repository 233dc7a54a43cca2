from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import CaseReviewRequest, Incident, Person
from casework.services.case_review import incident_is_complaint


class PersonRefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name"]

    def get_name(self, person) -> str:
        return f"{person.first_name} {person.last_name}"


class IncidentOutputSerializer(serializers.ModelSerializer):
    reported_by = PersonRefSerializer(read_only=True, allow_null=True)
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    is_complaint = serializers.SerializerMethodField(
        help_text="Counts towards the ASB Case Review threshold: reported by someone on the case within one month"
    )

    class Meta:
        model = Incident
        fields = [
            "id", "occurred_at", "reported_on", "reported_by", "channel", "description", "is_hate_motivated",
            "other_references", "is_complaint", "agency", "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_complaint(self, incident) -> bool:
        return incident_is_complaint(incident)


class IncidentInputSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField(help_text="When the behaviour happened; not in the future")
    reported_on = serializers.DateField(help_text="On or after the day it happened; not in the future")
    reported_by = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of a person on the case (see the case's people); empty if none"
    )
    channel = serializers.ChoiceField(choices=Incident.Channel.choices)
    description = serializers.CharField(max_length=5000)
    is_hate_motivated = serializers.BooleanField(required=False, default=False)
    other_references = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CaseReviewRequestOutputSerializer(serializers.ModelSerializer):
    requested_by = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CaseReviewRequest
        fields = [
            "id", "requested_on", "requested_by", "requested_by_description", "decision_due_on", "decision_on",
            "outcome", "notes", "recorded_at",
        ]
        read_only_fields = fields


class CaseReviewRequestInputSerializer(serializers.Serializer):
    requested_on = serializers.DateField()
    requested_by = serializers.IntegerField(required=False, allow_null=True, help_text="Id of a person on the case")
    requested_by_description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Who asked, if not a person on the case"
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CaseReviewDecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(value, label) for value, label in CaseReviewRequest.Outcome.choices if value != CaseReviewRequest.Outcome.PENDING]
    )
    decision_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True)
