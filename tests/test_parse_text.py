"""Parsing raw text dumps: chrome removal, headline, dateline, outlet, sources, byline, date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from releasewatch.model import Article, RawDocument
from releasewatch.parse import article_id, parse
from releasewatch.parse import chrome as kinds
from releasewatch.parse.metadata import (
    author_line,
    date_line,
    dated_place,
    find_cited_sources,
    find_dateline,
    find_outlet,
    normalise_outlet,
    parse_byline,
    parse_published,
)
from releasewatch.parse.text import parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def read(name: str, **hints: str) -> Article:
    """Parse one fixture dump."""
    path = FIXTURES / name
    return parse_text(RawDocument(source=str(path), text=path.read_text(encoding="utf-8"), **hints))


def paragraphs(article: Article) -> list[str]:
    """The body's paragraphs as the extractor splits them."""
    return article.text.split("\n\n")


# ---------------------------------------------------------------- chrome families


def test_unn_style_page_keeps_only_article_lines() -> None:
    article = read("unn_style.txt")
    assert paragraphs(article) == [
        "Officials from Lithuania and Belarus held talks on the return of 40 detained truck "
        "drivers, Bloomberg reports with reference to sources, writes UNN.",
        "The talks took place in Minsk on Monday. Both sides described them as constructive.",
        "The drivers were detained in February. Their families have appealed to the Red Cross.",
        "According to the interlocutors, the next round may take place in Vilnius.",
        "Earlier, the Belarusian Association of Journalists said that two reporters covering "
        "the border were detained.",
    ]


def test_unn_style_page_metadata() -> None:
    article = read("unn_style.txt")
    assert (
        article.title
        == "Lithuania and Belarus discuss return of detained truck drivers - Bloomberg"
    )
    assert article.published == "2025-03-04"
    assert article.outlet == "UNN"
    assert article.dateline == "Minsk"
    assert article.author == "Marta Kovalenko"
    assert article.cited_sources == ("Bloomberg", "Belarusian Association of Journalists")
    assert article.tags == ("Politics", "Belarus", "Lithuania", "Bloomberg")


def test_teasers_never_leave_text_or_become_title() -> None:
    article = read("unn_style.txt")
    for teaser in ("Pope", "We are ready to talk", "border crossings", "views", "03.03.25"):
        assert teaser not in article.text
        assert teaser not in (article.title or "")


def test_share_row_caption_and_desk_byline() -> None:
    article = read("desk_byline.txt")
    assert article.title == "Freed American teacher lands in Washington"
    assert article.author == "Daria Shulzhenko"
    assert article.outlet == "The Kyiv Independent"
    assert article.published == "2025-02-12"
    assert article.tags == (
        "News Feed",
        "Prisoner exchange",
        "Russia",
        "United States",
        "Marc Fogel",
    )
    assert "Photo by" not in article.text and "Skip to content" not in article.text
    # an outlet named as an employer and a photo credit are not sources
    assert article.cited_sources == ()


def test_appeal_block_review_byline_and_date_line() -> None:
    article = read("appeal_review.txt")
    assert article.title == "Cell Block Blues (12A)"
    assert article.author == "Harriet Vane"
    assert article.published == "2014-05-03"
    assert article.outlet == "The Guardian"  # named by its own appeal
    assert paragraphs(article)[0].startswith("A prison drama")
    assert "donation" not in article.text and "Comments" not in article.text


def test_font_controls_and_signoff() -> None:
    article = read("signoff_style.txt")
    assert article.title is None  # the dump starts with the lead, not a headline
    assert article.outlet == "News.Az"
    assert article.cited_sources == ("Bloomberg",)
    assert "px" not in article.text
    assert not article.text.endswith("News.Az")


def test_updated_line_url_and_follow_us_are_chrome() -> None:
    article = read("updated_line.txt")
    assert article.title is None
    assert article.published == "2025-06-02"
    assert article.dateline == "Caracas"
    assert article.outlet == "Al Jazeera"  # "told Al Jazeera" names the page's publisher
    assert article.cited_sources == ()
    assert "https://" not in article.text and "Follow us" not in article.text


# ---------------------------------------------------------------- datelines and outlets


def test_wire_dateline_names_outlet_and_place() -> None:
    article = read("wire_dateline.txt")
    assert article.title is None  # text on the scraper's date line is never a headline
    assert article.outlet == "Associated Press"
    assert article.dateline == "Vilnius"
    assert article.cited_sources == ("Viasna", "Zerkalo", "Reuters")


def test_agency_dateline_with_date_and_printed_date_line() -> None:
    article = read("dated_agency.txt")
    assert article.title == "EU adds six Belarusian officials to sanctions list"
    assert article.published == "2025-03-04"
    assert article.outlet == "Interfax"
    assert article.dateline == "Minsk"


def test_colon_dateline_without_headline() -> None:
    article = read("colon_dateline.txt")
    assert article.title is None
    assert article.dateline == "Warsaw"
    assert article.outlet is None
    assert len(paragraphs(article)) == 3


