"""Abstract poster images for demo events and venues, drawn with Pillow (nothing is fetched).

Each image comes from a motif per category, a palette and a seed, so the same production always
gets the same picture. Files are written once through the image field's storage and reused.
"""

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageDraw, ImageOps

WIDTH, HEIGHT = 1200, 675
JPEG_QUALITY = 80

Text = dict[str, str]
Colour = tuple[int, int, int]
Draw = ImageDraw.ImageDraw


@dataclass(frozen=True)
class Palette:
    name: Text
    top: Colour
    bottom: Colour
    accents: tuple[Colour, ...]


def _hex(value: str) -> Colour:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def _palette(name: Text, top: str, bottom: str, *accents: str) -> Palette:
    return Palette(name, _hex(top), _hex(bottom), tuple(_hex(a) for a in accents))


PALETTES: dict[str, Palette] = {
    "koncert": _palette(
        {
            "da": "midnatsblå og guld",
            "en": "midnight blue and gold",
            "sv": "midnattsblått och guld",
            "de": "Mitternachtsblau und Gold",
        },
        "#0b1636",
        "#2b2f7a",
        "#f2c14e",
        "#f78154",
        "#5fb3b3",
    ),
    "teater": _palette(
        {
            "da": "bordeaux og rav",
            "en": "claret and amber",
            "sv": "vinrött och bärnsten",
            "de": "Bordeaux und Bernstein",
        },
        "#3b0a1e",
        "#7a1631",
        "#ffb347",
        "#ffe8c2",
        "#c94c4c",
    ),
    "boern-og-familie": _palette(
        {
            "da": "solgul og turkis",
            "en": "sunny yellow and turquoise",
            "sv": "solgult och turkos",
            "de": "Sonnengelb und Türkis",
        },
        "#ffd23f",
        "#ff9f1c",
        "#2ec4b6",
        "#e71d36",
        "#ffffff",
    ),
    "udstilling": _palette(
        {"da": "sand og grafit", "en": "sand and graphite", "sv": "sand och grafit", "de": "Sand und Graphit"},
        "#f4efe6",
        "#d9c9a8",
        "#2f3e46",
        "#c8553d",
        "#588b8b",
    ),
    "foredrag": _palette(
        {
            "da": "skovgrøn og creme",
            "en": "forest green and cream",
            "sv": "skogsgrönt och gräddvitt",
            "de": "Waldgrün und Creme",
        },
        "#143d2b",
        "#1f6f5c",
        "#f6f1d1",
        "#e9c46a",
        "#a8dadc",
    ),
    "festival": _palette(
        {"da": "magenta og orange", "en": "magenta and orange", "sv": "magenta och orange", "de": "Magenta und Orange"},
        "#5a0f6b",
        "#c2185b",
        "#ff9800",
        "#ffeb3b",
        "#00e5ff",
    ),
    "film": _palette(
        {"da": "sort og sølv", "en": "black and silver", "sv": "svart och silver", "de": "Schwarz und Silber"},
        "#0d0d0d",
        "#2e2e38",
        "#c0c0c8",
        "#e63946",
        "#f1faee",
    ),
    "rundvisning": _palette(
        {
            "da": "havblå og irgrøn",
            "en": "sea blue and copper green",
            "sv": "havsblått och ärggrönt",
            "de": "Meerblau und Kupfergrün",
        },
        "#0f4c75",
        "#3282b8",
        "#6fbf9a",
        "#e8d5b7",
        "#bbe1fa",
    ),
    "dans": _palette(
        {"da": "rosa og violet", "en": "pink and violet", "sv": "rosa och violett", "de": "Rosa und Violett"},
        "#3c1053",
        "#ad5389",
        "#ffc0cb",
        "#f9d976",
        "#ffffff",
    ),
    "workshop": _palette(
        {
            "da": "mint og tomatrød",
            "en": "mint and tomato red",
            "sv": "mint och tomatrött",
            "de": "Mint und Tomatenrot",
        },
        "#d8f3dc",
        "#95d5b2",
        "#e63946",
        "#1d3557",
        "#f4a261",
    ),
    "venue": _palette(
        {
            "da": "Øresunds blå og grå",
            "en": "the blues and greys of the Sound",
            "sv": "Öresunds blått och grått",
            "de": "Blau und Grau des Öresunds",
        },
        "#9fb8cf",
        "#e3ecf2",
        "#24476b",
        "#6c8ead",
        "#f6bd60",
    ),
}

