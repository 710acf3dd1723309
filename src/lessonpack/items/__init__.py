"""Worksheet item types: one module per type, each an :class:`~.base.ItemType` (see :mod:`.base`).

lessonpack's own: multiple choice, true or false, short answer, fill in the blanks, matching, ordering, essay
and source analysis. The registry (:func:`lessonpack.plugins.item_types`) finds them and any a package adds.
"""
