"""The written statement of rights and duties: one printable page per
language at /statement/{lang}, a PDF of it, and a short link for SMS."""
from __future__ import annotations

from pathlib import Path

from babel.dates import format_date
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from fpdf import FPDF

from actions.replies import applies_to
from api.deps import SettingsDep
from knowledge.statement import Statement, statement
from locales import SUPPORTED_LANGUAGES, gettext_for, text_direction

HERE = Path(__file__).parent
FONTS = HERE / "fonts"  # DejaVu Sans: Latin and Arabic in one font (fonts/README.md)
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(tags=["statement"])


def _strings(lang: str) -> dict[str, str]:
    _ = gettext_for(lang)
    return {
        "title": _("Your rights and duties as a migrant"),
        "right": _("Your rights"),
        "obligation": _("Your duties"),
        "steps": _("What you can do:"),
        "pdf": _("Download as PDF"),
        "machine": _("This text was translated with machine help and not yet checked by a person."),
        "more": _("The law of the country where you are may give you more rights. "
                  "Local help services can explain the details."),
    }


def _published(s: Statement) -> str:
    _ = gettext_for(s.lang)
    return _("Version of {date}.").format(date=format_date(s.published_on, "long", locale=s.lang))


def _coverage(s: Statement) -> str:
    """Said only while some topics of the outline are not written yet."""
    if s.written >= s.outline_topics:
        return ""
    _ = gettext_for(s.lang)
    return _("This statement covers {written} of the {total} topics of our outline; more are being written.").format(
        written=s.written, total=s.outline_topics)


def _sources(topic, lang: str) -> str:
    _ = gettext_for(lang)
    sources = ", ".join(topic.sources)
    return _("Sources: {sources}.").format(sources=f"\u2068{sources}\u2069" if text_direction(lang) == "rtl" else sources)


def _load(settings, lang: str) -> Statement:
    if lang not in SUPPORTED_LANGUAGES:
        raise HTTPException(404, f"No statement in {lang!r}; languages: {', '.join(SUPPORTED_LANGUAGES)}.")
    return statement(settings.knowledge_db, lang)


# Before /statement/{lang}, which would also match "en.pdf".
@router.get("/statement/{lang}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def statement_pdf(lang: str, settings: SettingsDep):
    """The same statement as a PDF, for printing or keeping offline."""
    s = _load(settings, lang)
    return Response(render_pdf(s), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="rights-{lang}.pdf"'})


@router.get("/statement/{lang}", response_class=HTMLResponse)
async def statement_page(request: Request, lang: str, settings: SettingsDep):
    """The whole statement in one language, as one printable page."""
    s = _load(settings, lang)
    return templates.TemplateResponse(request, "statement.html", {
        "s": s, "ui": _strings(lang), "dir": text_direction(lang), "published": _published(s),
        "coverage": _coverage(s), "sources": lambda topic: _sources(topic, lang),
        "applies": lambda topic: applies_to(topic.applies_to, lang),
    })


@router.get("/s/{lang}", include_in_schema=False)
async def short_link(lang: str):
    """The short link sent by SMS."""
    if lang not in SUPPORTED_LANGUAGES:
        raise HTTPException(404, "No such statement.")
    return RedirectResponse(f"/statement/{lang}", status_code=302)


def render_pdf(s: Statement) -> bytes:
    ui, rtl = _strings(s.lang), text_direction(s.lang) == "rtl"
    pdf = FPDF(format="A4")
    pdf.set_title(ui["title"])
    pdf.set_lang(s.lang)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    # HarfBuzz shapes Arabic letters and orders right-to-left text.
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    align = "R" if rtl else "L"

    def para(text: str, size: float = 10.5, style: str = "", gap: float = 2) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, size * 0.5, text.replace("\u2068", "").replace("\u2069", ""), align=align,
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(ui["title"], 18, "B", 3)
    para(_published(s), 9)
    for kind, topics in s.groups:
        para(ui[kind], 15, "B", 2)
        for topic in topics:
            para(topic.title, 12.5, "B", 1)
            para(applies_to(topic.applies_to, s.lang), 9.5, "", 1)
            para(topic.answer)
            if topic.steps:
                para(ui["steps"] + "\n" + "\n".join(f"• {step}" for step in topic.steps))
            para(_sources(topic, s.lang), 9)
            if not topic.reviewed or topic.lang != s.lang:
                para(ui["machine"], 8.5)
    para(ui["more"], 9)
    if _coverage(s):
        para(_coverage(s), 9)
    return bytes(pdf.output())
