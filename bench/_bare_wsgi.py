"""The baseline: the least a WSGI application can do to answer a short link."""


def application(environ, start_response):
    start_response(
        "302 Found", [("Location", "https://example.com/landing"), ("Content-Length", "0")]
    )
    return [b""]
