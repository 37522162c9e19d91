"""What the demo season is made of: kinds of events, their productions and text templates.

Artists, speakers and associations marked as demo are invented. Templates are filled per
language with the same random choices, so the Danish and the English text say the same thing.
"""

from dataclasses import dataclass, field

from events.models import BookingMode

Text = dict[str, str]
ALL = ("da", "en", "sv", "de")
DA_EN = ("da", "en")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@dataclass(frozen=True)
class Production:
    """One show, artist or topic; its events share an image."""

    slug: str
    name: Text
    fields: dict[str, Text] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    organiser: str = ""
    performance_language: str | None = None
    capacity: int | None = None


@dataclass(frozen=True)
class Kind:
    """A recurring kind of event at one place: when it happens and how it is described."""

    key: str
    category: str
    venues: tuple[str, ...]
    organiser: str
    weekdays: tuple[int, ...]
    times: tuple[str, ...]
    minutes: int
    productions: tuple[Production, ...]
    title: tuple[Text, ...]
    summary: tuple[Text, ...]
    description: tuple[Text, ...]
    languages: tuple[str, ...] = DA_EN
    pools: dict[str, tuple[Text, ...]] = field(default_factory=dict)
    hall: str = ""
    doors_minutes: int | None = None
    booking_mode: str = BookingMode.TICKETS
    is_free: bool = False
    capacity: int | None = None
    weight: int = 1
    age_limit: int | None = None
    performance_language: str = "da"
    tags: tuple[str, ...] = ()
    accessibility: Text | None = None


def t(da: str, en: str, sv: str = "", de: str = "") -> Text:
    """A text in the languages given; Swedish and German may be left out."""
    return {code: value for code, value in (("da", da), ("en", en), ("sv", sv), ("de", de)) if value}


def same(name: str) -> Text:
    """A name that is the same in every language."""
    return dict.fromkeys(ALL, name)


def artist(slug: str, name: str, genre: Text, *tags: str, standing: bool = False, organiser: str = "") -> Production:
    return Production(
        slug, same(name), {"genre": genre}, tags=tags, organiser=organiser, capacity=1000 if standing else None
    )


CLASSICAL = t("klassisk musik", "classical music", "klassisk musik", "klassische Musik")
JAZZ = t("jazz", "jazz", "jazz", "Jazz")
POP = t("pop med store melodier", "pop with big melodies", "pop med stora melodier", "Pop mit großen Melodien")
ROCK = t("rock med kant", "rock with an edge", "rock med kant", "Rock mit Ecken und Kanten")
FOLK = t("nordisk folkemusik", "Nordic folk music", "nordisk folkmusik", "nordische Volksmusik")
BRASS = t("brassmusik", "brass band music", "brassmusik", "Blechbläsermusik")
BLUES = t("blues", "blues", "blues", "Blues")
SONGS = t("sange på dansk", "songs in Danish", "sånger på danska", "Lieder auf Dänisch")
ELECTRONIC = t("elektronisk musik", "electronic music", "elektronisk musik", "elektronische Musik")

