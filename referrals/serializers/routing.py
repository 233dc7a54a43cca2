from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import AsbKind, Case
from referrals.models import RoutingRule
from referrals.routing import interventions_named


class AgencyBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class InterventionSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


def _interventions(values) -> list[dict]:
    return [{"value": value, "label": label} for value, label in interventions_named(values)]


class RoutingRuleOutputSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="priority", read_only=True, help_text="Rules are tried from 1 upwards")
    kinds = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    lead_agency = AgencyBriefSerializer(read_only=True)
    supporting_agencies = AgencyBriefSerializer(many=True, read_only=True)
    suggested_interventions = serializers.SerializerMethodField()
    # Blank: the rule applies whatever the tenure. (A read-only field built from the model would not allow "".)
    subject_tenure = serializers.ChoiceField(choices=Case.Tenure.choices, allow_blank=True, read_only=True)

    class Meta:
        model = RoutingRule
        fields = [
            "id", "number", "name", "is_active", "kinds", "subject_tenure", "subject_under_18", "hate_motivated",
            "drug_alcohol_related", "complex_or_persistent", "persistent_incidents", "persistent_period_days",
            "lead_agency", "supporting_agencies", "suggested_interventions", "explanation",
        ]
        read_only_fields = fields

    @extend_schema_field(InterventionSerializer(many=True))
    def get_suggested_interventions(self, rule):
        return InterventionSerializer(_interventions(rule.suggested_interventions), many=True).data


class RoutingTryInputSerializer(serializers.Serializer):
    """Case facts, named as on the case API."""

    kind = serializers.SlugRelatedField(slug_field="slug", queryset=AsbKind.objects.filter(is_active=True), required=False, allow_null=True)
    subject_tenure = serializers.ChoiceField(choices=Case.Tenure.choices, required=False, default=Case.Tenure.UNKNOWN)
    subject_age_band = serializers.ChoiceField(choices=Case.AgeBand.choices, required=False, default=Case.AgeBand.UNKNOWN)
    hate_motivated = serializers.BooleanField(required=False, default=False, help_text="A hate-motivated incident has been reported (the kind 'hate-motivated' counts too)")
    is_drug_alcohol_related = serializers.BooleanField(required=False, default=False)
    is_complex = serializers.BooleanField(required=False, default=False)
    recent_incidents = serializers.IntegerField(required=False, min_value=0, max_value=999, help_text="Incidents in the last recent_period_days days")
    recent_period_days = serializers.IntegerField(required=False, min_value=1, max_value=3650)

    def validate(self, data):
        if ("recent_incidents" in data) != ("recent_period_days" in data):
            field = "recent_period_days" if "recent_incidents" in data else "recent_incidents"
            raise serializers.ValidationError({field: "Give both the number of incidents and the number of days, or neither."})
        return data


class RoutingRuleBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    number = serializers.IntegerField(source="priority", read_only=True)
    name = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True, help_text="Why the rule leads where it does, and why it sits where it does in the order")


class RoutingSuggestionOutputSerializer(serializers.Serializer):
    matched = serializers.BooleanField(read_only=True)
    explanation = serializers.CharField(read_only=True, help_text="One sentence: where the case would go, by which rule, and why")
    rule = RoutingRuleBriefSerializer(read_only=True, allow_null=True)
    lead_agency = AgencyBriefSerializer(read_only=True, allow_null=True)
    supporting_agencies = AgencyBriefSerializer(many=True, read_only=True)
    suggested_interventions = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    @extend_schema_field(InterventionSerializer(many=True))
    def get_suggested_interventions(self, suggestion):
        return InterventionSerializer([{"value": v, "label": label} for v, label in suggestion.suggested_interventions], many=True).data