@pytest.mark.parametrize(
    ("text", "place", "outlet"),
    [
        ("MOSCOW (Reuters) -Four journalists were jailed.", "Moscow", "Reuters"),
        ("TALLINN, Estonia (AP) — A court ruled.", "Tallinn", "Associated Press"),
        ("BRUSSELS. Feb 26 (Interfax) - The EU said.", "Brussels", "Interfax"),
        ("LONDON, March 5 (Reuters) - Britain said.", "London", "Reuters"),
        ("BOGOTÁ, Colombia — Venezuela freed ten.", "Bogotá", None),
        ("(MENAFN) Moscow and Kyiv swapped prisoners.", None, "MENAFN"),
        ("Lead paragraph.\n\nKyiv • UNN\n\nMore text.", "Kyiv", "UNN"),
    ],
)
def test_find_dateline(text: str, place: str | None, outlet: str | None) -> None:
    found = find_dateline(text)
    assert found is not None
    assert (found.place, found.outlet) == (place, outlet)


@pytest.mark.parametrize(
    "text",
    [
        "The Escapist (15) is a prison film.",
        "Details: the talks went on for hours.",
        "NATO said the talks went well.",
    ],
)
def test_find_dateline_ignores_lookalikes(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Talks began, writes UNN with reference to Reuters.", "UNN"),
        ("This was reported by UNN with reference to the Council.", "UNN"),
        ("He met the envoy, News.Az reports, citing Reuters.", "News.Az"),
        ("The official told NPR that ten were freed.", "NPR"),
        ("Ten were freed, Reuters reports, citing sources.", None),
        ("Some officials told Reuters the talks stalled.", None),
    ],
)
def test_find_outlet(text: str, outlet: str | None) -> None:
    assert find_outlet(text) == outlet


# ---------------------------------------------------------------- cited sources


@pytest.mark.parametrize(
    ("text", "title", "outlet", "cited"),
    [
        ("Body.", "Belarus frees 20 - Reuters", None, ("Reuters",)),
        ("It was the first swap in months. - Reuters", None, None, ("Reuters",)),
        (
            "Later, the Wall Street Journal and the Associated Press reported.",
            None,
            None,
            ("Wall Street Journal", "Associated Press"),
        ),
        ("Wall Street Journal reporter Evan Doe was freed.", None, None, ()),
        ("He edits a column for Radio Free Europe/Radio Liberty.", None, None, ()),
        ("A Belarusian official told Al Jazeera the talks went well.", None, "Al Jazeera", ()),
        ("Since then, human rights group Viasna has named 167 prisoners.", None, None, ("Viasna",)),
        (
            "according to the Belarusian project Nextaon December 13, he pardoned them.",
            None,
            None,
            ("Nexta",),
        ),
        ("The ministry said so on Telegram, according to state media.", None, None, ()),
        (
            "the release was reported by the newspaper Daily Courier on Monday.",
            None,
            None,
            ("Daily Courier",),
        ),
    ],
)
def test_find_cited_sources(
    text: str, title: str | None, outlet: str | None, cited: tuple[str, ...]
) -> None:
    assert find_cited_sources(text, title=title, outlet=outlet) == cited


def test_agency_byline_is_a_source_not_an_author() -> None:
    article = read("agency_byline.txt")
    assert article.title == "Georgia jails opposition activist for two years"
    assert article.author is None
    assert set(article.cited_sources) == {"AFP", "Human Rights Watch"}
    assert "By AFP" not in article.text


def test_outlet_names_are_normalised() -> None:
    assert normalise_outlet("AP") == "Associated Press"
    assert normalise_outlet("the Associated Press") == "Associated Press"
    assert normalise_outlet("Kyiv Independent") == "The Kyiv Independent"
    assert normalise_outlet("Daily Courier") == "Daily Courier"


# ---------------------------------------------------------------- bylines and dates


def test_parse_byline_forms() -> None:
    byline = parse_byline("by Anna Lee and Tom Berg and The Kyiv Independent news desk May 1, 2025")
    assert byline is not None
    assert (byline.author, byline.outlet, byline.published) == (
        "Anna Lee, Tom Berg",
        "The Kyiv Independent",
        "2025-05-01",
    )
    reviewed = parse_byline("Reviewed,Anthony Quinn")
    assert reviewed is not None and reviewed.author == "Anthony Quinn"
    agency = parse_byline("By AFP")
    assert agency is not None and agency.author is None and agency.agencies == ("AFP",)
    assert parse_byline("By the numbers: ten years of sanctions") is None


def test_author_line_with_section_label() -> None:
    assert author_line("Olga Rozgon") == "Olga Rozgon"
    assert author_line("Ирэн Орлонская In the world") == "Ирэн Орлонская"
    assert author_line("News of the World") is None
    assert author_line("Zelensky Meets Trump in the Vatican Today Again") is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("26 Feb 2024 17:53", "2024-02-26"),
        ("Friday 20 June 2008 00:00 BST", "2008-06-20"),
        ("Updated July 18, 2025 at 8:38 PM CDT", "2025-07-18"),
        ("Published: 03.05.2014 | 12:00", "2014-05-03"),
        ("The deal runs until February 28, 2025.", None),
    ],
)
def test_date_line(line: str, iso: str | None) -> None:
    assert date_line(line) == iso


