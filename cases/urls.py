from django.urls import path, re_path

from .views import actions, breach, case, evidence, exports, playbooks, queues, reporter, witnesses

app_name = "cases"

PLAYBOOK = r"^playbooks/(?P<slug>[-\w]+)/(?P<clause_number>\d+\.\d+)/"

urlpatterns = [
    path("raise/", case.raise_concern, name="raise"),
    path("raise/drafts/<int:pk>/delete/", case.delete_draft, name="delete_draft"),
    path("mine/", queues.my_reports, name="my_reports"),
    path("triage/", queues.triage_queue, name="triage_queue"),
    path("governance/", queues.governance_queue, name="governance_queue"),
    path("all/", queues.all_cases, name="all"),
    path("all/saved/", queues.save_filters, name="save_filters"),
    path("all/saved/<int:pk>/delete/", queues.delete_saved_filter, name="delete_saved_filter"),
    path("all/export.csv", exports.export_csv, name="export_csv"),
    path("all/export.xlsx", exports.export_xlsx, name="export_xlsx"),
    path("referrals/", queues.referrals_to_hr, name="referrals"),
    path("referrals/<int:pk>/", queues.referral_detail, name="referral"),
    path("playbooks/", playbooks.playbook_list, name="playbooks"),
    re_path(rf"{PLAYBOOK}$", playbooks.playbook, name="playbook"),
    re_path(rf"{PLAYBOOK}steps/(?P<pk>\d+)/$", playbooks.playbook_step, name="playbook_step"),
    re_path(
        rf"{PLAYBOOK}steps/(?P<pk>\d+)/delete/$", playbooks.playbook_step_delete, name="playbook_step_delete"
    ),
    path("<str:reference>/", case.detail, name="detail"),
    path("<str:reference>/move/", case.move, name="move"),
    path("<str:reference>/reassign/", case.reassign, name="reassign"),
    path("<str:reference>/reassign/people/", case.reassign_people, name="reassign_people"),
    path("<str:reference>/witnesses/", witnesses.add, name="witness_add"),
    path("<str:reference>/witnesses/people/", witnesses.people, name="witness_people"),
    path("<str:reference>/witnesses/<int:pk>/remove/", witnesses.remove, name="witness_remove"),
    path("<str:reference>/notes/", case.add_note, name="add_note"),
    path("<str:reference>/messages/", case.message_reporter, name="message_reporter"),
    path("<str:reference>/reporter/messages/", reporter.send_message, name="reporter_message"),
    path("<str:reference>/reporter/evidence/", reporter.add_evidence, name="reporter_evidence"),
    path("<str:reference>/reporter/withdraw/", reporter.withdraw, name="withdraw"),
    path("<str:reference>/breach/flag/", breach.flag, name="breach_flag"),
    path("<str:reference>/breach/decision/", breach.decision, name="breach_decision"),
    path("<str:reference>/playbook/<int:pk>/considered/", playbooks.considered, name="playbook_considered"),
    path("<str:reference>/evidence/", evidence.add, name="add_evidence"),
    path("<str:reference>/evidence/<int:pk>/", evidence.download, name="evidence"),
    path("<str:reference>/evidence/<int:pk>/preview/", evidence.preview, name="evidence_preview"),
    path("<str:reference>/actions/<str:kind>/", actions.record, name="record_action"),
    path(
        "<str:reference>/removal-requests/<int:pk>/",
        actions.resolve_removal_request,
        name="resolve_removal_request",
    ),
]
