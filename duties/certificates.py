"""The annual duty certificate as an official document (PDF), and the drawing it shares with the
volunteer service record.

The layout follows the party-and-government document format (GB/T 9704) as far as a one-page
certificate needs it: the issuing body's name in red over a red double rule, the document
number (编号) beneath on the right, the title, the text, the issuing body and the date on the
right with the place for its seal (盖章处), and at the foot the verification code, the address
of the verification page (``PUBLIC_SITE_URL``, never the request's host) and its QR code. The
ledger's chain head is shown on the verification page, not printed. The Chinese font is
embedded (``duties.pdf_fonts``).
"""

import io
from datetime import date, datetime
from xml.sax.saxutils import escape

from django.urls import reverse
from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from duties.models import AnnualReview, ReviewStatus
from duties.pdf_fonts import cjk_font
from marketplace.core.site import site_url

RED = colors.HexColor("#c8161d")
GREY = colors.HexColor("#555555")
LATIN_FONT = "Helvetica"

# The kinds of providers in the words of a document (法律援助人员 are all of them).
KIND_NAMES = {
    "lawyer": "律师",
    "notary": "公证员",
    "grassroots_worker": "基层法律服务工作者",
    "legal_aid_staff": "法律援助机构工作人员",
    "law_student": "法学院校学生",
    "citizen_volunteer": "社会志愿者",
}
# The outcomes of a review in the words of certificates, reviews and exports.
RESULT_NAMES = {
    ReviewStatus.COMPLIANT: "达标",
    ReviewStatus.DEFICIENT: "未达标",
    ReviewStatus.EXEMPT: "免除",
}
LEFT, RIGHT, TOP = 28 * mm, 26 * mm, 25 * mm
_CN_DIGITS = "〇一二三四五六七八九"


def public_url(path: str) -> str:
    """``path`` on the public site (``PUBLIC_SITE_URL``, required outside DEBUG)."""
    return site_url(path)


def verify_url(code: str) -> str:
    """The address of a certificate's or service record's verification page."""
    return public_url(reverse("verify-certificate", args=[code]))