def test_parse_published_uses_only_the_given_base() -> None:
    # a two-digit year needs a stated base date; it never falls back to today
    assert parse_published("26.11.25") is None
    assert parse_published("26.11.25", base=date(2025, 11, 27)) == "2025-11-26"
    assert parse_published("26.11.99", base=date(2001, 1, 1)) == "1999-11-26"
    assert parse_published("November 22", base=date(2025, 11, 26)) == "2025-11-22"
    assert parse_published("November 22") is None  # no year, no base: not a full date
    assert parse_published("2025-02-30") is None


# ---------------------------------------------------------------- the stage


def test_hints_win_over_guesses() -> None:
    article = read("dated_agency.txt", title="Given", published="2025-03-05", outlet="Belta")
    assert (article.title, article.published, article.outlet) == ("Given", "2025-03-05", "Belta")


def test_identity_and_dispatch() -> None:
    raw = (FIXTURES / "colon_dateline.txt").read_text(encoding="utf-8")
    doc = RawDocument(source="x.txt", text=raw, url="https://example.org/a")
    article = parse(doc)
    assert article.id == article_id(raw, "https://example.org/a")
    assert article.raw == raw and article.kind == "text"


def test_run_on_line_joins_its_paragraph() -> None:
    raw = (
        "Lead sentence of the story is here and it is long enough.\n"
        "I think it is fair\n– said the envoy.\n"
    )
    article = parse_text(RawDocument(source="x", text=raw))
    assert paragraphs(article) == [
        "Lead sentence of the story is here and it is long enough.",
        "I think it is fair\n– said the envoy.",
    ]


def test_every_paragraph_is_verbatim_from_the_dump() -> None:
    for path in sorted(FIXTURES.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        article = parse_text(RawDocument(source=str(path), text=raw))
        assert article.text, path.name
        for paragraph in paragraphs(article):
            for line in paragraph.split("\n"):
                assert line in raw, (path.name, line)
            assert "\n\n" not in paragraph


# ---------------------------------------------------------------- the seed article


def test_seed_article_reading() -> None:
    path = SHARED / "corpus" / "dev" / "seed-unn-us-belarus-talks.txt"
    if not path.is_file():
        pytest.skip(f"../shared/corpus/dev not present: {path}")
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["article"]
    article = parse_text(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))
    assert article.title == gold["title"]
    assert article.published == gold["published"] == "2025-11-26"
    assert article.outlet == gold["outlet"] == "UNN"
    assert article.author == gold["author"] == "Olga Rozgon"
    assert article.dateline == gold["dateline"] == "Kyiv"
    assert list(article.cited_sources) == gold["cited_sources"] == ["Reuters"]
    body = article.text
    assert "Lukashenka proposed to Putin" not in body and "views" not in body
    assert "$42" not in body and "Recall" not in body and "Details" not in body
    assert body.count("US and Belarus negotiate release") == 0  # repeated headline dropped
    assert "On November 22, Ukraine returned 31 civilian citizens from Belarus" in body
    assert body.startswith("The administration of US President Donald Trump is negotiating")
    assert body.endswith("some with serious illnesses.")
    assert "White House\n" not in body and "Olga Rozgon" not in body


def test_stamped_dateline_line_and_tags_label() -> None:
    raw = (
        "Belarus frees ten prisoners\n"
        "Kyiv • UNN • 26.11.25, 14:56 • 62 views\n"
        "Belarus freed ten prisoners on Monday, the opposition said in a statement.\n"
        "Tags: Belarus, Prisoners\n"
        "Sanctions\n"
    )
    article = parse_text(RawDocument(source="x", text=raw))
    assert (article.title, article.dateline, article.outlet) == (
        "Belarus frees ten prisoners",
        "Kyiv",
        "UNN",
    )
    assert article.tags == ("Belarus", "Prisoners", "Sanctions")
    assert article.text == (
        "Belarus freed ten prisoners on Monday, the opposition said in a statement."
    )


def test_portal_menus_breadcrumbs_tickers_and_trailing_labels() -> None:
    article = read("portal_style.txt")
    assert article.title == "Moldova frees two Ukrainian sailors after talks in Chisinau"
    assert article.published == "2025-04-07"  # from the date-and-ticker line
    assert article.outlet == "Danube Press"  # "/Danube Press/" after the dateline
    assert article.dateline == "Chisinau"
    assert article.author == "Ilinca Moraru"
    assert article.tags == ("Moldova", "Ukraine", "sailors")
    # a ministry in a "Sources:" line is no source; an agency and a rights group are
    assert article.cited_sources == ("Promo-LEX", "Ukrinform")
    assert paragraphs(article) == [
        "CHISINAU, April 7 /Danube Press/. Moldova released two Ukrainian sailors on Monday "
        "after talks between the two governments, officials said.",
        "The sailors had been held since January, the rights group Promo-LEX said.",
    ]


# ---------------------------------------------------------------- layout families


def test_masthead_in_capitals_is_the_outlet_not_the_title() -> None:
    article = read("masthead_caps.txt")
    assert article.title == "Estonia and Belarus agree to swap two detained border guards"
    assert article.outlet == "Northern Herald"
    assert article.published == "2025-05-12"  # "12.05.2025 | 09:40 | Updated ..."
    assert article.author == "Liis Tamm"
    assert article.tags == ("Estonia", "Belarus", "border guards")
    assert paragraphs(article)[-1] == (
        "Officials in Tallinn said the deal had been brokered without a third country."
    )
    for chrome in ("NORTHERN HERALD", "Subscribe", "Latvia closes", "Minsk summons", "©"):
        assert chrome not in article.text


