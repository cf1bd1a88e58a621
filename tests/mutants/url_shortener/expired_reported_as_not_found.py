"""An expired link is reported as not found, so a web front cannot tell 410 Gone from 404."""

CAUGHT_BY = ["test_an_expired_link_raises_link_expired_not_link_not_found"]

REPLACE = [
    ('                raise LinkExpiredError(f"link {code!r} expired at {link.expires_at}")',
     '                raise LinkNotFoundError(f"no link with code {code!r}")'),
]
