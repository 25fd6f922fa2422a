"""Pages outside the course (`content/pages/SLUG.md`), such as what a learner needs to set up."""

from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse

from learn.content import links
from learn.content.loader import TEXT, Draft, Reader
from learn.content.markdown import Heading

FOLDER = "pages"
FIELDS = {"title": TEXT, "summary": TEXT}


@dataclass(frozen=True)
class Page:
    """A page outside the course, such as what a learner needs to set up."""

    slug: str
    title: str
    summary: str
    marked_html: str  # with links.mark markers: see `html`
    headings: tuple[Heading, ...]
    text: str
    path: Path

    @property
    def html(self) -> str:
        """The page's text as HTML, its links under the current script prefix."""
        return links.expand(self.marked_html)

    @property
    def url(self) -> str:
        """The page's address."""
        return reverse("lessons:page", args=[self.slug])


def load_pages(reader: Reader) -> tuple[tuple[Page, ...], list[Draft]]:
    """Every page, rendered, and the drafts whose links are still to be checked."""
    pages, drafts = [], []
    for path in sorted((reader.root / FOLDER).glob("*.md")):
        if not reader.slug_named(path, "a page's"):
            continue
        draft = reader.read(path, FIELDS)
        if draft is None:
            continue
        reader.render(draft)
        drafts.append(draft)
        rendered = draft.rendered
        pages.append(
            Page(
                slug=path.stem,
                title=str(draft.meta.get("title", path.stem)),
                summary=str(draft.meta.get("summary", "")),
                marked_html=rendered.html,
                headings=rendered.headings,
                text=rendered.text,
                path=path,
            )
        )
    return tuple(pages), drafts
