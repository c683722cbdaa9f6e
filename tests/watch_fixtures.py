"""Feeds and pages for the watch tests (our own text), served by tests/http_server.py."""

from __future__ import annotations

from http_server import Server

STORIES = {
    "/news/minsk-frees-14.html": (
        "Belarus frees 14 political prisoners",
        "Belarus freed 14 political prisoners on Thursday, the Lithuanian foreign ministry said. "
        "The group crossed into Lithuania near the Medininkai checkpoint in the afternoon.",
    ),
    "/news/swap-in-abu-dhabi.html": (
        "Prisoner swap agreed in Abu Dhabi",
        "Russia and Ukraine agreed to exchange 95 prisoners of war each, the United Arab "
        "Emirates said on Friday. Officials said the exchange would happen within days.",
    ),
    "/news/journalist-detained.html": (
        "Journalist detained in Baku",
        "Police in Baku detained a reporter of an independent outlet on Monday, her lawyer said. "
        "She faces charges of smuggling, which her colleagues call political.",
    ),
    "/news/talks-resume.html": (
        "Talks on detainees resume in Geneva",
        "Delegations met in Geneva on Tuesday to discuss a release of detainees, the mediators "
        "said. Nothing was agreed, and the talks go on next week.",
    ),
    "/news/sanctions-eased.html": (
        "Potash sanctions eased",
        "The United States eased sanctions on Belarusian potash on Wednesday after the release. "
        "Officials said the licence covers shipments through Lithuania.",
    ),
    "/news/pardon-announced.html": (
        "Pardon announced for 20",
        "The president pardoned 20 prisoners, the press service said on Sunday. "
        "Among those freed were two journalists and an opposition activist.",
    ),
}


def page(title: str, body: str) -> bytes:
    """A small article page."""
    paras = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip(". "))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title} | Example Wire</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paras}</article>"
        "<footer>Copyright Example Wire</footer></body></html>"
    ).encode()


def rss(server: Server, paths: list[str]) -> bytes:
    """An RSS 2.0 feed of the given stories."""
    items = "".join(
        f"<item><title>{STORIES[p][0]}</title><link>{server.url(p)}</link>"
        f"<guid>{server.url(p)}</guid><pubDate>Thu, 0{n + 1} May 2025 10:00:00 GMT</pubDate></item>"
        for n, p in enumerate(paths)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Example Wire: World</title><link>{server.url('/')}</link>{items}</channel></rss>"
    ).encode()


def atom(server: Server, paths: list[str]) -> bytes:
    """An Atom feed of the given stories (relative links)."""
    entries = "".join(
        f"<entry><title>{STORIES[p][0]}</title><link href='{p}'/><id>urn:x:{n}</id>"
        f"<updated>2025-06-1{n}T08:00:00Z</updated></entry>"
        for n, p in enumerate(paths)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Example Atom</title><id>urn:x</id><updated>2025-06-10T08:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


def sitemap(server: Server, paths: list[str]) -> bytes:
    """A news sitemap of the given stories."""
    urls = "".join(
        f"<url><loc>{server.url(p)}</loc><news:news><news:publication>"
        "<news:name>Sitemap Times</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>2025-07-0{n + 1}T09:30:00+00:00"
        f"</news:publication_date><news:title>{STORIES[p][0]}</news:title></news:news></url>"
        for n, p in enumerate(paths)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    ).encode()


def serve_stories(server: Server) -> None:
    """Serve every story page."""
    for path, (title, body) in STORIES.items():
        server.static(path, page(title, body), "text/html; charset=utf-8")
