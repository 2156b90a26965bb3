"""Who may do what on a case, and permission-checked fetches (404 for "missing" and "not yours").

The parts of a case file and who reads or writes them (docs/cases.md):

- the centre: coordinators (and admins) of the organisation that posted the case task. They read
  everything, record milestones (the aided person's reports, Art. 46), upload documents, review
  the closing, terminate the aid and evaluate quality.
- the handler: the provider of the lead claim (``selectors.lead_claim``), while it is accepted.
  Records milestones, uploads documents, files the closing. Assistants (other providers holding
  a seat) read the file.
- regulators whose jurisdiction covers the case's region read milestones, closing reports,
  terminations and evaluations, never the documents (they are the handler's and the centre's,
  API.md); reviewers of a justice bureau of the region also evaluate quality (Art. 57).
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from marketplace.cases import selectors
from marketplace.cases.models import CaseDocument
from marketplace.core.access import row_or_404
from marketplace.core.errors import NotFound
from marketplace.models import HELD_CLAIM_STATUSES, AidTask, Claim, ClaimStatus
from organizations.models import Organization, OrganizationKind
from organizations.roles import roles_of


@dataclass(frozen=True)
class CaseRoles:
    """What one user is to one case."""

    task: AidTask
    user_id: int | None
    centre: bool
    lead: Claim | None  # the case's lead claim (whoever holds it)
    holder: bool  # the user holds a seat (lead or assistant)
    regulator: bool
    bureau: Organization | None  # the user's justice bureau whose region covers the case

    @property
    def is_lead(self) -> bool:
        """The user is the case's lead handler (handling it, or having handled it)."""
        return self.lead is not None and self.user_id is not None and self.lead.volunteer.user_id == self.user_id

    @property
    def is_handler(self) -> bool:
        """The user is the lead handler and still handles the case (claim accepted)."""
        return self.is_lead and self.lead.status == ClaimStatus.ACCEPTED

    @property
    def reads_file(self) -> bool:
        return self.centre or self.holder or self.regulator

    @property
    def reads_documents(self) -> bool:
        return self.centre or self.holder


def case_roles(user: User | AnonymousUser, task: AidTask) -> CaseRoles:
    roles = roles_of(user)
    user_id = user.pk if user is not None and user.is_authenticated else None
    centre = roles.is_coordinator_of(task.organization_id)
    holder = (
        user_id is not None
        and roles.is_provider
        and Claim.objects.filter(task=task, volunteer=roles.provider, status__in=HELD_CLAIM_STATUSES).exists()
    )
    bureaus = [m.organization for m in roles.regulating(task.region, kind=OrganizationKind.JUSTICE_BUREAU)]
    return CaseRoles(
        task=task,
        user_id=user_id,
        centre=centre,
        lead=selectors.lead_claim(task) if (centre or holder or roles.is_regulator) else None,
        holder=holder,
        regulator=bool(roles.regulating(task.region)) and not task.is_draft,
        bureau=bureaus[0] if bureaus else None,
    )


def access_case(user: User | AnonymousUser, task_id, *, documents: bool = False) -> CaseRoles:
    """The case task and the caller's roles on it, if the caller may read its file (with
    ``documents``, its documents); else 404, as for a missing task. A task that is not a case
    is found (the services answer 409 ``not_a_case``) by whoever may see its claims."""
    task = row_or_404(AidTask.objects.select_related("organization", "region"), task_id)
    found = case_roles(user, task)
    if not (found.reads_documents if documents else found.reads_file):
        raise NotFound()
    return found


def access_document(user: User | AnonymousUser, document_id) -> CaseDocument:
    """A document, for the centre and the providers holding a seat on its case; else 404."""
    document = row_or_404(CaseDocument.objects.select_related("task__organization", "task__region"), document_id)
    if not case_roles(user, document.task).reads_documents:
        raise NotFound()
    return document