MOTIFS: dict[str, Text] = {
    "koncert": {
        "da": "koncentriske ringe som lydbølger",
        "en": "concentric rings like sound waves",
        "sv": "koncentriska ringar som ljudvågor",
        "de": "konzentrische Ringe wie Schallwellen",
    },
    "teater": {
        "da": "en lyskegle og tæppefolder",
        "en": "a spotlight beam and curtain folds",
        "sv": "en ljuskägla och ridåveck",
        "de": "ein Scheinwerferkegel und Vorhangfalten",
    },
    "boern-og-familie": {
        "da": "legende bobler og prikker",
        "en": "playful bubbles and dots",
        "sv": "lekfulla bubblor och prickar",
        "de": "verspielte Blasen und Punkte",
    },
    "udstilling": {
        "da": "rammer i forskellige størrelser",
        "en": "frames of different sizes",
        "sv": "ramar i olika storlekar",
        "de": "Rahmen in verschiedenen Größen",
    },
    "foredrag": {"da": "talebobler", "en": "speech bubbles", "sv": "pratbubblor", "de": "Sprechblasen"},
    "festival": {
        "da": "konfetti og lysstråler",
        "en": "confetti and rays of light",
        "sv": "konfetti och ljusstrålar",
        "de": "Konfetti und Lichtstrahlen",
    },
    "film": {"da": "en filmstrimmel", "en": "a film strip", "sv": "en filmremsa", "de": "ein Filmstreifen"},
    "rundvisning": {
        "da": "et slotstårn over bølger",
        "en": "a castle tower above waves",
        "sv": "ett slottstorn över vågor",
        "de": "ein Schlossturm über Wellen",
    },
    "dans": {
        "da": "svungne linjer i bevægelse",
        "en": "flowing lines in motion",
        "sv": "svepande linjer i rörelse",
        "de": "schwungvolle Linien in Bewegung",
    },
    "workshop": {
        "da": "tandhjul og byggeklodser",
        "en": "gears and building blocks",
        "sv": "kugghjul och byggklossar",
        "de": "Zahnräder und Bausteine",
    },
    "venue": {
        "da": "en horisont over Øresund",
        "en": "a horizon over the Sound",
        "sv": "en horisont över Öresund",
        "de": "ein Horizont über dem Öresund",
    },
}

ALT_TEMPLATES: Text = {
    "da": "Abstrakt plakat i {palette}: {motif}.",
    "en": "Abstract poster in {palette}: {motif}.",
    "sv": "Abstrakt affisch i {palette}: {motif}.",
    "de": "Abstraktes Plakat in {palette}: {motif}.",
}


def alt_texts(kind: str) -> Text:
    """The image description in every language, for the `image_alt_*` fields."""
    palette, motif = PALETTES[kind], MOTIFS[kind]
    return {
        code: template.format(palette=palette.name[code], motif=motif[code]) for code, template in ALT_TEMPLATES.items()
    }


def _rgba(colour: Colour, alpha: int) -> tuple[int, int, int, int]:
    return (*colour, alpha)


def _glow_mask(value: int) -> int:
    """Radial fade: full at the centre, nothing from the edge of the inscribed circle outwards."""
    strength = max(0, 180 - value) / 180
    return int(110 * strength * strength)


def _background(palette: Palette, rng: random.Random) -> Image.Image:
    # Rotate a large gradient and keep its middle, so no empty corners show.
    gradient = Image.linear_gradient("L").resize((512, 512), Image.Resampling.BILINEAR)
    gradient = gradient.rotate(rng.uniform(-35, 35), resample=Image.Resampling.BILINEAR).crop((106, 106, 406, 406))
    image = ImageOps.colorize(gradient.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR), palette.top, palette.bottom)
    glow = Image.radial_gradient("L").point(_glow_mask).resize((760, 760), Image.Resampling.BILINEAR)
    colour = Image.new("RGB", glow.size, rng.choice(palette.accents))
    image.paste(colour, (rng.randint(-200, WIDTH - 500), rng.randint(-300, HEIGHT - 400)), glow)
    return image


def _rings(draw: Draw, palette: Palette, rng: random.Random) -> None:
    cx, cy = rng.randint(300, 900), rng.randint(200, 480)
    for index in range(14, 0, -1):
        radius = index * rng.randint(34, 46)
        colour = palette.accents[index % len(palette.accents)]
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=_rgba(colour, 170), width=9)
    draw.ellipse((cx - 40, cy - 40, cx + 40, cy + 40), fill=_rgba(palette.accents[0], 255))


