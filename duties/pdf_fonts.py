"""The CJK font of the duties PDFs (certificates, volunteer service records), embedded.

A TrueType-outline CJK font is registered with ReportLab's ``TTFont``, which embeds a subset
(the glyphs used) as ``FontFile2``: the PDF renders the same in every reader. The font is, in
order: the file named by the ``PDF_CJK_FONT`` setting; WenQuanYi Micro Hei
(``fonts-wqy-microhei``, installed by ``.ci/system-packages``); what ``fc-match`` finds for
Chinese. A file without Chinese glyphs or one ReportLab cannot read (CFF outlines, e.g. most
OTF) is passed over. With none found the PDFs fall back to the built-in CID font STSong-Light,
which readers supply (not embedded), and a warning is logged.
"""

import functools
import logging
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

EMBEDDED_NAME = "DutiesCJK"
FALLBACK_FONT = "STSong-Light"
WQY_MICROHEI = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# Characters the font must have: a face without them is not a Chinese face.
_PROBE = "证明法律援助"


def _fc_match() -> str:
    executable = shutil.which("fc-match")
    if not executable:
        return ""
    try:
        result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [executable, "-f", "%{file}", ":lang=zh-cn:fontformat=TrueType"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


def _candidates() -> list[str]:
    configured = getattr(settings, "PDF_CJK_FONT", "") or ""
    return [path for path in (configured, WQY_MICROHEI) if path] + [_fc_match()]


def _load(path: str) -> TTFont | None:
    if not path or not Path(path).is_file():
        return None
    try:
        font = TTFont(EMBEDDED_NAME, path, subfontIndex=0) if path.endswith(".ttc") else TTFont(EMBEDDED_NAME, path)
    except Exception:  # ReportLab raises TTFError and plain errors alike for fonts it cannot read
        logger.info("PDF CJK font %s cannot be embedded (not TrueType outlines?)", path)
        return None
    if not all(ord(ch) in font.face.charToGlyph for ch in _PROBE):
        return None
    return font


@functools.cache
def cjk_font() -> str:
    """The registered name of the CJK font to draw Chinese with (found once per process)."""
    for path in _candidates():
        font = _load(path)
        if font is not None:
            pdfmetrics.registerFont(font)
            return EMBEDDED_NAME
    logger.warning(
        "No TrueType CJK font found (PDF_CJK_FONT, %s, fc-match): PDFs use the built-in %s, not embedded.",
        WQY_MICROHEI,
        FALLBACK_FONT,
    )
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT
