"""Two years of visitor statistics for bench/stats.py, written with SQL into a migrated database.

The small tables (15 venues with halls, categories, organisers, 5,000 events) are built here in Python
with a seeded random generator and copied in; the bulk (orders, order lines, tickets, gate-counter
hours, head counts, partner months) is made by PostgreSQL itself with INSERT … SELECT over
generate_series, seeded with setseed, so the same arguments give the same data.

What it holds, for the two years before `today` (and events up to 30 days after it):
- events at 15 venues: libraries and culture houses, museums, a theatre, the harbour, Kronborg; with
  categories, halls and capacities, booking modes tickets / free registration / drop-in, more events
  in spring and autumn, open-air ones in summer, a harbour festival at midsummer and Shakespeare
  at Kronborg in August;
- orders for ticketed and free-registration events from residents (~55 %), other Danes, Swedes,
  Germans and others, drawn from a pool of people with a skewed frequency so that many book
  again; person keys as tickets.people.person_key makes them (HMAC of the e-mail with the server's
  VISITOR_KEY_SECRET); orders older than 90 days after their event pseudonymised;
- tickets, ~75 % admitted (entered_at before the start) for past events, a few refunded;
- gate-counter hours (in and out) per door of the libraries and culture houses, shaped by season,
  weekday and hour, a few corrected;
- head counts of ended drop-in events (a few corrected, a few still missing), and some head counts
  beside ticketed events (shown, not added);
- monthly partner figures per origin from Kronborg and M/S Museet for Søfart;
so that the visits of all sources add up to about `visits` (3.2 million by default).
"""

import datetime as dt
import hashlib
import hmac
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import psycopg

CPH = ZoneInfo("Europe/Copenhagen")

