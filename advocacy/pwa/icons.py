"""Draws the home-screen icons once (`python -m advocacy.pwa.icons`); the PNGs are
committed under static/pwa/. A speech bubble with three voices on Chorus's accent.

"any" icons fill the square with rounded corners; the maskable one keeps the mark
inside the central 80% safe zone on a full-bleed background, as the W3C spec asks."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (91, 60, 196, 255)  # --chorus-accent #5b3cc4
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parents[2] / "static" / "pwa"
SCALE = 4  # draw large, scale down: smooth edges without antialiasing primitives


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle([0, 0, big, big], fill=ACCENT)
        mark = big * 0.56  # well inside the 80% safe circle
    else:
        pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.22, fill=ACCENT)
        mark = big * 0.68
    left, top = (big - mark) / 2, (big - mark) / 2 - mark * 0.04
    bubble = [left, top, left + mark, top + mark * 0.74]
    pen.rounded_rectangle(bubble, radius=mark * 0.2, fill=WHITE)
    tail_x = left + mark * 0.24
    pen.polygon(
        [
            (tail_x, bubble[3] - 1),
            (tail_x + mark * 0.22, bubble[3] - 1),
            (tail_x - mark * 0.02, bubble[3] + mark * 0.2),
        ],
        fill=WHITE,
    )
    dot = mark * 0.13
    cy = top + mark * 0.37
    for i in range(3):
        cx = left + mark * (0.25 + 0.25 * i)
        pen.ellipse([cx - dot / 2, cy - dot / 2, cx + dot / 2, cy + dot / 2], fill=ACCENT)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(32, maskable=False).save(OUT / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main()