PROGRAMMES = (
    t("Vinterlys", "Winter Light", "Vinterljus", "Winterlicht"),
    t("Fra havn til hav", "From Harbour to Sea", "Från hamn till hav", "Vom Hafen zum Meer"),
    t("Forårskoncert", "Spring Concert", "Vårkonsert", "Frühlingskonzert"),
    t("Jubilæumsturné", "Anniversary Tour", "Jubileumsturné", "Jubiläumstournee"),
    t("Nye sange", "New Songs", "Nya sånger", "Neue Lieder"),
    t("Live på Værftet", "Live at the Shipyard", "Live på varvet", "Live auf der Werft"),
    t("Nordiske stemmer", "Nordic Voices", "Nordiska röster", "Nordische Stimmen"),
)
MOODS = (
    t(
        "store følelser og stille øjeblikke",
        "big emotions and quiet moments",
        "stora känslor och stilla ögonblick",
        "große Gefühle und stille Momente",
    ),
    t(
        "en aften, der sætter gang i hele salen",
        "an evening that gets the whole hall moving",
        "en kväll som får hela salen i rörelse",
        "einen Abend, der den ganzen Saal bewegt",
    ),
    t(
        "kendte numre i nye klæder",
        "familiar songs in new clothes",
        "kända låtar i ny skrud",
        "bekannte Stücke in neuem Gewand",
    ),
    t(
        "musik med udsigt til Øresund",
        "music with a view of the Sound",
        "musik med utsikt över Öresund",
        "Musik mit Blick auf den Öresund",
    ),
)
CONCERT_SUMMARIES = (
    t(
        "{name} spiller {genre} på Store Scene – en aften med fuld lyd og havudsigt i pausen.",
        "{name} plays {genre} on Store Scene: an evening of full sound, with the sea in view at the interval.",
        "{name} spelar {genre} på Store Scene – en kväll med fullt ljud och havsutsikt i pausen.",
        "{name} spielt {genre} auf der Store Scene – ein Abend mit vollem Klang und Meerblick in der Pause.",
    ),
    t(
        "Programmet hedder «{programme}»: {name} med {genre} på Kulturværftets største scene.",
        "The programme is called “{programme}”: {name} with {genre} on Kulturværftet's biggest stage.",
        "Programmet heter ”{programme}”: {name} med {genre} på Kulturværftets största scen.",
        "Das Programm heißt „{programme}“: {name} mit {genre} auf der größten Bühne des Kulturværftet.",
    ),
)
CONCERT_DESCRIPTIONS = (
    t(
        "{name} kommer til Helsingør med programmet «{programme}». Forvent {mood}.",
        "{name} comes to Helsingør with the programme “{programme}”. Expect {mood}.",
        "{name} kommer till Helsingør med programmet ”{programme}”. Räkna med {mood}.",
        "{name} kommt mit dem Programm „{programme}“ nach Helsingør. Freuen Sie sich auf {mood}.",
    ),
    t(
        "Dørene åbner før koncerten, og baren i foyeren har åbent før og efter.",
        "Doors open before the concert, and the foyer bar is open before and after.",
        "Dörrarna öppnar före konserten, och baren i foajén är öppen före och efter.",
        "Einlass ist vor dem Konzert; die Bar im Foyer ist vorher und nachher geöffnet.",
    ),
)

STORE_SCENE = Kind(
    key="store-scene",
    category="koncert",
    venues=("kulturvaerftet",),
    hall="store-scene",
    organiser="kulturvaerftet-toldkammeret",
    weekdays=(THU, FRI, SAT),
    times=("20:00",),
    minutes=150,
    doors_minutes=60,
    capacity=500,
    weight=12,
    languages=ALL,
    performance_language="",
    productions=(
        artist("oresund-symfonietta", "Øresund Symfonietta", CLASSICAL, "classical"),
        artist("nordhavn-big-band", "Nordhavn Big Band", JAZZ, "jazz", organiser="jazzforeningen-oresund"),
        artist("kronborg-brass", "Kronborg Brass", BRASS, "brass"),
        artist("signe-vestergaard", "Signe Vestergaard", POP, "pop", standing=True),
        artist("havnens-helte", "Havnens Helte", ROCK, "rock", standing=True),
        artist("lyn-og-torden", "Lyn & Torden", ROCK, "rock", standing=True),
        artist("ida-marie-og-strygerne", "Ida Marie & Strygerne", SONGS, "songs"),
        artist("dockyard-ramblers", "The Dockyard Ramblers", FOLK, "folk", standing=True),
        artist("sundets-elektronik", "Sundet Elektronisk", ELECTRONIC, "electronic", standing=True),
    ),
    pools={"programme": PROGRAMMES, "mood": MOODS},
    title=(t("{name}: {programme}", "{name}: {programme}", "{name}: {programme}", "{name}: {programme}"),),
    summary=CONCERT_SUMMARIES,
    description=CONCERT_DESCRIPTIONS,
)

CLUB_DESCRIPTIONS = (
    t(
        "Tæt på scenen og tæt på musikerne: {name} spiller {genre} i en intim ramme.",
        "Close to the stage and close to the musicians: {name} plays {genre} in an intimate room.",
    ),
    t(
        "Forvent {mood}. Der er få siddepladser, så kom i god tid.",
        "Expect {mood}. Seats are few, so come in good time.",
    ),
)
LILLE_SCENE = Kind(
    key="lille-scene",
    category="koncert",
    venues=("kulturvaerftet",),
    hall="lille-scene",
    organiser="kulturvaerftet-toldkammeret",
    weekdays=(WED, THU, FRI, SAT),
    times=("20:00",),
    minutes=120,
    doors_minutes=30,
    weight=8,
    performance_language="",
    productions=(
        artist("kvartet-nord", "Kvartet Nord", JAZZ, "jazz", organiser="jazzforeningen-oresund"),
        artist("anna-sund", "Anna Sund", SONGS, "songs"),
        artist("duo-kattegat", "Duo Kattegat", FOLK, "folk"),
        artist("trio-tidevand", "Trio Tidevand", JAZZ, "jazz", organiser="jazzforeningen-oresund"),
        artist("mikkel-strand", "Mikkel Strand", BLUES, "blues"),
    ),
    pools={"programme": PROGRAMMES, "mood": MOODS},
    title=(t("{name} på Lille Scene", "{name} at Lille Scene"), t("{name}: {programme}", "{name}: {programme}")),
    summary=(
        t(
            "{genre} helt tæt på – {name} på Kulturværftets Lille Scene.",
            "{genre} up close: {name} at Kulturværftet's Lille Scene.",
        ),
    ),
    description=CLUB_DESCRIPTIONS,
)

TOLDKAMMERET_MUSIC = Kind(
    key="musikcafe",
    category="koncert",
    venues=("toldkammeret",),
    hall="musikcafeen",
    organiser="kulturvaerftet-toldkammeret",
    weekdays=(FRI, SAT),
    times=("21:00",),
    minutes=150,
    doors_minutes=60,
    weight=7,
    age_limit=18,
    performance_language="",
    productions=(
        artist("sofie-krog-kvintet", "Sofie Krog Kvintet", JAZZ, "jazz", organiser="jazzforeningen-oresund"),
        artist("helsingor-blues-kollektiv", "Helsingør Blues Kollektiv", BLUES, "blues"),
        artist("baltic-swing", "Baltic Swing", JAZZ, "jazz", organiser="jazzforeningen-oresund"),
        artist("faergelejet", "Færgelejet", ROCK, "rock"),
    ),
    pools={"programme": PROGRAMMES, "mood": MOODS},
    title=(t("{name} i Musikcaféen", "{name} at the music café"),),
    summary=(
        t(
            "Fredags- og lørdagsmusik ved havnen: {name} spiller {genre} i Toldkammeret.",
            "Weekend music by the harbour: {name} plays {genre} at Toldkammeret.",
        ),
    ),
    description=CLUB_DESCRIPTIONS,
)

PLAY_DESCRIPTIONS = (
    t("{about}", "{about}"),
    t(
        "Forestillingen spilles på dansk og varer cirka to en halv time med pause.",
        "The play is performed in Danish and lasts about two and a half hours with an interval.",
    ),
)
HELSINGOR_TEATER = Kind(
    key="helsingor-teater",
    category="teater",
    venues=("helsingor-teater",),
    organiser="helsingor-teater",
    weekdays=(TUE, WED, THU, FRI),
    times=("19:30",),
    minutes=150,
    doors_minutes=45,
    weight=5,
    productions=(
        Production(
            "jeppe-paa-bjerget",
            t("Jeppe på Bjerget", "Jeppe of the Hill"),
            {
                "about": t(
                    "Holbergs komedie om bonden, der vågner op i baronens seng – fuld af grin og alvor.",
                    "Holberg's comedy about the peasant who wakes up in the baron's bed, "
                    "full of laughter and seriousness.",
                )
            },
        ),
        Production(
            "et-dukkehjem",
            t("Et dukkehjem", "A Doll's House"),
            {
                "about": t(
                    "Ibsens drama om Nora, der tager sin egen frihed – stadig brandaktuelt.",
                    "Ibsen's drama about Nora, who takes her own freedom, and is still burning today.",
                )
            },
        ),
        Production(
            "den-gerrige",
            t("Den Gerrige", "The Miser"),
            {
                "about": t(
                    "Molières forviklingskomedie om Harpagon, der elsker sin pengekasse højere end sine børn.",
                    "Molière's comedy of errors about Harpagon, who loves his money box more than his children.",
                )
            },
        ),
        Production(
            "familien-paa-tredje",
            t("Familien på tredje sal", "The Family on the Third Floor"),
            {
                "about": t(
                    "En ny, varm komedie om tre generationer i én lejlighed og én badeværelsesnøgle (demo).",
                    "A new, warm comedy about three generations, one flat and one bathroom key (demo).",
                )
            },
        ),
    ),
    title=(t("{name}", "{name}"),),
    summary=(
        t(
            "Helsingør Teater præsenterer {name} – teater for hele byen.",
            "Helsingør Teater presents {name}: theatre for the whole town.",
        ),
    ),
    description=PLAY_DESCRIPTIONS,
)

