"""The scheme is checked with url.startswith("http"): "httpfoo:" gets in and "HTTP:" is refused."""

CAUGHT_BY = ["test_rejected_urls_raise_invalid_url_error_naming_url_and_rule"]

REPLACE = [
    ('    if parts.scheme not in ("http", "https"):  # urlsplit lowercases the scheme',
     '    if not url.startswith("http"):'),
]