# slug, name, kind, tourist pull (0..1), events weight, halls (name, seated, standing), counter doors
VENUES = [
    (
        "kulturvaerftet",
        "Kulturværftet",
        "house",
        0.3,
        14,
        [("Store Scene", 800, 1200), ("Lille Scene", 200, 300)],
        [("Hovedindgang", 1.0), ("Havnesiden", 0.6)],
    ),
    ("vaerftshallerne", "Værftshallerne", "house", 0.2, 5, [("Hal 14", None, 1500)], [("Hovedindgang", 0.35)]),
    ("toldkammeret", "Toldkammeret", "house", 0.15, 8, [("Koncertsal", None, 350)], []),
    (
        "helsingor-bibliotek",
        "Helsingør Bibliotek",
        "library",
        0.05,
        10,
        [("Bibliotekssalen", 90, 120)],
        [("Indgang Kulturværftet", 1.0), ("Indgang Allégade", 0.4)],
    ),
    ("espergaerde-bibliotek", "Espergærde Bibliotek", "library", 0.02, 6, [("Salen", 80, 100)], [("Indgang", 0.55)]),
    ("hornbaek-bibliotek", "Hornbæk Bibliotek", "library", 0.05, 4, [("Salen", 60, 80)], [("Indgang", 0.3)]),
    ("aalsgaarde-bibliotek", "Ålsgårde Bibliotek", "library", 0.02, 2, [("Læsesalen", 40, 50)], [("Indgang", 0.15)]),
    ("tikob-bibliotek", "Tikøb Bibliotek", "library", 0.01, 2, [], [("Indgang", 0.1)]),
    ("espergaerde-kulturhus", "Espergærde Kulturhus", "house", 0.02, 6, [("Salen", 250, 350)], [("Indgang", 0.45)]),
    ("ms-museet-for-sofart", "M/S Museet for Søfart", "partner", 0.6, 5, [("Auditoriet", 120, None)], []),
    ("kronborg", "Kronborg Slot", "partner", 0.7, 6, [("Riddersalen", 500, None)], []),
    ("helsingor-bymuseum", "Helsingør Bymuseum", "museum", 0.3, 4, [("Foredragssalen", 80, None)], []),
    ("flynderupgaard", "Flynderupgård", "museum", 0.1, 4, [("Laden", 100, 150)], []),
    ("hamletscenen", "HamletScenen", "theatre", 0.25, 7, [("Scenen", 300, None)], []),
    ("havnen", "Helsingør Havn", "outdoor", 0.4, 3, [], []),
]
CATEGORIES = [
    ("koncert", "Koncert", "Concert"),
    ("teater", "Teater", "Theatre"),
    ("foredrag", "Foredrag", "Talk"),
    ("boern", "For børn", "For children"),
    ("udstilling", "Udstilling", "Exhibition"),
    ("film", "Film", "Film"),
    ("festival", "Festival", "Festival"),
    ("workshop", "Workshop", "Workshop"),
    ("dans", "Dans", "Dance"),
    ("litteratur", "Litteratur", "Literature"),
]
KIND_CATEGORIES = {
    "house": ["koncert", "koncert", "teater", "dans", "boern", "film", "foredrag"],
    "library": ["foredrag", "litteratur", "boern", "workshop", "film"],
    "museum": ["foredrag", "udstilling", "boern", "workshop"],
    "partner": ["udstilling", "koncert", "foredrag", "boern"],
    "theatre": ["teater", "teater", "boern"],
    "outdoor": ["festival", "koncert"],
}
# share of events: tickets, free registration, drop-in
KIND_MODES = {
    "house": (0.8, 0.1, 0.1),
    "library": (0.15, 0.45, 0.4),
    "museum": (0.45, 0.25, 0.3),
    "partner": (0.6, 0.1, 0.3),
    "theatre": (1.0, 0.0, 0.0),
    "outdoor": (0.0, 0.0, 1.0),
}
# events per month (indoor life pauses in July); gate-counter traffic per month
EVENT_SEASON = [0.8, 1.0, 1.15, 1.0, 1.0, 0.85, 0.45, 1.0, 1.2, 1.25, 1.3, 1.0]
COUNTER_SEASON = [1.0, 1.05, 1.1, 0.95, 0.9, 0.85, 0.7, 0.9, 1.05, 1.1, 1.15, 0.95]
# partner visitors per month (tourists in summer) and their origins
PARTNER_SEASON = [0.35, 0.4, 0.6, 0.85, 1.0, 1.45, 2.2, 2.0, 1.0, 0.8, 0.45, 0.5]
PARTNER_YEAR = {"kronborg": 260_000, "ms-museet-for-sofart": 110_000}
PARTNER_ORIGINS = {"resident": 0.08, "other_danish": 0.42, "swedish": 0.17, "german": 0.13, "other_foreign": 0.2}
# hours a door counts (Copenhagen time, first and last hour); weekday weights Monday..Sunday
OPEN_HOURS = {"library": (8, 21), "house": (9, 22)}
WEEKDAY = {"library": [1.0, 1.05, 1.0, 1.1, 0.9, 0.8, 0.45], "house": [0.8, 0.85, 0.9, 1.0, 1.2, 1.3, 1.0]}
PEOPLE = {  # origin: (people in the pool, country, is resident)
    "resident": (32_000, "DK", True),
    "other_danish": (30_000, "DK", False),
    "swedish": (14_000, "SE", False),
    "german": (7_000, "DE", False),
    "other_foreign": (6_000, "NO", False),
}
POSTCODES = {
    "resident": ["3000", "3060", "3070", "3100", "3140", "3150"],
    "other_danish": ["2100", "2900", "3400", "3480", "8000", "5000"],
    "swedish": ["25220", "21119"],
    "german": ["20095", "10115"],
    "other_foreign": ["0150", "1012"],
}
FOREIGN_COUNTRIES = ["NO", "NL", "GB", "US", "PL", "FR"]


@dataclass(frozen=True)
class Generated:
    seconds: float
    counts: dict[str, int]
    visits: dict[str, int]


def _hour_weight(kind: str, hour: int) -> float:
    first, last = OPEN_HOURS[kind]
    middle = (first + last) / 2 + (1.5 if kind == "library" else 2.5)
    return max(0.15, 1.0 - ((hour - middle) / (last - first)) ** 2 * 3)


