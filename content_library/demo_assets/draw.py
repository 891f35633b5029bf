"""Draws the demo library's pictures: `python content_library/demo_assets/draw.py`.

Flat illustrations (gradients and shapes, no text, so they suit every language), one per
theme, 1200×630 like a link preview, saved as compressed JPEGs beside this file. We made
them, so they are free to use; the demo seed (content_library/demo.py) copies them into
the media storage. Deterministic: running it again redraws the same pictures.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
W, H = 1200, 630
S = 2  # drawn at twice the size, then scaled down: smooth edges


def rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def mix(a, b, t: float):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def canvas(top: str, bottom: str, *, seed: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A vertical gradient with a few soft circles of light."""
    a, b = rgb(top), rgb(bottom)
    strip = Image.new("RGB", (1, 256))
    for y in range(256):
        strip.putpixel((0, y), mix(a, b, y / 255))
    image = strip.resize((W * S, H * S))
    glow = Image.new("L", (W * S, H * S), 0)
    gd = ImageDraw.Draw(glow)
    rng = random.Random(seed)
    for _ in range(5):
        r = rng.randint(120, 320) * S
        x, y = rng.randint(0, W * S), rng.randint(0, H * S)
        gd.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(18, 40))
    glow = glow.filter(ImageFilter.GaussianBlur(40 * S))
    image = Image.composite(Image.new("RGB", image.size, (255, 255, 255)), image, glow)
    return image, ImageDraw.Draw(image, "RGBA")


def p(*values: float) -> list[float]:
    return [v * S for v in values]


def circle(d, x, y, r, fill, outline=None, width=0) -> None:
    d.ellipse(p(x - r, y - r, x + r, y + r), fill=fill, outline=outline, width=width * S)


def box(d, x0, y0, x1, y1, fill, radius=0, outline=None, width=0) -> None:
    d.rounded_rectangle(p(x0, y0, x1, y1), radius * S, fill=fill, outline=outline, width=width * S)


def poly(d, points, fill) -> None:
    d.polygon([(x * S, y * S) for x, y in points], fill=fill)


def line(d, points, fill, width) -> None:
    d.line([(x * S, y * S) for x, y in points], fill=fill, width=width * S, joint="curve")


def star(d, x, y, r, fill, points=5) -> None:
    pts = []
    for i in range(points * 2):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / points * i - math.pi / 2
        pts.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    poly(d, pts, fill)


def heart(d, x, y, size, fill) -> None:
    pts = []
    for i in range(120):
        t = 2 * math.pi * i / 120
        hx = 16 * math.sin(t) ** 3
        hy = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((x + hx * size / 16, y - hy * size / 16))
    poly(d, pts, fill)


def gear(d, x, y, r, fill, hole) -> None:
    pts = []
    teeth = 10
    for i in range(teeth * 4):
        angle = 2 * math.pi * i / (teeth * 4)
        radius = r if i % 4 in (0, 1) else r * 0.8
        pts.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    poly(d, pts, fill)
    circle(d, x, y, r * 0.35, hole)


def person(d, x, y, scale, body, head="#ffe3c8") -> None:
    box(d, x - 42 * scale, y, x + 42 * scale, y + 110 * scale, body, radius=40 * scale)
    circle(d, x, y - 34 * scale, 30 * scale, head)


def play(d, x, y, r) -> None:
    circle(d, x, y, r, (255, 255, 255, 215))
    poly(d, [(x - r * 0.3, y - r * 0.45), (x - r * 0.3, y + r * 0.45), (x + r * 0.5, y)], "#3b2a6b")


# --- the themes -----------------------------------------------------------------------