HAMLETSCENEN = Kind(
    key="hamletscenen",
    category="teater",
    venues=("hamletscenen",),
    organiser="hamletscenen",
    weekdays=(THU, FRI, SAT),
    times=("19:00",),
    minutes=135,
    weight=4,
    languages=ALL,
    productions=(
        Production(
            "hamlet",
            same("Hamlet"),
            {
                "about": t(
                    "Shakespeares tragedie om prinsen af Danmark, spillet få hundrede meter fra Kronborg.",
                    "Shakespeare's tragedy about the Prince of Denmark, performed a few hundred metres from Kronborg.",
                    "Shakespeares tragedi om prinsen av Danmark, spelad några hundra meter från Kronborg.",
                    "Shakespeares Tragödie über den Prinzen von "
                    "Dänemark, gespielt wenige hundert Meter von Kronborg entfernt.",
                )
            },
            performance_language="en",
        ),
        Production(
            "romeo-og-julie",
            t("Romeo og Julie", "Romeo and Juliet", "Romeo och Julia", "Romeo und Julia"),
            {
                "about": t(
                    "Den største kærlighedshistorie af dem alle, fortalt af et ungt ensemble.",
                    "The greatest love story of them all, told by a young company.",
                    "Den största kärlekshistorien av dem alla, berättad av en ung ensemble.",
                    "Die größte Liebesgeschichte von allen, erzählt von einem jungen Ensemble.",
                )
            },
        ),
        Production(
            "skaersommernatsdroem",
            t("En skærsommernatsdrøm", "A Midsummer Night's Dream", "En midsommarnattsdröm", "Ein Sommernachtstraum"),
            {
                "about": t(
                    "Elverkonger, forvekslinger og kærlighed i skoven – Shakespeare for hele familien.",
                    "Fairy kings, mix-ups and love in the forest: Shakespeare for the whole family.",
                    "Älvkungar, förväxlingar och kärlek i skogen – Shakespeare för hela familjen.",
                    "Elfenkönige, Verwechslungen und Liebe im Wald – Shakespeare für die ganze Familie.",
                )
            },
        ),
    ),
    title=(t("{name}", "{name}", "{name}", "{name}"),),
    summary=(
        t(
            "HamletScenen spiller {name} med Kronborg som nabo.",
            "HamletScenen performs {name} next to Kronborg.",
            "HamletScenen spelar {name} med Kronborg som granne.",
            "HamletScenen spielt {name} in Nachbarschaft zu Kronborg.",
        ),
    ),
    description=(
        t("{about}", "{about}", "{about}", "{about}"),
        t(
            "Tag varmt tøj med – aftenerne ved Øresund kan være kølige.",
            "Bring warm clothes: evenings by the Sound can be cool.",
            "Ta med varma kläder – kvällarna vid Öresund kan vara svala.",
            "Bringen Sie warme Kleidung mit – die Abende am Öresund können kühl sein.",
        ),
    ),
)

