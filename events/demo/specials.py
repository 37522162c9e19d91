"""The fixed parts of the demo season: a festival, a market, exhibitions and repeating series.

Dates are given as day offsets from the day the demo is loaded, so the season always lies ahead.
"""

from dataclasses import dataclass, field

from events.demo.programme import ALL, DA_EN, FRI, SAT, SUN, THU, Text, t
from events.models import BookingMode, EventStatus


@dataclass(frozen=True)
class OneOff:
    """A single dated event, placed relative to an anchor day (see `anchor`)."""

    production: str
    category: str
    venue: str
    title: Text
    summary: Text
    description: Text
    day: int
    start: str
    minutes: int = 120
    end_day: int | None = None
    end: str = ""
    hall: str = ""
    organiser: str = "kulturvaerftet-toldkammeret"
    booking_mode: str = BookingMode.TICKETS
    is_free: bool = False
    capacity: int | None = None
    age_limit: int | None = None
    performance_language: str = ""
    tags: tuple[str, ...] = ()
    anchor: str = "today"


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    category: str
    venue: str
    organiser: str
    title: Text
    summary: Text
    description: Text
    weekday: int | None
    start: str
    rule: str
    minutes: int
    first_day: int = 1
    hall: str = ""
    languages: tuple[str, ...] = DA_EN
    booking_mode: str = BookingMode.TICKETS
    is_free: bool = False
    capacity: int | None = None
    age_limit: int | None = None
    performance_language: str = "da"
    status: str = EventStatus.PUBLISHED
    # (n, "HH:MM" or ""): leave out the n-th such weekday of every month, whole or one start time.
    # Calendar-fixed, so a run on a later day leaves out the same dates.
    excluded_monthly: tuple[tuple[int, str], ...] = ()
    skip_holidays: bool = False
    tags: tuple[str, ...] = ()
    accessibility: Text = field(default_factory=dict)


def _festival(day: int, start: str, name: str, *, hall: str = "hal-14", minutes: int = 75) -> OneOff:
    return OneOff(
        production="vintervaerft",
        category="festival",
        venue="vaerftshallerne",
        organiser="vaerftshallerne",
        hall=hall,
        title=t(f"Vinterværft: {name}", f"Vinterværft: {name}", f"Vinterværft: {name}", f"Vinterværft: {name}"),
        summary=t(
            f"Tre dages musikfestival i de gamle værftshaller – med {name} på programmet.",
            f"Three days of music in the old shipyard halls, with {name} on the bill.",
            f"Tre dagars musikfestival i de gamla varvshallarna – med {name} på programmet.",
            f"Drei Tage Musikfestival in den alten Werfthallen – mit {name} im Programm.",
        ),
        description=t(
            "Vinterværft fylder Værftshallerne med koncerter, mad og varme drikke en hel weekend. "
            "Billetten gælder én koncert; festivalområdet med madboder er gratis.",
            "Vinterværft fills the shipyard halls with concerts, food and hot drinks for a whole weekend. "
            "A ticket is for one concert; the festival area with food stalls is free.",
            "Vinterværft fyller varvshallarna med konserter, mat och varma drycker en hel helg. "
            "Biljetten gäller en konsert; festivalområdet med matstånd är gratis.",
            "Vinterværft füllt die Werfthallen ein ganzes Wochenende lang mit Konzerten, Essen und heißen "
            "Getränken. Ein Ticket gilt für ein Konzert; das Festivalgelände mit Essensständen ist frei.",
        ),
        day=day,
        start=start,
        minutes=minutes,
        tags=("festival",),
        anchor="festival",
    )


# Day 0 of the festival is its Friday (see season.anchor_days).
FESTIVAL: tuple[OneOff, ...] = (
    _festival(0, "18:00", "Kronborg Brass"),
    _festival(0, "20:30", "Havnens Helte"),
    _festival(1, "13:00", "Sørøversange for hele familien"),
    _festival(1, "16:00", "Duo Kattegat"),
    _festival(1, "19:00", "Signe Vestergaard"),
    _festival(1, "21:30", "Sundet Elektronisk", minutes=120),
    _festival(2, "12:00", "Loppemarked og street food", hall="hal-21", minutes=300),
    _festival(2, "14:00", "Trio Tidevand"),
    _festival(2, "17:00", "Lyn & Torden", minutes=105),
)

