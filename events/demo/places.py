"""The real venues of Helsingør Kommune, their organisers and the event categories.

Addresses and coordinates are approximate (good enough for a map pin). Capacities are given only
where the project's domain notes state them (Kulturværftet's Store Scene); every other hall has
none. Accessibility flags are plausible demo values, to be confirmed with each venue.
"""

from dataclasses import dataclass
from decimal import Decimal

Text = dict[str, str]


@dataclass(frozen=True)
class HallSpec:
    slug: str
    name: str
    seated_capacity: int | None = None
    standing_capacity: int | None = None


@dataclass(frozen=True)
class EntranceSpec:
    slug: str
    name: str
    hall_slug: str = ""


@dataclass(frozen=True)
class VenueSpec:
    slug: str
    name: str
    street_address: str
    postcode: str
    town: str
    latitude: str
    longitude: str
    description: Text
    accessibility_notes: Text
    kind: str
    website: str = ""
    has_step_free_access: bool = False
    has_hearing_loop: bool = False
    has_accessible_toilet: bool = False
    halls: tuple[HallSpec, ...] = ()
    entrances: tuple[EntranceSpec, ...] = (EntranceSpec("hovedindgang", "Hovedindgang"),)

    @property
    def lat(self) -> Decimal:
        return Decimal(self.latitude)

    @property
    def lon(self) -> Decimal:
        return Decimal(self.longitude)


@dataclass(frozen=True)
class OrganiserSpec:
    slug: str
    name: str
    website: str = ""


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: Text
    position: int


STEP_FREE_NOTES: Text = {
    "da": "Niveaufri adgang med elevator til alle etager. Handicaptoilet og teleslynge i salene.",
    "en": "Step-free access with lifts to every floor. Accessible toilet and hearing loop in the halls.",
    "sv": "Nivåfri entré med hiss till alla våningar. Handikapptoalett och hörslinga i salarna.",
    "de": "Stufenloser Zugang mit Aufzug zu allen Etagen. Barrierefreies WC und Induktionsschleife in den Sälen.",
}
LIBRARY_NOTES: Text = {
    "da": "Niveaufri adgang og handicaptoilet. Spørg personalet, hvis du har brug for en hånd.",
    "en": "Step-free access and an accessible toilet. Ask the staff if you need a hand.",
    "sv": "Nivåfri entré och handikapptoalett. Fråga personalen om du behöver hjälp.",
    "de": "Stufenloser Zugang und barrierefreies WC. Fragen Sie das Personal, wenn Sie Hilfe brauchen.",
}