FAMILY_TOLDKAMMERET = Kind(
    key="boernekultur",
    category="boern-og-familie",
    venues=("toldkammeret",),
    hall="boernesalen",
    organiser="kulturvaerftet-toldkammeret",
    weekdays=(SAT, SUN),
    times=("10:30", "13:00"),
    minutes=50,
    capacity=80,
    weight=10,
    age_limit=3,
    productions=(
        Production(
            "den-lille-havfrue-dukketeater",
            t("Den lille havfrue – dukketeater", "The Little Mermaid: puppet theatre"),
            {
                "about": t(
                    "H.C. Andersens eventyr med dukker, bølger af stof og masser af musik.",
                    "Hans Christian Andersen's tale with puppets, waves of fabric and lots of music.",
                )
            },
        ),
        Production(
            "soeroeversange",
            t("Børnekoncert: Sørøversange", "Children's concert: Pirate Songs"),
            {
                "about": t(
                    "Syng med på sange om skibe, skatte og søslanger. Der må gerne danses.",
                    "Sing along to songs about ships, treasure and sea serpents. Dancing is welcome.",
                )
            },
        ),
        Production(
            "kaptajn-klokke",
            t("Eventyrstund med Kaptajn Klokke", "Story time with Captain Clock"),
            {
                "about": t(
                    "Kaptajn Klokke (demo) fortæller historier fra de syv have med lyde og rekvisitter.",
                    "Captain Clock (demo) tells stories from the seven seas with sounds and props.",
                )
            },
        ),
        Production(
            "dans-for-de-mindste",
            t("Dans for de mindste", "Dance for the little ones"),
            {
                "about": t(
                    "En legende danseforestilling, hvor børnene selv kommer på gulvet til sidst.",
                    "A playful dance show where the children join in on the floor at the end.",
                )
            },
        ),
        Production(
            "tegn-og-fortael",
            t("Tegn og fortæl", "Draw and tell"),
            {
                "about": t(
                    "En illustrator tegner historien, mens børnene bestemmer, hvad der skal ske.",
                    "An illustrator draws the story while the children decide what happens next.",
                )
            },
        ),
    ),
    title=(t("{name}", "{name}"),),
    summary=(
        t(
            "Børnekultur i Toldkammeret: {name}. For børn fra 3 år og deres voksne.",
            "Children's culture at Toldkammeret: {name}. For children aged 3 and up and their grown-ups.",
        ),
    ),
    description=(
        t("{about}", "{about}"),
        t(
            "Der er plads til barnevogne i forhallen, og man sidder på puder tæt på scenen.",
            "There is room for prams in the entrance hall, and children sit on cushions close to the stage.",
        ),
    ),
)

WORKSHOP = Kind(
    key="teknisk-vaerksted",
    category="workshop",
    venues=("danmarks-tekniske-museum",),
    hall="vaerkstedet",
    organiser="danmarks-tekniske-museum",
    weekdays=(SAT, SUN),
    times=("11:00", "13:30"),
    minutes=90,
    capacity=20,
    weight=6,
    age_limit=8,
    languages=ALL,
    productions=(
        Production(
            "byg-en-robot",
            t("Byg en robot", "Build a robot", "Bygg en robot", "Bau einen Roboter"),
            {
                "about": t(
                    "Med motorer, sensorer og lidt kode bygger I en robot, der kan finde vej.",
                    "With motors, sensors and a little code you build a robot that finds its way.",
                    "Med motorer, sensorer och lite kod bygger ni en robot som hittar rätt.",
                    "Mit Motoren, Sensoren und etwas Code baut ihr einen Roboter, der seinen Weg findet.",
                )
            },
        ),
        Production(
            "opfindervaerksted",
            t("Opfinderværksted", "Inventors' workshop", "Uppfinnarverkstad", "Erfinderwerkstatt"),
            {
                "about": t(
                    "Skruer, pap og gamle maskindele bliver til nye opfindelser.",
                    "Screws, cardboard and old machine parts become new inventions.",
                    "Skruvar, kartong och gamla maskindelar blir nya uppfinningar.",
                    "Schrauben, Pappe und alte Maschinenteile werden zu neuen Erfindungen.",
                )
            },
        ),
        Production(
            "lodning-for-begyndere",
            t("Lodning for begyndere", "Soldering for beginners", "Lödning för nybörjare", "Löten für Anfänger"),
            {
                "about": t(
                    "Lær at lodde og tag en blinkende lampe med hjem. Fra 10 år.",
                    "Learn to solder and take home a blinking lamp. From age 10.",
                    "Lär dig löda och ta med en blinkande lampa hem. Från 10 år.",
                    "Lerne löten und nimm eine blinkende Lampe mit nach Hause. Ab 10 Jahren.",
                )
            },
        ),
    ),
    title=(t("{name}", "{name}", "{name}", "{name}"),),
    summary=(
        t(
            "Værksted for nysgerrige børn og voksne på Danmarks Tekniske Museum: {name}.",
            "A workshop for curious children and adults at Danmarks Tekniske Museum: {name}.",
            "Verkstad för nyfikna barn och vuxna på Danmarks Tekniske Museum: {name}.",
            "Werkstatt für neugierige Kinder und Erwachsene im Danmarks Tekniske Museum: {name}.",
        ),
    ),
    description=(
        t("{about}", "{about}", "{about}", "{about}"),
        t(
            "Alle materialer er med i prisen. Børn under 12 år deltager sammen med en voksen.",
            "All materials are included. Children under 12 take part with an adult.",
            "Allt material ingår. Barn under 12 år deltar tillsammans med en vuxen.",
            "Alle Materialien sind inbegriffen. Kinder unter 12 Jahren nehmen mit einem Erwachsenen teil.",
        ),
    ),
)

