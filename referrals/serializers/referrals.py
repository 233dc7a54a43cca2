from rest_framework import serializers

from agencies.models import Agency
from casework.models import Case
from referrals.models import Referral, ReferralMessage


class ReferralCaseSerializer(serializers.ModelSerializer):
    """The few facts the receiving agency sees before it has access to the case."""

    kind = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    lead_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Case
        fields = ["reference", "summary", "category", "kind", "risk_level", "lead_agency"]
        read_only_fields = fields


class ReferralOutputSerializer(serializers.ModelSerializer):
    case = ReferralCaseSerializer(read_only=True)
    from_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id", "case", "from_agency", "to_agency", "purpose", "reason", "priority", "respond_by",
            "former_lead_access", "status", "created_at", "responded_at", "decline_reason", "overdue",
            "overdue_since", "escalated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, referral) -> bool:
        """Still waiting for a reply after the reply date."""
        return bool(getattr(referral, "is_overdue", False))


class ReferralCreateInputSerializer(serializers.Serializer):
    case = serializers.CharField(max_length=24, help_text="The case's reference, for example ECAM-2026-0042")
    to_agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all())
    purpose = serializers.ChoiceField(choices=Referral.Purpose.choices)
    reason = serializers.CharField()
    priority = serializers.ChoiceField(choices=Referral.Priority.choices, required=False, default=Referral.Priority.ROUTINE)
    respond_by = serializers.DateField(required=False, help_text="Defaults to five working days from today")
    former_lead_access = serializers.ChoiceField(
        choices=Referral.FormerLeadAccess.choices,
        required=False,
        default=Referral.FormerLeadAccess.CONTRIBUTOR,
        help_text="For purpose take_lead: what the referring agency keeps afterwards",
    )


class ReferralListFilterSerializer(serializers.Serializer):
    box = serializers.ChoiceField(
        choices=[("inbox", "Sent to your agency"), ("sent", "Sent by your agency")], required=False, default="inbox"
    )
    status = serializers.ChoiceField(choices=Referral.Status.choices, required=False)


class ReferralDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why your agency declines; the referring agency sees it")


class ReferralMessageInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class ReferralMessageOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ReferralMessage
        fields = ["id", "agency", "author", "text", "written_at"]
        read_only_fields = fields