MARKET = OneOff(
    production="vintermarked",
    category="festival",
    venue="vaerftshallerne",
    hall="hal-21",
    organiser="vaerftshallerne",
    title=t(
        "Vintermarked i Værftshallerne",
        "Winter market in Værftshallerne",
        "Vintermarknad i Værftshallerne",
        "Wintermarkt in den Værftshallerne",
    ),
    summary=t(
        "Lokale håndværkere, honning, strik og gløgg under de gamle kraner.",
        "Local crafts, honey, knitwear and mulled wine under the old cranes.",
        "Lokalt hantverk, honung, stickat och glögg under de gamla kranarna.",
        "Lokales Kunsthandwerk, Honig, Strickwaren und Glühwein unter den alten Kränen.",
    ),
    description=t(
        "Gratis adgang. Markedet er åbent fra formiddag til sen eftermiddag.",
        "Free entry. The market is open from late morning to late afternoon.",
        "Fri entré. Marknaden är öppen från förmiddag till sen eftermiddag.",
        "Eintritt frei. Der Markt ist von vormittags bis zum späten Nachmittag geöffnet.",
    ),
    day=20,
    start="11:00",
    minutes=360,
    booking_mode=BookingMode.DROP_IN,
    is_free=True,
    tags=("market",),
    anchor="saturday",
)


def _exhibition(
    production: str, venue: str, organiser: str, title: Text, about: Text, day: int, weeks: int, *, free: bool
) -> tuple[OneOff, OneOff]:
    exhibition = OneOff(
        production=production,
        category="udstilling",
        venue=venue,
        organiser=organiser,
        title=title,
        summary=about,
        description=t(
            "Udstillingen kan ses i stedets åbningstid." + (" Gratis adgang." if free else " Adgang med entré."),
            "The exhibition is open during opening hours." + (" Free entry." if free else " Admission applies."),
            "Utställningen visas under öppettiderna." + (" Fri entré." if free else " Entréavgift."),
            "Die Ausstellung ist zu den Öffnungszeiten zu sehen." + (" Eintritt frei." if free else " Mit Eintritt."),
        ),
        day=day,
        start="10:00",
        end_day=day + weeks * 7,
        end="17:00",
        booking_mode=BookingMode.DROP_IN,
        is_free=free,
        tags=("exhibition",),
    )
    opening = OneOff(
        production=f"{production}-fernisering",
        category="udstilling",
        venue=venue,
        organiser=organiser,
        title={
            code: prefix + text
            for (code, prefix), text in zip(
                (("da", "Fernisering: "), ("en", "Opening: "), ("sv", "Vernissage: "), ("de", "Vernissage: ")),
                title.values(),
                strict=True,
            )
        },
        summary=t(
            "Vær med, når udstillingen åbner – med en kort velkomst og et glas.",
            "Join us as the exhibition opens, with a short welcome and a drink.",
            "Var med när utställningen öppnar – med ett kort välkomnande och ett glas.",
            "Feiern Sie die Eröffnung mit uns – mit einer kurzen Begrüßung und einem Getränk.",
        ),
        description=about,
        day=day - 1,
        start="17:00",
        minutes=120,
        booking_mode=BookingMode.DROP_IN,
        is_free=True,
        tags=("exhibition",),
    )
    return exhibition, opening