def test_masthead_wins_over_its_own_acronym_in_the_dateline() -> None:
    article = read("masthead_agency.txt")
    assert article.title == "Bosnian aid worker freed after four months in Libyan custody"
    assert (article.outlet, article.dateline) == ("Balkan News Agency", "Sarajevo")
    assert article.published == "2025-05-03"
    assert "News ID" not in article.text


def test_shouted_headline_above_prose_is_the_title_not_a_masthead() -> None:
    text = (
        "RUSSIA FREES TWO AMERICANS\n\nRussia freed two Americans on Monday, officials said "
        "after the flight landed.\n"
    )
    article = parse_text(RawDocument(source="inline", text=text))
    assert article.title == "RUSSIA FREES TWO AMERICANS"
    assert article.outlet is None


def test_posted_by_blog_layout() -> None:
    article = read("blog_post.txt")
    assert article.title == "Harbor 3.0 released: smaller images and a new scheduler"
    assert (article.author, article.published) == ("Nils Ekberg", "2025-06-02")
    assert article.outlet is None
    body = paragraphs(article)
    assert body[1] == "* Images are now compressed with zstd, cutting pull times by about a third."
    assert body[-1] == "Thanks to everyone who tested the beta and reported bugs."
    assert "Announcements" not in article.text and "Download" not in article.text


def test_breadcrumb_caps_byline_and_print_note() -> None:
    article = read("print_edition.txt")
    assert article.title == "Chile expels two Russian diplomats after arrest of suspected spy"
    assert article.author == "Maria Lopez-Soto, Tom Varga"
    assert article.published == "2025-06-04"  # not the print date, Jun. 5
    assert len(paragraphs(article)) == 3
    for chrome in ("World | Americas", "Listen", "Advertisement", "appears in print"):
        assert chrome not in article.text


def test_agency_credit_line_and_with_files_from() -> None:
    article = read("agency_credit.txt")
    assert article.title == "Saskatchewan farmer released from Kazakh jail, family says"
    assert article.published == "2025-06-03"  # "Last Updated: 2 hours ago" is no date
    assert (article.outlet, article.author, article.dateline) == (
        "The Prairie Press",
        None,
        "Regina",
    )
    assert article.cited_sources == ("Reuters",)
    assert (
        paragraphs(article)[-1]
        == "Global Affairs Canada confirmed the release but gave no details."
    )
    assert "With files" not in article.text and "Family of jailed" not in article.text


def test_place_on_the_date_line_and_tail_byline_with_job_title() -> None:
    article = read("place_date_line.txt")
    assert article.title == "Angolan journalist freed on bail after 40 days in custody"
    assert (article.dateline, article.published) == ("Luanda", "2025-03-02")
    assert article.author == "Ana Costa"
    assert article.outlet is None  # "Justice correspondent" is a job, not a desk
    assert article.cited_sources == ("Lusophone Press Freedom Network",)
    assert "EN FR" not in article.text and "views" not in article.text


@pytest.mark.parametrize(
    ("line", "nav"),
    [
        ("World | Europe", True),
        ("Vatican · World · Church Life · Opinion", True),
        ("Download · Changelog · Migration guide", True),
        ("· Releases", True),
        ("Opinion | Why sanctions fail", False),
        ("Kyiv • UNN", True),  # callers read it as a dateline first
        ("Talks resume | officials say 40 will be freed", False),
        ("He said: yes | no", False),
    ],
)
def test_navigation_rows(line: str, nav: bool) -> None:
    assert kinds.is_nav(line) is nav


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("CASPIAN HERALD", "Caspian Herald"),
        ("ALPINE NEWS AGENCY | Politics", "Alpine News Agency"),
        ("VOICE OF THE STEPPE", "Voice of the Steppe"),
        ("NEWS > WORLD > EUROPE", None),
        ("Caspian Herald", None),
        ("BREAKING: TWO FREED", None),
    ],
)
def test_masthead_names(line: str, name: str | None) -> None:
    assert kinds.masthead(line) == name


@pytest.mark.parametrize(
    ("line", "place", "iso"),
    [
        ("Vatican City, 15 January 2026 / 17:32", "Vatican City", "2026-01-15"),
        ("Luanda — Sunday 2 Mar 2025", "Luanda", "2025-03-02"),
        ("Friday, 20 June 2008", None, "2008-06-20"),
        ("Posted: Apr 15, 2026 6:02 AM EDT", None, "2026-04-15"),
        ("Talks ended in Geneva, 15 January 2026", None, None),
    ],
)
def test_dated_place(line: str, place: str | None, iso: str | None) -> None:
    assert dated_place(line) == (place, iso)