def written_date(moment: datetime | date) -> str:
    """A date as an official document writes it: 2026年1月15日 (local time for moments)."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment.year}年{moment.month}月{moment.day}日"


class OfficialPage:
    """One A4 page drawn top-down: letterhead, title, paragraphs, signature with seal, footer."""

    def __init__(self, *, title: str, author: str, subject: str):
        self.font = cjk_font()
        self.buffer = io.BytesIO()
        self.width, self.height = A4
        self.pdf = canvas.Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.pdf.setTitle(title)
        self.pdf.setAuthor(author)
        self.pdf.setSubject(subject)
        self.y = self.height - TOP
        self.text_width = self.width - LEFT - RIGHT
        self.body = ParagraphStyle(
            "body",
            fontName=self.font,
            fontSize=14,
            leading=26,
            firstLineIndent=28,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        )

    def heavy_centred(self, text: str, size: float, color=colors.black, spacing: float = 0.08) -> None:
        """A centred line in heavy type (glyphs filled and stroked), spread a little."""
        pdf = self.pdf
        char_space = size * spacing
        natural = pdfmetrics.stringWidth(text, self.font, size) + char_space * max(len(text) - 1, 0)
        if natural > self.text_width:
            size *= self.text_width / natural
            char_space = size * spacing
            natural = self.text_width
        self.y -= size
        pdf.saveState()
        pdf.setFillColor(color)
        pdf.setStrokeColor(color)
        pdf.setLineWidth(size / 40)
        line = pdf.beginText()
        line.setTextRenderMode(2)
        line.setFont(self.font, size)
        line.setCharSpace(char_space)
        line.setTextOrigin((self.width - natural) / 2, self.y)
        line.textOut(text)
        pdf.drawText(line)
        pdf.restoreState()

    def letterhead(self, issuer: str, number: str) -> None:
        """The issuer in red, the red double rule, the number on the right beneath it."""
        self.heavy_centred(issuer, 26, RED, spacing=0.12)
        self.y -= 5 * mm
        pdf = self.pdf
        pdf.saveState()
        pdf.setStrokeColor(RED)
        pdf.setLineWidth(2)
        pdf.line(LEFT, self.y, self.width - RIGHT, self.y)
        pdf.setLineWidth(0.6)
        pdf.line(LEFT, self.y - 1.2 * mm, self.width - RIGHT, self.y - 1.2 * mm)
        pdf.restoreState()
        self.y -= 8 * mm
        if number:
            pdf.setFont(self.font, 14)
            pdf.drawRightString(self.width - RIGHT, self.y, number)
        self.y -= 12 * mm

    def paragraph(self, text: str, style: ParagraphStyle | None = None) -> None:
        para = Paragraph(escape(text).replace("\n", "<br/>"), style or self.body)
        _, height = para.wrap(self.text_width, self.y)
        para.drawOn(self.pdf, LEFT, self.y - height)
        self.y -= height + 2 * mm

    def table(self, rows: list[tuple[str, str]], *, label_width: float = 38 * mm, size: float = 12) -> None:
        """Label and value rows between fine rules."""
        pdf = self.pdf
        row_height = size * 2.1
        pdf.saveState()
        pdf.setLineWidth(0.5)
        pdf.setStrokeColor(colors.black)
        top = self.y
        pdf.line(LEFT, top, self.width - RIGHT, top)
        for label, value in rows:
            self.y -= row_height
            pdf.setFont(self.font, size)
            pdf.drawString(LEFT + 2 * mm, self.y + row_height * 0.35, label)
            pdf.drawString(LEFT + label_width, self.y + row_height * 0.35, value)
            pdf.line(LEFT, self.y, self.width - RIGHT, self.y)
        pdf.line(LEFT + label_width - 3 * mm, top, LEFT + label_width - 3 * mm, self.y)
        pdf.restoreState()
        self.y -= 6 * mm

    def signature(self, issuer: str, on: datetime | date) -> None:
        """The issuer and the date on the right, with the place for the seal over them."""
        pdf = self.pdf
        self.y -= 30 * mm
        size = 14
        right = self.width - RIGHT - 8 * mm
        issuer_width = pdfmetrics.stringWidth(issuer, self.font, size)
        dated = written_date(on)
        date_width = pdfmetrics.stringWidth(dated, self.font, size)
        centre_x = right - max(issuer_width, date_width) / 2
        # The seal (40 mm across) is pressed over the issuer's name and the date.
        pdf.saveState()
        pdf.setStrokeColor(RED)
        pdf.setFillColor(RED)
        pdf.setLineWidth(0.8)
        pdf.setDash(3, 2)
        pdf.circle(centre_x, self.y - 1 * mm, 22 * mm, stroke=1, fill=0)
        pdf.setFont(self.font, 10)
        pdf.drawCentredString(centre_x, self.y + 11 * mm, "（盖章处）")
        pdf.restoreState()
        pdf.setFont(self.font, size)
        pdf.drawCentredString(centre_x, self.y, issuer)
        pdf.drawCentredString(centre_x, self.y - 8 * mm, dated)
        self.y -= 14 * mm

    def verification_footer(self, *, code: str, url: str, what: str) -> None:
        """At the foot: a fine rule, the code and the address, and the QR code on the right."""
        pdf = self.pdf
        qr_size = 30 * mm
        bottom = 20 * mm
        top = bottom + qr_size + 4 * mm
        pdf.saveState()
        pdf.setLineWidth(0.5)
        pdf.line(LEFT, top, self.width - RIGHT, top)
        widget = QrCodeWidget(url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, self.width - RIGHT - qr_size, bottom)
        pdf.setFont(self.font, 11)
        pdf.drawString(LEFT, top - 9 * mm, f"验证码：{code}")
        pdf.setFont(self.font, 10)
        pdf.drawString(LEFT, top - 16 * mm, f"扫描右侧二维码或访问以下网址核验本{what}真伪：")
        pdf.setFont("Courier", 8.5)
        pdf.drawString(LEFT, top - 22 * mm, url)
        pdf.setFillColor(GREY)
        pdf.setFont(self.font, 9)
        pdf.drawString(LEFT, top - 29 * mm, f"本{what}以核验页面显示的内容为准；涂改、复制无效。")
        pdf.restoreState()

    def finish(self) -> bytes:
        self.pdf.showPage()
        self.pdf.save()
        return self.buffer.getvalue()


def result_words(review: AnnualReview) -> str:
    """达标, 未达标 or 免除 (with the exemption's reason, when the decision gave one)."""
    words = RESULT_NAMES.get(review.status, review.status)
    if review.status == ReviewStatus.EXEMPT and review.note:
        words += f"（{review.note}）"
    return words


def certificate_pdf(review: AnnualReview) -> bytes:
    """Render the certificate of a compliant or exempt review."""
    volunteer = review.volunteer
    org = review.decided_by_org
    issuer = org.name if org else ""
    page = OfficialPage(
        title=f"法律援助义务履行证明 {review.certificate_number or ''} {volunteer.display_name}",
        author=issuer,
        subject=f"{review.year}年度法律援助义务履行证明",
    )
    page.letterhead(issuer, review.certificate_number or "")
    page.heavy_centred("法律援助义务履行证明", 22)
    page.y -= 10 * mm
    kind = KIND_NAMES.get(volunteer.kind, volunteer.kind)
    practice = volunteer.practice_org
    who = f"{volunteer.display_name}（{kind}"
    if volunteer.licence_number:
        who += f"，执业证号：{volunteer.licence_number}"
    if practice:
        who += f"，执业机构：{practice.name}"
    who += "）"
    if review.status == ReviewStatus.EXEMPT:
        reason = f"，免除原因：{review.note}" if review.note else ""
        text = f"兹证明{who}经本机构审核，免除其{review.year}年度法律援助义务{reason}。\n特此证明。"
    else:
        text = (
            f"兹证明{who}{review.year}年度共提供法律援助服务{review.hours or 0:.2f}小时，"
            f"办理法律援助案件{review.cases or 0}件，经本机构年度考核，已履行法律援助义务，考核结论为达标。\n特此证明。"
        )
    page.paragraph(text)
    page.y -= 4 * mm
    page.table(
        [
            ("法律援助人员", volunteer.display_name),
            ("人员类别", kind),
            ("考核年度", f"{review.year}年度"),
            ("服务时长", f"{review.hours or 0:.2f}小时"),
            ("办理案件", f"{review.cases or 0}件"),
            ("考核结论", result_words(review)),
        ]
    )
    page.signature(issuer, review.decided_at or timezone.now())
    page.verification_footer(
        code=review.certificate_code or "", url=verify_url(review.certificate_code or ""), what="证明"
    )
    return page.finish()


def service_record_pdf(record) -> bytes:
    """Render a volunteer service record (志愿服务记录证明) as issued."""
    volunteer = record.volunteer
    issuer = "法律援助志愿服务平台"
    page = OfficialPage(
        title=f"志愿服务记录证明 {record.year} {volunteer.display_name}",
        author=issuer,
        subject=f"{record.year}年度志愿服务记录证明",
    )
    page.letterhead(issuer, "")
    page.heavy_centred("志愿服务记录证明", 22)
    page.y -= 10 * mm
    kind = KIND_NAMES.get(volunteer.kind, volunteer.kind)
    served = "、".join(record.organizations) or "—"
    page.paragraph(
        f"兹证明{volunteer.display_name}（{kind}）于{record.year}年度参加法律援助志愿服务，"
        f"经服务组织确认的服务时长共计{record.hours:.2f}小时。服务组织：{served}。\n特此证明。"
    )
    page.y -= 4 * mm
    rows = [("服务月份", "服务时长")]
    rows += [(f"{record.year}年{month}月", f"{hours}小时") for month, hours in record.months] or [("—", "0.00小时")]
    rows.append(("合计", f"{record.hours:.2f}小时"))
    page.table(rows)
    page.signature(issuer, record.issued_at)
    page.verification_footer(code=record.code, url=verify_url(record.code), what="记录")
    return page.finish()
