"""Which clicks are not people: crawlers and the networks' link-preview fetchers.

A share's link is fetched by the network itself the moment it is posted
(LinkedInBot, Twitterbot, facebookexternalhit, ...) and by every chat app
it is pasted into. Those requests are kept but flagged, and never counted.
The in-app browsers of the same networks (LinkedInApp, FBAN/FBAV, Instagram)
are people and must not match.

User agents repeat a lot, so the answer is memoized per user agent.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The networks' and chat apps' link-preview fetchers, by the token in their user agent.
PREVIEW_FETCHERS = (
    "linkedinbot",
    "twitterbot",
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "mastodon/",
    "cardyb",
    "slackbot",
    "slack-imgproxy",
    "whatsapp/",
    "telegrambot",
    "discordbot",
    "skypeuripreview",
    "microsoftpreview",
    "redditbot",
    "embedly",
    "iframely",
    "vkshare",
    "applebot",
    "google-pagerenderer",
    "googleother",
    "bitlybot",
    "quora link preview",
    "xing-contenttabreceiver",
)
# Generic signs of an automated client.
CRAWLER_SIGNS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "fetch",
    "scan",
    "monitor",
    "headless",
    "phantomjs",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "httpx",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "http.rb",
    "axios/",
    "node-fetch",
    "postman",
    "lighthouse",
    "validator",
    "checker",
    "archiver",
    "dataprovider",
)
# People's in-app browsers, whose user agents can carry a crawler-ish token.
HUMAN_APPS = re.compile(r"linkedinapp|fban/|fbav/|instagram|micromessenger", re.IGNORECASE)
_FETCHERS = re.compile("|".join(re.escape(token) for token in PREVIEW_FETCHERS), re.IGNORECASE)
_CRAWLERS = re.compile("|".join(re.escape(token) for token in CRAWLER_SIGNS), re.IGNORECASE)


@lru_cache(maxsize=20_000)
def is_bot(user_agent: str) -> bool:
    """True for crawlers and link previews; an empty user agent is not a browser either."""
    if not user_agent.strip():
        return True
    if _FETCHERS.search(user_agent):
        return True
    return _CRAWLERS.search(user_agent) is not None and not HUMAN_APPS.search(user_agent)