def test_byline_job_titles_and_capitals() -> None:
    legal = parse_byline("By Priya Anand, Legal Affairs Reporter")
    assert legal is not None and (legal.author, legal.outlet) == ("Priya Anand", None)
    shouted = parse_byline("By JOHN O'HARA")
    assert shouted is not None and shouted.author == "John O'Hara"
    posted = parse_byline("Posted by Kim Berg on 2025-06-02 · 4 min read · News")
    assert posted is not None and (posted.author, posted.published) == ("Kim Berg", "2025-06-02")
    desk = parse_byline("By Ann Lee, Reuters correspondent")
    assert desk is not None and (desk.author, desk.outlet) == ("Ann Lee", "Reuters")


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        (
            "The Egyptian Initiative for Personal Rights welcomed it.",
            ("Egyptian Initiative for Personal Rights",),
        ),
        (
            "Police held 40, according to the Georgian Young Lawyers' Association.",
            ("Georgian Young Lawyers' Association",),
        ),
        (
            "The Union of Journalists of Kazakhstan condemned the arrest.",
            ("Union of Journalists of Kazakhstan",),
        ),
        ("The European Court of Human Rights accepted the case.", ()),
        ("The Foreign Affairs Committee said the bill would pass.", ()),
        ("The International Committee of the Red Cross said it visited them.", ()),
        ("The Harbor Foundation announced the release.", ()),
    ],
)
def test_rights_groups_read_from_their_name(text: str, cited: tuple[str, ...]) -> None:
    assert find_cited_sources(text) == cited


def test_scrape_header_rest_short_is_chrome_long_is_the_lead() -> None:
    switcher = parse_text(
        RawDocument(
            source="inline",
            text=" date 2025-11-19 RU EN 中文\n\nCourt jails two bloggers in Minsk\n\n"
            "A court in Minsk jailed two bloggers on Wednesday, their lawyer said.\n",
        )
    )
    assert switcher.title == "Court jails two bloggers in Minsk"
    assert "RU EN" not in switcher.text
    lead = (
        "Belarus has released 12 political prisoners including three journalists and a "
        "lawyer who had served half of their terms"
    )
    kept = parse_text(
        RawDocument(source="inline", text=f" date 2025-12-13 {lead}\n\nMore text followed.\n")
    )
    assert paragraphs(kept)[0] == lead


# ---------------------------------------------------------------- more layout families


@pytest.mark.parametrize(
    ("name", "title", "published", "outlet", "author", "dateline", "cited"),
    [
        # a menu on one line, "Source: X | date | Editor", an agency dateline with its date
        (
            "source_agency.txt",
            "China releases detained Japanese trading executive after consular talks",
            "2026-05-04",
            "Xinhua",
            None,
            "Beijing",
            (),
        ),
        # a menu one item per line, an abbreviated weekday, "Name in Place" as the byline
        (
            "abbrev_weekday.txt",
            "Egypt frees rights lawyer after two years in pretrial detention",
            "2026-01-22",
            None,
            "Samira Haddad",
            None,
            ("Egyptian Initiative for Personal Rights",),
        ),
        # a language switcher is no masthead; "Kyiv • 27.04.2026, 10:15" is day.month.year
        (
            "dotted_numeric.txt",
            "Ombudsman: 84 civilians returned from Russian captivity in April",
            "2026-04-27",
            None,
            None,
            "Kyiv",
            (),
        ),
        # ISO stamps after a standfirst; "TOKYO -" in the second paragraph; "Published" no place
        (
            "iso_stamp.txt",
            "Japan and North Korea hold rare talks on abducted citizens",
            "2026-03-10",
            None,
            None,
            "Tokyo",
            (),
        ),
        # "Press releases" is a menu label; "Geneva, 3 June 2026 —" gives place and date
        (
            "press_release.txt",
            "UN rights chief urges release of detained aid workers in Yemen",
            "2026-06-03",
            None,
            None,
            "Geneva",
            (),
        ),
        # "Kyiv •" alone on a line, then a US-order date
        (
            "bullet_place.txt",
            "Ukraine brings home 12 children taken to Russia",
            "2026-04-27",
            None,
            None,
            "Kyiv",
            (),
        ),
        # "ANKARA (AA) -" is Anadolu; "(With reporting from AFP and Reuters)" credits both
        (
            "anadolu_credit.txt",
            "Turkey releases two detained Swedish journalists",
            None,
            "Anadolu Agency",
            None,
            "Ankara",
            ("AFP", "Reuters"),
        ),
        # "First published" wins over an "Updated" line above it; "MOSCOW, Feb. 9 —"
        (
            "updated_first.txt",
            "Russia hands over 30 Ukrainian civilians in Belarus",
            "2026-02-09",
            None,
            "Olena Marchenko",
            "Moscow",
            (),
        ),
        # "03/14/2026 ... EST" in the byline is month first; "WASHINGTON, March 13 —"
        (
            "us_slash_byline.txt",
            "Venezuela frees jailed American pilot after envoy's visit",
            "2026-03-14",
            None,
            "Mark Ellis",
            "Washington",
            ("Associated Press",),
        ),
        # with a masthead, "Source: Reuters" is a cited source, not the outlet
        (
            "source_cited.txt",
            "Kuwait pardons jailed blogger ahead of national day",
            "2026-02-25",
            "Gulf Courier",
            None,
            None,
            ("Reuters",),
        ),
        # "World · 03.03.2026, 09:40 · 👁 1 274": a section, the date and a counter, no title
        (
            "category_stamp.txt",
            "Georgia releases two detained opposition activists on bail",
            "2026-03-03",
            None,
            "Nino Beridze",
            None,
            (),
        ),
        # a menu row set apart by runs of spaces, "You are here:", "date | ... desk"
        (
            "nav_spaced.txt",
            "Cambodia: two reporters held over border coverage released without charge",
            "2026-03-05",
            "Media Liberty Monitor",
            None,
            None,
            (),
        ),
        # a tagline under the masthead in capitals is not the headline
        (
            "masthead_tagline.txt",
            "Lithuania returns three Belarusian border guards in rare handover",
            "2026-03-06",
            "Baltic Wire",
            None,
            "Vilnius",
            (),
        ),
        # "JIJI PRESS - Mar 9, 2026 - 18:20 | Politics, Diplomacy, All": outlet and date
        (
            "agency_masthead_stamp.txt",
            "Japan and China agree to resume talks on detained nationals",
            "2026-03-09",
            "Jiji Press",
            None,
            "Tokyo",
            (),
        ),
        # two names on the byline line; "Published in The Hindu, ..." names the outlet
        (
            "print_signoff.txt",
            "Sri Lanka frees 15 Indian fishermen held since December",
            "2026-03-03",
            "The Hindu",
            "Lakshmi Narayanan, Arjun Pillai",
            "Colombo",
            (),
        ),
        # "Name   |04.03.2026 - Update : 04.03.2026": the author and the first date
        (
            "two_dates_stamp.txt",
            "Kazakhstan frees jailed poet under amnesty",
            "2026-03-04",
            None,
            "Aigerim Sadykova",
            "Almaty",
            (),
        ),
        # "12 MAR 2026, 10:15  Updated: 12 MAR 2026, 13:40"
        (
            "updated_caps_stamp.txt",
            "Armenia and Azerbaijan exchange lists of detainees",
            "2026-03-12",
            "Armenpress",
            None,
            "Yerevan",
            (),
        ),
        # sources named by an appositive, a kind word, an owner; a stance is no source
        (
            "appositive_sources.txt",
            "Bahrain pardons 90 prisoners ahead of national day",
            "2026-02-16",
            None,
            "Omar Haddad",
            "Manama",
            ("NNA", "Gulfwatch", "Bahrain News Network", "Sanad", "Observatory for Gulf Detainees"),
        ),
        # "Stage Notes › Reviews › Theatre": the site's name heads the breadcrumb
        (
            "review_factbox.txt",
            "'The Bridge at Dawn' review: a prisoner-swap drama that holds its nerve",
            "2026-03-02",
            "Stage Notes",
            "Helena Marsh",
            None,
            (),
        ),
    ],
)
def test_layout_families_metadata(
    name: str,
    title: str,
    published: str | None,
    outlet: str | None,
    author: str | None,
    dateline: str | None,
    cited: tuple[str, ...],
) -> None:
    article = read(name)
    assert (article.title, article.published, article.outlet) == (title, published, outlet)
    assert (article.author, article.dateline, article.cited_sources) == (author, dateline, cited)


