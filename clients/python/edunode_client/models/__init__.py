"""Contains all the data models used in inputs/outputs"""

from .activity_type import ActivityType
from .agency_activity import AgencyActivity
from .agency_create import AgencyCreate
from .agency_name import AgencyName
from .agency_read import AgencyRead
from .agency_update import AgencyUpdate
from .agreement import Agreement
from .agreement_create import AgreementCreate
from .agreement_kind import AgreementKind
from .agreement_scope import AgreementScope
from .agreement_update import AgreementUpdate
from .answer import Answer
from .appeal_create import AppealCreate
from .appeal_decision_create import AppealDecisionCreate
from .appeal_outcome import AppealOutcome
from .appeal_read import AppealRead
from .applicant import Applicant
from .aspect import Aspect
from .assessment import Assessment
from .assessment_reference_levels import AssessmentReferenceLevels
from .audit_entry import AuditEntry
from .audit_log import AuditLog
from .audit_logs import AuditLogs
from .batch_issued import BatchIssued
from .batch_report import BatchReport
from .batch_summary import BatchSummary
from .case_counts import CaseCounts
from .case_create import CaseCreate
from .case_read import CaseRead
from .case_sort import CaseSort
from .case_status import CaseStatus
from .case_summary import CaseSummary
from .cefr_level import CefrLevel
from .check_outcome import CheckOutcome
from .compare_step import CompareStep
from .comparison import Comparison
from .comparison_reference_levels import ComparisonReferenceLevels
from .component_override import ComponentOverride
from .component_recognition import ComponentRecognition
from .component_recognition_outcome import ComponentRecognitionOutcome
from .consumer_health import ConsumerHealth
from .convention_party import ConventionParty
from .convention_read import ConventionRead
from .cooperation_condition import CooperationCondition
from .credential_document_format import CredentialDocumentFormat
from .credit_system import CreditSystem
from .credit_system_hours_per_credit_type_0 import CreditSystemHoursPerCreditType0
from .credits_read import CreditsRead
from .criterion_score import CriterionScore
from .decision import Decision
from .decision_create import DecisionCreate
from .decision_read import DecisionRead
from .degree_outcome import DegreeOutcome
from .diploma_batch_create import DiplomaBatchCreate
from .diploma_batch_read import DiplomaBatchRead
from .diploma_create import DiplomaCreate
from .diploma_qualification import DiplomaQualification
from .divergence import Divergence
from .document import Document
from .element import Element
from .evaluated_programme import EvaluatedProgramme
from .evaluation_credential_create import EvaluationCredentialCreate
from .evaluation_read import EvaluationRead
from .evaluation_status import EvaluationStatus
from .evaluation_submission import EvaluationSubmission
from .evidence import Evidence
from .export_institutions_format import ExportInstitutionsFormat
from .federation_status import FederationStatus
from .federation_status_records import FederationStatusRecords
from .field_error import FieldError
from .finding import Finding
from .finding_data import FindingData
from .finding_outcome import FindingOutcome
from .flag_clearance_create import FlagClearanceCreate
from .flag_clearance_read import FlagClearanceRead
from .flag_level import FlagLevel
from .flag_message import FlagMessage
from .focus_country import FocusCountry
from .focus_kind import FocusKind
from .framework_kind import FrameworkKind
from .framework_level import FrameworkLevel
from .framework_level_create import FrameworkLevelCreate
from .framework_level_update import FrameworkLevelUpdate
from .framework_summary import FrameworkSummary
from .grade_count import GradeCount
from .grade_read import GradeRead
from .grade_table_state import GradeTableState
from .grade_table_upload import GradeTableUpload
from .health import Health
from .health_checks import HealthChecks
from .history_entry import HistoryEntry
from .holder import Holder
from .holder_identifier import HolderIdentifier
from .identifier import Identifier
from .identifier_resource import IdentifierResource
from .identifier_state import IdentifierState
from .iia_approval import IiaApproval
from .iia_approval_request import IiaApprovalRequest
from .iia_conditions import IiaConditions
from .iia_conditions_change import IiaConditionsChange
from .iia_partner import IiaPartner
from .iia_proposal import IiaProposal
from .iia_state import IiaState
from .iia_status import IiaStatus
from .iia_termination import IiaTermination
from .inquiry_holder import InquiryHolder
from .inquiry_qualification import InquiryQualification
from .inquiry_question import InquiryQuestion
from .inquiry_read import InquiryRead
from .inquiry_read_statement_type_0 import InquiryReadStatementType0
from .inquiry_status import InquiryStatus
from .institution_create import InstitutionCreate
from .institution_page import InstitutionPage
from .institution_page_facets import InstitutionPageFacets
from .institution_page_facets_additional_property import InstitutionPageFacetsAdditionalProperty
from .institution_read import InstitutionRead
from .institution_ref_read import InstitutionRefRead
from .institution_reference import InstitutionReference
from .institution_status import InstitutionStatus
from .institution_type import InstitutionType
from .institution_update import InstitutionUpdate
from .issue_token_body import IssueTokenBody
from .issue_token_body_grant_type import IssueTokenBodyGrantType
from .issued_credential_read import IssuedCredentialRead
from .issued_credential_read_credential import IssuedCredentialReadCredential
from .justifying_evaluation import JustifyingEvaluation
from .jwk import Jwk
from .jwk_set import JwkSet
from .la_approval import LaApproval
from .la_approval_request import LaApprovalRequest
from .la_change import LaChange
from .la_component import LaComponent
from .la_components import LaComponents
from .la_home_component import LaHomeComponent
from .la_party import LaParty
from .la_proposal import LaProposal
from .la_rejection import LaRejection
from .la_rejection_request import LaRejectionRequest
from .la_version import LaVersion
from .la_version_status import LaVersionStatus
from .language_requirement import LanguageRequirement
from .learning_agreement_read import LearningAgreementRead
from .legal_basis import LegalBasis
from .legal_basis_kind import LegalBasisKind
from .legal_status import LegalStatus
from .level_comparison import LevelComparison
from .match_item import MatchItem
from .match_result import MatchResult
from .micro_credential_create import MicroCredentialCreate
from .mobility_flow import MobilityFlow
from .mobility_statistics_state import MobilityStatisticsState
from .mobility_type import MobilityType
from .mode_of_study import ModeOfStudy
from .name_entry import NameEntry
from .name_kind import NameKind
from .node_health import NodeHealth
from .node_health_services import NodeHealthServices
from .node_health_status import NodeHealthStatus
from .node_list import NodeList
from .nominated_student import NominatedStudent
from .nomination_read import NominationRead
from .nomination_reason import NominationReason
from .nomination_request import NominationRequest
from .nomination_status import NominationStatus
from .outbox_health import OutboxHealth
from .outcome import Outcome
from .page_agency_read import PageAgencyRead
from .page_audit_entry import PageAuditEntry
from .page_case_summary import PageCaseSummary
from .page_evaluation_read import PageEvaluationRead
from .page_grade_table_state import PageGradeTableState
from .page_iia_state import PageIiaState
from .page_institution_ref_read import PageInstitutionRefRead
from .page_learning_agreement_read import PageLearningAgreementRead
from .page_mobility_statistics_state import PageMobilityStatisticsState
from .page_nomination_read import PageNominationRead
from .page_programme_read import PageProgrammeRead
from .page_published_decision_read import PagePublishedDecisionRead
from .page_transcript_read import PageTranscriptRead
from .participation_form import ParticipationForm
from .peer_status import PeerStatus
from .planned_component import PlannedComponent
from .problem import Problem
from .programme_create import ProgrammeCreate
from .programme_create_for_institution import ProgrammeCreateForInstitution
from .programme_read import ProgrammeRead
from .programme_status import ProgrammeStatus
from .programme_update import ProgrammeUpdate
from .public_node import PublicNode
from .published_decision_read import PublishedDecisionRead
from .purpose import Purpose
from .qa_status import QAStatus
from .qa_status_read import QAStatusRead
from .qualification import Qualification
from .qualification_level import QualificationLevel
from .qualification_title import QualificationTitle
from .quality_finding import QualityFinding
from .quality_framework import QualityFramework
from .recognition_decision import RecognitionDecision
from .recognition_decision_decision import RecognitionDecisionDecision
from .recognition_framework import RecognitionFramework
from .recognition_read import RecognitionRead
from .recognition_status import RecognitionStatus
from .record_digest import RecordDigest
from .reference import Reference
from .reference_record_use import ReferenceRecordUse
from .referencing import Referencing
from .referencing_basis import ReferencingBasis
from .register import Register
from .registration import Registration
from .registration_decision import RegistrationDecision
from .relationship import Relationship
from .relationship_type import RelationshipType
from .report_file import ReportFile
from .result_status import ResultStatus
from .revocation_create import RevocationCreate
from .service_health import ServiceHealth
from .service_health_checks import ServiceHealthChecks
from .source import Source
from .statement_create import StatementCreate
from .status_change_request import StatusChangeRequest
from .student_approval_request import StudentApprovalRequest
from .student_token_read import StudentTokenRead
from .student_token_request import StudentTokenRequest
from .student_view_request import StudentViewRequest
from .study_field import StudyField
from .study_mode import StudyMode
from .submission_result import SubmissionResult
from .submission_result_errors_item import SubmissionResultErrorsItem
from .submission_result_result import SubmissionResultResult
from .substantial_difference import SubstantialDifference
from .suspension_create import SuspensionCreate
from .token_problem import TokenProblem
from .token_response import TokenResponse
from .transcript import Transcript
from .transcript_component import TranscriptComponent
from .transcript_credit import TranscriptCredit
from .transcript_identifier import TranscriptIdentifier
from .transcript_import import TranscriptImport
from .transcript_issuer import TranscriptIssuer
from .transcript_learner import TranscriptLearner
from .transcript_read import TranscriptRead
from .trusted_key import TrustedKey
from .verification_check import VerificationCheck
from .verification_report import VerificationReport
from .verification_report_credential_type_0 import VerificationReportCredentialType0
from .verify_request import VerifyRequest
from .workload import Workload

