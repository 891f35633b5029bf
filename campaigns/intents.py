"""Share-intent links: the networks' own "share this" pages, pre-filled, for employees
who post by hand. Each carries the share's tracked short link."""

from __future__ import annotations

from urllib.parse import quote, urlencode

# Channels posted by hand through a link the browser opens.
INTENT_CHANNELS = ("linkedin", "x", "facebook", "whatsapp", "email")
# Channels where the browser hands the text over itself (clipboard, phone share sheet).
DEVICE_CHANNELS = ("copy", "web_share")
BY_HAND_CHANNELS = INTENT_CHANNELS + DEVICE_CHANNELS

# Where a link becomes a preview card next to the text rather than part of it.
LINK_AS_CARD = frozenset({"linkedin", "facebook"})


def post_text(text: str, url: str) -> str:
    """The text as it will read with the link: appended unless the employee placed it already."""
    text = text.strip()
    if not url or url in text:
        return text
    return f"{text}\n\n{url}" if text else url


def intent_url(channel: str, *, text: str, url: str, title: str = "") -> str:
    full = post_text(text, url)
    if channel == "linkedin":
        # The feed composer accepts the whole text (share-offsite only takes a URL).
        return "https://www.linkedin.com/feed/?" + urlencode({"shareActive": "true", "text": full})
    if channel == "x":
        # X appends `url` to the text: left out when the employee placed the link already.
        params = {"text": text.strip()}
        if url and url not in text:
            params["url"] = url
        return "https://x.com/intent/post?" + urlencode(params)
    if channel == "facebook":
        # Facebook ignores pre-filled text; the composer copies it to the clipboard first.
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
    if channel == "whatsapp":
        return "https://wa.me/?" + urlencode({"text": full})
    if channel == "email":
        return f"mailto:?subject={quote(title)}&body={quote(full)}"
    raise ValueError(channel)
