"""The letter to the department (法律援助协助调查取证函) as a PDF, in Chinese whatever the
reader's language, drawn by the product's one letter engine (``marketplace.core.letters``).

The legal aid organisation of the case writes to the department: who the handler is, which case,
what for, the materials asked for, the legal basis for providing them free of charge (Legal Aid
Law Art. 53 and the local rule, ``EVIDENCE_LOCAL_RULE``), and by when.
"""

from django.conf import settings
from reportlab.lib.units import mm

from marketplace.applications.letters import CATEGORIES, MATTER_KINDS
from marketplace.core.letters import (
    PLAIN,
    distribution_note,
    letterhead,
    ordinal,
    paragraph,
    render,
    signature,
    written_date,
)
from marketplace.evidence.models import EvidenceRequest
from organizations.models import OrganizationKind

TITLE = "法律援助协助调查取证函"
# The handler's profession, as the letter names it (an official document: fixed, not translated).
PROVIDER_KINDS = {
    "lawyer": "律师",
    "notary": "公证员",
    "grassroots_worker": "基层法律服务工作者",
    "legal_aid_staff": "法律援助机构工作人员",
    "law_student": "法律援助志愿者",
    "citizen_volunteer": "法律援助志愿者",
}


def _handler_line(request: EvidenceRequest) -> str:
    handler = request.handler
    parts = [PROVIDER_KINDS.get(handler.kind, "法律援助人员")]
    if handler.licence_number:
        parts.append(f"执业证号{handler.licence_number}")
    if handler.practice_org_id:
        parts.append(handler.practice_org.name)
    return f"{handler.display_name}（{'，'.join(parts)}）"


def evidence_letter_pdf(request: EvidenceRequest) -> bytes:
    """The letter of ``request``, addressed to its department."""
    task = request.task
    issuer = request.issuer
    we = "本中心" if issuer.kind == OrganizationKind.LEGAL_AID_CENTER else "本单位"
    category = CATEGORIES.get(task.category, "")
    kind = MATTER_KINDS.get(task.kind, "")
    application = getattr(task, "application", None)
    reference = (
        f"案件编号：{application.number}" if application is not None and application.number else f"案件：{task.title}"
    )
    story = [
        *letterhead(issuer.name, TITLE, request.number),
        paragraph(f"{request.department.name}：", PLAIN),
        paragraph(
            f"{_handler_line(request)}系{we}指派的法律援助人员，承办一起{category}法律援助案件"
            f"（{kind}，{reference}）。因办理该案需要，现持本函向你单位调查收集证据材料。"
        ),
        paragraph(f"调查取证事由：{request.purpose.rstrip('。.')}。请你单位提供下列材料："),
        *[paragraph(f"{ordinal(n)}、{item}") for n, item in enumerate(request.items, start=1)],
    ]
    contact = f"承办人员：{request.handler.display_name}"
    phone = request.handler.phone or issuer.phone
    if phone:
        contact += f"，联系电话：{phone}"
    if issuer.address:
        contact += f"；{we}地址：{issuer.address}"
    story.append(
        paragraph(
            "根据《中华人民共和国法律援助法》第五十三条和"
            f"{settings.EVIDENCE_LOCAL_RULE}关于有关部门协助法律援助人员调查取证、免费提供证据材料的规定，"
            "请你单位予以协助，免收查询、调取、复制和出具证明等费用，"
            f"并于{written_date(request.due)}前将上述材料提供给承办人员，或者书面说明不能提供的理由。"
            f"{contact}。"
        )
    )
    story += [
        paragraph("特此函告。"),
        *signature(issuer.name, request.requested_at, room=8 * mm),
        *distribution_note(f"本函一式两份，一份送达被调查单位，一份由{we}存档。"),
    ]
    return render(story, title=f"{TITLE} {request.number}", author=issuer.name, subject=TITLE)
