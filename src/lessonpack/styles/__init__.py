"""Styles: design tokens (``style.yaml``) that feed both the CSS of the PDF and the Word styles of the DOCX, the
page's measures they give on a paper, and the fonts that come with lessonpack."""
