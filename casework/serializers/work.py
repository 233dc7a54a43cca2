"""Input and output shapes for interventions, actions and notes under /api/v1/cases/<reference>/."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from agencies.models import Agency
from casework import intervention_rules, permissions
from casework.models import Action, Intervention, InterventionBreach, InterventionType, Note, Person, SecurityMarking
from casework.selectors.interventions import case_person_choices


class BreachOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = InterventionBreach
        fields = ["id", "occurred_on", "notes", "recorded_at"]
        read_only_fields = fields


class InterventionOutputSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    delivering_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    person_name = serializers.StringRelatedField(source="person", read_only=True, allow_null=True)
    breaches = BreachOutputSerializer(many=True, read_only=True)
    warnings = serializers.SerializerMethodField(help_text="Checks the law asks for that could not be made, such as an unknown date of birth")

    class Meta:
        model = Intervention
        fields = [
            "id", "type", "type_label", "delivering_agency", "person", "person_name", "start_on", "review_on", "end_on",
            "status", "notes", "breaches", "warnings", "created_at",
        ]
        read_only_fields = fields

    def get_warnings(self, intervention) -> list[str]:
        return intervention_rules.warnings_for(intervention, today=timezone.localdate())


class InterventionCreateInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=InterventionType.choices)
    delivering_agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all())
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), required=False, allow_null=True, default=None,
        help_text="Id of a person linked to the case; leave out for area-wide orders such as a PSPO",
    )
    start_on = serializers.DateField(required=False, allow_null=True, default=None)
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    end_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=Intervention.Status.choices, required=False, default=Intervention.Status.PROPOSED,
        help_text="Not breached: record a breach to make it breached",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        # Only people on this case: an id of anyone else reads as "does not exist".
        self.fields["person"].queryset = case_person_choices(case=case) if case else Person.objects.none()


class InterventionUpdateInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Intervention.Status.choices, required=False)
    start_on = serializers.DateField(required=False, allow_null=True)
    review_on = serializers.DateField(required=False, allow_null=True)
    end_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one of status, start_on, review_on, end_on, notes.")
        return attrs


class BreachInputSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ActionOutputSerializer(serializers.ModelSerializer):
    owner_user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "description", "owner_user", "owner_agency", "due_on", "done_on", "is_overdue", "source", "created_at"]
        read_only_fields = fields

    def get_is_overdue(self, action) -> bool:
        return action.is_overdue_on(timezone.localdate())


class _ActionOwnerInput(serializers.Serializer):
    owner_user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.none(), required=False, allow_null=True,
        help_text="Username of someone in an agency with access to the case",
    )
    owner_agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), required=False, allow_null=True,
        help_text="Slug of an agency with access to the case",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        users = permissions.users_with_case_access(case=case) if case else get_user_model().objects.none()
        self.fields["owner_user"].queryset = users


class ActionCreateInputSerializer(_ActionOwnerInput):
    description = serializers.CharField(max_length=500)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class ActionUpdateInputSerializer(_ActionOwnerInput):
    description = serializers.CharField(max_length=500, required=False)
    due_on = serializers.DateField(required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True, help_text="A date marks it done; null reopens it")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change.")
        return attrs


class NoteOutputSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    author_name = serializers.SerializerMethodField()
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    shared_with = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Note
        fields = ["id", "written_at", "author", "author_name", "agency", "marking", "text", "shared_with"]
        read_only_fields = fields

    def get_author_name(self, note) -> str:
        return (note.author.get_full_name() or note.author.username) if note.author else ""


class NoteCreateInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    marking = serializers.ChoiceField(choices=SecurityMarking.choices, required=False, default=SecurityMarking.OFFICIAL)
    shared_with = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), many=True, required=False, default=list,
        help_text="Slugs of agencies with access to the case that may read an OFFICIAL-SENSITIVE note",
    )
