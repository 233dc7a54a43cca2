from rest_framework import serializers

from casework.models import Case, RiskAnswer, RiskAssessment, RiskQuestion


class RiskQuestionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskQuestion
        fields = ["id", "text", "topic", "weight"]
        read_only_fields = fields


class RiskAnswerOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskAnswer
        fields = ["question", "question_text", "weight", "answer"]
        read_only_fields = fields


class RiskAssessmentOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    assessor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    answers = RiskAnswerOutputSerializer(many=True, read_only=True)
    # Named as on the case, so that the two share one enum in the schema.
    risk_level = serializers.ChoiceField(source="level", choices=Case.RiskLevel.choices, read_only=True)

    class Meta:
        model = RiskAssessment
        fields = ["id", "assessed_on", "score", "risk_level", "assessor", "agency", "notes", "answers", "created_at"]
        read_only_fields = fields


class RiskAnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="Id of a question from the case's risk-questions")
    answer = serializers.BooleanField()


class RiskAssessmentInputSerializer(serializers.Serializer):
    assessed_on = serializers.DateField(help_text="Not in the future")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    answers = RiskAnswerInputSerializer(many=True, help_text="One answer for every active question of the questionnaire")

    def validate_answers(self, answers):
        seen = set()
        for answer in answers:
            if answer["question"] in seen:
                raise serializers.ValidationError(f"Question {answer['question']} is answered twice.")
            seen.add(answer["question"])
        return answers
