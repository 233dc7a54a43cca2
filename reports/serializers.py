from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.models import QUARTER_CHOICES, ReportRun
from reports.quarters import Quarter, financial_year_parse


class ReportRunInputSerializer(serializers.Serializer):
    financial_year = serializers.CharField(max_length=9, help_text="The financial year, written like 2010-11 (April 2010 to March 2011)")
    quarter = serializers.ChoiceField(choices=QUARTER_CHOICES, help_text="1 (April–June), 2 (July–September), 3 (October–December) or 4 (January–March)")

    def validate_financial_year(self, value):
        try:
            return financial_year_parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate(self, data):
        data["period"] = Quarter(data["financial_year"], int(data["quarter"]))
        return data


class ReportRunOutputSerializer(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    financial_year = serializers.CharField(source="financial_year_label", read_only=True, help_text="For example 2010-11")
    label = serializers.SerializerMethodField(help_text="For example “Q1 – 2010-11”")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.SerializerMethodField(help_text="The username of who asked for it; null when scheduled")
    download_url = serializers.SerializerMethodField(help_text="Where to download the PDF once the status is done")

    class Meta:
        model = ReportRun
        fields = [
            "id", "partnership", "financial_year", "quarter", "label", "version", "status", "status_display", "progress", "step",
            "error", "attempts", "requested_by", "requested_via", "requested_at", "started_at", "heartbeat_at", "finished_at",
            "data_cutoff", "file_size", "download_url",
        ]
        read_only_fields = fields

    def get_label(self, run) -> str:
        return run.period.label

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requested_by(self, run):
        return run.requested_by.get_username() if run.requested_by else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, run):
        if run.status != ReportRun.Status.DONE:
            return None
        url = reverse("api_report_run_download", args=[run.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