def solar(d):
    circle(d, 930, 150, 80, "#ffd23f")
    for i in range(12):
        a = i * math.pi / 6
        line(
            d,
            [
                (930 + 105 * math.cos(a), 150 + 105 * math.sin(a)),
                (930 + 135 * math.cos(a), 150 + 135 * math.sin(a)),
            ],
            "#ffd23f",
            10,
        )
    poly(d, [(0, 470), (300, 400), (700, 440), (1200, 380), (1200, 630), (0, 630)], "#7cc47f")
    for row, y in enumerate((430, 500)):
        for i in range(5):
            x = 90 + i * 170 + row * 40
            poly(d, [(x, y), (x + 140, y), (x + 120, y + 60), (x - 20, y + 60)], "#1d3557")
            line(d, [(x + 70, y), (x + 50, y + 60)], "#457b9d", 3)
            line(d, [(x - 10, y + 30), (x + 130, y + 30)], "#457b9d", 3)
    box(d, 820, 300, 1080, 470, "#f1faee", radius=8)
    poly(d, [(800, 300), (950, 220), (1100, 300)], "#e63946")
    box(d, 920, 390, 980, 470, "#457b9d", radius=4)


def hiring(d):
    colours = ["#ffb4a2", "#b5e48c", "#9bf6ff", "#ffd6a5", "#cdb4db"]
    for i, c in enumerate(colours):
        person(d, 250 + i * 175, 300 + (i % 2) * 40, 1.2, c)
    circle(d, 1040, 150, 70, "#ffffff")
    box(d, 1030, 105, 1050, 195, "#5a4fcf", radius=6)
    box(d, 995, 140, 1085, 160, "#5a4fcf", radius=6)


def results(d):
    heights = [120, 170, 150, 230, 290, 360]
    for i, h in enumerate(heights):
        box(d, 170 + i * 130, 540 - h, 260 + i * 130, 540, (255, 255, 255, 220), radius=10)
    line(d, [(180, 430), (380, 360), (520, 390), (700, 260), (900, 150)], "#ffd23f", 14)
    poly(d, [(900, 120), (945, 165), (880, 185)], "#ffd23f")
    line(d, [(130, 545), (1000, 545)], "#ffffff", 6)
    star(d, 1060, 140, 55, "#ffd23f")


def volunteer(d):
    for x, y in [(300, 380), (480, 380), (390, 250), (660, 380), (570, 250)]:
        box(d, x - 80, y, x + 80, y + 130, "#d4a373", radius=8)
        box(d, x - 80, y, x + 80, y + 26, "#bc8a5f", radius=8)
        line(d, [(x, y + 26), (x, y + 130)], "#e9c46a", 6)
    heart(d, 930, 300, 150, "#e63946")
    heart(d, 1080, 150, 50, (255, 255, 255, 200))


def beach(d):
    circle(d, 950, 170, 90, "#ffd166")
    for i, y in enumerate((380, 430, 480)):
        pts = [(x, y + 18 * math.sin(x / 70 + i)) for x in range(0, 1220, 20)]
        poly(d, [*pts, (1200, 630), (0, 630)], mix(rgb("#48cae4"), rgb("#0077b6"), i / 2))
    poly(d, [(0, 560), (500, 520), (1200, 540), (1200, 630), (0, 630)], "#f4d58d")
    for x in (200, 320, 440):
        box(d, x, 470, x + 70, 560, "#2a9d8f", radius=12)
        box(d, x + 20, 455, x + 50, 475, "#264653", radius=4)
    heart(d, 700, 250, 60, (255, 255, 255, 220))


def accessibility(d):
    box(d, 220, 110, 980, 520, "#1b1035", radius=26)
    box(d, 250, 140, 950, 490, "#f8f0ff", radius=14)
    circle(d, 390, 315, 100, "#ffb703")
    circle(d, 390, 315, 55, "#1b1035")
    for i, c in enumerate(("#8338ec", "#ff006e", "#3a86ff")):
        box(d, 690, 200 + i * 80, 910 - i * 50, 250 + i * 80, c, radius=25)
    play(d, 590, 315, 62)


