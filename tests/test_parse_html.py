"""parse_html: body text, metadata, identity and lead recovery on pages written here."""

from __future__ import annotations

import pytest

from releasewatch.errors import InputError
from releasewatch.model import RawDocument
from releasewatch.parse import article_id, parse
from releasewatch.parse.html import parse_html, recover_lead

PARAS = [
    "The government of the Republic of Examplia released four detained journalists on Tuesday "
    "after two weeks of talks with envoys from the neighbouring state, officials said.",
    "The four reporters, who had been held since March on charges their lawyers called "
    "political, crossed the border at the northern checkpoint shortly after noon.",
    "A spokesperson for the foreign ministry said the release followed a request from the "
    "families and was not part of any exchange of prisoners between the two countries.",
    "Rights groups welcomed the decision but said at least thirty other people remain in "
    "custody for their work, and urged the authorities to free them as well.",
    "Talks between the two governments are expected to resume next month in the capital, "
    "according to a diplomat familiar with the negotiations.",
]
LEAD = (
    "Four journalists held for months walked free on Tuesday as the two neighbours eased "
    "a long standoff over detained citizens."
)
CANONICAL = "https://news.example.org/2025/11/26/examplia-frees-journalists"


def page(lead_html: str = "", head_extra: str = "", paras: list[str] = PARAS) -> str:
    """A news page written for these tests: headline, optional standfirst, article, chrome."""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Examplia frees four journalists | Example Times</title>
<meta property="og:title" content="Examplia frees four journalists">
<meta property="og:site_name" content="Example Times">
<link rel="canonical" href="{CANONICAL}">
<meta property="article:published_time" content="2025-11-26T10:00:00Z">
<meta name="author" content="Jane Roe">{head_extra}</head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><h1>Examplia frees four journalists</h1>{lead_html}</header>
<article><div class="byline">By Jane Roe</div>{body}</article>
<footer><p>Copyright Example Times. All rights reserved.</p></footer></body></html>"""


def doc(html: str, **hints: str) -> RawDocument:
    """An HTML RawDocument."""
    return RawDocument(source="page.html", text=html, kind="html", **hints)


def test_body_paragraphs_and_metadata() -> None:
    article = parse_html(doc(page()))
    assert article.text.split("\n\n") == PARAS
    assert "Home" not in article.text and "Copyright" not in article.text
    assert article.title == "Examplia frees four journalists"
    assert article.published == "2025-11-26"
    assert article.author == "Jane Roe"
    assert article.outlet == "Example Times"
    assert article.url == CANONICAL
    assert article.kind == "html" and article.raw == doc(page()).text
    assert article.id == article_id(article.text, CANONICAL)


def test_parse_dispatches_html_kind() -> None:
    assert parse(doc(page())).text.split("\n\n") == PARAS


def test_hints_win_over_page_metadata() -> None:
    hinted = doc(
        page(),
        url="https://mirror.example.net/a",
        title="Hint title",
        published="2025-11-27",
        outlet="Hint Outlet",
    )
    article = parse_html(hinted)
    assert (article.url, article.title, article.published, article.outlet) == (
        "https://mirror.example.net/a",
        "Hint title",
        "2025-11-27",
        "Hint Outlet",
    )
    assert article.id == article_id(article.text, "https://mirror.example.net/a")


@pytest.mark.parametrize(
    "lead_html",
    [
        f'<p class="lead">{LEAD}</p>',
        f'<div class="article-summary">{LEAD}</div>',
        f"<h2>{LEAD}</h2>",
        f'<p class="standfirst">{LEAD}</p>',
    ],
)
def test_lead_outside_article_is_recovered_first(lead_html: str) -> None:
    article = parse_html(doc(page(lead_html)))
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == LEAD
    assert paragraphs[1:] == PARAS
    assert article.text.count("walked free") == 1


def test_visible_description_is_recovered_in_full_when_meta_truncates_it() -> None:
    teaser = " ".join(LEAD.split()[:10]) + "..."
    html = page(
        f'<div class="top">{LEAD}<br><br></div>',
        head_extra=f'<meta property="og:description" content="{teaser}">',
    )
    assert parse_html(doc(html)).text.split("\n\n")[0] == LEAD


def test_lead_already_in_body_is_not_repeated() -> None:
    html = page(
        f'<p class="lead">{PARAS[0]}</p>',
        head_extra=f'<meta property="og:description" content="{PARAS[0]}">',
    )
    assert parse_html(doc(html)).text.split("\n\n") == PARAS


def test_labels_and_meta_only_teasers_are_not_leads() -> None:
    assert recover_lead(page('<p class="lead">World news</p>'), PARAS, None) is None
    meta_only = page(head_extra=f'<meta property="og:description" content="{LEAD}">')
    assert recover_lead(meta_only, PARAS, LEAD) is None


def test_broken_markup_still_parses() -> None:
    broken = page().replace("</p>", "").replace("</article>", "").replace("</body></html>", "")
    article = parse_html(doc(broken))
    assert "released four detained journalists" in article.text
    assert "crossed the border" in article.text


def test_fragment_without_page_structure_keeps_its_text() -> None:
    article = parse_html(
        doc("<p>Two activists were freed in Minsk on Monday, a rights group said.</p>")
    )
    assert article.text == "Two activists were freed in Minsk on Monday, a rights group said."


def test_page_without_text_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        parse_html(doc("<html><head><script>var a = 1;</script></head><body></body></html>"))
    assert err.value.source == "page.html"
    assert "no article text" in err.value.reason


def test_dateline_is_read_from_the_body_after_a_recovered_lead() -> None:
    pytest.importorskip("releasewatch.parse.metadata")
    wired = [f"VILNIUS (AP) — {PARAS[0]}", *PARAS[1:]]
    article = parse_html(doc(page(f'<p class="lead">{LEAD}</p>', paras=wired)))
    assert article.text.split("\n\n")[0] == LEAD
    assert article.dateline == "Vilnius"
    assert article.outlet == "Example Times"  # the page's masthead wins over the wire