def _spotlight(draw: Draw, palette: Palette, rng: random.Random) -> None:
    x = rng.randint(380, 820)
    draw.polygon([(x - 30, 0), (x + 30, 0), (x + 330, HEIGHT), (x - 330, HEIGHT)], fill=_rgba(palette.accents[1], 70))
    draw.ellipse((x - 260, HEIGHT - 90, x + 260, HEIGHT + 60), fill=_rgba(palette.accents[0], 150))
    for side in (0, WIDTH):
        for fold in range(6):
            offset = fold * 42 if side == 0 else -fold * 42
            draw.arc(
                (side + offset - 160, -120, side + offset + 160, HEIGHT + 120),
                start=-90,
                end=90 if side == 0 else 270,
                fill=_rgba(palette.accents[2], 140),
                width=14,
            )


def _bubbles(draw: Draw, palette: Palette, rng: random.Random) -> None:
    for _ in range(38):
        radius = rng.choice((14, 22, 36, 60, 90))
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        colour = rng.choice(palette.accents)
        if rng.random() < 0.5:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=_rgba(colour, 190))
        else:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=_rgba(colour, 230), width=8)


def _frames(draw: Draw, palette: Palette, rng: random.Random) -> None:
    x = 70
    while x < WIDTH - 140:
        width, height = rng.randint(140, 300), rng.randint(180, 420)
        top = rng.randint(80, HEIGHT - height - 60)
        colour = rng.choice(palette.accents)
        draw.rectangle((x, top, x + width, top + height), outline=_rgba(palette.accents[0], 255), width=12)
        draw.rectangle((x + 26, top + 26, x + width - 26, top + height - 26), fill=_rgba(colour, 170))
        x += width + rng.randint(40, 90)


def _speech(draw: Draw, palette: Palette, rng: random.Random) -> None:
    for index in range(3):
        width, height = rng.randint(360, 520), rng.randint(170, 240)
        x, y = 80 + index * 300 + rng.randint(-40, 40), 70 + index * 150 + rng.randint(-30, 30)
        colour = palette.accents[index % len(palette.accents)]
        draw.rounded_rectangle((x, y, x + width, y + height), radius=60, fill=_rgba(colour, 200))
        tail = x + width // 3
        draw.polygon(
            [(tail, y + height - 5), (tail + 70, y + height - 5), (tail + 10, y + height + 70)], fill=_rgba(colour, 200)
        )
        for line in range(3):
            line_y = y + 50 + line * 45
            draw.line((x + 50, line_y, x + width - 60 - line * 50, line_y), fill=_rgba(palette.top, 120), width=14)


def _confetti(draw: Draw, palette: Palette, rng: random.Random) -> None:
    cx, cy = rng.randint(400, 800), HEIGHT + 100
    for ray in range(18):
        angle = math.pi + ray * math.pi / 17
        draw.polygon(
            [
                (cx, cy),
                (cx + 1600 * math.cos(angle - 0.04), cy + 1600 * math.sin(angle - 0.04)),
                (cx + 1600 * math.cos(angle + 0.04), cy + 1600 * math.sin(angle + 0.04)),
            ],
            fill=_rgba(palette.accents[ray % len(palette.accents)], 60),
        )
    for _ in range(90):
        x, y, size = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(10, 28)
        turn = rng.uniform(0, math.tau)
        points = [
            (x + size * math.cos(turn + k * math.tau / 3), y + size * math.sin(turn + k * math.tau / 3))
            for k in range(3)
        ]
        draw.polygon(points, fill=_rgba(rng.choice(palette.accents), 230))


def _film(draw: Draw, palette: Palette, rng: random.Random) -> None:
    top = rng.randint(170, 300)
    draw.rectangle((0, top, WIDTH, top + 260), fill=_rgba(palette.top, 230))
    for x in range(10, WIDTH, 60):
        draw.rectangle((x, top + 14, x + 32, top + 38), fill=_rgba(palette.accents[0], 230))
        draw.rectangle((x, top + 222, x + 32, top + 246), fill=_rgba(palette.accents[0], 230))
    for index, x in enumerate(range(30, WIDTH, 290)):
        colour = palette.accents[(index + rng.randint(0, 2)) % len(palette.accents)]
        draw.rectangle((x, top + 60, x + 250, top + 200), fill=_rgba(colour, 120 + 30 * (index % 3)))