MARITIME_FAMILY = Kind(
    key="sofart-familie",
    category="boern-og-familie",
    venues=("museet-for-sofart",),
    organiser="museet-for-sofart",
    weekdays=(SAT, SUN),
    times=("12:00", "14:00"),
    minutes=60,
    capacity=25,
    weight=4,
    languages=ALL,
    productions=(
        Production(
            "knob-og-soemandsliv",
            t("Knob og sømandsliv", "Knots and life at sea", "Knopar och sjömansliv", "Knoten und Seemannsleben"),
            {
                "about": t(
                    "Lær pælestik og råbåndsknob, og hør hvordan livet var om bord.",
                    "Learn the bowline and the reef knot, and hear what life on board was like.",
                    "Lär dig pålstek och råbandsknop, och hör hur livet var ombord.",
                    "Lerne Palstek und Kreuzknoten und höre, wie das Leben an Bord war.",
                )
            },
        ),
        Production(
            "skattejagt-i-dokken",
            t("Skattejagt i dokken", "Treasure hunt in the dock", "Skattjakt i dockan", "Schatzsuche im Dock"),
            {
                "about": t(
                    "Følg sporene gennem museet og find kaptajnens forsvundne logbog.",
                    "Follow the clues through the museum and find the captain's lost logbook.",
                    "Följ spåren genom museet och hitta kaptenens försvunna loggbok.",
                    "Folgt den Spuren durch das Museum und findet das verschwundene Logbuch des Kapitäns.",
                )
            },
        ),
    ),
    title=(t("{name}", "{name}", "{name}", "{name}"),),
    summary=(
        t(
            "Familieaktivitet på M/S Museet for Søfart: {name}.",
            "Family activity at M/S Museet for Søfart: {name}.",
            "Familjeaktivitet på M/S Museet for Søfart: {name}.",
            "Familienaktivität im M/S Museet for Søfart: {name}.",
        ),
    ),
    description=(
        t("{about}", "{about}", "{about}", "{about}"),
        t(
            "Aktiviteten er med i museets entré.",
            "The activity is included in museum admission.",
            "Aktiviteten ingår i museets entré.",
            "Die Aktivität ist im Museumseintritt enthalten.",
        ),
    ),
)

