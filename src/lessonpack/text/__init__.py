"""The words of a handout, below everything else: Markdown as rich text, words and terms in running text,
reading level, file-name slugs, the label catalogues ("Name", "Answer key"…) in each language, and typography
by language (quotation marks, French spacing)."""
