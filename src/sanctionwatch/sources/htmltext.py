"""HTML fragments (feed summaries and contents) to plain text: markup and scripts dropped,
character references decoded, paragraphs kept as blank lines, spaces collapsed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "blockquote", "section", "article", "header", "footer", "table", "tr",
                    "pre", "figure", "figcaption", "hr", "dd", "dt"})
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<[a-zA-Z/][^>]*>|&[a-zA-Z#][a-zA-Z0-9]*;", text))


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment: paragraphs separated by one blank line."""
    if not looks_like_html(html):
        return _tidy(html)
    parser = _Text()
    parser.feed(html)
    parser.close()
    return _tidy("".join(parser.parts))


def _tidy(text: str) -> str:
    paragraphs = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", p).strip()
                  for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")))
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip())
                       for p in paragraphs if p)
