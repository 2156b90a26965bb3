"""Demo complaints, loaded by ``manage.py seed_demo`` after the marketplace and the duties.

A handful of complaints in every state: just received, received and overdue, under
investigation, and resolved by the Changzhou and Tianning justice bureaus with a finding and the
action taken; about cases, about a provider, or both; from the public (with a contact) and from
a signed-in user. Everything goes through the services with ``now`` set to when it happened.

Idempotent: nothing is written if a complaint exists.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from duties.complaints import services
from duties.complaints.models import Complaint
from marketplace.core.errors import DomainError
from marketplace.models import CASE_KINDS, PUBLIC_TASK_STATUSES, AidTask, Claim, ClaimStatus
from organizations.roles import roles_of

# (subject, text, contact, about, days ago filed, handling): about is "task", "provider" or
# "both"; handling is None (received), "start" (investigating), or (bureau username, days after
# filing, finding, action).
COMPLAINTS = [
    (
        "承办律师长期不回电话",
        "开庭前一周一直联系不上承办律师，也没有人告诉我案件进展。",
        "13912340001",
        "both",
        3,
        None,
    ),
    (
        "援助律师收取了“材料费”",
        "律师让我交了300元材料费，说是复印和交通费用，没有给收据。",
        "13912340002",
        "provider",
        35,
        None,
    ),
    ("工作站登记后没有下文", "在街道工作站登记了讨薪申请，两周过去没有任何消息。", "13912340003", "task", 8, "start"),
    (
        "值班律师态度生硬",
        "值班律师解答问题很不耐烦，没有听完我的情况就让我走。",
        "changzhou.resident@example.cn",
        "task",
        40,
        (
            "bureau",
            21,
            "经调取值班记录并询问当事人，值班律师解答时间过短，未充分了解情况，投诉属实。",
            "对值班律师进行批评教育，责令其书面检查；由法律援助中心回访投诉人并重新安排咨询。",
        ),
    ),
    (
        "律师未按时提交仲裁申请",
        "律师说会在月底前提交仲裁申请，结果拖到了下个月，差点超过时效。",
        "13912340005",
        "both",
        25,
        (
            "tianning",
            12,
            "经核查，仲裁申请在时效届满前已提交，未造成损失，但承办律师未及时告知进展。",
            "约谈承办律师，要求其每两周向受援人告知一次案件进展（《法律援助法》第四十六条）。",
        ),
    ),
]


def _handled_claims():
    """Providers holding a case, for complaints about a case and its handler."""
    return list(
        Claim.objects.filter(status__in=[ClaimStatus.ACCEPTED, ClaimStatus.COMPLETED], task__kind__in=list(CASE_KINDS))
        .filter(task__status__in=list(PUBLIC_TASK_STATUSES) + ["closing_review"])
        .select_related("task__region", "volunteer__region")
        .order_by("task_id")[:10]
    )


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
    if Complaint.objects.exists():
        return
    claims = _handled_claims()
    tasks = list(AidTask.objects.filter(status__in=list(PUBLIC_TASK_STATUSES)).order_by("id")[:10])
    if not claims or not tasks:
        return
    signed_in = User.objects.filter(username="citizen01").first()
    for n, (subject, text, contact, about, days_ago, handling) in enumerate(COMPLAINTS):
        claim = claims[n % len(claims)]
        task = claim.task if about in ("task", "both") else None
        if about == "task" and n % 2:
            task = tasks[n % len(tasks)]
        filed_at = now - timedelta(days=days_ago)
        try:
            complaint = services.complaint_file(
                subject=subject,
                text=text,
                contact=contact,
                task=task,
                volunteer=claim.volunteer if about in ("provider", "both") else None,
                by=signed_in if n == 2 else None,
                now=filed_at,
            )
            if handling == "start":
                services.complaint_start(
                    complaint=complaint, by=User.objects.get(username="bureau"), now=filed_at + timedelta(days=2)
                )
            elif handling is not None:
                username, after, finding, action = handling
                bureau = User.objects.get(username=username)
                if not roles_of(bureau).regulating(complaint.region, kind="justice_bureau"):
                    bureau = User.objects.get(username="bureau")
                services.complaint_start(complaint=complaint, by=bureau, now=filed_at + timedelta(days=3))
                services.complaint_resolve(
                    complaint=complaint, finding=finding, action=action, by=bureau, now=filed_at + timedelta(days=after)
                )
        except DomainError:
            continue
