"""Brand sentiment of comments: a score in [-1, 1] per text.

One interface, one analyzer per language: VADER for English (a lexicon and
rules tuned for social media), a small lexicon analyzer for Bahasa Indonesia.
Another language is added by registering an analyzer in `ANALYZERS`.
Texts in an unknown language are read as English, the networks' lingua franca.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

# A comment is positive or negative beyond this score (VADER's own convention).


class Analyzer(Protocol):
    def analyze(self, text: str) -> float: ...


class VaderAnalyzer:
    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()

    def analyze(self, text: str) -> float:
        return float(self._vader.polarity_scores(text)["compound"])


# Everyday Indonesian on social media, with common informal spellings.
_ID_POSITIVE = {
    "bagus": 2,
    "hebat": 3,
    "keren": 2,
    "mantap": 3,
    "mantul": 3,
    "luar biasa": 3,
    "suka": 2,
    "senang": 2,
    "bangga": 3,
    "terima kasih": 2,
    "makasih": 2,
    "sukses": 2,
    "selamat": 2,
    "membantu": 2,
    "bermanfaat": 2,
    "inspiratif": 3,
    "menarik": 2,
    "top": 2,
    "setuju": 1,
    "cinta": 3,
    "puas": 2,
    "baik": 1,
    "cepat": 1,
    "mudah": 1,
    "jelas": 1,
    "rekomendasi": 2,
    "berhasil": 2,
    "semangat": 2,
    "kagum": 3,
    "recommended": 2,
}
_ID_NEGATIVE = {
    "buruk": -3,
    "jelek": -3,
    "kecewa": -3,
    "mengecewakan": -3,
    "lambat": -2,
    "mahal": -1,
    "susah": -2,
    "sulit": -1,
    "gagal": -3,
    "bohong": -3,
    "parah": -3,
    "benci": -3,
    "tidak setuju": -2,
    "rugi": -2,
    "payah": -3,
    "menyesatkan": -3,
    "sampah": -3,
    "lemot": -2,
    "ribet": -2,
    "kurang": -1,
    "masalah": -1,
    "marah": -3,
    "tipu": -3,
    "penipuan": -3,
    "aneh": -1,
}
_ID_NEGATIONS = {"tidak", "tak", "bukan", "belum", "gak", "nggak", "enggak", "ga", "kurang"}
_ID_INTENSIFIERS = {
    "sangat": 1.5,
    "banget": 1.5,
    "sekali": 1.3,
    "amat": 1.3,
    "paling": 1.5,
    "terlalu": 1.3,
}
_WORD = re.compile(r"[a-zA-Z]+")


class IndonesianLexiconAnalyzer:
    """Sums word scores with negation ("tidak bagus") and intensifiers ("bagus banget"),
    then squashes the sum into [-1, 1] the way VADER does (x / sqrt(x² + 15))."""

    def analyze(self, text: str) -> float:
        words = [w.lower() for w in _WORD.findall(text)]
        total = 0.0
        i = 0
        while i < len(words):
            pair = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else ""
            if pair in _ID_POSITIVE or pair in _ID_NEGATIVE:
                score, width = _ID_POSITIVE.get(pair, _ID_NEGATIVE.get(pair, 0)), 2
            else:
                score, width = _ID_POSITIVE.get(words[i], _ID_NEGATIVE.get(words[i], 0)), 1
            if score:
                before = words[max(0, i - 2) : i]
                if any(word in _ID_NEGATIONS for word in before) and pair != "tidak setuju":
                    score = -score * 0.75
                after = words[i + width : i + width + 1]
                for word in (*before, *after):
                    score *= _ID_INTENSIFIERS.get(word, 1.0)
                total += score
            i += width
        if total == 0:
            return 0.0
        return max(-1.0, min(1.0, total / (total * total + 15) ** 0.5))


@lru_cache(maxsize=1)
def _vader() -> VaderAnalyzer:
    return VaderAnalyzer()


ANALYZERS = {"en": _vader, "id": IndonesianLexiconAnalyzer}

_ID_MARKERS = {
    "yang",
    "dan",
    "ini",
    "itu",
    "tidak",
    "dengan",
    "untuk",
    "saya",
    "kami",
    "sangat",
    "banget",
    "sekali",
    "terima",
    "kasih",
    "bagus",
    "keren",
    "tim",
    "dari",
    "ada",
    "juga",
    "sudah",
    "kita",
    "gak",
    "nggak",
}


def guess_language(text: str) -> str:
    """'id' when a text reads as Indonesian (two or more everyday words), else 'en'."""
    words = {w.lower() for w in _WORD.findall(text)}
    return "id" if len(words & _ID_MARKERS) >= 2 else "en"


def analyze(text: str, language: str | None = None) -> float:
    """The sentiment of `text` in [-1, 1]; `language` is guessed when not given."""
    language = (language or guess_language(text))[:2]
    factory = ANALYZERS.get(language, ANALYZERS["en"])
    analyzer = factory()
    return round(max(-1.0, min(1.0, analyzer.analyze(text))), 3)
