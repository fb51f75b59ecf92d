"""Roles and what they allow.

Roles are code (what each may do is a product decision); who holds which role on which unit is data
(`Membership`). A role held on a unit covers that unit's whole subtree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    DEPARTMENT_LEADER = "department_leader", _("Lãnh đạo Phòng/Sở")
    DEPARTMENT_OFFICER = "department_officer", _("Chuyên viên Phòng/Sở")
    DEPARTMENT_IT = "department_it", _("Chuyên viên CNTT Phòng/Sở")
    PRINCIPAL = "principal", _("Hiệu trưởng")
    VICE_PRINCIPAL = "vice_principal", _("Phó hiệu trưởng")
    SCHOOL_OFFICE = "school_office", _("Văn thư")
    SCHOOL_IT = "school_it", _("Nhân viên CNTT trường")
    TEACHER = "teacher", _("Giáo viên")
    HOMEROOM_TEACHER = "homeroom_teacher", _("Giáo viên chủ nhiệm")
    PARENT = "parent", _("Cha mẹ học sinh")
    # "Học sinh" is also the Students menu; the role is one student.
    STUDENT = "student", pgettext_lazy("role", "Học sinh")
    INTEGRATION = "integration", _("Hệ thống tích hợp (API)")
    # Writes the pages and news of the unit's public site; the principal (or department leader) publishes.
    PORTAL_EDITOR = "portal_editor", _("Biên tập viên cổng thông tin")


class Perm:
    """Permission names. A string constant each, so that a typo fails at import, not silently."""

    VIEW_UNIT = "core.view_unit"
    MANAGE_UNIT = "core.manage_unit"
    VIEW_USER = "core.view_user"
    MANAGE_USER = "core.manage_user"
    VIEW_AUDIT = "core.view_audit"
    RUN_JOB = "core.run_job"
    SEND_NOTIFICATION = "core.send_notification"
    VIEW_SCHOOL = "directory.view_school"
    CHANGE_SCHOOL = "directory.change_school"
    VIEW_STUDENT = "directory.view_student"
    CHANGE_STUDENT = "directory.change_student"
    # Undoing what others entered: a wrong status line, a wrong personal identifier. Leaders answer for it.
    CORRECT_STUDENT = "directory.correct_student"
    VIEW_STAFF = "directory.view_staff"
    CHANGE_STAFF = "directory.change_staff"
    EXPORT_DATA = "directory.export"
    # "Lớp của tôi": the classes whose homeroom teacher is the user, and their guardians' phone numbers.
    HOMEROOM = "directory.homeroom"
    # The school-year calendar; held on a Sở it governs the province (a Phòng or school only reads it).
    MANAGE_CALENDAR = "directory.manage_calendar"
    USE_ADMIN = "core.use_admin"
    # Electronic records. Who teaches what narrows these further (records.selectors.access): a subject
    # teacher reaches the classes and subjects they teach, a homeroom teacher their class.
    VIEW_RECORDS = "records.view"
    ENTER_MARKS = "records.enter_marks"
    KEEP_HOMEROOM = "records.keep_homeroom"  # conduct and attendance of the teacher's own class
    MANAGE_TEACHING = "records.manage_teaching"  # teaching assignments
    LOCK_TERM = "records.lock_term"  # closing and reopening a term, deciding corrections
    # records — the contact book and the end of the year (issue 10)
    CONTACT_BOOK = "records.contact_book"  # messages and leave requests between families and homeroom
    CLOSE_YEAR = "records.close_year"  # the end-of-year decisions and the rollover to the next year
    # --- office (e-office, Decree 30/2020) ---
    OFFICE_VIEW = "office.view"  # the unit's documents, outgoing and incoming
    OFFICE_DRAFT = "office.draft"  # drafting outgoing documents, handling assigned ones
    OFFICE_APPROVE = "office.approve"  # the authorised leader: approves, signs, assigns handling
    OFFICE_CLERK = "office.clerk"  # the văn thư: issues (number), registers arrivals, recalls
    # --- admissions: campaigns and results (department), verifying applications and enrolling (schools)
    VIEW_ADMISSIONS = "admissions.view"
    MANAGE_ADMISSIONS = "admissions.manage"
    VERIFY_ADMISSIONS = "admissions.verify"
    # Portal. Held through a membership on the site's own unit only (portal.access): a department role
    # does not write the schools' sites, nor a school's the department's.
    PORTAL_EDIT = "portal.edit"  # write pages, news, events, images; submit them for review
    PORTAL_PUBLISH = "portal.publish"  # publish (or return) submitted content; publish the disclosure
    PORTAL_DISCLOSURE = "portal.disclosure"  # prepare the legal disclosure items
    PORTAL_REQUESTS = "portal.requests"  # handle the procedures' requests sent to the unit
    PORTAL_CONSENT = "portal.consent"  # record pupils' (and parents') consent to publish their images
    # Over the subtree: the department's board of disclosures and the catalogue's unconfirmed items.
    PORTAL_OVERSEE = "portal.oversee"
    # reporting: report forms and campaigns, the IT plan cycle, the digital-transformation index, IT assets.
    VIEW_REPORTS = "reporting.view"
    MANAGE_REPORTS = "reporting.manage"  # a department's forms, campaigns, reviews, deadline exceptions
    SUBMIT_REPORTS = "reporting.submit"  # a school fills in and submits its reports and self-assessments
    VIEW_ASSETS = "reporting.view_assets"
    CHANGE_ASSETS = "reporting.change_assets"


_DEPARTMENT_READ = {
    Perm.VIEW_RECORDS,
    Perm.VIEW_UNIT,
    Perm.VIEW_USER,
    Perm.VIEW_SCHOOL,
    Perm.VIEW_STUDENT,
    Perm.VIEW_STAFF,
    Perm.VIEW_AUDIT,
    Perm.RUN_JOB,
    Perm.SEND_NOTIFICATION,
    Perm.EXPORT_DATA,
}
_SCHOOL_READ = {Perm.VIEW_UNIT, Perm.VIEW_SCHOOL, Perm.VIEW_STUDENT, Perm.VIEW_STAFF, Perm.RUN_JOB}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DEPARTMENT_LEADER: frozenset(_DEPARTMENT_READ),
    Role.DEPARTMENT_OFFICER: frozenset(
        _DEPARTMENT_READ
        | {Perm.CHANGE_SCHOOL, Perm.CHANGE_STUDENT, Perm.CORRECT_STUDENT, Perm.MANAGE_CALENDAR}
    ),
    Role.DEPARTMENT_IT: frozenset(
        _DEPARTMENT_READ
        | {Perm.MANAGE_UNIT, Perm.MANAGE_USER, Perm.CHANGE_SCHOOL, Perm.USE_ADMIN, Perm.MANAGE_CALENDAR}
    ),
    # School leaders answer for what is done to their school's records: they read its audit lines
    # (scoping limits them to lines whose unit lies in their school, as for everything else).
    Role.PRINCIPAL: frozenset(
        _SCHOOL_READ
        | {
            Perm.VIEW_AUDIT,
            Perm.VIEW_USER,
            Perm.CHANGE_SCHOOL,
            Perm.CHANGE_STUDENT,
            Perm.CORRECT_STUDENT,
            Perm.CHANGE_STAFF,
            Perm.SEND_NOTIFICATION,
            Perm.EXPORT_DATA,
            Perm.VIEW_RECORDS,
            Perm.MANAGE_TEACHING,
            Perm.LOCK_TERM,
        }
    ),
    # Whoever keeps or reads a school's lists takes them to Excel: an export holds only what its list shows
    # the same person (scoped by the list's own permission too, and the privacy rule per field).
    Role.VICE_PRINCIPAL: frozenset(
        _SCHOOL_READ
        | {
            Perm.VIEW_AUDIT,
            Perm.VIEW_USER,
            Perm.CHANGE_STUDENT,
            Perm.SEND_NOTIFICATION,
            Perm.VIEW_RECORDS,
            Perm.MANAGE_TEACHING,
            Perm.EXPORT_DATA,
        }
    ),
    Role.SCHOOL_OFFICE: frozenset(_SCHOOL_READ | {Perm.CHANGE_STUDENT, Perm.EXPORT_DATA}),
    Role.SCHOOL_IT: frozenset(
        _SCHOOL_READ
        | {Perm.VIEW_USER, Perm.MANAGE_USER, Perm.CHANGE_STUDENT, Perm.CHANGE_STAFF, Perm.USE_ADMIN}
    ),
    Role.TEACHER: frozenset(
        {Perm.VIEW_UNIT, Perm.VIEW_SCHOOL, Perm.VIEW_STUDENT, Perm.VIEW_RECORDS, Perm.ENTER_MARKS}
    ),
    Role.HOMEROOM_TEACHER: frozenset(
        {
            Perm.VIEW_UNIT,
            Perm.VIEW_SCHOOL,
            Perm.VIEW_STUDENT,
            Perm.SEND_NOTIFICATION,
            Perm.VIEW_RECORDS,
            Perm.ENTER_MARKS,
            Perm.KEEP_HOMEROOM,
            Perm.EXPORT_DATA,
            Perm.HOMEROOM,
        }
    ),
    # Parents and students see people only through their own relation (see RELATION_ROLES).
    Role.PARENT: frozenset({Perm.VIEW_SCHOOL, Perm.VIEW_STUDENT, Perm.VIEW_RECORDS}),
    Role.STUDENT: frozenset({Perm.VIEW_SCHOOL, Perm.VIEW_STUDENT, Perm.VIEW_RECORDS}),
    # An integration's reach is cut further by its token's scopes.
    Role.INTEGRATION: frozenset({Perm.VIEW_UNIT, Perm.VIEW_SCHOOL, Perm.VIEW_STUDENT, Perm.VIEW_STAFF}),
    # The portal app grants the editing itself; in the shared database an editor reads only the unit.
    Role.PORTAL_EDITOR: frozenset({Perm.VIEW_UNIT, Perm.VIEW_SCHOOL}),
}


def _grant(grants: dict[str, set[str]] | dict[str, frozenset[str]]) -> None:
    """Adds an app's grants to the roles' permissions: each app keeps its own block below."""
    for role, perms in grants.items():
        ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS[role] | frozenset(perms)


# records — the contact book and the end of the year (issue 10)
_grant(
    {
        Role.PARENT: {Perm.CONTACT_BOOK},
        Role.HOMEROOM_TEACHER: {Perm.CONTACT_BOOK},
        Role.PRINCIPAL: {Perm.CLOSE_YEAR},
    }
)
# --- office: who drafts, approves, issues and registers official documents ---
_OFFICE_ALL = {Perm.OFFICE_VIEW, Perm.OFFICE_DRAFT, Perm.OFFICE_APPROVE, Perm.OFFICE_CLERK}
_OFFICE_GRANTS: dict[str, set[str]] = {
    Role.DEPARTMENT_LEADER: _OFFICE_ALL,
    Role.DEPARTMENT_OFFICER: {Perm.OFFICE_VIEW, Perm.OFFICE_DRAFT, Perm.OFFICE_CLERK},
    Role.DEPARTMENT_IT: {Perm.OFFICE_VIEW, Perm.OFFICE_DRAFT},
    Role.PRINCIPAL: _OFFICE_ALL,
    Role.VICE_PRINCIPAL: {Perm.OFFICE_VIEW, Perm.OFFICE_DRAFT},
    Role.SCHOOL_OFFICE: {Perm.OFFICE_VIEW, Perm.OFFICE_DRAFT, Perm.OFFICE_CLERK},
    Role.SCHOOL_IT: {Perm.OFFICE_VIEW},
    Role.INTEGRATION: {Perm.OFFICE_VIEW},
}
_grant(_OFFICE_GRANTS)
# --- admissions: the department runs campaigns; school leaders and the office verify and enrol.
_ADMISSIONS_GRANTS: dict[str, frozenset[str]] = {
    Role.DEPARTMENT_LEADER: frozenset({Perm.VIEW_ADMISSIONS}),
    Role.DEPARTMENT_OFFICER: frozenset({Perm.VIEW_ADMISSIONS, Perm.MANAGE_ADMISSIONS}),
    Role.PRINCIPAL: frozenset({Perm.VIEW_ADMISSIONS, Perm.VERIFY_ADMISSIONS}),
    Role.VICE_PRINCIPAL: frozenset({Perm.VIEW_ADMISSIONS, Perm.VERIFY_ADMISSIONS}),
    Role.SCHOOL_OFFICE: frozenset({Perm.VIEW_ADMISSIONS, Perm.VERIFY_ADMISSIONS}),
    Role.INTEGRATION: frozenset({Perm.VIEW_ADMISSIONS}),
}
_grant(_ADMISSIONS_GRANTS)
# portal: who writes, publishes, discloses and answers on a unit's public site.
_PORTAL_GRANTS: dict[str, set[str]] = {
    Role.PORTAL_EDITOR: {Perm.PORTAL_EDIT},
    Role.PRINCIPAL: {
        Perm.PORTAL_EDIT,
        Perm.PORTAL_PUBLISH,
        Perm.PORTAL_DISCLOSURE,
        Perm.PORTAL_REQUESTS,
        Perm.PORTAL_CONSENT,
    },
    Role.VICE_PRINCIPAL: {
        Perm.PORTAL_EDIT,
        Perm.PORTAL_DISCLOSURE,
        Perm.PORTAL_REQUESTS,
        Perm.PORTAL_CONSENT,
    },
    Role.SCHOOL_OFFICE: {Perm.PORTAL_DISCLOSURE, Perm.PORTAL_REQUESTS, Perm.PORTAL_CONSENT},
    Role.DEPARTMENT_LEADER: {Perm.PORTAL_EDIT, Perm.PORTAL_PUBLISH, Perm.PORTAL_OVERSEE},
    Role.DEPARTMENT_OFFICER: {Perm.PORTAL_REQUESTS, Perm.PORTAL_OVERSEE},
}
_grant(_PORTAL_GRANTS)
# --- reporting: campaigns, reviews and the asset inventory ---------------------------------------------
_REPORTING_GRANTS: dict[str, set[str]] = {
    Role.DEPARTMENT_LEADER: {Perm.VIEW_REPORTS, Perm.VIEW_ASSETS},
    Role.DEPARTMENT_OFFICER: {Perm.VIEW_REPORTS, Perm.MANAGE_REPORTS, Perm.VIEW_ASSETS},
    Role.DEPARTMENT_IT: {Perm.VIEW_REPORTS, Perm.MANAGE_REPORTS, Perm.VIEW_ASSETS, Perm.CHANGE_ASSETS},
    Role.PRINCIPAL: {Perm.VIEW_REPORTS, Perm.SUBMIT_REPORTS, Perm.VIEW_ASSETS, Perm.CHANGE_ASSETS},
    Role.VICE_PRINCIPAL: {Perm.VIEW_REPORTS, Perm.SUBMIT_REPORTS, Perm.VIEW_ASSETS},
    Role.SCHOOL_OFFICE: {Perm.VIEW_REPORTS, Perm.SUBMIT_REPORTS},
    Role.SCHOOL_IT: {Perm.VIEW_REPORTS, Perm.SUBMIT_REPORTS, Perm.VIEW_ASSETS, Perm.CHANGE_ASSETS},
    Role.INTEGRATION: {Perm.VIEW_REPORTS, Perm.VIEW_ASSETS, Perm.CHANGE_ASSETS},
}
_grant(_REPORTING_GRANTS)

# Roles whose personal-data permissions reach only the people they are related to, not the subtree.
RELATION_ROLES: frozenset[str] = frozenset({Role.PARENT, Role.STUDENT})

# Roles of other systems, not people: their accounts authenticate only with API tokens (whose scopes
# narrow them further), never with a password in the browser or a session in the API.
SYSTEM_ROLES: frozenset[str] = frozenset({Role.INTEGRATION})

# Roles that must sign in with a second factor (TOTP).
TWO_FACTOR_ROLES: frozenset[str] = frozenset(
    {Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT, Role.PRINCIPAL}
)


def role_allows(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
