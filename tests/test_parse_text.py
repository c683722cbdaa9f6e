"""Parsing raw text dumps: chrome removal, headline, dateline, outlet, sources, byline, date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from parse_fixtures import FIXTURES, SHARED, paragraphs, read

from releasewatch.model import RawDocument
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


def test_a_byline_date_beats_a_revision_date_above_it() -> None:
    raw = (
        "Last update: April 29, 2024 00:20\n\nNewsroom logo\n\n"
        "Two Countries Exchange Detainees\n\nBy Amina Rahimova December 14, 2023\n\n"
        "The two countries exchanged detainees on Wednesday under a deal announced last week, "
        "officials said.\n"
    )
    article = parse_text(RawDocument(source="x", text=raw))
    assert article.published == "2023-12-14"
    assert article.author == "Amina Rahimova"


def test_a_dateline_keeps_its_date_when_a_scrape_left_an_empty_bracket() -> None:
    found = find_dateline("Lima, Peru, March 3, 2024 ( – Peru freed two reporters on Sunday.")
    assert found is not None and (found.place, found.published) == ("Lima", "2024-03-03")


@pytest.mark.parametrize(
    "chrome_line", ["Page Loader", "Starring: Ana Ruiz, Luis Vega", "Mohan Sinha"]
)
def test_widgets_credits_and_a_lone_name_are_no_title(chrome_line: str) -> None:
    raw = (
        f"{chrome_line}\n\n"
        "Belarus freed nine political prisoners on Monday after talks with a US envoy, "
        "rights groups said.\n"
    )
    article = parse_text(RawDocument(source="x", text=raw))
    assert article.title is None and article.dateline is None


def test_a_breadcrumb_ending_in_the_headline_is_no_title() -> None:
    raw = (
        "News / World News / Minsk frees nine prisoners after talks\n\n"
        "Minsk frees nine prisoners after talks\n\n"
        "Belarus freed nine political prisoners on Monday after talks with a US envoy, "
        "rights groups said.\n"
    )
    article = parse_text(RawDocument(source="x", text=raw))
    assert article.title == "Minsk frees nine prisoners after talks"
    assert not article.text.startswith("Minsk frees nine")


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


@pytest.mark.parametrize(
    "stamp",
    [
        "26 Feb 2024 17:53",
        "Sep 12, 2023 03:00 AM IST",
        "Sept. 11, 2023 at 3:00 PM CDT",
        "Monday, 14 March 2025",
        "May 4, 2026",
        "1st June 2025",
        "31 February 2024",
    ],
)
def test_named_dates_read_directly_as_dateparser_reads_them(stamp: str) -> None:
    import dateparser

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    theirs = dateparser.parse(stamp, languages=["en"], settings=settings)  # type: ignore[arg-type]
    assert parse_published(stamp) == (theirs.date().isoformat() if theirs else None)
