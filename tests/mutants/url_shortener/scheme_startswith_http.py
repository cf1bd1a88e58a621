"""The scheme is checked with url.startswith("http"): "httpfoo:" gets in and "HTTP:" is refused."""

REPLACE = [
    ('    if parts.scheme not in ("http", "https"):  # urlsplit lowercases the scheme',
     '    if not url.startswith("http"):'),
]