SPEAKERS = (
    t("historiker Karen Lind (demo)", "historian Karen Lind (demo)"),
    t("forfatter Jonas Havgaard (demo)", "author Jonas Havgaard (demo)"),
    t("biolog Mette Skov (demo)", "biologist Mette Skov (demo)"),
    t("bibliotekar Peter Øst (demo)", "librarian Peter Øst (demo)"),
    t("arkivar Lone Bech (demo)", "archivist Lone Bech (demo)"),
)
LIBRARY_TALKS = Kind(
    key="bibliotek-foredrag",
    category="foredrag",
    venues=("kulturvaerftet-bibliotek", "espergaerde-bibliotek", "hornbaek-bibliotek", "snekkersten-bibliotek"),
    organiser="helsingor-bibliotekerne",
    weekdays=(MON, TUE, WED, THU),
    times=("19:00", "16:30"),
    minutes=90,
    booking_mode=BookingMode.FREE_REGISTRATION,
    is_free=True,
    capacity=60,
    weight=14,
    productions=(
        Production(
            "oeresundstolden",
            t("Øresundstolden – da Helsingør var rig", "The Sound Toll: when Helsingør was rich"),
            tags=("history",),
        ),
        Production(
            "vaerftets-historie",
            t("Værftet: 100 år med skibe og mennesker", "The shipyard: a hundred years of ships and people"),
            tags=("history",),
        ),
        Production(
            "hvorfor-helsingor", t("Hamlet – hvorfor netop Helsingør?", "Hamlet: why Helsingør?"), tags=("literature",)
        ),
        Production("fugle-ved-oeresund", t("Fugle ved Øresund", "Birds of the Sound"), tags=("nature",)),
        Production("skriv-dit-liv", t("Skriv dit livs historie", "Write your life story"), tags=("writing",)),
        Production("klimavenlig-have", t("Den klimavenlige have", "The climate-friendly garden"), tags=("nature",)),
        Production(
            "slaegtsforskning", t("Slægtsforskning for begyndere", "Family history for beginners"), tags=("history",)
        ),
        Production(
            "nordisk-krimi",
            t("Forfatteraften: ny nordisk krimi", "Author evening: new Nordic crime fiction"),
            tags=("literature",),
        ),
        Production(
            "sikker-paa-nettet",
            t("Digital hjælp: sikker på nettet", "Digital help: staying safe online"),
            tags=("digital",),
        ),
    ),
    pools={"speaker": SPEAKERS},
    title=(t("{name}", "{name}"),),
    summary=(
        t(
            "Gratis foredrag ved {speaker}. Tilmeld dig – pladserne er begrænsede.",
            "A free talk by {speaker}. Please register: places are limited.",
        ),
    ),
    description=(
        t(
            "Bibliotekerne inviterer til en aften om emnet «{name}» ved {speaker}.",
            "The libraries invite you to an evening on “{name}” with {speaker}.",
        ),
        t(
            "Der er kaffe og te, og tid til spørgsmål bagefter. Foredraget er på dansk.",
            "Coffee and tea are served, with time for questions afterwards. The talk is in Danish.",
        ),
    ),
)

MUSEUM_TALKS = Kind(
    key="bymuseum-foredrag",
    category="foredrag",
    venues=("helsingor-bymuseum",),
    organiser="lokalhistorisk-forening",
    weekdays=(TUE, WED),
    times=("19:00",),
    minutes=90,
    capacity=40,
    weight=3,
    productions=(
        Production(
            "pest-og-kloster",
            t("Pest og kloster i middelalderens Helsingør", "Plague and monastery in medieval Helsingør"),
            tags=("history",),
        ),
        Production("skibsbyggerne", t("Skibsbyggerne fortæller", "The shipbuilders remember"), tags=("history",)),
    ),
    pools={"speaker": SPEAKERS},
    title=(t("{name}", "{name}"),),
    summary=(
        t(
            "Lokalhistorisk aften på Bymuseet med {speaker}.",
            "A local history evening at the Town Museum with {speaker}.",
        ),
    ),
    description=(
        t(
            "Foreningen inviterer til foredrag om «{name}». Medlemmer og gæster er velkomne.",
            "The society invites you to a talk on “{name}”. Members and guests are welcome.",
        ),
    ),
)

FILM_CLUB = Kind(
    key="filmklub",
    category="film",
    venues=("kulturvaerftet",),
    hall="lille-scene",
    organiser="filmklubben-kronborg",
    weekdays=(TUE, SUN),
    times=("19:00", "15:00"),
    minutes=130,
    weight=5,
    performance_language="",
    productions=(
        Production("nordisk-noir", t("Filmklub: Nordisk noir", "Film club: Nordic noir")),
        Production("stumfilm-levende-musik", t("Stumfilm med levende musik", "Silent film with live music")),
        Production("havet-paa-film", t("Dokumentar: Havet på film", "Documentary: The sea on film")),
        Production("1960erne", t("Filmklub: Klassikere fra 1960'erne", "Film club: Classics of the 1960s")),
    ),
    title=(t("{name}", "{name}"),),
    summary=(
        t(
            "Filmklubben Kronborg viser film på Lille Scene, med en kort introduktion før forestillingen.",
            "Filmklubben Kronborg screens films at Lille Scene, with a short introduction first.",
        ),
    ),
    description=(
        t(
            "Aftenens tema er «{name}». Efter filmen er der en snak i foyeren for dem, der har lyst.",
            "Tonight's theme is “{name}”. After the film there is a chat in the foyer for anyone who likes.",
        ),
    ),
)

