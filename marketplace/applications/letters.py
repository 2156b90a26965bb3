"""The decision letter (给予/不予法律援助决定书) as a PDF, in Chinese whatever the reader's language.

An official document: the centre's name in red over a red rule, the title, the application
number, the applicant addressed by name, the matter, the decision and its reasons, for a refusal
how to object (Art. 49), then the centre and the date (GB/T 9704-2012: the date in Arabic
numerals), with room left for the seal. ReportLab's built-in CID font STSong-Light draws the
text; PDF readers supply its glyphs, so nothing is downloaded or embedded.
"""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from marketplace.applications.models import Application, Decision, DecisionOutcome
from marketplace.core.letters import (
    PLAIN,
    chinese_days,
    distribution_note,
    letterhead,
    masked_id,
    paragraph,
    render,
    signature,
    written_date,
)

TITLES = {DecisionOutcome.APPROVED: "给予法律援助决定书", DecisionOutcome.REFUSED: "不予法律援助决定书"}
# The letter is an official document in Chinese: its names are fixed here, not translated.
MATTER_KINDS = {
    "consultation": "法律咨询",
    "document_drafting": "代拟法律文书",
    "criminal_defense": "刑事辩护",
    "victim_representation": "刑事被害人代理",
    "civil_representation": "民事案件代理",
    "administrative_representation": "行政案件代理",
    "state_compensation": "国家赔偿案件代理",
    "mediation_arbitration": "劳动争议调解与仲裁代理",
}
CATEGORIES = {
    "labor_wages": "劳动报酬",
    "work_injury": "工伤赔偿",
    "family": "婚姻家庭",
    "domestic_violence": "家庭暴力",
    "maintenance": "赡养、抚养、扶养",
    "elderly_rights": "老年人权益保障",
    "disability_rights": "残疾人权益保障",
    "minors": "未成年人权益保护",
    "consumer": "消费者权益保护",
    "housing_land": "房屋土地",
    "administrative": "行政",
    "criminal": "刑事",
    "other": "其他",
}
CHANNELS = {
    "walk_in": "来访",
    "station": "经法律援助工作站转交",
    "online": "网上",
    "phone": "电话",
    "court_notice": "人民法院通知",
    "procuratorate_notice": "人民检察院通知",
    "police_notice": "公安机关通知",
}


def decision_letter_pdf(
    application: Application,
    decision: Decision,
    *,
    applicant: dict,
    bureau_name: str,
    objection_days: int,
    assign_days: int,
) -> bytes:
    """The letter of ``decision`` on ``application``. ``applicant`` holds the decrypted details;
    ``bureau_name`` is the justice bureau a refusal may be objected to."""
    centre = application.centre
    centre_name = centre.name if centre else ""
    approved = decision.outcome == DecisionOutcome.APPROVED
    title = TITLES[decision.outcome]
    name = applicant.get("name", "")
    category = CATEGORIES.get(application.category, application.category)
    kind = MATTER_KINDS.get(application.matter_kind, application.matter_kind)

    story = [
        *letterhead(centre_name, title, application.number),
        paragraph(f"申请人：{name}", PLAIN),
    ]
    if applicant.get("id_number"):
        story.append(paragraph(f"证件号码：{masked_id(applicant['id_number'])}", PLAIN))
    story += [
        paragraph(f"申请事项：{category}（{kind}）", PLAIN),
        Spacer(1, 4 * mm),
        paragraph(f"{name}：", PLAIN),
    ]
    channel = CHANNELS.get(application.channel, "")
    via = f"（{channel}）" if channel else ""
    story.append(
        paragraph(
            f"你于{written_date(application.received_at)}{via}提出的法律援助申请，本中心已依照"
            "《中华人民共和国法律援助法》第四十三条的规定进行审查。"
        )
    )
    if approved:
        story.append(paragraph("经审查，你的申请符合法律援助条件，本中心决定给予法律援助。"))
        if decision.reasons:
            story.append(paragraph(f"理由：{decision.reasons}"))
        story.append(
            paragraph(
                f"本中心将自本决定作出之日起{chinese_days(assign_days)}内指派法律援助人员承办，"
                "届时将告知承办人员的姓名和联系方式，请保持通讯畅通。"
            )
        )
    else:
        story.append(paragraph("经审查，你的申请不符合法律援助条件，本中心决定不予法律援助。"))
        story.append(paragraph(f"理由如下：{decision.reasons}"))
        story.append(
            paragraph(
                f"如对本决定有异议，可以向{bureau_name}提出。{bureau_name}应当自收到异议之日起"
                f"{chinese_days(objection_days)}内进行审查，作出维持本决定或者责令本中心改正的决定"
                "（《中华人民共和国法律援助法》第四十九条）。"
            )
        )
    story += [
        paragraph("特此决定。"),
        *signature(centre_name, decision.decided_at),
        *distribution_note("本决定书一式两份，一份送达申请人，一份由本中心存档。"),
    ]
    return render(story, title=f"{title} {application.number}", author=centre_name, subject=title)