def report(d):
    for i in range(3):
        x, y = 300 + i * 40, 90 + i * 30
        box(d, x, y, x + 360, y + 460, mix(rgb("#ffffff"), rgb("#d8f3dc"), (2 - i) / 3), radius=16)
    for j in range(6):
        box(d, 420, 200 + j * 45, 720 - (j % 3) * 60, 220 + j * 45, "#95d5b2", radius=8)
    box(d, 420, 480, 600, 500, "#40916c", radius=8)
    leaf = [(900 + 150 * math.sin(t / 20 * math.pi), 130 + t * 18) for t in range(21)]
    poly(
        d,
        leaf + [(900 - 150 * math.sin(t / 20 * math.pi), 130 + t * 18) for t in range(20, -1, -1)],
        "#52b788",
    )
    line(d, [(900, 120), (900, 520)], "#2d6a4f", 8)
    for t in range(4):
        y = 220 + t * 70
        line(d, [(900, y + 40), (980 - t * 10, y)], "#2d6a4f", 5)
        line(d, [(900, y + 40), (820 + t * 10, y)], "#2d6a4f", 5)


def thanks(d):
    heart(d, 600, 330, 190, "#ffffff")
    heart(d, 600, 320, 120, "#ef476f")
    rng = random.Random(7)
    for _ in range(14):
        star(
            d,
            rng.randint(80, 1120),
            rng.randint(60, 580),
            rng.randint(10, 26),
            (255, 255, 255, 210),
            4,
        )


def award(d):
    poly(d, [(470, 140), (730, 140), (700, 330), (500, 330)], "#ffc300")
    circle(d, 600, 300, 110, "#ffc300")
    for side in (-1, 1):
        circle(d, 600 + side * 150, 210, 55, None, "#ffc300", 18)
    box(d, 570, 390, 630, 450, "#e09f00")
    box(d, 480, 450, 720, 510, "#ffd60a", radius=10)
    star(d, 600, 280, 55, "#fff3b0")
    for x, y, r in ((200, 150, 40), (1000, 180, 50), (250, 470, 30), (980, 460, 35)):
        star(d, x, y, r, (255, 255, 255, 200))


def speed(d):
    for i in range(7):
        y = 170 + i * 50
        line(d, [(80 + (i % 3) * 60, y), (480 + (i % 2) * 80, y)], (255, 255, 255, 150), 10)
    box(d, 560, 200, 1000, 460, "#212529", radius=40)
    box(d, 590, 230, 970, 430, "#f8f9fa", radius=22)
    line(d, [(640, 380), (740, 300), (820, 340), (920, 260)], "#e85d04", 14)
    circle(d, 680, 500, 36, "#212529")
    circle(d, 880, 500, 36, "#212529")


def cloud(d):
    for x, y, r in ((460, 300, 120), (600, 240, 160), (760, 300, 120), (600, 340, 110)):
        circle(d, x, y, r, "#ffffff")
    box(d, 360, 330, 860, 440, "#ffffff", radius=55)
    for i in range(3):
        box(d, 940, 220 + i * 95, 1120, 300 + i * 95, "#023e8a", radius=12)
        circle(d, 975, 260 + i * 95, 9, "#48cae4")
        box(d, 1010, 252 + i * 95, 1090, 268 + i * 95, "#0077b6", radius=6)
    line(d, [(860, 380), (940, 350)], "#ffffff", 6)


def office(d):
    for x, w, h, c in (
        (140, 200, 330, "#6c757d"),
        (360, 260, 430, "#495057"),
        (640, 220, 360, "#adb5bd"),
        (880, 200, 280, "#6c757d"),
    ):
        box(d, x, 560 - h, x + w, 560, c, radius=8)
        for row in range(int((h - 60) / 60)):
            for col in range(int((w - 40) / 55)):
                lit = (row * 7 + col * 3 + x) % 5 != 0
                box(
                    d,
                    x + 25 + col * 55,
                    560 - h + 30 + row * 60,
                    x + 55 + col * 55,
                    560 - h + 65 + row * 60,
                    "#ffe066" if lit else "#343a40",
                    radius=4,
                )
    box(d, 0, 560, 1200, 630, "#2b2d42")
    circle(d, 1080, 110, 50, "#fff3bf")