def test_menus_and_credits_leave_the_body() -> None:
    for name, chrome in [
        ("abbrev_weekday.txt", ["Climate crisis", "US news", "Middle East", "Menu"]),
        ("us_slash_byline.txt", ["Latest News", "Politics\n", "By Mark"]),
        ("source_agency.txt", ["Home China", "Source:", "Editor", "Asia-Pacific"]),
        ("press_release.txt", ["Press releases"]),
        ("anadolu_credit.txt", ["With reporting"]),
        ("dotted_numeric.txt", ["UA | EN", "27.04.2026"]),
    ]:
        text = read(name).text
        for line in chrome:
            assert line not in text, (name, line)


def test_source_line_names_the_outlet_of_agency_copy() -> None:
    raw = (
        "Belarus frees two Lithuanian drivers held since March\n\n"
        "2026-05-04 16:42 | Source: Belta\n\n"
        "Two Lithuanian lorry drivers detained at the border in March were released on "
        "Monday, the border committee said.\n"
    )
    article = parse_text(RawDocument(source="s", text=raw))
    assert (article.outlet, article.published, article.cited_sources) == (
        "Belta",
        "2026-05-04",
        (),
    )


@pytest.mark.parametrize(
    ("value", "month_first", "iso"),
    [
        ("27.04.2026", False, "2026-04-27"),  # a dot is always day.month.year
        ("04.05.2026", True, "2026-05-04"),
        ("31.02.2026", False, None),  # impossible: rejected, not repaired
        ("13.13.2026", False, None),
        ("03/14/2026", False, "2026-03-14"),  # a month cannot be 14: month first
        ("14/03/2026", True, "2026-03-14"),
        ("03/10/2026", False, "2026-10-03"),
        ("03/10/2026", True, "2026-03-10"),
        ("2026-02-30", False, None),
        ("2026-03-10", False, "2026-03-10"),
        ("2026/05/04", False, "2026-05-04"),
        ("2026.05.04", False, "2026-05-04"),
    ],
)
def test_numeric_date_orders(value: str, month_first: bool, iso: str | None) -> None:
    assert parse_published(value, month_first=month_first) == iso


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Thu 22 Jan 2026 14.05 GMT", "2026-01-22"),
        ("Published: 2026-03-10T08:30Z", "2026-03-10"),
        ("Posted 2026-03-10T08:30:00+03:00", "2026-03-10"),
        ("First published on Mon 9 Feb 2026 07.30 GMT", "2026-02-09"),
        ("Tuesday, 10 March 2026, 08:30 (GMT+02:00)", "2026-03-10"),
        ("Published on: 10 March, 2026", "2026-03-10"),
        ("Sat., Jan. 10, 2026 9:41 a.m. EST", "2026-01-10"),
        ("03/10/2026 9:41 AM EST", "2026-03-10"),  # a US time zone: month first
        ("Date: 10.03.2026", "2026-03-10"),
        ("Tue, Mar 10 2026", "2026-03-10"),
        ("Published: the minister said on 10 March 2026", None),
    ],
)
def test_date_line_forms(line: str, iso: str | None) -> None:
    assert date_line(line) == iso


