"""The decision letter (给予/不予法律援助决定书) as a PDF, in Chinese whatever the reader's language.

An official document: the centre's name in red over a red rule, the title, the application
number, the applicant addressed by name, the matter, the decision and its reasons, for a refusal
how to object (Art. 49), then the centre and the date (GB/T 9704-2012: the date in Arabic
numerals), with room left for the seal. ReportLab's built-in CID font STSong-Light draws the
text; PDF readers supply its glyphs, so nothing is downloaded or embedded.
"""

import io
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from marketplace.applications.models import Application, Decision, DecisionOutcome

FONT = "STSong-Light"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))

RED = colors.HexColor("#c00000")
GREY = colors.HexColor("#555555")

TITLES = {DecisionOutcome.APPROVED: "给予法律援助决定书", DecisionOutcome.REFUSED: "不予法律援助决定书"}
# The letter is an official document in Chinese: its names are fixed here, not translated.
MATTER_KINDS = {
    "consultation": "法律咨询",
    "document_drafting": "代拟法律文书",
    "criminal_defense": "刑事辩护",
    "civil_representation": "民事案件代理",
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
_NUMERALS = "〇一二三四五六七八九十"

BODY = ParagraphStyle(
    "body", fontName=FONT, fontSize=14, leading=26, firstLineIndent=28, alignment=TA_JUSTIFY, wordWrap="CJK"
)
PLAIN = ParagraphStyle("plain", parent=BODY, firstLineIndent=0)
NUMBER = ParagraphStyle("number", parent=PLAIN, fontSize=13, alignment=TA_RIGHT)
SIGNATURE = ParagraphStyle("signature", parent=PLAIN, alignment=TA_RIGHT)
NOTE = ParagraphStyle("note", parent=PLAIN, fontSize=10, leading=16, textColor=GREY)


def chinese_days(n: int) -> str:
    """三日 for 3; numbers above ten in digits (15日)."""
    return f"{_NUMERALS[n]}日" if 0 <= n <= 10 else f"{n}日"


def written_date(moment: datetime) -> str:
    day = timezone.localdate(moment)
    return f"{day.year}年{day.month}月{day.day}日"


def masked_id(id_number: str) -> str:
    """The first four and last four characters; the rest hidden (the letter travels)."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


class _Title(Flowable):
    """A centred line in heavy type: STSong-Light has no bold, so the glyphs are filled and stroked."""

    def __init__(self, text: str, *, size: float, color=colors.black, space_after: float = 0):
        super().__init__()
        self.text, self.size, self.color, self.space_after = text, size, color, space_after

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.size * 1.3 + self.space_after

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.color)
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(self.size / 40)
        text = canvas.beginText()
        text.setTextRenderMode(2)
        text.setFont(FONT, self.size)
        # Spread the characters a little, as official titles are.
        text.setCharSpace(self.size * 0.08)
        width = pdfmetrics.stringWidth(self.text, FONT, self.size) + self.size * 0.08 * (len(self.text) - 1)
        text.setTextOrigin((self.width - width) / 2, self.space_after + self.size * 0.25)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()


class _RedRule(Flowable):
    """The red rule under the issuing body's name: a heavy line over a fine one."""

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 6 * mm

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(2)
        canvas.line(0, 4 * mm, self.width, 4 * mm)
        canvas.setLineWidth(0.6)
        canvas.line(0, 3 * mm, self.width, 3 * mm)
        canvas.restoreState()


class _Rule(Flowable):
    """A fine black rule, as around the distribution note at the foot of an official document."""

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 2 * mm

    def draw(self):
        self.canv.saveState()
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 1 * mm, self.width, 1 * mm)
        self.canv.restoreState()


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


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
        _Title(centre_name, size=24, color=RED, space_after=2 * mm),
        _RedRule(),
        Spacer(1, 6 * mm),
        _Title(title, size=22, space_after=3 * mm),
        _p(application.number, NUMBER),
        Spacer(1, 4 * mm),
        _p(f"申请人：{name}", PLAIN),
    ]
    if applicant.get("id_number"):
        story.append(_p(f"证件号码：{masked_id(applicant['id_number'])}", PLAIN))
    story += [
        _p(f"申请事项：{category}（{kind}）", PLAIN),
        Spacer(1, 4 * mm),
        _p(f"{name}：", PLAIN),
    ]
    channel = CHANNELS.get(application.channel, "")
    via = f"（{channel}）" if channel else ""
    story.append(
        _p(
            f"你于{written_date(application.received_at)}{via}提出的法律援助申请，本中心已依照"
            "《中华人民共和国法律援助法》第四十三条的规定进行审查。"
        )
    )
    if approved:
        story.append(_p("经审查，你的申请符合法律援助条件，本中心决定给予法律援助。"))
        if decision.reasons:
            story.append(_p(f"理由：{decision.reasons}"))
        story.append(
            _p(
                f"本中心将自本决定作出之日起{chinese_days(assign_days)}内指派法律援助人员承办，"
                "届时将告知承办人员的姓名和联系方式，请保持通讯畅通。"
            )
        )
    else:
        story.append(_p("经审查，你的申请不符合法律援助条件，本中心决定不予法律援助。"))
        story.append(_p(f"理由如下：{decision.reasons}"))
        story.append(
            _p(
                f"如对本决定有异议，可以向{bureau_name}提出。{bureau_name}应当自收到异议之日起"
                f"{chinese_days(objection_days)}内进行审查，作出维持本决定或者责令本中心改正的决定"
                "（《中华人民共和国法律援助法》第四十九条）。"
            )
        )
    story += [
        _p("特此决定。"),
        Spacer(1, 22 * mm),
        _p(centre_name, SIGNATURE),
        _p(written_date(decision.decided_at), SIGNATURE),
        Spacer(1, 14 * mm),
        _Rule(),
        _p("本决定书一式两份，一份送达申请人，一份由本中心存档。", NOTE),
        _Rule(),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=f"{title} {application.number}",
        author=centre_name,
        subject=title,
        pageCompression=1,
    )
    document.build(story)
    return buffer.getvalue()
