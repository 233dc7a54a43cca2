from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import CasePerson, Household, Person


class HouseholdBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["id", "name"]
        read_only_fields = fields


@extend_schema_field({"oneOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]})
class BlankableEmailField(serializers.EmailField):
    """An e-mail address, or "" when none is known (a person's e-mail is optional)."""


class PersonOutputSerializer(serializers.ModelSerializer):
    email = BlankableEmailField(read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    under_18 = serializers.BooleanField(source="is_under_18", read_only=True)
    household = HouseholdBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id", "first_name", "last_name", "aliases", "date_of_birth", "age", "under_18", "gender", "address",
            "postcode", "phone", "email", "vulnerability_notes", "household", "version",
        ]
        read_only_fields = fields


class CasePersonOutputSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    person = PersonOutputSerializer(read_only=True)

    class Meta:
        model = CasePerson
        fields = ["id", "role", "role_label", "notes", "added_at", "person"]
        read_only_fields = fields


class PersonCaseLinkSerializer(serializers.ModelSerializer):
    """One of the cases (that the caller may see) a person is on."""

    reference = serializers.CharField(source="case.reference", read_only=True)
    summary = serializers.CharField(source="case.summary", read_only=True)
    lead_agency = serializers.CharField(source="case.lead_agency.slug", read_only=True)
    status = serializers.CharField(source="case.status", read_only=True)

    class Meta:
        model = CasePerson
        fields = ["id", "reference", "summary", "lead_agency", "status", "role"]
        read_only_fields = fields


class PersonDetailOutputSerializer(PersonOutputSerializer):
    cases = serializers.SerializerMethodField(help_text="The cases the caller may see that the person is on, with role")
    victim_on_cases = serializers.SerializerMethodField()
    perpetrator_on_cases = serializers.SerializerMethodField()

    class Meta(PersonOutputSerializer.Meta):
        fields = PersonOutputSerializer.Meta.fields + ["cases", "victim_on_cases", "perpetrator_on_cases"]
        read_only_fields = fields

    def get_cases(self, person) -> list[dict]:
        return PersonCaseLinkSerializer(self.context["links"], many=True).data

    def get_victim_on_cases(self, person) -> int:
        return self.context["role_counts"].get(CasePerson.Role.VICTIM, 0)

    def get_perpetrator_on_cases(self, person) -> int:
        return self.context["role_counts"].get(CasePerson.Role.PERPETRATOR, 0)


class _PersonFieldsInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    aliases = serializers.CharField(max_length=300, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Person.Gender.choices, required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    vulnerability_notes = serializers.CharField(required=False, allow_blank=True)


class CasePersonCreateInputSerializer(_PersonFieldsInput):
    role = serializers.ChoiceField(choices=CasePerson.Role.choices)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    person = serializers.IntegerField(
        required=False, min_value=1,
        help_text="Link this existing person instead of creating one. A person your agency cannot yet see may be linked "
                  "only together with the details that offered them as a possible duplicate.",
    )
    confirm_new = serializers.BooleanField(
        required=False, default=False,
        help_text="Create a new person even though possible duplicates exist (after the caller has checked them).",
    )

    def validate(self, attrs):
        if attrs.get("person") and attrs.get("confirm_new"):
            raise serializers.ValidationError({"confirm_new": "Send either an existing person's id or confirm_new, not both."})
        return attrs


class PersonUpdateInputSerializer(_PersonFieldsInput):
    version = serializers.IntegerField(help_text="The version you read: a save based on an older one is refused with 409")


class DuplicateCandidateSerializer(serializers.Serializer):
    """A possible duplicate as the caller may see it: the detail fields are left out unless `disclosed`."""

    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    birth_year = serializers.IntegerField(allow_null=True)
    postcode_district = serializers.CharField(allow_blank=True)
    disclosed = serializers.BooleanField(help_text="False: your agency may not see any of this person's cases")
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    aliases = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    age = serializers.IntegerField(required=False, allow_null=True)
    under_18 = serializers.BooleanField(required=False)
    gender = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    vulnerability_notes = serializers.CharField(required=False, allow_blank=True)

    def to_representation(self, instance):
        # Only what permissions.person_offered_view put in: a limited candidate has no detail keys at all.
        shown = super().to_representation(instance)
        return {name: value for name, value in shown.items() if name in instance}


class DuplicatesFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()
    candidates = DuplicateCandidateSerializer(many=True)