VENUES: tuple[VenueSpec, ...] = (
    VenueSpec(
        slug="kulturvaerftet",
        name="Kulturværftet",
        street_address="Allégade 2",
        postcode="3000",
        town="Helsingør",
        latitude="56.037600",
        longitude="12.616600",
        website="https://kuto.dk",
        kind="culture_house",
        has_step_free_access=True,
        has_hearing_loop=True,
        has_accessible_toilet=True,
        description={
            "da": "Kulturhus på det gamle skibsværft ved havnen, åbnet i 2010. Her bor hovedbiblioteket, "
            "Store Scene og Lille Scene, øvelokaler og en café med udsigt til Kronborg.",
            "en": "Culture house on the old shipyard by the harbour, opened in 2010: the main library, "
            "Store Scene and Lille Scene, rehearsal rooms and a café looking out on Kronborg.",
            "sv": "Kulturhus på det gamla skeppsvarvet vid hamnen, öppnat 2010, med huvudbiblioteket, "
            "Store Scene och Lille Scene, replokaler och ett kafé med utsikt mot Kronborg.",
            "de": "Kulturhaus auf der alten Werft am Hafen, eröffnet 2010, mit Hauptbibliothek, "
            "Store Scene und Lille Scene, Proberäumen und einem Café mit Blick auf Kronborg.",
        },
        accessibility_notes=STEP_FREE_NOTES,
        halls=(
            HallSpec("store-scene", "Store Scene", seated_capacity=500, standing_capacity=1000),
            HallSpec("lille-scene", "Lille Scene"),
        ),
        entrances=(
            EntranceSpec("hovedindgang", "Hovedindgang, Allégade"),
            EntranceSpec("store-scene", "Foyer, Store Scene", "store-scene"),
            EntranceSpec("lille-scene", "Lille Scene", "lille-scene"),
        ),
    ),
    VenueSpec(
        slug="vaerftshallerne",
        name="Værftshallerne",
        street_address="Allégade",  # the halls lie on the shipyard site; no single street number
        postcode="3000",
        town="Helsingør",
        latitude="56.036900",
        longitude="12.617900",
        kind="halls",
        has_step_free_access=True,
        has_accessible_toilet=True,
        description={
            "da": "Omkring 14.000 m² tidligere værftshaller, hvor skibe blev bygget i hundrede år. I dag "
            "rummer de koncerter, festivaler, markeder, sport og konferencer.",
            "en": "About 14,000 m² of former shipyard halls where ships were built for a hundred years, now "
            "home to concerts, festivals, markets, sport and conferences.",
            "sv": "Omkring 14 000 m² före detta varvshallar där fartyg byggdes i hundra år. I dag rymmer de "
            "konserter, festivaler, marknader, idrott och konferenser.",
            "de": "Rund 14.000 m² ehemalige Werfthallen, in denen hundert Jahre lang Schiffe gebaut wurden. "
            "Heute finden hier Konzerte, Festivals, Märkte, Sport und Konferenzen statt.",
        },
        accessibility_notes={
            "da": "Niveaufri adgang gennem hallernes porte. Betongulv; der kan være koldt om vinteren.",
            "en": "Step-free access through the hall doors. Concrete floors; it can be cold in winter.",
            "sv": "Nivåfri entré genom hallarnas portar. Betonggolv; det kan vara kallt på vintern.",
            "de": "Stufenloser Zugang durch die Hallentore. Betonboden; im Winter kann es kalt sein.",
        },
        halls=(HallSpec("hal-14", "Hal 14"), HallSpec("hal-21", "Hal 21")),
        entrances=(
            EntranceSpec("port-hal-14", "Port, Hal 14", "hal-14"),
            EntranceSpec("port-hal-21", "Port, Hal 21", "hal-21"),
        ),
    ),
    VenueSpec(
        slug="kulturhavn-kronborg",
        name="Kulturhavn Kronborg",
        street_address="Kulturhavnen",
        postcode="3000",
        town="Helsingør",
        latitude="56.038300",
        longitude="12.618500",
        kind="outdoor",
        has_step_free_access=True,
        description={
            "da": "Havneområdet mellem Kronborg og Kulturværftet. Udendørs scene for koncerter, markeder "
            "og byens store fællesarrangementer.",
            "en": "The harbour front between Kronborg and Kulturværftet: an outdoor stage for concerts, "
            "markets and the town's big shared events.",
            "sv": "Hamnområdet mellan Kronborg och Kulturværftet, en utomhusscen för konserter, marknader "
            "och stadens stora gemensamma evenemang.",
            "de": "Das Hafengelände zwischen Kronborg und Kulturværftet, eine Freiluftbühne für Konzerte, "
            "Märkte und die großen Feste der Stadt.",
        },
        accessibility_notes={
            "da": "Udendørs på flad belægning. Nærmeste handicaptoilet er i Kulturværftet.",
            "en": "Outdoors on level paving. The nearest accessible toilet is in Kulturværftet.",
            "sv": "Utomhus på plan mark. Närmaste handikapptoalett finns i Kulturværftet.",
            "de": "Im Freien auf ebenem Pflaster. Das nächste barrierefreie WC ist im Kulturværftet.",
        },
        entrances=(EntranceSpec("havnepladsen", "Havnepladsen"),),
    ),
    VenueSpec(
        slug="toldkammeret",
        name="Toldkammeret",
        street_address="Havnepladsen 1",
        postcode="3000",
        town="Helsingør",
        latitude="56.036400",
        longitude="12.614000",
        website="https://kuto.dk",
        kind="culture_house",
        has_step_free_access=True,
        has_accessible_toilet=True,
        description={
            "da": "Kulturhus i det gamle toldkammer ved havnen siden 1989, med musikcafé og masser af børnekultur.",
            "en": "A culture house in the old customs house by the harbour since 1989, with a music café and "
            "plenty of culture for children.",
            "sv": "Kulturhus i det gamla tullhuset vid hamnen sedan 1989, med musikkafé och mycket kultur för barn.",
            "de": "Seit 1989 ein Kulturhaus im alten Zollhaus am Hafen, mit Musikcafé und viel Kultur für Kinder.",
        },
        accessibility_notes={
            "da": "Niveaufri adgang til stueetagen og handicaptoilet. Der er trapper til første sal.",
            "en": "Step-free access to the ground floor and an accessible toilet. The first floor is up stairs.",
            "sv": "Nivåfri entré till bottenvåningen och handikapptoalett. Till första våningen går en trappa.",
            "de": "Stufenloser Zugang zum Erdgeschoss und barrierefreies WC. Ins Obergeschoss führen Treppen.",
        },
        halls=(HallSpec("musikcafeen", "Musikcaféen"), HallSpec("boernesalen", "Børnesalen")),
    ),
    VenueSpec(
        slug="museet-for-sofart",
        name="M/S Museet for Søfart",
        street_address="Ny Kronborgvej 1",
        postcode="3000",
        town="Helsingør",
        latitude="56.037800",
        longitude="12.619500",
        website="https://mfs.dk",
        kind="museum",
        has_step_free_access=True,
        has_hearing_loop=True,
        has_accessible_toilet=True,
        description={
            "da": "Danmarks søfartsmuseum, bygget ned i den gamle tørdok foran Kronborg. Omkring 100.000 "
            "gæster om året, og hver fjerde kommer fra udlandet.",
            "en": "Denmark's maritime museum, built down into the old dry dock in front of Kronborg. About "
            "100,000 visitors a year, around a quarter of them from abroad.",
            "sv": "Danmarks sjöfartsmuseum, byggt ned i den gamla torrdockan framför Kronborg. Omkring "
            "100 000 besökare om året, ungefär en fjärdedel från utlandet.",
            "de": "Dänemarks Museum für Seefahrt, in das alte Trockendock vor Kronborg hineingebaut. Rund "
            "100.000 Gäste im Jahr, etwa ein Viertel aus dem Ausland.",
        },
        accessibility_notes={
            "da": "Ramper og elevator fører ned gennem museet. Kørestole kan lånes ved billetsalget.",
            "en": "Ramps and a lift lead down through the museum. Wheelchairs can be borrowed at the ticket desk.",
            "sv": "Ramper och hiss leder ner genom museet. Rullstolar kan lånas i biljettkassan.",
            "de": "Rampen und ein Aufzug führen durch das Museum. Rollstühle können an der Kasse geliehen werden.",
        },
        halls=(HallSpec("dokken", "Dokken"),),
    ),
    VenueSpec(
        slug="kronborg-slot",
        name="Kronborg Slot",
        street_address="Kronborg 2C",
        postcode="3000",
        town="Helsingør",
        latitude="56.039000",
        longitude="12.621600",
        website="https://www.kongeligeslotte.dk",
        kind="castle",
        has_accessible_toilet=True,
        description={
            "da": "Renæssanceslottet ved Øresund, på UNESCO's verdensarvsliste og kendt verden over som "
            "Hamlets Elsinore. Hundredtusinder af gæster om året, de fleste fra udlandet om sommeren.",
            "en": "The Renaissance castle on the Sound, a UNESCO World Heritage Site known the world over as "
            "Hamlet's Elsinore. Hundreds of thousands of visitors a year, mostly from abroad in summer.",
            "sv": "Renässansslottet vid Öresund, på Unescos världsarvslista och känt över hela världen som "
            "Hamlets Helsingör. Hundratusentals besökare om året, de flesta utländska på sommaren.",
            "de": "Das Renaissanceschloss am Öresund, UNESCO-Welterbe und weltbekannt als Hamlets Helsingør. "
            "Hunderttausende Gäste im Jahr, im Sommer meist aus dem Ausland.",
        },
        accessibility_notes={
            "da": "Slotsgården og dele af stueetagen kan nås uden trin. Kasematterne har trapper og ujævne "
            "gulve og kan ikke besøges i kørestol.",
            "en": "The courtyard and parts of the ground floor can be reached without steps. The casemates "
            "have stairs and uneven floors and cannot be visited in a wheelchair.",
            "sv": "Slottsgården och delar av bottenvåningen nås utan trappsteg. Kasematterna har trappor och "
            "ojämna golv och kan inte besökas med rullstol.",
            "de": "Der Schlosshof und Teile des Erdgeschosses sind stufenlos erreichbar. Die Kasematten haben "
            "Treppen und unebene Böden und sind mit dem Rollstuhl nicht zugänglich.",
        },
        halls=(HallSpec("riddersalen", "Riddersalen"), HallSpec("kasematterne", "Kasematterne")),
        entrances=(EntranceSpec("slotsporten", "Slotsporten"),),
    ),
    VenueSpec(
        slug="helsingor-teater",
        name="Helsingør Teater",
        street_address="Allégade 2",  # the association plays on Kulturværftet's stages
        postcode="3000",
        town="Helsingør",
        latitude="56.037600",
        longitude="12.616600",
        kind="theatre",
        has_step_free_access=True,
        has_hearing_loop=True,
        has_accessible_toilet=True,
        description={
            "da": "Byens teaterforening. Den henter turnéforestillinger for børn og voksne til Helsingør, "
            "og de fleste spiller på Kulturværftet.",
            "en": "The town's theatre association. It brings touring plays for children and adults to "
            "Helsingør, most of them on Kulturværftet's stages.",
            "sv": "Stadens teaterförening, som tar turnerande föreställningar för barn och vuxna till "
            "Helsingør, oftast på Kulturværftets scener.",
            "de": "Der Theaterverein der Stadt holt Tourneeproduktionen für Kinder und Erwachsene nach "
            "Helsingør, meist auf die Bühnen des Kulturværftet.",
        },
        accessibility_notes=STEP_FREE_NOTES,
    ),
    VenueSpec(
        slug="hamletscenen",
        name="HamletScenen",
        street_address="Kronværksbyen",  # the theatre's base by Kronborg; street number unverified
        postcode="3000",
        town="Helsingør",
        latitude="56.037200",
        longitude="12.622800",
        website="https://hamletscenen.dk",
        kind="theatre",
        has_accessible_toilet=True,
        description={
            "da": "Danmarks Shakespeare-teater, med Kronborg som kulisse. Udendørs forestillinger om "
            "sommeren, dukketeater og Hamlet for nye generationer.",
            "en": "Denmark's Shakespeare theatre, with Kronborg as its backdrop: open-air performances in "
            "summer, puppet theatre and Hamlet for new generations.",
            "sv": "Danmarks Shakespeareteater med Kronborg som kuliss: utomhusföreställningar på sommaren, "
            "dockteater och Hamlet för nya generationer.",
            "de": "Dänemarks Shakespeare-Theater mit Kronborg als Kulisse: Freilichtaufführungen im Sommer, "
            "Puppentheater und Hamlet für neue Generationen.",
        },
        accessibility_notes={
            "da": "Spillestederne ved Kronborg har grus og brosten. Kontakt teatret om pladser til kørestol.",
            "en": "The stages by Kronborg have gravel and cobbles. Contact the theatre about wheelchair places.",
            "sv": "Spelplatserna vid Kronborg har grus och kullersten. Kontakta teatern om rullstolsplatser.",
            "de": "Die Spielorte bei Kronborg haben Kies und Kopfsteinpflaster. Rollstuhlplätze bitte beim "
            "Theater erfragen.",
        },
    ),
    VenueSpec(
        slug="helsingor-bymuseum",
        name="Helsingør Bymuseum",
        street_address="Sct. Annagade 36",
        postcode="3000",
        town="Helsingør",
        latitude="56.035900",
        longitude="12.612400",
        kind="museum",
        description={
            "da": "Byens historie fra Øresundstolden til værftet, i det gamle karmeliterhospital midt i "
            "den middelalderlige bydel.",
            "en": "The town's history from the Sound Toll to the shipyard, in the old Carmelite hospital in "
            "the heart of the medieval quarter.",
            "sv": "Stadens historia från Öresundstullen till varvet, i det gamla karmelitersjukhuset mitt i "
            "den medeltida stadsdelen.",
            "de": "Die Geschichte der Stadt vom Sundzoll bis zur Werft, im alten Karmeliterspital mitten in "
            "der mittelalterlichen Altstadt.",
        },
        accessibility_notes={
            "da": "Historisk bygning med trin ved indgangen og trapper mellem etagerne.",
            "en": "A historic building with steps at the entrance and stairs between floors.",
            "sv": "Historisk byggnad med trappsteg vid entrén och trappor mellan våningarna.",
            "de": "Historisches Gebäude mit Stufen am Eingang und Treppen zwischen den Etagen.",
        },
    ),
    VenueSpec(
        slug="marienlyst-slot",
        name="Marienlyst Slot",
        street_address="Marienlyst Allé 32",
        postcode="3000",
        town="Helsingør",
        latitude="56.043200",
        longitude="12.600300",
        kind="castle",
        description={
            "da": "Lystslot fra 1700-tallet nord for bymidten, med klassicistiske sale, kunstudstillinger og "
            "en have med udsigt over Øresund.",
            "en": "An 18th-century pleasure palace north of the town centre, with Neoclassical rooms, art "
            "exhibitions and a garden overlooking the Sound.",
            "sv": "Ett lustslott från 1700-talet norr om centrum, med klassicistiska salar, konstutställningar "
            "och en trädgård med utsikt över Öresund.",
            "de": "Ein Lustschloss aus dem 18. Jahrhundert nördlich der Innenstadt, mit klassizistischen Sälen, "
            "Kunstausstellungen und einem Garten mit Blick auf den Öresund.",
        },
        accessibility_notes={
            "da": "Trapper til udstillingerne; haven kan nås ad grusstier.",
            "en": "Stairs to the exhibitions; the garden can be reached on gravel paths.",
            "sv": "Trappor till utställningarna; trädgården nås via grusgångar.",
            "de": "Treppen zu den Ausstellungen; der Garten ist über Kieswege erreichbar.",
        },
    ),
    VenueSpec(
        slug="kulturvaerftet-bibliotek",
        name="Helsingør Bibliotek, Kulturværftet",
        street_address="Allégade 2",
        postcode="3000",
        town="Helsingør",
        latitude="56.037500",
        longitude="12.616300",
        website="https://www.helsbib.dk",
        kind="library",
        has_step_free_access=True,
        has_hearing_loop=True,
        has_accessible_toilet=True,
        description={
            "da": "Hovedbiblioteket på Kulturværftet: bøger, læsepladser med havudsigt, makerspace og "
            "foredrag for alle.",
            "en": "The main library at Kulturværftet: books, reading places with a sea view, a makerspace "
            "and talks for everyone.",
            "sv": "Huvudbiblioteket på Kulturværftet: böcker, läsplatser med havsutsikt, makerspace och "
            "föredrag för alla.",
            "de": "Die Hauptbibliothek im Kulturværftet: Bücher, Leseplätze mit Meerblick, Makerspace und "
            "Vorträge für alle.",
        },
        accessibility_notes=LIBRARY_NOTES,
    ),
    VenueSpec(
        slug="espergaerde-bibliotek",
        name="Espergærde Bibliotek",
        street_address="Kløvermarken 12",
        postcode="3060",
        town="Espergærde",
        latitude="55.994200",
        longitude="12.547800",
        website="https://www.helsbib.dk",
        kind="library",
        has_step_free_access=True,
        has_accessible_toilet=True,
        description={
            "da": "Bibliotek midt i Espergærde ved centret, med børnebibliotek og små arrangementer.",
            "en": "A library in the middle of Espergærde by the shopping centre, with a children's library "
            "and small events.",
            "sv": "Ett bibliotek mitt i Espergærde vid köpcentret, med barnbibliotek och små evenemang.",
            "de": "Eine Bibliothek mitten in Espergærde am Einkaufszentrum, mit Kinderbibliothek und kleinen "
            "Veranstaltungen.",
        },
        accessibility_notes=LIBRARY_NOTES,
    ),
    VenueSpec(
        slug="hornbaek-bibliotek",
        name="Hornbæk Bibliotek",
        street_address="Vestre Stejlebakke 2A",
        postcode="3100",
        town="Hornbæk",
        latitude="56.090500",
        longitude="12.455800",
        website="https://www.helsbib.dk",
        kind="library",
        has_step_free_access=True,
        has_accessible_toilet=True,
        description={
            "da": "Lille bibliotek tæt på havnen i Hornbæk, med forfatteraftener og læsekredse.",
            "en": "A small library close to Hornbæk harbour, with author evenings and reading circles.",
            "sv": "Ett litet bibliotek nära hamnen i Hornbæk, med författarkvällar och läsecirklar.",
            "de": "Eine kleine Bibliothek nahe dem Hafen von Hornbæk, mit Autorenabenden und Lesekreisen.",
        },
        accessibility_notes=LIBRARY_NOTES,
    ),
    VenueSpec(
        slug="snekkersten-bibliotek",
        name="Snekkersten Bibliotek",
        street_address="Snekkersten",  # street address unverified
        postcode="3070",
        town="Snekkersten",
        latitude="56.006000",
        longitude="12.589000",
        website="https://www.helsbib.dk",
        kind="library",
        has_step_free_access=True,
        description={
            "da": "Nærbibliotek i Snekkersten med lånebøger, aviser og hyggelige formiddage for de mindste.",
            "en": "A neighbourhood library in Snekkersten with books to borrow, newspapers and cosy mornings "
            "for the youngest.",
            "sv": "Närbibliotek i Snekkersten med böcker att låna, tidningar och mysiga förmiddagar för de minsta.",
            "de": "Eine Stadtteilbibliothek in Snekkersten mit Büchern zum Ausleihen, Zeitungen und "
            "gemütlichen Vormittagen für die Kleinsten.",
        },
        accessibility_notes=LIBRARY_NOTES,
    ),
    VenueSpec(
        slug="danmarks-tekniske-museum",
        name="Danmarks Tekniske Museum",
        street_address="Nordre Strandvej 23",
        postcode="3000",
        town="Helsingør",
        latitude="56.043700",
        longitude="12.606000",
        website="https://www.tekniskmuseum.dk",
        kind="museum",
        has_step_free_access=True,
        has_accessible_toilet=True,
        description={
            "da": "Opfindelser, biler, fly og maskiner fra to hundrede års dansk teknik, med værksteder "
            "hvor børn selv kan bygge og prøve.",
            "en": "Inventions, cars, aircraft and machines from two hundred years of Danish engineering, with "
            "workshops where children can build and try things themselves.",
            "sv": "Uppfinningar, bilar, flygplan och maskiner från tvåhundra år av dansk teknik, med "
            "verkstäder där barn själva kan bygga och prova.",
            "de": "Erfindungen, Autos, Flugzeuge und Maschinen aus zweihundert Jahren dänischer Technik, mit "
            "Werkstätten, in denen Kinder selbst bauen und ausprobieren können.",
        },
        accessibility_notes={
            "da": "Udstillingen er i ét plan med niveaufri adgang. Handicaptoilet ved indgangen.",
            "en": "The exhibition is on one level with step-free access. Accessible toilet by the entrance.",
            "sv": "Utställningen ligger på ett plan med nivåfri entré. Handikapptoalett vid entrén.",
            "de": "Die Ausstellung liegt auf einer Ebene mit stufenlosem Zugang. Barrierefreies WC am Eingang.",
        },
        halls=(HallSpec("vaerkstedet", "Værkstedet"),),
    ),
)