__all__ = (
    "ActivityType",
    "AgencyActivity",
    "AgencyCreate",
    "AgencyName",
    "AgencyRead",
    "AgencyUpdate",
    "Agreement",
    "AgreementCreate",
    "AgreementKind",
    "AgreementScope",
    "AgreementUpdate",
    "Answer",
    "AppealCreate",
    "AppealDecisionCreate",
    "AppealOutcome",
    "AppealRead",
    "Applicant",
    "Aspect",
    "Assessment",
    "AssessmentReferenceLevels",
    "AuditEntry",
    "AuditLog",
    "AuditLogs",
    "BatchIssued",
    "BatchReport",
    "BatchSummary",
    "CaseCounts",
    "CaseCreate",
    "CaseRead",
    "CaseSort",
    "CaseStatus",
    "CaseSummary",
    "CefrLevel",
    "CheckOutcome",
    "CompareStep",
    "Comparison",
    "ComparisonReferenceLevels",
    "ComponentOverride",
    "ComponentRecognition",
    "ComponentRecognitionOutcome",
    "ConsumerHealth",
    "ConventionParty",
    "ConventionRead",
    "CooperationCondition",
    "CredentialDocumentFormat",
    "CreditsRead",
    "CreditSystem",
    "CreditSystemHoursPerCreditType0",
    "CriterionScore",
    "Decision",
    "DecisionCreate",
    "DecisionRead",
    "DegreeOutcome",
    "DiplomaBatchCreate",
    "DiplomaBatchRead",
    "DiplomaCreate",
    "DiplomaQualification",
    "Divergence",
    "Document",
    "Element",
    "EvaluatedProgramme",
    "EvaluationCredentialCreate",
    "EvaluationRead",
    "EvaluationStatus",
    "EvaluationSubmission",
    "Evidence",
    "ExportInstitutionsFormat",
    "FederationStatus",
    "FederationStatusRecords",
    "FieldError",
    "Finding",
    "FindingData",
    "FindingOutcome",
    "FlagClearanceCreate",
    "FlagClearanceRead",
    "FlagLevel",
    "FlagMessage",
    "FocusCountry",
    "FocusKind",
    "FrameworkKind",
    "FrameworkLevel",
    "FrameworkLevelCreate",
    "FrameworkLevelUpdate",
    "FrameworkSummary",
    "GradeCount",
    "GradeRead",
    "GradeTableState",
    "GradeTableUpload",
    "Health",
    "HealthChecks",
    "HistoryEntry",
    "Holder",
    "HolderIdentifier",
    "Identifier",
    "IdentifierResource",
    "IdentifierState",
    "IiaApproval",
    "IiaApprovalRequest",
    "IiaConditions",
    "IiaConditionsChange",
    "IiaPartner",
    "IiaProposal",
    "IiaState",
    "IiaStatus",
    "IiaTermination",
    "InquiryHolder",
    "InquiryQualification",
    "InquiryQuestion",
    "InquiryRead",
    "InquiryReadStatementType0",
    "InquiryStatus",
    "InstitutionCreate",
    "InstitutionPage",
    "InstitutionPageFacets",
    "InstitutionPageFacetsAdditionalProperty",
    "InstitutionRead",
    "InstitutionReference",
    "InstitutionRefRead",
    "InstitutionStatus",
    "InstitutionType",
    "InstitutionUpdate",
    "IssuedCredentialRead",
    "IssuedCredentialReadCredential",
    "IssueTokenBody",
    "IssueTokenBodyGrantType",
    "JustifyingEvaluation",
    "Jwk",
    "JwkSet",
    "LaApproval",
    "LaApprovalRequest",
    "LaChange",
    "LaComponent",
    "LaComponents",
    "LaHomeComponent",
    "LanguageRequirement",
    "LaParty",
    "LaProposal",
    "LaRejection",
    "LaRejectionRequest",
    "LaVersion",
    "LaVersionStatus",
    "LearningAgreementRead",
    "LegalBasis",
    "LegalBasisKind",
    "LegalStatus",
    "LevelComparison",
    "MatchItem",
    "MatchResult",
    "MicroCredentialCreate",
    "MobilityFlow",
    "MobilityStatisticsState",
    "MobilityType",
    "ModeOfStudy",
    "NameEntry",
    "NameKind",
    "NodeHealth",
    "NodeHealthServices",
    "NodeHealthStatus",
    "NodeList",
    "NominatedStudent",
    "NominationRead",
    "NominationReason",
    "NominationRequest",
    "NominationStatus",
    "OutboxHealth",
    "Outcome",
    "PageAgencyRead",
    "PageAuditEntry",
    "PageCaseSummary",
    "PageEvaluationRead",
    "PageGradeTableState",
    "PageIiaState",
    "PageInstitutionRefRead",
    "PageLearningAgreementRead",
    "PageMobilityStatisticsState",
    "PageNominationRead",
    "PageProgrammeRead",
    "PagePublishedDecisionRead",
    "PageTranscriptRead",
    "ParticipationForm",
    "PeerStatus",
    "PlannedComponent",
    "Problem",
    "ProgrammeCreate",
    "ProgrammeCreateForInstitution",
    "ProgrammeRead",
    "ProgrammeStatus",
    "ProgrammeUpdate",
    "PublicNode",
    "PublishedDecisionRead",
    "Purpose",
    "QAStatus",
    "QAStatusRead",
    "Qualification",
    "QualificationLevel",
    "QualificationTitle",
    "QualityFinding",
    "QualityFramework",
    "RecognitionDecision",
    "RecognitionDecisionDecision",
    "RecognitionFramework",
    "RecognitionRead",
    "RecognitionStatus",
    "RecordDigest",
    "Reference",
    "ReferenceRecordUse",
    "Referencing",
    "ReferencingBasis",
    "Register",
    "Registration",
    "RegistrationDecision",
    "Relationship",
    "RelationshipType",
    "ReportFile",
    "ResultStatus",
    "RevocationCreate",
    "ServiceHealth",
    "ServiceHealthChecks",
    "Source",
    "StatementCreate",
    "StatusChangeRequest",
    "StudentApprovalRequest",
    "StudentTokenRead",
    "StudentTokenRequest",
    "StudentViewRequest",
    "StudyField",
    "StudyMode",
    "SubmissionResult",
    "SubmissionResultErrorsItem",
    "SubmissionResultResult",
    "SubstantialDifference",
    "SuspensionCreate",
    "TokenProblem",
    "TokenResponse",
    "Transcript",
    "TranscriptComponent",
    "TranscriptCredit",
    "TranscriptIdentifier",
    "TranscriptImport",
    "TranscriptIssuer",
    "TranscriptLearner",
    "TranscriptRead",
    "TrustedKey",
    "VerificationCheck",
    "VerificationReport",
    "VerificationReportCredentialType0",
    "VerifyRequest",
    "Workload",
)