EXHIBITIONS: tuple[OneOff, ...] = (
    *_exhibition(
        "lys-over-sundet",
        "marienlyst-slot",
        "helsingor-kommunes-museer",
        t(
            "Lys over Sundet – malerier fra Øresundskysten",
            "Light over the Sound: paintings from the Øresund coast",
            "Ljus över Sundet – målningar från Öresundskusten",
            "Licht über dem Sund – Gemälde von der Öresundküste",
        ),
        t(
            "Hvordan malere har set lyset over Øresund gennem 200 år.",
            "How painters have seen the light over the Sound for 200 years.",
            "Hur målare har sett ljuset över Öresund under 200 år.",
            "Wie Maler das Licht über dem Öresund seit 200 Jahren gesehen haben.",
        ),
        -20,
        12,
        free=False,
    ),
    *_exhibition(
        "verden-i-en-kasse",
        "museet-for-sofart",
        "museet-for-sofart",
        t(
            "Containere – verden i en kasse",
            "Containers: the world in a box",
            "Containrar – världen i en låda",
            "Container – die Welt in einer Kiste",
        ),
        t(
            "Den stålkasse, der ændrede verdenshandlen, og de mennesker der flytter den.",
            "The steel box that changed world trade, and the people who move it.",
            "Stållådan som förändrade världshandeln, och människorna som flyttar den.",
            "Die Stahlkiste, die den Welthandel veränderte, und die Menschen, die sie bewegen.",
        ),
        10,
        10,
        free=False,
    ),
    *_exhibition(
        "vaerftsboern",
        "helsingor-bymuseum",
        "helsingor-kommunes-museer",
        t(
            "Værftsbørn – at vokse op i skibenes by",
            "Shipyard children: growing up in a town of ships",
            "Varvsbarn – att växa upp i fartygens stad",
            "Werftkinder – Aufwachsen in der Stadt der Schiffe",
        ),
        t(
            "Fotografier og fortællinger fra familierne bag Helsingør Værft.",
            "Photographs and stories from the families behind Helsingør shipyard.",
            "Fotografier och berättelser från familjerna bakom Helsingørs varv.",
            "Fotografien und Geschichten der Familien hinter der Werft von Helsingør.",
        ),
        35,
        8,
        free=False,
    ),
    *_exhibition(
        "fremtidens-transport",
        "danmarks-tekniske-museum",
        "danmarks-tekniske-museum",
        t("Fremtidens transport", "Transport of the future", "Framtidens transporter", "Verkehr der Zukunft"),
        t(
            "Elfly, førerløse færger og cykler af træ – prøv selv i udstillingens værksted.",
            "Electric planes, driverless ferries and wooden bicycles: try for yourself in the workshop.",
            "Elflyg, förarlösa färjor och cyklar av trä – prova själv i utställningens verkstad.",
            "Elektroflugzeuge, fahrerlose Fähren und Fahrräder aus Holz – selbst ausprobieren in der Werkstatt.",
        ),
        70,
        12,
        free=False,
    ),
    *_exhibition(
        "nordlys-fotografi",
        "kulturvaerftet",
        "kulturvaerftet-toldkammeret",
        t(
            "Nordlys – fotografier af lokale fotografer",
            "Northern light: photographs by local photographers",
            "Norrljus – fotografier av lokala fotografer",
            "Nordlicht – Fotografien lokaler Fotografen",
        ),
        t(
            "Tolv fotografer fra Helsingør Kommune viser deres bedste billeder af byen og kysten.",
            "Twelve photographers from Helsingør Kommune show their best pictures of the town and the coast.",
            "Tolv fotografer från Helsingør Kommune visar sina bästa bilder av staden och kusten.",
            "Zwölf Fotografen aus der Kommune Helsingør zeigen ihre besten Bilder der Stadt und der Küste.",
        ),
        110,
        8,
        free=True,
    ),
)

ONE_OFFS: tuple[OneOff, ...] = (*FESTIVAL, MARKET, *EXHIBITIONS)

STAIRS = t(
    "Turen går ad trapper og ujævne gulve og kan ikke tages i kørestol.",
    "The tour follows stairs and uneven floors and is not suitable for wheelchairs.",
    "Turen går via trappor och ojämna golv och passar inte för rullstol.",
    "Die Führung geht über Treppen und unebene Böden und ist nicht rollstuhlgerecht.",
)

SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        slug="kasematterne-rundvisning",
        category="rundvisning",
        venue="kronborg-slot",
        hall="kasematterne",
        organiser="kronborg-slot",
        title=t(
            "Rundvisning i Kasematterne",
            "Guided tour of the casemates",
            "Guidad tur i kasematterna",
            "Führung durch die Kasematten",
        ),
        summary=t(
            "Ned under Kronborg, hvor Holger Danske sover – en guidet tur på engelsk hver lørdag.",
            "Down beneath Kronborg, where Holger the Dane sleeps: a guided tour in English every Saturday.",
            "Ner under Kronborg, där Holger Danske sover – en guidad tur på engelska varje lördag.",
            "Hinab unter Kronborg, wo Holger Danske schläft – jeden Samstag eine Führung auf Englisch.",
        ),
        description=t(
            "Guiden fører jer gennem de mørke gange under slottet og fortæller om soldaterne, der "
            "boede her. Mødested: Slotsporten. Tag en trøje med; der er koldt.",
            "The guide leads you through the dark passages under the castle and tells of the soldiers "
            "who lived there. Meeting point: the castle gate. Bring a jumper; it is cold.",
            "Guiden leder er genom de mörka gångarna under slottet och berättar om soldaterna som bodde "
            "här. Mötesplats: slottsporten. Ta med en tröja; det är kallt.",
            "Die Führung geht durch die dunklen Gänge unter dem Schloss und erzählt von den Soldaten, "
            "die hier lebten. Treffpunkt: das Schlosstor. Nehmen Sie einen Pullover mit; es ist kalt.",
        ),
        weekday=SAT,
        start="11:00",
        rule="FREQ=WEEKLY;BYDAY=SA;COUNT=26",
        minutes=60,
        languages=ALL,
        capacity=30,
        performance_language="en",
        tags=("in-english",),
        accessibility=STAIRS,
    ),
    SeriesSpec(
        slug="dokvandring",
        category="rundvisning",
        venue="museet-for-sofart",
        hall="dokken",
        organiser="museet-for-sofart",
        title=t(
            "Dokvandring – 30 minutter i tørdokken",
            "Dock walk: 30 minutes in the dry dock",
            "Dockvandring – 30 minuter i torrdockan",
            "Dockrundgang – 30 Minuten im Trockendock",
        ),
        summary=t(
            "Hver halve time om søndagen: en kort tur rundt om museets tørdok med en af værftets veteraner.",
            "Every half hour on Sundays: a short walk round the museum's dry dock with a shipyard veteran.",
            "Varje halvtimme på söndagar: en kort tur runt museets torrdocka med en varvsveteran.",
            "Sonntags jede halbe Stunde: ein kurzer Rundgang um das Trockendock mit einem Werftveteranen.",
        ),
        description=t(
            "Turen tager 25 minutter og er med i entréen; book et tidspunkt, så holdene ikke bliver "
            "for store. Ingen ture den første søndag i måneden (museets familiedag) og ingen kl. 12.00 "
            "den tredje søndag.",
            "The walk takes 25 minutes and is included in admission; book a time so groups stay small. "
            "No walks on the first Sunday of the month (the museum's family day), and none at 12:00 on "
            "the third Sunday.",
            "Turen tar 25 minuter och ingår i entrén; boka en tid så att grupperna förblir små. Inga "
            "turer första söndagen i månaden (museets familjedag) och ingen kl. 12.00 tredje söndagen.",
            "Der Rundgang dauert 25 Minuten und ist im Eintritt enthalten; buchen Sie eine Zeit, damit "
            "die Gruppen klein bleiben. Keine Rundgänge am ersten Sonntag im Monat (Familientag des "
            "Museums) und keiner um 12 Uhr am dritten Sonntag.",
        ),
        weekday=SUN,
        start="11:00",
        rule="FREQ=MINUTELY;INTERVAL=30;BYDAY=SU;BYHOUR=11,12;COUNT=32",
        minutes=25,
        languages=ALL,
        capacity=15,
        performance_language="da",
        excluded_monthly=((1, ""), (3, "12:00")),
    ),
    SeriesSpec(
        slug="marienlyst-rundvisning",
        category="rundvisning",
        venue="marienlyst-slot",
        organiser="helsingor-kommunes-museer",
        title=t(
            "Søndagsrundvisning på Marienlyst Slot",
            "Sunday tour of Marienlyst Slot",
            "Söndagsvisning på Marienlyst slott",
            "Sonntagsführung im Schloss Marienlyst",
        ),
        summary=t(
            "Den første søndag i måneden: slottets historie, salene og udsigten over Sundet.",
            "The first Sunday of the month: the palace's history, its rooms and the view of the Sound.",
            "Första söndagen i månaden: slottets historia, salarna och utsikten över Sundet.",
            "Am ersten Sonntag im Monat: die Geschichte des Schlosses, seine Säle und der Blick auf den Sund.",
        ),
        description=t(
            "Rundvisningen varer en time og er med i entréen.",
            "The tour lasts an hour and is included in admission.",
            "Visningen varar en timme och ingår i entrén.",
            "Die Führung dauert eine Stunde und ist im Eintritt enthalten.",
        ),
        weekday=None,
        start="14:00",
        rule="FREQ=MONTHLY;BYDAY=1SU;COUNT=6",
        minutes=60,
        languages=ALL,
        capacity=25,
    ),
    SeriesSpec(
        slug="byvandring-gamle-by",
        category="rundvisning",
        venue="helsingor-bymuseum",
        organiser="lokalhistorisk-forening",
        title=t("Byvandring i den gamle bydel", "Walking tour of the old town"),
        summary=t(
            "Fra Sankt Mariæ Kirke til Stengade: middelalderens Helsingør på halvanden time.",
            "From St Mary's Church to Stengade: medieval Helsingør in an hour and a half.",
        ),
        description=t(
            "Mødested foran Bymuseet. Turen går på brosten; gode sko anbefales.",
            "Meet in front of the Town Museum. The route is on cobbles; good shoes recommended.",
        ),
        weekday=SAT,
        start="13:00",
        rule="FREQ=WEEKLY;BYDAY=SA;COUNT=20",
        minutes=90,
        capacity=30,
        tags=("outdoor",),
    ),
    SeriesSpec(
        slug="hoejtlaesning-espergaerde",
        category="boern-og-familie",
        venue="espergaerde-bibliotek",
        organiser="helsingor-bibliotekerne",
        title=t("Højtlæsning for de mindste", "Story time for the little ones"),
        summary=t(
            "Hver torsdag formiddag læser en bibliotekar billedbøger højt for børn på 2–5 år.",
            "Every Thursday morning a librarian reads picture books aloud for children aged 2 to 5.",
        ),
        description=t(
            "Gratis og uden tilmelding. Vi sidder på tæpper i børnebiblioteket.",
            "Free, no need to book. We sit on rugs in the children's library.",
        ),
        weekday=THU,
        start="10:00",
        rule="FREQ=WEEKLY;BYDAY=TH;COUNT=24",
        minutes=30,
        booking_mode=BookingMode.DROP_IN,
        is_free=True,
        skip_holidays=True,
    ),
    SeriesSpec(
        slug="paaskevaerksted-teknisk-museum",
        category="workshop",
        venue="danmarks-tekniske-museum",
        hall="vaerkstedet",
        organiser="danmarks-tekniske-museum",
        title=t("Påskeværksted: byg en båd, der sejler", "Easter workshop: build a boat that floats"),
        summary=t("Under planlægning.", "Being planned."),
        description=t("Programmet offentliggøres senere.", "The programme will be published later."),
        weekday=FRI,
        first_day=120,
        start="11:00",
        rule="FREQ=DAILY;COUNT=5",
        minutes=120,
        capacity=20,
        status=EventStatus.DRAFT,
    ),
)
