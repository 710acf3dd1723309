"""The handout model: everything a renderer draws, decided once per lesson and edition (and per unit).

:func:`plan` turns a validated lesson into a :class:`Handout`; :func:`plan_unit` gathers handouts
into a :class:`Unit`; :mod:`.versions` decides the question and choice orders of versions A, B, C….
The HTML/PDF and DOCX renderers only draw what these hold.
"""

from .context import FillRoom, PlanContext
from .plan import plan, source_date
from .unit import Unit, UnitInfo, plan_unit
from .versions import Arrangement, arrange, arrangements, derange, letters
from .views import (ANSWER_SMALL, NUMBERING, Choice, DocumentInfo, Edition, Glossary, Handout, KeyGrid, KeyRow,
                    KeyTable, LetterheadView, Masthead, OverviewView, PagePart, PageRef, ParallelRow, ParallelView, Picture,
                    PromptView, Question, ReadingView, RunningText, Section, SourceView, StatsView, TableCell, TableView,
                    Verse, VerseLine, Writing, WorksheetView)

__all__ = ["ANSWER_SMALL", "NUMBERING", "Arrangement", "Choice", "DocumentInfo", "Edition", "FillRoom", "Glossary",
           "Handout", "KeyGrid", "KeyRow", "KeyTable", "LetterheadView", "Masthead", "OverviewView", "PagePart",
           "PageRef", "ParallelRow", "ParallelView", "Picture", "PlanContext", "PromptView", "Question", "ReadingView",
           "RunningText", "Section", "SourceView", "StatsView", "TableCell", "TableView", "Unit", "UnitInfo", "Verse",
           "VerseLine", "Writing", "WorksheetView", "arrange", "arrangements", "derange", "letters", "plan",
           "plan_unit", "source_date"]