ORGANISERS: tuple[OrganiserSpec, ...] = (
    OrganiserSpec("kulturvaerftet-toldkammeret", "Kulturværftet & Toldkammeret", "https://kuto.dk"),
    OrganiserSpec("vaerftshallerne", "Værftshallerne"),
    OrganiserSpec("museet-for-sofart", "M/S Museet for Søfart", "https://mfs.dk"),
    OrganiserSpec("kronborg-slot", "Kronborg Slot", "https://www.kongeligeslotte.dk"),
    OrganiserSpec("helsingor-teater", "Helsingør Teater"),
    OrganiserSpec("hamletscenen", "HamletScenen", "https://hamletscenen.dk"),
    OrganiserSpec("helsingor-kommunes-museer", "Helsingør Kommunes Museer"),
    OrganiserSpec("helsingor-bibliotekerne", "Helsingør Kommunes Biblioteker", "https://www.helsbib.dk"),
    OrganiserSpec("danmarks-tekniske-museum", "Danmarks Tekniske Museum", "https://www.tekniskmuseum.dk"),
    # Associations: invented names, clearly demo content.
    OrganiserSpec("jazzforeningen-oresund", "Jazzforeningen Øresund (demo)"),
    OrganiserSpec("filmklubben-kronborg", "Filmklubben Kronborg (demo)"),
    OrganiserSpec("lokalhistorisk-forening", "Lokalhistorisk Forening for Helsingør (demo)"),
)

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("koncert", {"da": "Koncert", "en": "Concert", "sv": "Konsert", "de": "Konzert"}, 10),
    CategorySpec("teater", {"da": "Teater", "en": "Theatre", "sv": "Teater", "de": "Theater"}, 20),
    CategorySpec(
        "boern-og-familie",
        {"da": "Børn og familie", "en": "Children and family", "sv": "Barn och familj", "de": "Kinder und Familie"},
        30,
    ),
    CategorySpec("udstilling", {"da": "Udstilling", "en": "Exhibition", "sv": "Utställning", "de": "Ausstellung"}, 40),
    CategorySpec("foredrag", {"da": "Foredrag", "en": "Talk", "sv": "Föredrag", "de": "Vortrag"}, 50),
    CategorySpec("festival", {"da": "Festival", "en": "Festival", "sv": "Festival", "de": "Festival"}, 60),
    CategorySpec("film", {"da": "Film", "en": "Film", "sv": "Film", "de": "Film"}, 70),
    CategorySpec("rundvisning", {"da": "Rundvisning", "en": "Guided tour", "sv": "Guidad tur", "de": "Führung"}, 80),
    CategorySpec("dans", {"da": "Dans", "en": "Dance", "sv": "Dans", "de": "Tanz"}, 90),
    CategorySpec("workshop", {"da": "Workshop", "en": "Workshop", "sv": "Workshop", "de": "Workshop"}, 100),
)
