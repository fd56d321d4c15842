"""Draws the raster icons in assets/ from the same design as assets/favicon.svg.

Run once after changing the design: .venv/bin/python scripts/make_icons.py
(browsers and social networks need PNG/ICO: Pillow cannot read SVG).
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ASSETS = Path(__file__).resolve().parents[1] / "assets"
BLUE, YELLOW, WHITE = (10, 81, 150), (255, 214, 102), (255, 255, 255)
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def mark(size: int) -> Image.Image:
    """The favicon design (a 32-unit grid) at `size` pixels."""
    scale = size / 32
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    s = lambda *v: [round(x * scale) for x in v]  # noqa: E731
    draw.rounded_rectangle(s(0, 0, 32, 32), radius=round(7 * scale), fill=BLUE)
    draw.rounded_rectangle(s(8, 7, 13, 25), radius=max(1, round(1.5 * scale)), fill=WHITE)
    draw.rounded_rectangle(s(16, 12, 24, 15), radius=max(1, round(1.5 * scale)), fill=YELLOW)
    draw.rounded_rectangle(s(16, 18, 24, 21), radius=max(1, round(1.5 * scale)), fill=WHITE)
    return image


def main() -> None:
    mark(180).convert("RGB").save(ASSETS / "apple-touch-icon.png", optimize=True)
    mark(64).save(ASSETS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    card = Image.new("RGB", (1200, 630), BLUE)
    card.paste(mark(200), (120, 215), mark(200))
    draw = ImageDraw.Draw(card)
    draw.text((380, 230), "お役立ち情報", font=ImageFont.truetype(FONT, 88), fill=WHITE)
    draw.text((384, 350), "实用资讯", font=ImageFont.truetype(FONT, 56, index=2), fill=YELLOW)
    card.save(ASSETS / "og-image.png", optimize=True)


if __name__ == "__main__":
    main()