def _castle(draw: Draw, palette: Palette, rng: random.Random) -> None:
    base = HEIGHT - 190
    x = rng.randint(380, 700)
    body = _rgba(palette.accents[0], 255)
    draw.rectangle((x - 260, base - 120, x + 260, base + 20), fill=body)
    for tower, height in ((-230, 260), (0, 340), (230, 220)):
        draw.rectangle((x + tower - 40, base - height, x + tower + 40, base), fill=body)
        roof = [(x + tower - 40, base - height), (x + tower, base - height - 120), (x + tower + 40, base - height)]
        draw.polygon(roof, fill=_rgba(palette.accents[1], 255))
    for wave in range(5):
        y = base + 10 + wave * 40
        points = [(px, y + 12 * math.sin(px / 55 + wave)) for px in range(0, WIDTH + 20, 20)]
        draw.line(points, fill=_rgba(palette.accents[(wave + 2) % len(palette.accents)], 220), width=10)


def _curves(draw: Draw, palette: Palette, rng: random.Random) -> None:
    for index in range(9):
        phase, amplitude = rng.uniform(0, math.tau), rng.randint(60, 180)
        centre = rng.randint(120, HEIGHT - 120)
        points = [(x, centre + amplitude * math.sin(x / 170 + phase)) for x in range(-20, WIDTH + 40, 16)]
        draw.line(points, fill=_rgba(palette.accents[index % len(palette.accents)], 200), width=rng.randint(8, 26))


def _gears(draw: Draw, palette: Palette, rng: random.Random) -> None:
    for index in range(4):
        cx, cy, radius = rng.randint(150, WIDTH - 150), rng.randint(150, HEIGHT - 150), rng.randint(70, 150)
        colour = _rgba(palette.accents[index % 2], 230)
        teeth = 10 + index * 2
        for tooth in range(teeth):
            angle = tooth * math.tau / teeth
            tx, ty = cx + (radius + 18) * math.cos(angle), cy + (radius + 18) * math.sin(angle)
            draw.rectangle((tx - 16, ty - 16, tx + 16, ty + 16), fill=colour)
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colour)
        draw.ellipse(
            (cx - radius // 3, cy - radius // 3, cx + radius // 3, cy + radius // 3), fill=_rgba(palette.bottom, 255)
        )
    for _ in range(8):
        x, y = rng.randint(0, WIDTH - 100), rng.randint(0, HEIGHT - 60)
        draw.rectangle((x, y, x + 90, y + 50), fill=_rgba(palette.accents[2], 220))


def _horizon(draw: Draw, palette: Palette, rng: random.Random) -> None:
    sea = rng.randint(380, 460)
    sun_x = rng.randint(200, 1000)
    draw.ellipse((sun_x - 80, sea - 150, sun_x + 80, sea + 10), fill=_rgba(palette.accents[2], 230))
    draw.rectangle((0, sea, WIDTH, HEIGHT), fill=_rgba(palette.accents[0], 255))
    for wave in range(7):
        y = sea + 30 + wave * 36
        points = [(x, y + 8 * math.sin(x / 40 + wave * 1.3)) for x in range(0, WIDTH + 20, 20)]
        draw.line(points, fill=_rgba(palette.accents[1], 200), width=6)
    skyline = rng.randint(0, 500)
    for building in range(6):
        left = skyline + building * 70
        height = rng.randint(40, 140)
        draw.rectangle((left, sea - height, left + 60, sea), fill=_rgba(palette.accents[0], 255))


DRAWERS: dict[str, Callable[[Draw, Palette, random.Random], None]] = {
    "koncert": _rings,
    "teater": _spotlight,
    "boern-og-familie": _bubbles,
    "udstilling": _frames,
    "foredrag": _speech,
    "festival": _confetti,
    "film": _film,
    "rundvisning": _castle,
    "dans": _curves,
    "workshop": _gears,
    "venue": _horizon,
}


def render_poster(kind: str, seed: str) -> bytes:
    """A 1200x675 JPEG for one production (or venue); the same kind and seed give the same image."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    palette = PALETTES[kind]
    image = _background(palette, rng)
    DRAWERS[kind](ImageDraw.Draw(image, "RGBA"), palette, rng)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def ensure_poster(storage: Storage, name: str, *, kind: str, seed: str, refresh: bool = False) -> str:
    """Write the poster to storage under `name` unless it is already there; return the stored name."""
    if storage.exists(name):
        if not refresh:
            return name
        storage.delete(name)
    return storage.save(name, ContentFile(render_poster(kind, seed)))
