from django.urls import path

from frontend.views import (
    calendar,
    cases,
    complaints,
    coordinator,
    evidence,
    intake,
    notices,
    provider,
    public,
    regulator,
    stats,
)

urlpatterns = [
    # Everyone
    path("", public.board, name="home"),
    path("notices/", notices.centre, name="notices"),
    path("notices/<int:notification_id>/read/", notices.mark_read, name="notice-read"),
    path("notices/read-all/", notices.mark_all_read, name="notices-read-all"),
    path("notices/preferences/", notices.preferences, name="notice-preferences"),
    path("notices/unsubscribe/<str:token>/", notices.unsubscribe, name="notices-unsubscribe"),
    path("tasks/<int:task_id>/", public.task_detail, name="task-detail"),
    path("login/", public.LoginView.as_view(), name="login"),
    path("logout/", public.LogoutView.as_view(), name="logout"),
    path("certificates/check/", public.certificate_check, name="certificate-check"),
    path("stats/", stats.public_statistics, name="public-stats"),
    # Providers
    path("tasks/<int:task_id>/claim/", provider.claim, name="task-claim"),
    path("provider/register/", provider.register, name="provider-register"),
    path("provider/tasks/", provider.my_tasks, name="provider-tasks"),
    path("provider/calendar/reset/", calendar.calendar_reset, name="provider-calendar-reset"),
    path("provider/claims/<int:claim_id>/", provider.claim_detail, name="provider-claim"),
    path("provider/claims/<int:claim_id>/withdraw/", provider.withdraw, name="provider-claim-withdraw"),
    path(
        "provider/claims/<int:claim_id>/no-conflict/", provider.confirm_no_conflict, name="provider-claim-no-conflict"
    ),
    path("provider/claims/<int:claim_id>/hours/", provider.log_hours, name="provider-claim-hours"),
    path("provider/duty/", provider.my_duty, name="provider-duty"),
    # Coordinators
    path("desk/", coordinator.desk, name="desk"),
    path("desk/tasks/new/", coordinator.task_new, name="desk-task-new"),
    path("desk/tasks/<int:task_id>/", coordinator.task_manage, name="desk-task"),
    path("desk/tasks/<int:task_id>/edit/", coordinator.task_edit, name="desk-task-edit"),
    path("desk/tasks/<int:task_id>/publish/", coordinator.task_publish, name="desk-task-publish"),
    path("desk/tasks/<int:task_id>/cancel/", coordinator.task_cancel, name="desk-task-cancel"),
    path("desk/tasks/<int:task_id>/complete/", coordinator.task_complete, name="desk-task-complete"),
    path("desk/tasks/<int:task_id>/assign/", coordinator.task_assign, name="desk-task-assign"),
    path("desk/claims/<int:claim_id>/accept/", coordinator.claim_accept, name="desk-claim-accept"),
    path("desk/claims/<int:claim_id>/decline/", coordinator.claim_decline, name="desk-claim-decline"),
    path("desk/hours/", coordinator.hours, name="desk-hours"),
    path("desk/hours/bulk/", coordinator.hours_bulk, name="desk-hours-bulk"),
    path("desk/hours/<int:log_id>/confirm/", coordinator.hours_confirm, name="desk-hours-confirm"),
    path("desk/hours/<int:log_id>/decline/", coordinator.hours_decline, name="desk-hours-decline"),
    # Cases: the case file (handler, centre, regulators) and the centre's closing queue
    path("cases/<int:task_id>/", cases.case_page, name="case"),
    path("cases/<int:task_id>/milestones/", cases.milestone, name="case-milestone"),
    path("cases/<int:task_id>/documents/", cases.document, name="case-document"),
    path("cases/documents/<int:document_id>/", cases.document_download, name="case-document-download"),
    path("cases/<int:task_id>/closing/", cases.closing, name="case-closing"),
    path("cases/<int:task_id>/closing/review/", cases.closing_review, name="case-closing-review"),
    path("cases/<int:task_id>/terminate/", cases.terminate, name="case-terminate"),
    path("cases/<int:task_id>/evaluations/", cases.evaluation, name="case-evaluation"),
    path("cases/", cases.closing_queue, name="closing-queue"),
    # Complaints: the public form and lookup (anyone), the justice bureau's desk
    path("complaints/new/", complaints.complaint_new, name="complaint-new"),
    path("complaints/track/", complaints.complaint_track, name="complaint-track"),
    path("complaints/track/<str:code>/", complaints.complaint_status, name="complaint-status"),
    path("bureau/complaints/", complaints.desk, name="complaints-desk"),
    path("bureau/complaints/<int:complaint_id>/", complaints.detail, name="complaints-desk-detail"),
    path("bureau/complaints/<int:complaint_id>/start/", complaints.start, name="complaints-desk-start"),
    path("bureau/complaints/<int:complaint_id>/resolve/", complaints.resolve, name="complaints-desk-resolve"),
    # Evidence requests: the handler's own, the department's queue, one request
    path("provider/evidence/", evidence.my_requests, name="evidence-mine"),
    path("department/evidence/", evidence.queue, name="evidence-queue"),
    path("evidence/<int:request_id>/", evidence.detail, name="evidence-detail"),
    path("evidence/<int:request_id>/respond/", evidence.respond, name="evidence-respond"),
    path("evidence/<int:request_id>/documents/", evidence.document, name="evidence-document"),
    # Regulators
    path("regulator/providers/", regulator.providers, name="regulator-providers"),
    path("regulator/providers/<int:volunteer_id>/", regulator.provider_detail, name="regulator-provider"),
    path("regulator/providers/<int:volunteer_id>/verify/", regulator.provider_verify, name="regulator-provider-verify"),
    path("regulator/rules/", regulator.rules, name="regulator-rules"),
    path("regulator/rules/<int:rule_id>/edit/", regulator.rule_edit, name="regulator-rule-edit"),
    path("regulator/rules/<int:rule_id>/delete/", regulator.rule_delete, name="regulator-rule-delete"),
    path("regulator/compliance/", regulator.compliance, name="regulator-compliance"),
    path("regulator/reviews/", regulator.reviews, name="regulator-reviews"),
    path("regulator/reviews/open/", regulator.reviews_open, name="regulator-reviews-open"),
    path("regulator/reviews/decide-compliant/", regulator.reviews_decide_compliant, name="regulator-reviews-bulk"),
    path("regulator/reviews/<int:review_id>/decide/", regulator.review_decide, name="regulator-review-decide"),
    path("regulator/declined/", regulator.declined, name="regulator-declined"),
    # Intake: applications at centres and stations, objections at justice bureaus, law firms
    path("intake/", intake.queue, name="intake"),
    path("intake/new/", intake.new, name="intake-new"),
    path("intake/objections/", intake.objections, name="intake-objections"),
    path(
        "intake/objections/<int:application_id>/decide/", intake.objection_decide, name="intake-objection-decide"
    ),
    path("intake/firm/", intake.firm, name="intake-firm"),
    path("intake/firm/<int:task_id>/name-handler/", intake.name_handler, name="intake-name-handler"),
    path("intake/stats/", intake.stats, name="intake-stats"),
    path("intake/<int:application_id>/", intake.application, name="intake-application"),
    path("intake/<int:application_id>/parties/", intake.reveal_parties, name="intake-parties"),
    path("intake/<int:application_id>/forward/", intake.forward, name="intake-forward"),
    path("intake/<int:application_id>/request-materials/", intake.request_materials, name="intake-materials"),
    path(
        "intake/<int:application_id>/materials-received/", intake.materials_received, name="intake-materials-received"
    ),
    path("intake/<int:application_id>/decide/", intake.decide, name="intake-decide"),
    path("intake/<int:application_id>/objection/", intake.objection, name="intake-objection"),
    path("intake/<int:application_id>/assign/", intake.assign, name="intake-assign"),
    path("intake/<int:application_id>/firm-withdraw/", intake.firm_withdraw, name="intake-firm-withdraw"),
    path(
        "intake/<int:application_id>/refusals/<int:claim_id>/ruling/", intake.ruling, name="intake-refusal-ruling"
    ),
]
