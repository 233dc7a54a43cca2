from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.models import Agency
from casework.documents import MAX_DOCUMENT_LABEL
from casework.models import Document, SecurityMarking


class DocumentOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The agency that uploaded it")
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    shared_with = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "title", "original_name", "content_type", "size", "sha256", "marking", "shared_with", "agency",
            "uploaded_by", "uploaded_at", "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, document) -> str:
        return reverse("api_document_download", args=[self.context["reference"], document.pk])


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """The file's bytes, as a multipart/form-data part (the schema otherwise says a URL string, as for output)."""


class DocumentUploadInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = UploadField(
        allow_empty_file=True,
        help_text=f"PDF, Word (.doc, .docx), JPEG, PNG, GIF, TIFF, HEIC, or e-mail (.eml, .msg); up to {MAX_DOCUMENT_LABEL}. "
        "The type is told from the content, not the name.",
    )
    marking = serializers.ChoiceField(choices=SecurityMarking.choices, default=SecurityMarking.OFFICIAL)
    shared_with = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), many=True, required=False, default=list,
        help_text="Agencies (with access to the case) to share an OFFICIAL-SENSITIVE document with; ignored for OFFICIAL",
    )
