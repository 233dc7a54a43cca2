from casework.models.base import AsbCategory, AsbKind, SecurityMarking
from casework.models.cases import Case, CaseAccess, CaseGroupObjectPermission, CaseReferenceCounter, CaseUserObjectPermission, VisibleCaseCount
from casework.models.governance import RetentionReview, SubjectAccessRequest
from casework.models.incidents import CaseReviewRequest, Incident
from casework.models.people import CasePerson, Household, Person
from casework.models.risk import RiskAnswer, RiskAssessment, RiskQuestion
from casework.models.work import Action, Document, Intervention, InterventionBreach, InterventionType, Note

__all__ = [
    "Action", "AsbCategory", "AsbKind", "Case", "CaseAccess", "CaseGroupObjectPermission", "CasePerson",
    "CaseReferenceCounter", "CaseReviewRequest", "CaseUserObjectPermission", "Document", "Household", "Incident",
    "Intervention", "InterventionBreach", "InterventionType", "Note", "Person", "RiskAnswer", "RiskAssessment",
    "RiskQuestion", "SecurityMarking", "VisibleCaseCount",
]
__all__ += ["RetentionReview", "SubjectAccessRequest"]