DANCE = Kind(
    key="dans",
    category="dans",
    venues=("kulturvaerftet", "toldkammeret"),
    organiser="kulturvaerftet-toldkammeret",
    weekdays=(FRI, SAT, SUN),
    times=("19:30", "14:00"),
    minutes=75,
    weight=3,
    performance_language="",
    productions=(
        Production("kompagni-boelge", t("Kompagni Bølge: Tidevand", "Kompagni Bølge: Tide")),
        Production("dansecafe", t("Dansecafé med levende musik", "Dance café with live music")),
    ),
    title=(t("{name}", "{name}"),),
    summary=(
        t("Dans ved havnen – kom og se eller kom og dans.", "Dance by the harbour: come and watch or come and dance."),
    ),
    description=(
        t(
            "{name} er for alle aldre. Der er siddepladser langs væggene og plads på gulvet.",
            "{name} is for all ages. There are seats along the walls and room on the floor.",
        ),
    ),
)

HARBOUR = Kind(
    key="kulturhavn",
    category="festival",
    venues=("kulturhavn-kronborg",),
    organiser="kulturvaerftet-toldkammeret",
    weekdays=(SAT,),
    times=("16:00",),
    minutes=120,
    booking_mode=BookingMode.DROP_IN,
    is_free=True,
    weight=2,
    languages=ALL,
    tags=("outdoor",),
    productions=(
        Production(
            "lysvandring-paa-havnen",
            t(
                "Lysvandring på Kulturhavnen",
                "Lantern walk on the harbour",
                "Lyktvandring i Kulturhamnen",
                "Laternenspaziergang am Kulturhafen",
            ),
        ),
        Production(
            "havnekoncert",
            t(
                "Havnekoncert ved Kronborg",
                "Harbour concert by Kronborg",
                "Hamnkonsert vid Kronborg",
                "Hafenkonzert bei Kronborg",
            ),
        ),
    ),
    title=(t("{name}", "{name}", "{name}", "{name}"),),
    summary=(
        t(
            "Gratis og udendørs mellem Kronborg og Kulturværftet – kom som du er.",
            "Free and outdoors between Kronborg and Kulturværftet: come as you are.",
            "Gratis och utomhus mellan Kronborg och Kulturværftet – kom som du är.",
            "Kostenlos und im Freien zwischen Kronborg und Kulturværftet – kommen Sie, wie Sie sind.",
        ),
    ),
    description=(
        t(
            "{name}: ingen billetter, ingen tilmelding. Tag varmt tøj på.",
            "{name}: no tickets, no registration. Wrap up warm.",
            "{name}: inga biljetter, ingen anmälan. Klä dig varmt.",
            "{name}: keine Tickets, keine Anmeldung. Ziehen Sie sich warm an.",
        ),
    ),
)

KINDS: tuple[Kind, ...] = (
    STORE_SCENE,
    LILLE_SCENE,
    TOLDKAMMERET_MUSIC,
    HELSINGOR_TEATER,
    HAMLETSCENEN,
    FAMILY_TOLDKAMMERET,
    WORKSHOP,
    MARITIME_FAMILY,
    LIBRARY_TALKS,
    MUSEUM_TALKS,
    FILM_CLUB,
    DANCE,
    HARBOUR,
)

CANCELLED_NOTE = t(
    "Arrangementet er aflyst. Har du købt billet, får du hele beløbet refunderet automatisk.",
    "This event is cancelled. If you bought a ticket, you will get a full refund automatically.",
    "Evenemanget är inställt. Har du köpt biljett får du hela beloppet återbetalt automatiskt.",
    "Die Veranstaltung fällt aus. Wer ein Ticket gekauft hat, bekommt den vollen Betrag automatisch erstattet.",
)
POSTPONED_NOTE = t(
    "Arrangementet er udsat. Den nye dato kommer snart, og din billet gælder til den.",
    "This event is postponed. The new date follows soon, and your ticket will be valid for it.",
    "Evenemanget är uppskjutet. Det nya datumet kommer snart och din biljett gäller då.",
    "Die Veranstaltung ist verschoben. Der neue Termin folgt in Kürze, und Ihr Ticket bleibt gültig.",
)