def test_date_line_weekday_is_no_place() -> None:
    assert dated_place("Tue, Mar 10 2026") == (None, "2026-03-10")
    assert dated_place("Kyiv • 27.04.2026, 10:15") == ("Kyiv", "2026-04-27")


@pytest.mark.parametrize(
    ("line", "published", "updated", "outlet"),
    [
        ("Updated 10.02.2026 | Published 09.02.2026", "2026-02-09", False, None),
        ("Updated: 2026-03-10T11:02Z", "2026-03-10", True, None),
        ("Xinhua | 2026-05-04 16:42:10", "2026-05-04", False, "Xinhua"),
        ("Kyiv • 27.04.2026, 10:15", "2026-04-27", False, None),
    ],
)
def test_date_stamp_prefers_first_publication(
    line: str, published: str, updated: bool, outlet: str | None
) -> None:
    stamp = kinds.date_stamp(line)
    assert stamp is not None
    assert (stamp.published, stamp.updated, stamp.outlet) == (published, updated, outlet)


@pytest.mark.parametrize(
    ("text", "place", "outlet", "published"),
    [
        ("BEIJING, May 4 (Xinhua) -- China on Monday released", "Beijing", "Xinhua", None),
        ("ANKARA (AA) - Turkish authorities said", "Ankara", "Anadolu Agency", None),
        ("SEOUL, May 4 (Yonhap) -- South Korea said", "Seoul", "Yonhap", None),
        ("Geneva, 3 June 2026 — The UN rights chief said", "Geneva", None, "2026-06-03"),
        ("GENEVA (3 June 2026) – The UN rights chief said", "Geneva", None, "2026-06-03"),
        ("MOSCOW, Feb. 9 — Russia handed over", "Moscow", None, None),
        ("TOKYO - Japanese officials said", "Tokyo", None, None),
        ("CAIRO — Egyptian authorities said", "Cairo", None, None),
        ("Kyiv • Ukraine brought home 12 children", "Kyiv", None, None),
        ("Kyiv •\n\nUkraine brought home 12 children", "Kyiv", None, None),
        ("Cairo, Egypt — Egyptian authorities said", "Cairo", None, None),
        ("New York, March 10 — The UN said", "New York", None, None),
        ("Lead paragraph of the story, short.\n\nTOKYO - Officials said", "Tokyo", None, None),
    ],
)
def test_find_dateline_more_forms(
    text: str, place: str, outlet: str | None, published: str | None
) -> None:
    found = find_dateline(text)
    assert found is not None
    assert (found.place, found.outlet, found.published) == (place, outlet, published)


@pytest.mark.parametrize(
    "text",
    [
        "Published: 2026-03-10 The talks were held in Ulaanbaatar.",
        "Published — the ministry said nothing.",
        "Source: the ministry said it had no comment.",
        "Updated: Officials said the talks would resume.",
        "Analysis — The release changes little.",
    ],
)
def test_labels_are_never_datelines(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    ("lines", "menu"),
    [
        (["Menu", "World", "Europe", "US news", "Climate crisis"], {0, 1, 2, 3, 4}),
        (["Latest News", "Politics"], {0, 1}),  # menu words only
        (["Belarus frees 14", "Anna Kowalska", "Reuters"], set()),  # three short lines
        (["Human rights", "Egypt frees rights lawyer after two years"], set()),
    ],
)
def test_menu_runs(lines: list[str], menu: set[int]) -> None:
    assert kinds.menu_runs(lines, [False] * len(lines)) == menu


def test_kicker_above_the_headline_is_not_the_title() -> None:
    raw = (
        "Human rights\n"
        "Egypt frees rights lawyer after two years in detention\n\n"
        "Egyptian authorities released the lawyer on Wednesday, her family said.\n"
    )
    article = parse_text(RawDocument(source="k", text=raw))
    assert article.title == "Egypt frees rights lawyer after two years in detention"


@pytest.mark.parametrize(
    ("line", "cited"),
    [
        ("(AFP, Reuters)", ("AFP", "Reuters")),
        ("AFP/Reuters", ("AFP", "Reuters")),
        ("— with AFP", ("AFP",)),
        ("Compiled from material from AFP and dpa.", ("AFP", "dpa")),
        ("With inputs from Reuters", ("Reuters",)),
    ],
)
def test_agency_credit_lines(line: str, cited: tuple[str, ...]) -> None:
    raw = (
        "Venezuela frees three Colombians after border talks\n\n"
        "Venezuela released three Colombian citizens on Monday, officials in both countries "
        f"said.\n\nThe three had been held for eight months.\n\n{line}\n"
    )
    article = parse_text(RawDocument(source="c", text=raw))
    assert article.cited_sources == cited
    assert line not in article.text


