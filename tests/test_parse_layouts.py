"""Parsing raw text dumps: the page-layout families news sites print (part two)."""

from __future__ import annotations

import pytest
from parse_fixtures import paragraphs, read

from releasewatch.model import RawDocument
from releasewatch.parse import chrome as kinds
from releasewatch.parse.metadata import (
    author_line,
    date_line,
    dated_place,
    find_cited_sources,
    find_dateline,
    parse_published,
)
from releasewatch.parse.text import parse_text

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