def _copy(cursor: psycopg.Cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


def generate(url: str, *, today: dt.date, visits: int, events: int, secret: str, seed: int = 2026) -> Generated:
    """Fill the (migrated, empty) database at `url`; returns row counts and visits per source."""
    import time

    began = time.perf_counter()
    rng = random.Random(seed)
    first_day = today - dt.timedelta(days=730)
    last_event_day = today + dt.timedelta(days=30)
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed / 10_000])
        # Rows are consistent by construction: skip the foreign-key triggers, which would queue a
        # check per row until commit (Django's foreign keys are deferred).
        cursor.execute("SET session_replication_role = replica")
        now = dt.datetime.now(dt.UTC)
        venue_rows, hall_rows, venue_ids, halls = [], [], {}, {}
        for number, (slug, name, *_rest) in enumerate(VENUES, start=1):
            venue_ids[slug] = number
            venue_rows.append(
                (
                    number,
                    name,
                    slug,
                    f"{name} i Helsingør Kommune.",
                    "",
                    "",
                    "",
                    "Havnegade 1",
                    "3000",
                    "Helsingør",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    True,
                    4,
                    True,
                    True,
                    "",
                    "",
                    "",
                    "",
                    now,
                    now,
                )
            )
        _copy(
            cursor,
            "venues_venue",
            [
                "id",
                "name",
                "slug",
                "description_da",
                "description_en",
                "description_sv",
                "description_de",
                "street_address",
                "postcode",
                "town",
                "website",
                "image",
                "image_alt_da",
                "image_alt_en",
                "image_alt_sv",
                "image_alt_de",
                "has_step_free_access",
                "wheelchair_spaces",
                "has_hearing_loop",
                "has_accessible_toilet",
                "accessibility_notes_da",
                "accessibility_notes_en",
                "accessibility_notes_sv",
                "accessibility_notes_de",
                "created_at",
                "updated_at",
            ],
            venue_rows,
        )
        for slug, _name, _kind, _pull, _weight, venue_halls, _doors in VENUES:
            for hall_name, seated, standing in venue_halls:
                hall_id = len(hall_rows) + 1
                hall_rows.append(
                    (hall_id, hall_name, hall_name.lower().replace(" ", "-"), seated, standing, venue_ids[slug])
                )
                halls.setdefault(slug, []).append((hall_id, seated or standing))
        _copy(
            cursor, "venues_hall", ["id", "name", "slug", "seated_capacity", "standing_capacity", "venue_id"], hall_rows
        )
        category_ids = {slug: number for number, (slug, *_names) in enumerate(CATEGORIES, start=1)}
        _copy(
            cursor,
            "events_category",
            ["id", "slug", "name_da", "name_en", "name_sv", "name_de", "position"],
            [
                (number, slug, da, en, "", "", number)
                for slug, number in category_ids.items()
                for s, da, en in CATEGORIES
                if s == slug
            ],
        )
        _copy(
            cursor,
            "events_organiser",
            ["id", "name", "slug", "website", "email"],
            [(number, name, slug, "", "") for number, (slug, name, *_r) in enumerate(VENUES, start=1)],
        )

        # Events: a day drawn by season, a venue by weight, a mode and category by the venue's kind.
        days = [first_day + dt.timedelta(days=n) for n in range((last_event_day - first_day).days + 1)]
        day_weights = [EVENT_SEASON[day.month - 1] * (1.3 if day.weekday() >= 4 else 1.0) for day in days]
        summer_days = [day for day in days if day.month in (6, 7, 8)]
        event_rows, plan = [], []

        def add_event(
            slug: str,
            day: dt.date,
            hour: int,
            mode: str,
            category: str,
            hall: tuple | None,
            capacity: int | None,
            hours: int = 2,
            head: int = 0,
        ) -> None:
            number = len(event_rows) + 1
            starts = _local(day, hour, rng.choice((0, 0, 30)))
            kind = next(v[2] for v in VENUES if v[0] == slug)
            cap = capacity or (hall[1] if hall else None)
            event_rows.append(
                (
                    number,
                    f"{category.capitalize()} {number}",
                    mode,
                    capacity,
                    mode != "tickets",
                    f"{number:08d}-0000-4000-8000-{number:012d}",
                    f"stats-{number}",
                    starts,
                    starts + dt.timedelta(hours=hours),
                    now,
                    category_ids[category],
                    hall[0] if hall else None,
                    venue_ids[slug],
                    venue_ids[slug],
                )
            )
            plan.append((number, slug, kind, day, starts, mode, cap, head))

        # The harbour festival at midsummer and Shakespeare at Kronborg in August, both years.
        for year in sorted({first_day.year + 1, today.year}):
            for offset in range(3):
                day = dt.date(year, 6, 21) + dt.timedelta(days=offset)
                for hour in (12, 18):
                    add_event(
                        "havnen", day, hour, "drop_in", "festival", None, None, hours=5, head=rng.randint(9_000, 16_000)
                    )
            for offset in range(14):
                day = dt.date(year, 8, 4) + dt.timedelta(days=offset)
                add_event("kronborg", day, 20, "tickets", "teater", halls["kronborg"][0], None)
        venue_weights = [venue[4] for venue in VENUES]
        while len(event_rows) < events:
            venue = rng.choices(VENUES, weights=venue_weights)[0]
            slug, kind = venue[0], venue[2]
            day = rng.choice(summer_days) if kind == "outdoor" else rng.choices(days, weights=day_weights)[0]
            mode = rng.choices(["tickets", "free_registration", "drop_in"], weights=KIND_MODES[kind])[0]
            category = rng.choice(KIND_CATEGORIES[kind])
            hall = rng.choice(halls[slug]) if slug in halls and rng.random() < 0.9 else None
            capacity = None if hall else rng.choice((60, 100, 200))
            hour = rng.choice((10, 14, 16) if category in ("boern", "workshop") else (17, 19, 19, 20))
            head = 0
            if mode == "drop_in":
                head = {"outdoor": rng.randint(300, 3000), "library": rng.randint(10, 90)}.get(
                    kind, rng.randint(30, 250)
                )
            add_event(slug, day, hour, mode, category, hall, capacity, head=head)
        # Every other column has a database default only in Django: fill them in SQL.
        cursor.execute("""
            CREATE TEMP TABLE bench_events (id bigint, title text, booking_mode text, capacity int, is_free boolean,
              uid uuid, slug text, starts_at timestamptz, ends_at timestamptz, at timestamptz, category_id bigint,
              hall_id bigint, venue_id bigint, organiser_id bigint)
        """)
        _copy(
            cursor,
            "bench_events",
            [
                "id",
                "title",
                "booking_mode",
                "capacity",
                "is_free",
                "uid",
                "slug",
                "starts_at",
                "ends_at",
                "at",
                "category_id",
                "hall_id",
                "venue_id",
                "organiser_id",
            ],
            event_rows,
        )
        cursor.execute("""
            INSERT INTO events_event (id, title_da, title_en, title_sv, title_de, summary_da, summary_en, summary_sv,
              summary_de, description_da, description_en, description_sv, description_de, image, image_alt_da,
              image_alt_en, image_alt_sv, image_alt_de, accessibility_notes_da, accessibility_notes_en,
              accessibility_notes_sv, accessibility_notes_de, performance_language, tags, booking_mode, capacity,
              is_free, uid, slug, status, starts_at, ends_at, is_detached, sequence, created_at, updated_at,
              category_id, hall_id, venue_id, organiser_id, allows_reentry)
            SELECT id, title, '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
              '[]', booking_mode, capacity, is_free, uid, slug, 'published', starts_at, ends_at, false, 0, at, at,
              category_id, hall_id, venue_id, organiser_id, false
            FROM bench_events
        """)

        # What each booked event sells, and to whom; the bulk is made by PostgreSQL from this plan.
        cursor.execute("""
            CREATE TEMP TABLE bench_plan (event_id bigint PRIMARY KEY, starts_at timestamptz, orders int,
              price int, show_up float8, resident float8, danish float8, swedish float8, german float8,
              admitted boolean, pseudonymised boolean, standard_type bigint, companion_type bigint)
        """)
        type_rows, plan_rows, head_rows = [], [], []
        start_of_today = _local(today, 0)
        for number, slug, _kind, day, starts, mode, capacity, head in plan:
            pull = next(v[3] for v in VENUES if v[0] == slug)
            if day.month in (6, 7, 8):
                pull = min(0.9, pull + 0.15)
            if mode == "drop_in":
                if starts + dt.timedelta(hours=2) < start_of_today:
                    head_rows.append((number, venue_ids[slug], starts, head))
                continue
            price = 0 if mode == "free_registration" else rng.choice((6000, 9500, 12500, 18000, 25000, 32000))
            fill = min(1.0, rng.betavariate(4, 2) * (1.1 if day.month in (10, 11, 12) else 1.0))
            orders = max(1, int((capacity or 100) * fill / 2.2))
            standard = len(type_rows) + 1
            type_rows.append(
                (
                    standard,
                    number,
                    "Billet" if price else "Gratis",
                    "",
                    "",
                    "",
                    price,
                    "25.00" if price else "0.00",
                    1,
                    10,
                    True,
                    False,
                    False,
                    0,
                )
            )
            companion = len(type_rows) + 1
            type_rows.append((companion, number, "Ledsager", "", "", "", 0, "0.00", 1, 2, True, True, False, 1))
            show_up = rng.uniform(0.78, 0.9) if price else rng.uniform(0.55, 0.7)
            resident = 0.62 - 0.45 * pull
            plan_rows.append(
                (
                    number,
                    starts,
                    orders,
                    price,
                    show_up,
                    resident,
                    0.27,
                    0.1 + 0.2 * pull,
                    0.05 + 0.1 * pull,
                    starts < start_of_today,
                    starts + dt.timedelta(days=91) < start_of_today,
                    standard,
                    companion,
                )
            )
        _copy(
            cursor,
            "tickets_tickettype",
            [
                "id",
                "event_id",
                "name_da",
                "name_en",
                "name_sv",
                "name_de",
                "price_ore",
                "vat_rate",
                "min_per_order",
                "max_per_order",
                "is_visible",
                "is_companion",
                "requires_attention",
                "position",
            ],
            type_rows,
        )
        _copy(
            cursor,
            "bench_plan",
            [
                "event_id",
                "starts_at",
                "orders",
                "price",
                "show_up",
                "resident",
                "danish",
                "swedish",
                "german",
                "admitted",
                "pseudonymised",
                "standard_type",
                "companion_type",
            ],
            plan_rows,
        )

        # The people who book: keys as tickets.people.person_key makes them from the e-mail.
        cursor.execute("""
            CREATE TEMP TABLE bench_people (origin text, n int, email text, person_key text, country text,
              postcode text, is_resident boolean, PRIMARY KEY (origin, n))
        """)
        people = []
        for origin, (size, country, is_resident) in PEOPLE.items():
            for n in range(size):
                email = f"{origin.replace('_', '.')}.{n}@example.{country.lower()}"
                key = hmac.new(secret.encode(), email.encode(), hashlib.sha256).hexdigest()
                where = FOREIGN_COUNTRIES[n % len(FOREIGN_COUNTRIES)] if origin == "other_foreign" else country
                people.append(
                    (origin, n, email, key, where, POSTCODES[origin][n % len(POSTCODES[origin])], is_resident)
                )
        _copy(
            cursor, "bench_people", ["origin", "n", "email", "person_key", "country", "postcode", "is_resident"], people
        )
        sizes = {origin: size for origin, (size, _c, _r) in PEOPLE.items()}
        cursor.execute(f"""
            INSERT INTO tickets_order (reference, secret, status, expires_at, total_ore, currency, buyer_name,
              buyer_email, buyer_is_resident, buyer_postcode, buyer_country, language, newsletter_opt_in,
              created_at, paid_at, cancelled_at, event_id, person_key, pseudonymised_at)
            SELECT 'S' || to_char(o.event_id, 'FM00000') || to_char(o.g, 'FM000000'),
              md5(o.event_id || '-' || o.g || '-' || o.r_status),
              o.status, o.created_at + interval '15 minutes', o.price * o.qty, 'DKK',
              CASE WHEN o.pseudonymised THEN '' ELSE 'Gæst ' || p.n END,
              CASE WHEN o.pseudonymised THEN '' ELSE p.email END,
              p.is_resident, p.postcode, p.country,
              CASE p.country WHEN 'SE' THEN 'sv' WHEN 'DE' THEN 'de' WHEN 'DK' THEN 'da' ELSE 'en' END,
              o.r_status < 0.3 AND NOT o.pseudonymised, o.created_at,
              CASE WHEN o.status = 'expired' THEN NULL ELSE o.created_at + interval '2 minutes' END,
              CASE WHEN o.status IN ('cancelled', 'refunded') THEN o.starts_at - interval '2 days' END,
              o.event_id, p.person_key,
              CASE WHEN o.pseudonymised THEN o.starts_at + interval '91 days' END
            FROM (
              SELECT b.event_id, b.starts_at, b.price, b.pseudonymised, g, r_status,
                b.starts_at - interval '1 hour' * (1 + floor(random() * 24 * 60)) AS created_at,
                CASE WHEN r_status < 0.015 THEN 'expired' WHEN r_status < 0.025 THEN 'cancelled'
                  WHEN r_status < 0.045 THEN 'refunded' ELSE 'paid' END AS status,
                (ARRAY[1, 2, 2, 2, 2, 3, 4, 4, 1, 2])[1 + floor(random() * 10)::int] AS qty,
                CASE WHEN r_origin < b.resident THEN 'resident'
                  WHEN r_origin < b.resident + b.danish THEN 'other_danish'
                  WHEN r_origin < b.resident + b.danish + b.swedish THEN 'swedish'
                  WHEN r_origin < b.resident + b.danish + b.swedish + b.german THEN 'german'
                  ELSE 'other_foreign' END AS origin,
                r_person
              FROM bench_plan b
              CROSS JOIN LATERAL generate_series(1, b.orders) AS g
              CROSS JOIN LATERAL (SELECT random() + g * 0 AS r_status, random() + g * 0 AS r_origin,
                random() + g * 0 AS r_person) AS r
            ) AS o
            JOIN bench_people p ON p.origin = o.origin AND p.n = floor(
              (CASE o.origin {" ".join(f"WHEN '{k}' THEN {v}" for k, v in sizes.items())} END) * power(o.r_person, 2.2)
            )::int
        """)
        # Quantity is re-derived from the total for paid events; free ones draw it again.
        cursor.execute("""
            INSERT INTO tickets_orderline (order_id, ticket_type_id, quantity, unit_price_ore, vat_rate)
            SELECT o.id, b.standard_type,
              CASE WHEN b.price > 0 THEN o.total_ore / b.price
                ELSE (ARRAY[1, 2, 2, 2, 2, 3, 4, 4, 1, 2])[1 + floor(random() * 10)::int] END,
              b.price, CASE WHEN b.price > 0 THEN 25.00 ELSE 0.00 END
            FROM tickets_order o JOIN bench_plan b ON b.event_id = o.event_id
        """)
        # About one order in a hundred brings a wheelchair user's companion.
        cursor.execute("""
            INSERT INTO tickets_orderline (order_id, ticket_type_id, quantity, unit_price_ore, vat_rate)
            SELECT o.id, b.companion_type, 1, 0, 0.00
            FROM tickets_order o JOIN bench_plan b ON b.event_id = o.event_id WHERE random() < 0.01
        """)
        cursor.execute("""
            UPDATE tickets_order o SET total_ore = l.quantity * l.unit_price_ore
            FROM tickets_orderline l WHERE l.order_id = o.id AND l.unit_price_ore > 0
        """)
        cursor.execute("""
            INSERT INTO tickets_ticket (id, status, issued_at, revoked_at, event_id, order_id, ticket_type_id,
              door_changed_at, entered_at, entry_gate, is_inside, revoked_reason)
            SELECT gen_random_uuid(),
              CASE WHEN o.status IN ('refunded', 'cancelled') THEN 'revoked' ELSE 'valid' END,
              o.paid_at, CASE WHEN o.status IN ('refunded', 'cancelled') THEN o.cancelled_at END,
              o.event_id, o.id, l.ticket_type_id, a.entered_at, a.entered_at,
              CASE WHEN a.entered_at IS NULL THEN '' ELSE 'Hovedindgang' END, false,
              CASE o.status WHEN 'refunded' THEN 'refunded' WHEN 'cancelled' THEN 'cancelled' ELSE '' END
            FROM tickets_order o
            JOIN tickets_orderline l ON l.order_id = o.id
            JOIN bench_plan b ON b.event_id = o.event_id
            CROSS JOIN LATERAL generate_series(1, l.quantity) AS n
            CROSS JOIN LATERAL (
              SELECT CASE WHEN b.admitted AND o.status = 'paid' AND random() + n * 0 < b.show_up
                THEN b.starts_at - interval '1 second' * floor(random() * 3000 - 300 + n * 0) END AS entered_at
            ) AS a
            WHERE o.status <> 'expired'
        """)
        # The count of valid tickets on paid orders that every sale keeps on its ticket type.
        cursor.execute("""
            UPDATE tickets_tickettype tt SET paid_tickets = paid.n
            FROM (SELECT t.ticket_type_id, COUNT(*) AS n
                  FROM tickets_ticket t JOIN tickets_order o ON o.id = t.order_id
                  WHERE o.status = 'paid' AND t.status = 'valid' GROUP BY t.ticket_type_id) paid
            WHERE paid.ticket_type_id = tt.id
        """)

        # Head counts of ended drop-in events: one in twenty-five still missing, one in twenty corrected.
        head_rows = [row for row in head_rows if rng.random() > 0.04]
        figure_rows = []
        for event_id, venue_id, starts, head in head_rows:
            figure_rows.append(
                (
                    "head_count",
                    "estimated",
                    "",
                    starts,
                    starts + dt.timedelta(hours=2),
                    head,
                    None,
                    "unknown",
                    "",
                    starts + dt.timedelta(days=1),
                    None,
                    event_id,
                    venue_id,
                )
            )
        # Some ticketed events got a head count too (shown beside the scans, not added).
        for number, slug, _kind, _day, starts, mode, capacity, _head in plan:
            if mode == "tickets" and starts < start_of_today and rng.random() < 0.03:
                figure_rows.append(
                    (
                        "head_count",
                        "estimated",
                        "",
                        starts,
                        starts + dt.timedelta(hours=2),
                        int((capacity or 100) * 0.7),
                        None,
                        "unknown",
                        "",
                        starts + dt.timedelta(days=1),
                        None,
                        number,
                        venue_ids[slug],
                    )
                )
        # Partner months per origin, reported the month after.
        months = []
        month = dt.date(first_day.year, first_day.month, 1)
        if month < first_day:
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        while dt.date(month.year + month.month // 12, month.month % 12 + 1, 1) <= today:
            months.append(month)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        season_total = sum(PARTNER_SEASON)
        for slug, yearly in PARTNER_YEAR.items():
            for month in months:
                following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
                total = yearly * PARTNER_SEASON[month.month - 1] / season_total * rng.uniform(0.9, 1.1)
                for origin, share in PARTNER_ORIGINS.items():
                    figure_rows.append(
                        (
                            "partner",
                            "reported",
                            "",
                            _local(month, 0),
                            _local(following, 0),
                            round(total * share),
                            None,
                            origin,
                            "",
                            _local(following, 10) + dt.timedelta(days=4),
                            None,
                            None,
                            venue_ids[slug],
                        )
                    )
        _copy(
            cursor,
            "visitor_stats_visitfigure",
            [
                "source",
                "quality",
                "counter",
                "period_start",
                "period_end",
                "visits",
                "exits",
                "origin",
                "note",
                "entered_at",
                "replaced_at",
                "event_id",
                "venue_id",
            ],
            figure_rows,
        )
        # Corrections: the first figure stays, replaced by the one above.
        cursor.execute("""
            INSERT INTO visitor_stats_visitfigure (source, quality, counter, period_start, period_end, visits,
              exits, origin, note, entered_at, replaced_at, event_id, venue_id, replaced_by_id)
            SELECT source, quality, counter, period_start, period_end, (visits * 0.8)::int, exits, origin,
              '', entered_at - interval '12 hours', entered_at, event_id, venue_id, id
            FROM visitor_stats_visitfigure WHERE source = 'head_count' AND random() < 0.05
        """)

        # Gate counters last, scaled so that every source adds up to `visits`.
        cursor.execute("""
            SELECT
              (SELECT count(*) FROM tickets_ticket WHERE entered_at IS NOT NULL)
              + (SELECT coalesce(sum(f.visits), 0) FROM visitor_stats_visitfigure f
                 LEFT JOIN events_event e ON e.id = f.event_id
                 WHERE f.replaced_at IS NULL AND (f.source <> 'head_count' OR e.booking_mode = 'drop_in'))
        """)
        others = cursor.fetchone()[0]
        cursor.execute("""
            CREATE TEMP TABLE bench_door_hours (venue_id bigint, counter text, dow int, hour int, weight float8);
            CREATE TEMP TABLE bench_months (month int, weight float8);
        """)
        door_hours, expected = [], 0.0
        closed = {"12-24", "12-25", "12-26", "12-31", "01-01"}
        counted_days = [first_day + dt.timedelta(days=n) for n in range((today - first_day).days)]
        counted_days = [day for day in counted_days if day.strftime("%m-%d") not in closed]
        for slug, _name, kind, _pull, _weight, _halls, doors in VENUES:
            kind = "library" if kind == "library" else "house"
            first, last = OPEN_HOURS[kind]
            for counter, size in doors:
                for dow in range(7):
                    for hour in range(first, last + 1):
                        weight = size * WEEKDAY[kind][dow] * _hour_weight(kind, hour)
                        door_hours.append((venue_ids[slug], counter, dow, hour, weight))
                        expected += weight * sum(
                            COUNTER_SEASON[day.month - 1] for day in counted_days if day.weekday() == dow
                        )
        _copy(cursor, "bench_door_hours", ["venue_id", "counter", "dow", "hour", "weight"], door_hours)
        _copy(cursor, "bench_months", ["month", "weight"], [(m + 1, w) for m, w in enumerate(COUNTER_SEASON)])
        per_weight = max(0.0, visits - others) / expected
        cursor.execute(
            """
            INSERT INTO visitor_stats_visitfigure (source, quality, counter, period_start, period_end, visits,
              exits, origin, note, entered_at, venue_id)
            SELECT 'gate_counter', 'counted', h.counter, s.at, s.at + interval '1 hour', v.visits,
              greatest(0, v.visits - floor(random() * 4)::int), 'unknown', '', s.at + interval '65 minutes',
              h.venue_id
            FROM generate_series(%s::date, %s::date - 1, interval '1 day') AS d
            JOIN bench_months m ON m.month = extract(month FROM d)
            JOIN bench_door_hours h ON h.dow = extract(isodow FROM d) - 1
            CROSS JOIN LATERAL (SELECT (d::date + make_interval(hours => h.hour)) AT TIME ZONE 'Europe/Copenhagen'
              AS at) AS s
            CROSS JOIN LATERAL (SELECT round(%s * h.weight * m.weight * (0.7 + 0.6 * random()))::int AS visits) AS v
            WHERE to_char(d, 'MM-DD') NOT IN ('12-24', '12-25', '12-26', '12-31', '01-01')
            """,
            [first_day, today, per_weight],
        )
        # A few counter hours corrected later (the counter had missed people).
        cursor.execute("""
            INSERT INTO visitor_stats_visitfigure (source, quality, counter, period_start, period_end, visits,
              exits, origin, note, entered_at, replaced_at, venue_id, replaced_by_id)
            SELECT source, quality, counter, period_start, period_end, visits / 2, exits, origin, '',
              entered_at - interval '1 day', entered_at, venue_id, id
            FROM visitor_stats_visitfigure WHERE source = 'gate_counter' AND random() < 0.002
        """)
        cursor.execute(
            "UPDATE visitor_stats_visitfigure f SET entered_at = f.entered_at + interval '1 day' "
            "WHERE EXISTS (SELECT 1 FROM visitor_stats_visitfigure r WHERE r.replaced_by_id = f.id)"
        )
        for table in (
            "venues_venue",
            "venues_hall",
            "events_category",
            "events_organiser",
            "events_event",
            "tickets_tickettype",
        ):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        counts = {}
        for table in ("events_event", "tickets_order", "tickets_ticket", "visitor_stats_visitfigure"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT booking_mode, count(*) FROM events_event GROUP BY 1")
        counts |= {f"events_{mode}": n for mode, n in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM tickets_ticket WHERE entered_at IS NOT NULL")
        counts["tickets_admitted"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(DISTINCT person_key) FROM tickets_order")
        counts["people"] = cursor.fetchone()[0]
        cursor.execute("""
            SELECT f.source, sum(f.visits) FROM visitor_stats_visitfigure f
            LEFT JOIN events_event e ON e.id = f.event_id
            WHERE f.replaced_at IS NULL AND (f.source <> 'head_count' OR e.booking_mode = 'drop_in') GROUP BY 1
        """)
        by_source = {"ticket_scans": counts["tickets_admitted"]} | {s: int(n) for s, n in cursor.fetchall()}
    return Generated(seconds=time.perf_counter() - began, counts=counts, visits=by_source)


if __name__ == "__main__":  # a quick look: python bench/stats_data.py postgres://…/db (migrated, empty)
    import sys

    result = generate(sys.argv[1], today=dt.date.today(), visits=3_200_000, events=5000, secret="bench")
    print(result)
