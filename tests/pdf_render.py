"""Render PDF pages to images in tests, through PDFium (a wheel: nothing to install on the system)."""

from PIL import Image


def render_page(pdf: bytes, *, page: int = 0, dpi: int = 60) -> Image.Image:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
