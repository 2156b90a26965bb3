"""The annual duty certificate as a PDF: Chinese first, English beneath, and a QR code.

ReportLab's built-in CID font STSong-Light draws the Chinese text; PDF readers supply the
glyphs (Adobe-GB1), so nothing is downloaded or embedded.
"""

import io

from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from duties.models import AnnualReview, ReviewStatus

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))

KIND_NAMES = {
    "lawyer": ("律师", "Lawyer"),
    "notary": ("公证员", "Notary"),
    "grassroots_worker": ("基层法律服务工作者", "Grassroots legal service worker"),
    "legal_aid_staff": ("法律援助工作人员", "Legal aid staff"),
    "law_student": ("法学学生", "Law student"),
    "citizen_volunteer": ("社会志愿者", "Citizen volunteer"),
}
RESULT_NAMES = {
    ReviewStatus.COMPLIANT: ("合格：已履行年度法律援助义务", "Compliant: the annual legal aid duty was performed"),
    ReviewStatus.EXEMPT: ("免除：本年度免予考核法律援助义务", "Exempt from the legal aid duty for the year"),
}


def certificate_pdf(review: AnnualReview, *, verify_url: str) -> bytes:
    """Render the certificate of a compliant or exempt review."""
    volunteer = review.volunteer
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"法律援助义务履行证明 {review.year} — {volunteer.display_name}")
    pdf.setAuthor(review.decided_by_org.name if review.decided_by_org else "")
    pdf.setSubject(f"Certificate {review.certificate_code}")

    margin = 22 * mm
    pdf.setStrokeColor(colors.HexColor("#8b1a1a"))
    pdf.setLineWidth(2)
    pdf.rect(margin / 2, margin / 2, width - margin, height - margin)

    y = height - 40 * mm
    pdf.setFillColor(colors.HexColor("#8b1a1a"))
    pdf.setFont(CJK_FONT, 24)
    pdf.drawCentredString(width / 2, y, "法律援助义务履行证明")
    y -= 9 * mm
    pdf.setFont(LATIN_FONT, 13)
    pdf.drawCentredString(width / 2, y, "Certificate of Legal Aid Duty")
    y -= 8 * mm
    pdf.setFillColor(colors.black)
    pdf.setFont(CJK_FONT, 14)
    pdf.drawCentredString(width / 2, y, f"{review.year} 年度")
    y -= 6 * mm
    pdf.setFont(LATIN_FONT, 10)
    pdf.drawCentredString(width / 2, y, f"Year {review.year}")

    kind_zh, kind_en = KIND_NAMES.get(volunteer.kind, (volunteer.kind, volunteer.kind))
    result_zh, result_en = RESULT_NAMES.get(review.status, (review.status, review.status))
    org = review.decided_by_org
    decided = timezone.localtime(review.decided_at) if review.decided_at else None
    practice = volunteer.practice_org
    rows = [
        ("执业者", "Provider", volunteer.display_name, ""),
        ("类别", "Kind", kind_zh, kind_en),
        ("执业证号", "Licence number", volunteer.licence_number or "—", ""),
        ("执业机构", "Practice organisation", practice.name if practice else "—", practice.name_en if practice else ""),
        ("服务时长", "Hours of service", f"{review.hours or 0:.2f} 小时", f"{review.hours or 0:.2f} hours"),
        ("办理案件", "Cases handled", f"{review.cases or 0} 件", f"{review.cases or 0} cases"),
        ("考核结论", "Result", result_zh, result_en),
        ("颁发机构", "Issuing body", org.name if org else "—", org.name_en if org else ""),
        (
            "决定日期",
            "Date of decision",
            f"{decided:%Y 年 %m 月 %d 日}" if decided else "—",
            f"{decided:%Y-%m-%d}" if decided else "",
        ),
    ]
    y -= 16 * mm
    label_x = margin + 8 * mm
    value_x = margin + 55 * mm
    for label_zh, label_en, value_zh, value_en in rows:
        pdf.setFont(CJK_FONT, 12)
        pdf.drawString(label_x, y, label_zh)
        pdf.drawString(value_x, y, value_zh)
        pdf.setFont(LATIN_FONT, 8.5)
        pdf.setFillColor(colors.HexColor("#444444"))
        pdf.drawString(label_x, y - 4.5 * mm, label_en)
        if value_en:
            pdf.drawString(value_x, y - 4.5 * mm, value_en)
        pdf.setFillColor(colors.black)
        y -= 13 * mm
    pdf.setFont(CJK_FONT, 12)
    pdf.drawString(label_x, y, "验证码")
    pdf.setFont("Courier-Bold", 13)
    pdf.drawString(value_x, y, review.certificate_code or "")
    pdf.setFont(LATIN_FONT, 8.5)
    pdf.setFillColor(colors.HexColor("#444444"))
    pdf.drawString(label_x, y - 4.5 * mm, "Verification code")
    pdf.setFillColor(colors.black)

    qr_size = 38 * mm
    widget = QrCodeWidget(verify_url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
    drawing.add(widget)
    qr_x = width - margin - qr_size
    qr_y = margin + 12 * mm
    renderPDF.draw(drawing, pdf, qr_x, qr_y)

    pdf.setFont(CJK_FONT, 10)
    pdf.drawString(label_x, qr_y + 26 * mm, "扫描二维码或访问以下网址核验本证明：")
    pdf.setFont(LATIN_FONT, 8.5)
    pdf.drawString(label_x, qr_y + 21 * mm, "Scan the QR code or visit this address to verify the certificate:")
    pdf.setFont("Courier", 8.5)
    pdf.drawString(label_x, qr_y + 15 * mm, verify_url)
    pdf.setFont(LATIN_FONT, 7)
    pdf.setFillColor(colors.HexColor("#444444"))
    head = review.ledger_head_hash or ""
    pdf.drawString(label_x, qr_y + 5 * mm, f"Ledger head at decision: {head[:32]}")
    pdf.drawString(label_x, qr_y + 1.5 * mm, f"                        {head[32:]}")

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