def network(d):
    nodes = [
        (180, 200),
        (380, 420),
        (560, 180),
        (760, 380),
        (960, 200),
        (1060, 460),
        (300, 560 - 300),
    ]
    for a, b in ((0, 1), (1, 3), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5), (2, 4), (6, 1)):
        line(d, [nodes[a], nodes[b]], (255, 255, 255, 160), 6)
    for i, (x, y) in enumerate(nodes):
        circle(d, x, y, 42 if i % 2 else 30, ["#ffd166", "#06d6a0", "#ef476f", "#118ab2"][i % 4])
    box(d, 470, 470, 720, 560, "#f77f00", radius=6)
    for i in range(6):
        line(d, [(500 + i * 38, 480), (500 + i * 38, 550)], "#d62828", 5)


def interview(d):
    box(d, 150, 130, 600, 330, "#ffffff", radius=40)
    poly(d, [(230, 320), (300, 320), (200, 400)], "#ffffff")
    for i in range(3):
        box(d, 200, 180 + i * 45, 540 - i * 80, 205 + i * 45, "#adb5bd", radius=10)
    box(d, 760, 150, 900, 360, "#e9ecef", radius=70)
    for i in range(5):
        line(d, [(775, 200 + i * 28), (885, 200 + i * 28)], "#adb5bd", 4)
    d.arc(p(720, 230, 940, 430), 0, 180, fill="#e9ecef", width=16 * S)
    box(d, 820, 430, 840, 520, "#e9ecef")
    box(d, 760, 510, 900, 530, "#e9ecef", radius=8)


def engineers(d):
    gear(d, 470, 320, 170, "#ffd166", "#1d3557")
    gear(d, 760, 230, 100, "#a8dadc", "#1d3557")
    gear(d, 780, 450, 80, "#f1faee", "#1d3557")
    line(d, [(930, 480), (1080, 140)], "#f1faee", 26)
    circle(d, 1080, 140, 40, "#f1faee")
    circle(d, 1080, 140, 18, "#457b9d")


def flower(d):
    for x, y, s in ((600, 300, 1.0), (300, 420, 0.55), (930, 400, 0.65)):
        line(d, [(x, y), (x, 630)], "#52b788", int(14 * s))
        for i in range(8):
            a = i * math.pi / 4
            circle(d, x + 85 * s * math.cos(a), y + 85 * s * math.sin(a), 62 * s, "#ffafcc")
        circle(d, x, y, 55 * s, "#ffd166")


THEMES = {
    "solar": ("#8ecae6", "#e0f4ff", solar),
    "hiring": ("#5a4fcf", "#9d8df1", hiring),
    "results": ("#0f766e", "#2dd4bf", results),
    "volunteer": ("#f4a261", "#ffd6a5", volunteer),
    "beach": ("#90e0ef", "#caf0f8", beach),
    "accessibility": ("#7b2cbf", "#e0aaff", accessibility),
    "report": ("#2d6a4f", "#74c69d", report),
    "thanks": ("#ff8fab", "#ffe5ec", thanks),
    "award": ("#14213d", "#3a5a9b", award),
    "speed": ("#d00000", "#ff8c42", speed),
    "cloud": ("#0096c7", "#90e0ef", cloud),
    "office": ("#e9d8a6", "#f8f4e3", office),
    "network": ("#22577a", "#38a3a5", network),
    "interview": ("#343a40", "#6c757d", interview),
    "engineers": ("#1d3557", "#457b9d", engineers),
    "flower": ("#ffc8dd", "#fff0f6", flower),
}


def draw(name: str) -> Image.Image:
    top, bottom, figure = THEMES[name]
    image, d = canvas(top, bottom, seed=sum(map(ord, name)))
    figure(d)
    return image.resize((W, H), Image.Resampling.LANCZOS)


def main() -> None:
    for name in THEMES:
        path = HERE / f"{name}.jpg"
        draw(name).save(path, "JPEG", quality=78, optimize=True, progressive=True)
        print(f"{path.name}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
