"""The arithmetic of results: eNPS, scale distributions, choice counts. Pure Python."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class ENPS:
    promoters: int
    passives: int
    detractors: int

    @property
    def responses(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> int | None:
        """% promoters − % detractors, from −100 to +100, halves rounded away from zero."""
        if not self.responses:
            return None
        exact = Decimal(100 * (self.promoters - self.detractors)) / Decimal(self.responses)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def percent(self, count: int) -> int:
        return round(100 * count / self.responses) if self.responses else 0

    def as_dict(self) -> dict:
        return {**asdict(self), "responses": self.responses, "score": self.score}


def enps(scores: Iterable[int]) -> ENPS:
    """Promoters answer 9–10, passives 7–8, detractors 0–6."""
    promoters = passives = detractors = 0
    for score in scores:
        if not 0 <= score <= 10:
            raise ValueError(f"eNPS answers are 0–10, got {score}")
        if score >= 9:
            promoters += 1
        elif score >= 7:
            passives += 1
        else:
            detractors += 1
    return ENPS(promoters, passives, detractors)


def distribution(values: Iterable[int], low: int, high: int) -> list[int]:
    counts = [0] * (high - low + 1)
    for value in values:
        counts[value - low] += 1
    return counts


def mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def favorable(values: list[int]) -> float | None:
    """Share of 4s and 5s on an agreement scale, as a rate (0.125; shown "12.5%")."""
    return sum(1 for v in values if v >= 4) / len(values) if values else None
