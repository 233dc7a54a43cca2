from rest_framework import serializers

from agencies.models import Agency
from casework.models import AsbKind, Case
from casework.selectors.cases import CURRENT, REVIEW_OVERDUE, REVIEW_THIS_WEEK


class CaseOutputSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lead_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    # Read-only fields built from the model lose allow_blank, so the schema would not allow "" for an open case.
    closing_outcome = serializers.ChoiceField(choices=Case.Outcome.choices, allow_blank=True, read_only=True)
    over_case_review_threshold = serializers.BooleanField(source="is_over_case_review_threshold", read_only=True)

    class Meta:
        model = Case
        fields = [
            "reference", "partnership", "summary", "category", "kind", "subject_type", "subject_tenure",
            "subject_age_band", "is_drug_alcohol_related", "is_complex", "lead_agency", "status", "closing_outcome",
            "closing_reason", "risk_level", "security_marking", "address", "postcode", "ward", "latitude", "longitude",
            "opened_on", "referred_to_group_on", "next_review_on", "closed_on", "over_case_review_threshold",
            "case_review_flagged_at", "case_review_rule", "version",
        ]
        read_only_fields = fields


class _CaseFieldsInput(serializers.Serializer):
    summary = serializers.CharField(max_length=300)
    category = serializers.ChoiceField(choices=Case._meta.get_field("category").choices)
    kind = serializers.SlugRelatedField(slug_field="slug", queryset=AsbKind.objects.filter(is_active=True), required=False, allow_null=True)
    subject_type = serializers.ChoiceField(choices=Case.SubjectType.choices, required=False)
    subject_tenure = serializers.ChoiceField(choices=Case.Tenure.choices, required=False)
    subject_age_band = serializers.ChoiceField(choices=Case.AgeBand.choices, required=False)
    is_drug_alcohol_related = serializers.BooleanField(required=False)
    is_complex = serializers.BooleanField(required=False)
    risk_level = serializers.ChoiceField(choices=Case.RiskLevel.choices, required=False)
    security_marking = serializers.ChoiceField(choices=Case._meta.get_field("security_marking").choices, required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    ward = serializers.CharField(max_length=100, required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-180, max_value=180)
    next_review_on = serializers.DateField(required=False, allow_null=True)


class CaseCreateInputSerializer(_CaseFieldsInput):
    category = serializers.ChoiceField(
        choices=Case._meta.get_field("category").choices, required=False, help_text="Implied by `kind` when that is given; must agree with it"
    )
    lead_agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all(), required=False,
                                               help_text="Defaults to the agency the caller acts for")
    opened_on = serializers.DateField(required=False)
    routing_override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000,
        help_text="Needed when `lead_agency` is not the lead the partnership's routing rules suggest (400 otherwise)",
    )


class CaseUpdateInputSerializer(_CaseFieldsInput):
    version = serializers.IntegerField(help_text="The version you read: a save based on an older one is refused with 409")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class CaseCloseInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Case.Outcome.choices)
    reason = serializers.CharField(allow_blank=True, required=False, default="")
    closed_on = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False)


class CaseListFilterSerializer(serializers.Serializer):
    """The case list's filters and search: the same as the Cases page's, applied by the same selector."""

    q = serializers.CharField(required=False, max_length=100, help_text="Reference (exact or start), person's name, postcode (spaces and case ignored) or address")
    status = serializers.ChoiceField(
        choices=[(CURRENT, "Not closed")] + Case.Status.choices, required=False, help_text="A status, or `current` for any but closed"
    )
    category = serializers.ChoiceField(choices=Case._meta.get_field("category").choices, required=False)
    risk_level = serializers.ChoiceField(choices=Case.RiskLevel.choices, required=False)
    lead_agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all(), required=False, help_text="Lead agency's slug")
    review_due = serializers.ChoiceField(
        choices=[(REVIEW_OVERDUE, "Review overdue"), (REVIEW_THIS_WEEK, "Review due within a week, or overdue")], required=False
    )
    case_review = serializers.BooleanField(required=False, default=False, help_text="Only cases over the ASB Case Review threshold")
    mine = serializers.BooleanField(required=False, default=False, help_text="Only cases where you are the lead officer")
    overdue_actions = serializers.BooleanField(required=False, default=False, help_text="Only cases with an overdue action for you or your agency")
