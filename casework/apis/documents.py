from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from audit.services import Actor
from casework import permissions, selectors
from casework.documents import ACCEPTED_TYPES, TOO_LARGE_MESSAGE, limit_upload_size, oversized_uploads
from casework.selectors.documents import document_get, document_list
from casework.services.cases import case_view_record
from casework.serializers.documents import DocumentOutputSerializer, DocumentUploadInputSerializer
from casework.services.documents import document_upload, document_withdraw
from casework.views.documents import document_file_response
from config.api import ACTING_MEMBERSHIP_PARAMETER, AgencyScopedApi

NOT_FOUND = OpenApiResponse(description="No such case or document, or your agency may not see it (the two are not told apart)")
BAD_INPUT = OpenApiResponse(description="Bad input: a message per field (for example a file of the wrong type or too large)")


class DocumentListCreateApi(AgencyScopedApi):
    """The case's documents that your acting agency may see; upload a document."""

    # Declared so that the schema shows the page envelope (count, next, previous, results) and the page parameter.
    pagination_class = PageNumberPagination

    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        # Before anything parses the body: an oversized file is skipped, not written to a temporary file.
        if request.method == "POST":
            limit_upload_size(request)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: DocumentOutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        paginator = self.pagination_class()
        case_view_record(actor=Actor.from_request(request), case=case, what="API: documents")
        page = paginator.paginate_queryset(document_list(case=case, agency=request.agency), request, view=self)
        return paginator.get_paginated_response(DocumentOutputSerializer(page, many=True, context={"reference": case.reference}).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        request={"multipart/form-data": DocumentUploadInputSerializer},
        responses={201: DocumentOutputSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
        description="Needs contributor access to the case. Send the file as multipart/form-data.",
    )
    def post(self, request, reference):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency, codename=permissions.CONTRIBUTE)
        data = DocumentUploadInputSerializer(data=request.data)
        if "file" in oversized_uploads(request):
            raise ValidationError({"file": [TOO_LARGE_MESSAGE]})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        document = document_upload(
            actor=Actor.from_request(request), case=case, title=values["title"], upload=values["file"],
            marking=values["marking"], shared_with=values["shared_with"],
        )
        return Response(DocumentOutputSerializer(document, context={"reference": case.reference}).data, status=status.HTTP_201_CREATED)


class DocumentDetailApi(AgencyScopedApi):
    @extend_schema(parameters=[ACTING_MEMBERSHIP_PARAMETER], responses={200: DocumentOutputSerializer, 404: NOT_FOUND})
    def get(self, request, reference, document_id):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        document = document_get(case=case, document_id=document_id, agency=request.agency)
        case_view_record(actor=Actor.from_request(request), case=case, what=f"API: document {document.pk}")
        return Response(DocumentOutputSerializer(document, context={"reference": case.reference}).data)

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        responses={204: None, 403: OpenApiResponse(description="Only the lead agency or the uploading agency may withdraw it"), 404: NOT_FOUND},
        description="Withdraw (delete) the document and its file. The audit trail keeps its title and SHA-256.",
    )
    def delete(self, request, reference, document_id):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        document = document_get(case=case, document_id=document_id, agency=request.agency)
        granted = permissions.case_permissions(user=request.user, agency=request.agency, case=case)
        if not permissions.can_withdraw_document(agency=request.agency, document=document, granted=granted):
            raise PermissionDenied("Only the lead agency or the agency that uploaded a document may withdraw it.")
        document_withdraw(actor=Actor.from_request(request), document=document, reason="Withdrawn through the API")
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnyAcceptNegotiation(BaseContentNegotiation):
    """A file is a file whatever the client asks for; errors still come back as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DocumentDownloadApi(AgencyScopedApi):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        parameters=[ACTING_MEMBERSHIP_PARAMETER],
        # The file comes back with the type detected at upload: one of the accepted types, each listed.
        responses={**{(200, kind.content_type): OpenApiTypes.BINARY for kind in ACCEPTED_TYPES.values()}, 404: NOT_FOUND},
        description="The file, as an attachment with its original name and the content type detected at upload. Audited.",
    )
    def get(self, request, reference, document_id):
        case = selectors.case_get(reference=reference, user=request.user, agency=request.agency)
        document = document_get(case=case, document_id=document_id, agency=request.agency)
        return document_file_response(request, document, via="API")