# ---------------------------------------------------------------- page families, third set


def test_third_set_chrome_leaves_the_body() -> None:
    for name, chrome in [
        (
            "category_stamp.txt",
            ["👁", "Tbilisi court fines", "Lari steady", "Five things", "ranked"],
        ),
        ("nav_spaced.txt", ["Donate", "You are here", "desk", "Laos", "Myanmar", "[f]", "inbox"]),
        ("masthead_tagline.txt", ["Independent news", "Politics |", "views", "Ctrl"]),
        ("agency_masthead_stamp.txt", ["JIJI", "Related", "trading firm"]),
        ("print_signoff.txt", ["Published", "Arjun Pillai"]),
        ("two_dates_stamp.txt", ["Update", "Sadykova"]),
        ("updated_caps_stamp.txt", ["10:15", "Updated"]),
        ("review_factbox.txt", ["★", "Running time", "Read next", "Stage Notes"]),
    ]:
        text = read(name).text
        for line in chrome:
            assert line not in text, (name, line)
    assert len(paragraphs(read("category_stamp.txt"))) == 3


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Lisbon Herald  ·  Portugal  ·  Justice", "Lisbon Herald"),
        ("Screen Notes › Reviews › Drama", "Screen Notes"),
        ("Middle East › Iran", None),
        ("Latin America | Brazil | Politics", None),
        ("New York · Sports", None),
        ("World | Europe", None),
        ("Opinion | Why sanctions fail", None),
    ],
)
def test_site_name_heading_a_breadcrumb(line: str, name: str | None) -> None:
    assert kinds.site_crumb(line) == name


@pytest.mark.parametrize(
    ("line", "edition"),
    [
        ("Published in Dawn, January 10th, 2026", ("Dawn", "2026-01-10")),
        ("This article first appeared in The Conversation.", ("The Conversation", None)),
        ("Published in 2019, the report found wide abuses.", None),
    ],
)
def test_print_edition_notes(line: str, edition: tuple[str, str | None] | None) -> None:
    assert kinds.print_edition(line) == edition


@pytest.mark.parametrize(
    ("line", "published", "outlet", "author"),
    [
        ("Politics  ·  27.04.2026, 10:15  ·  👁 3 906", "2026-04-27", None, None),
        ("Yasmine Haddad  |  Thursday 19 March 2026", "2026-03-19", None, "Yasmine Haddad"),
        ("12 February 2026  |  Europe and Central Asia desk", "2026-02-12", None, None),
        (
            "KYODO NEWS - Feb 20, 2026 - 12:41 | Politics, World, All",
            "2026-02-20",
            "Kyodo News",
            None,
        ),
        ("10 APR 2026, 15:47  Updated: 10 APR 2026, 16:30", "2026-04-10", None, None),
    ],
)
def test_date_stamp_with_labels_names_and_revisions(
    line: str, published: str, outlet: str | None, author: str | None
) -> None:
    stamp = kinds.date_stamp(line)
    assert stamp is not None
    assert (stamp.published, stamp.outlet, stamp.author) == (published, outlet, author)


def test_date_stamp_refuses_bylines_and_labels_without_a_date() -> None:
    assert kinds.date_stamp("By Tobias Wren  |  27 February 2026") is None
    assert kinds.date_stamp("Politics  ·  World  ·  👁 3 906") is None


def test_shared_byline_line_and_teaser_dates() -> None:
    assert author_line("Priya Raman and Tom Whitlock") == "Priya Raman, Tom Whitlock"
    assert author_line("Ana Ruiz, Li Wei and Tom Hale") == "Ana Ruiz, Li Wei, Tom Hale"
    assert author_line("Politics and Economy") is None
    assert kinds.is_ui("Alerts   Campaigns   Reports   Journalists in prison   Donate")
    assert kinds.is_ui("[Editor: Liu Fang]   Share: Weibo | WeChat | Facebook | X")
    assert not kinds.is_ui("By Tobias Wren  |  27 February 2026")


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("Mizan, the news agency of Iran's judiciary, confirmed it.", ("Mizan",)),
        ("Mizan, the news agency of Iran's judiciary, was blocked.", ()),
        ("Frontex, the EU border agency, said 40 were held.", ()),
        ("More remain, according to Voces Libres, a Nicaraguan rights group.", ("Voces Libres",)),
        ("The Press Union of Ruritania said it was following the case.", ()),
        ("Egypt freed them, state-run Al-Ahram reported.", ("Al-Ahram",)),
        ("Managers at state-owned Gazprom said so.", ()),
        ("Kazakhstan's Kabar news agency, citing a source, reported the talks.", ("Kabar",)),
        ("Her lawyer told the news site Bianet. The court declined comment.", ("Bianet",)),
    ],
)
def test_sources_by_appositive_kind_and_owner(text: str, cited: tuple[str, ...]) -> None:
    assert find_cited_sources(text) == cited
