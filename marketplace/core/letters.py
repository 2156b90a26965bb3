"""Official letters (公文) as PDFs, in Chinese whatever the reader's language: one drawing for
every letter the product issues (decision letters, evidence letters).

The layout follows GB/T 9704-2012 in spirit: the issuing body's name in red over a red double
rule, the title in heavy type, the number on the right, the body in 14-point type with indented
paragraphs, the issuer and the date (Arabic numerals) on the right with room for the seal, and a
distribution note between fine rules at the foot. ReportLab's built-in CID font STSong-Light
draws the text; PDF readers supply its glyphs, so nothing is downloaded or embedded.
"""

import io
from datetime import date, datetime
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
from reportlab.platypus import paragraph as reportlab_paragraph

FONT = "STSong-Light"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# ReportLab's characters that may not start a line lack the full-width Chinese punctuation, so a
# wrapped line could open with "，" (a typesetting error in Chinese); it hangs such a character
# at the end of the line before instead. Its wrapping reads the module's global at each call.
_CANNOT_START = "，：；？！”’》〉）"
reportlab_paragraph.ALL_CANNOT_START += "".join(
    ch for ch in _CANNOT_START if ch not in reportlab_paragraph.ALL_CANNOT_START
)

RED = colors.HexColor("#c00000")
GREY = colors.HexColor("#555555")

BODY = ParagraphStyle(
    "body", fontName=FONT, fontSize=14, leading=26, firstLineIndent=28, alignment=TA_JUSTIFY, wordWrap="CJK"
)
PLAIN = ParagraphStyle("plain", parent=BODY, firstLineIndent=0)
NUMBER = ParagraphStyle("number", parent=PLAIN, fontSize=13, alignment=TA_RIGHT)
SIGNATURE = ParagraphStyle("signature", parent=PLAIN, alignment=TA_RIGHT)
NOTE = ParagraphStyle("note", parent=PLAIN, fontSize=10, leading=16, textColor=GREY)

_NUMERALS = "〇一二三四五六七八九十"
_ORDINALS = "一二三四五六七八九十"


def chinese_days(n: int) -> str:
    """三日 for 3; numbers above ten in digits (15日)."""
    return f"{_NUMERALS[n]}日" if 0 <= n <= 10 else f"{n}日"


def ordinal(n: int) -> str:
    """一 for 1 (the heads of an enumerated list: 一、二、...); past ten in digits."""
    return _ORDINALS[n - 1] if 1 <= n <= 10 else str(n)


def written_date(moment: datetime | date) -> str:
    """2026年5月1日: the local day of a time, or the day itself."""
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    return f"{day.year}年{day.month}月{day.day}日"


def masked_id(id_number: str) -> str:
    """The first four and last four characters; the rest hidden (the letter travels)."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


class Title(Flowable):
    """A centred line in heavy type: STSong-Light has no bold, so the glyphs are filled and stroked."""

    def __init__(self, text: str, *, size: float, color=colors.black, space_after: float = 0):
        super().__init__()
        self.text, self.size, self.color, self.space_after = text, size, color, space_after

    def _spacing(self) -> float:
        # Spread the characters a little, as official titles are; a long name is kept on the line.
        return self.size * 0.08

    def wrap(self, available_width, available_height):
        self.width = available_width
        # A name too long for the line at this size is drawn smaller rather than cut off.
        natural = pdfmetrics.stringWidth(self.text, FONT, self.size) + self._spacing() * max(len(self.text) - 1, 0)
        if natural > available_width > 0:
            self.size *= available_width / natural
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
        text.setCharSpace(self._spacing())
        width = pdfmetrics.stringWidth(self.text, FONT, self.size) + self._spacing() * (len(self.text) - 1)
        text.setTextOrigin((self.width - width) / 2, self.space_after + self.size * 0.25)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()


class RedRule(Flowable):
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


def paragraph(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """Plain text as a paragraph: escaped (no markup from data ever reaches ReportLab), line
    breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def letterhead(issuer: str, title: str, number: str = "") -> list[Flowable]:
    """The head: the issuer in red over the red rule, the title, and the number on the right."""
    story: list[Flowable] = [
        Title(issuer, size=24, color=RED, space_after=2 * mm),
        RedRule(),
        Spacer(1, 6 * mm),
        Title(title, size=22, space_after=3 * mm),
    ]
    if number:
        story.append(paragraph(number, NUMBER))
    story.append(Spacer(1, 4 * mm))
    return story


def signature(issuer: str, on: datetime | date, *, room: float = 22 * mm) -> list[Flowable]:
    """The issuer and the date on the right, with ``room`` above them for the seal."""
    return [Spacer(1, room), paragraph(issuer, SIGNATURE), paragraph(written_date(on), SIGNATURE)]


class FootNote(Flowable):
    """The distribution note (版记) at the foot of the last page, between fine rules (GB/T 9704:
    its last rule lies on the bottom of the text area). It takes the rest of the page; with less
    room left than it needs, it goes to the foot of the next page."""

    GAP = 4 * mm  # the least room between the text above and the note

    def __init__(self, text: str):
        super().__init__()
        self.note = paragraph(text, NOTE)

    def wrap(self, available_width, available_height):
        self.width = available_width
        _, self.note_height = self.note.wrap(available_width, available_height)
        needed = self.note_height + 4 * mm + self.GAP
        # A hair under the room left, so that rounding never pushes it over.
        self.height = available_height - 0.01 if available_height >= needed else needed
        return available_width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.line(0, 0.5 * mm, self.width, 0.5 * mm)
        self.note.drawOn(canvas, 0, 2 * mm)
        top = 2 * mm + self.note_height + 1.5 * mm
        canvas.line(0, top, self.width, top)
        canvas.restoreState()


def distribution_note(text: str) -> list[Flowable]:
    """The note at the foot of the last page (how many copies, to whom)."""
    return [FootNote(text)]


def render(story: list[Flowable], *, title: str, author: str, subject: str) -> bytes:
    """The letter as PDF bytes: A4 with the margins of an official document; ``title``,
    ``author`` and ``subject`` go into the file's properties."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=title,
        author=author,
        subject=subject,
        pageCompression=1,
    )
    document.build(story)
    return buffer.getvalue()
