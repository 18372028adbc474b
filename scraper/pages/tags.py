"""The HTML tag vocabularies every page class shares, in one place."""

from __future__ import annotations

# Never text a reader sees: scripts, styles, form controls, embedded objects.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "object",
        "embed",
        "svg",
        "canvas",
        "select",
        "option",
        "textarea",
        "input",
        "head",
        "title",
        "meta",
        "link",
    }
)
# Shown as pictures or players: kept as media blocks, in place, with their source URL.
MEDIA_TAGS = frozenset({"img", "video", "iframe", "audio", "source"})
# Frames and plug-ins a portal shows a document in ("xem trực tuyến"), sometimes its only link to the file.
EMBED_TAGS = frozenset({"iframe", "embed", "object"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that start and end a line of text.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "dl",
        "dd",
        "dt",
        "blockquote",
        "pre",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "center",
        "address",
        "hr",
        "body",
        "html",
        *HEADING_TAGS,
    }
)
# HTML5's own names for a site's furniture; inside an article or main element they are the article's.
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
CONTENT_TAGS = frozenset({"article", "main"})
# A table cell holding one of these lays out the page; data cells hold text.
TABLE_LAYOUT_TAGS = frozenset(
    {"table", "ul", "ol", "nav", "aside", "section", "article", "header", "footer", "form", *HEADING_TAGS}
)
# Inline wrappers a label is often written in: "<b>Ngày đăng:</b> 13/06/2022".
INLINE_LABEL_TAGS = frozenset({"b", "strong", "span", "em", "i", "label", "font", "time", "small", "u"})
# Where an image's file is, best first: `src`, then the attributes lazy loaders move it to
# (lazysizes and most themes `data-src`, WP Rocket `data-lazy-src`, jQuery Lazy Load `data-original`).
LAZY_SRC_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original")
