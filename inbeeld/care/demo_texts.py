"""Invented Dutch texts for the demo's care history: contact notes, goals, actions. No real person."""

from __future__ import annotations

from inbeeld.care.demo_history import Entry
from inbeeld.core.demo import CLINIC, MUNICIPALITY, SHELTER

# --- Invented texts (gender-neutral: some roepnamen are men's) ---------------------------------------

ZONE: tuple[Entry, ...] = (
    ("sighting", (), "Gezien op de kade, kort gegroet."), ("sighting", (), ""), ("sighting", (), ""),
    ("sighting", (), "Stond bij de bushalte; wilde niet praten."),
    ("sighting", (), "Even gezwaaid vanuit de bus."),
    ("sighting", ("safety",), "Stapte in een onbekende auto; leek in orde."),
    ("sighting", ("health",), "Gezien bij de container; zag er moe uit."),
    ("information", ("exit",), "Folder van de huiskamer gegeven."),
    ("information", ("health",), "Verteld over het spreekuur van de soa-poli."),
    ("information", ("housing",), "Vroeg naar opvangplekken; uitleg gegeven."),
    ("information", ("income",), "Adres van de voedselbank gegeven."),
    ("help", ("health",), "Koffie en condooms; praatje over rugpijn."),
    ("help", ("substance_use",), "Wil minderen; afspraak in de huiskamer voorgesteld."),
    ("help", ("income",), "Brief van de belastingdienst samen gelezen in de bus."),
    ("help", ("other",), "Warme jas en soep meegegeven."),
    ("advice", ("safety",), "Klant was agressief; besproken wat te doen."),
    ("advice", ("safety",), "Gesproken over veilig werken en het alarmnummer."),
    ("medical", ("health",), "Wond aan de voet; naar de huisartsenpost verwezen."),
    ("crisis", ("safety",), "Na een beroving opgevangen en thuisgebracht."),
)  # fmt: skip
OUTREACH_PHONE: tuple[Entry, ...] = (
    ("information", ("other",), "Gebeld of alles goed is na het weekend."),
    ("help", ("income",), "Belde zelf met een vraag over de uitkering."),
    ("information", ("exit",), "Gebeld over de afspraak in de huiskamer."),
    ("advice", ("health",), "Belde over een afspraak bij de huisarts; uitgelegd hoe dat gaat."),
)
OUTREACH_HUISKAMER: tuple[Entry, ...] = (
    ("information", ("exit",), "Kwam langs in de huiskamer; vroeg naar de uitstapregeling."),
    ("help", ("income",), "Hulp bij een formulier van de gemeente."),
    ("help", ("other",), "Kwam eten in de huiskamer; even bijgepraat."),
    ("information", ("work",), "Vroeg naar vrijwilligerswerk; adressen meegegeven."),
    ("practical", ("other",), "Kleding uitgezocht bij de kledingkast."),
)
VISIT: tuple[Entry, ...] = (
    ("help", ("income",), "Samen de post doorgenomen; twee rekeningen betaald."),
    ("help", ("income",), "Budgetplan voor de komende maand gemaakt."),
    ("help", ("housing",), "Inschrijving bij de woningcorporatie gecontroleerd."),
    ("advice", ("exit",), "Gesproken over hoe het gaat zonder het werk."),
    ("advice", ("exit",), "Zorgplan doorgelopen; de doelen zijn nog actueel."),
    ("practical", ("income",), "Aanvraag bijstand samen ingevuld."),
    ("practical", ("papers",), "Geholpen met de aanvraag van een ID-kaart."),
    ("advice", ("family",), "Gesprek over het contact met de familie."),
    ("information", ("work",), "Uitleg over een leerwerktraject."),
    ("information", ("work",), "Vrijwilligerswerk bij de kringloop besproken."),
    ("advice", ("substance_use",), "Terugval besproken; wil het eerst zelf proberen."),
    ("help", ("justice",), "Brief van het CJIB besproken; regeling aangevraagd."),
    ("medical", ("health",), "Slaapt slecht en is onrustig; huisarts voorgesteld."),
    ("crisis", ("safety",), "Bedreigd door de ex; veiligheidsplan gemaakt."),
)
PHONE: tuple[Entry, ...] = (
    ("information", ("other",), "Gebeld over de afspraak van volgende week."),
    ("help", ("housing",), "Belde zelf: brief van de woningcorporatie ontvangen."),
    ("practical", ("income",), "Gebeld met de schuldhulp; de aanmelding loopt."),
    ("medical", ("health",), "Voelt zich ziek; samen de huisarts gebeld."),
    ("information", ("other",), "Kort gebeld; het gaat goed, geen vragen."),
    ("practical", ("health",), "Herinnering gegeven voor de tandarts."),
    ("crisis", ("family",), "Belde in paniek na een ruzie; rustig gepraat."),
)
CLINIC_TALKS: tuple[Entry, ...] = (
    ("medical", ("substance_use",), "Detox verloopt rustig."),
    ("help", ("health",), "Gesprek over slapen en medicatie."),
    ("advice", ("substance_use",), "Terugvalpreventie: lijstje met risicomomenten gemaakt."),
    ("help", ("family",), "Familiebezoek van het weekend besproken."),
    ("medical", ("health",), "Controle door de arts; het gewicht neemt toe."),
    ("advice", ("housing",), "Nagedacht over wonen na de opname."),
    ("advice", ("substance_use",), "Eerste weekendverlof besproken."),
    ("help", ("substance_use",), "Trek na een bezoek; extra gesprek."),
)
ADMITTED: Entry = ("medical", ("substance_use", "health"), "Opnamegesprek; afspraken over bezoek en verlof.")
DISCHARGED: Entry = (
    "advice",
    ("substance_use", "housing"),
    "Ontslaggesprek; nazorg met de casemanager afgesproken.",
)
BEFORE_ADMISSION: dict[str, Entry] = {
    "street_zone": (
        "help",
        ("substance_use", "safety"),
        "Op de kade: wil naar de kliniek; aanmelding gedaan.",
    ),
    "office": ("help", ("substance_use",), "Aanmelding bij de kliniek samen ingevuld."),
    "phone": ("help", ("substance_use",), "Wil weer opgenomen worden; kliniek gebeld voor een plek."),
}
AFTER_DISCHARGE: dict[str, Entry] = {
    "home_visit": ("help", ("substance_use",), "Na ontslag thuis bezocht; afspraken voor de komende week."),
    "phone": ("help", ("substance_use",), "Na ontslag gebeld; wil even rust en komt donderdag langs."),
}
PURPOSES = ("Gesprek over het zorgplan", "Post en geldzaken", "ZRM samen invullen", "Evaluatie zorgplan",
            "Voorbereiding gesprek woningcorporatie", "Even bijpraten", "Formulieren gemeente")  # fmt: skip
ASSESSMENT_NOTES = ("Samen ingevuld in de huiskamer.", "Ingevuld tijdens een huisbezoek.", "", "",
                    "Herkent zich in de scores.", "Scores samen besproken en bijgesteld.")  # fmt: skip
OWN_WORDS = (
    "Ik wil rust. Een eigen plek en niemand die aan mijn hoofd zeurt.",
    "Ik wil laten zien dat ik het kan, ook zonder het werk.",
    "Mijn kinderen weer zien, dat is het belangrijkste.",
    "Gewoon een normaal leven, met een baan en een huis.",
    "Niet meer terug naar de kade. Ik wil verder.",
    "Eerst clean blijven, de rest komt daarna.",
    "Mijn eigen geld verdienen en niemand meer iets schuldig zijn.",
    "Mensen om me heen die het goed met me bedoelen.",
)
WENT_WELL = ("Komt de afspraken na.", "De schulden zijn in beeld.", "Heeft een vaste dagbesteding.",
             "Gebruikt minder dan een half jaar geleden.", "Slaapt beter.",
             "Vraagt zelf om hulp als het niet gaat.", "Het contact met de familie is beter.")  # fmt: skip
GOAL_OUTCOMES = {"achieved": "behaald", "partly": "deels behaald", "not_achieved": "niet behaald",
                 "dropped": "vervallen"}  # fmt: skip
NETWORK_MEMBERS = ("Zus Ans", "Tante Joke", "Buurvrouw Riet", "Vriendin Mariska", "Buddy Wim", "Broer Kees",
                   "Nicht Sanne")  # fmt: skip
# Goals in the person's own words per ZRM domain, and the actions that go with them:
# (who, what) with who a worker, the person, someone from their network or an organisation (its key).
GOALS: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "financien": (
        ("Schulden op een rij", "Zelf mijn huur op tijd betalen", "Geen nieuwe schulden meer maken"),
        (("worker", "Samen alle brieven en aanmaningen sorteren"),
         (MUNICIPALITY, "Aanmelding schuldhulpverlening beoordelen"),
         ("person", "Bankafschriften van drie maanden meenemen"),
         ("network_member", "Meegaan naar het eerste gesprek bij de schuldhulp")),
    ),
    "werk-opleiding": (
        ("Een opleiding tot kapper afmaken", "Werk vinden waar ik niet 's nachts hoef"),
        (("worker", "Leerwerktraject uitzoeken"), ("person", "Cv maken in de bibliotheek"),
         (MUNICIPALITY, "Intake bij het werkplein plannen")),
    ),
    "tijdsbesteding": (
        ("Overdag iets te doen hebben", "Vrijwilligerswerk bij de kringloop", "Weer gaan zwemmen"),
        (("person", "Twee dagen per week naar de kringloop"), ("worker", "Dagbesteding zoeken die past"),
         ("network_member", "Samen op woensdag zwemmen")),
    ),
    "huisvesting": (
        ("Ik wil een eigen kamer", "Een vaste plek om te slapen",
         "Een huis waar mijn kinderen kunnen logeren"),
        (("worker", "Urgentieaanvraag schrijven"), (MUNICIPALITY, "Urgentie beoordelen"),
         ("person", "Inschrijving bij de woningcorporatie verlengen"),
         (SHELTER, "Plek in de opvang vrijhouden")),
    ),
    "huiselijke-relaties": (
        ("Weer contact met mijn dochter", "Los komen van mijn vriend die geld van me neemt",
         "Mijn moeder vertellen hoe het echt gaat"),
        (("person", "Een brief schrijven"), ("worker", "Het gesprek samen voorbereiden"),
         ("network_member", "De eerste ontmoeting begeleiden")),
    ),
    "geestelijke-gezondheid": (
        ("Beter slapen zonder pillen", "Praten over wat er gebeurd is", "Minder paniek als ik alleen ben"),
        (("worker", "Verwijzing naar de praktijkondersteuner regelen"),
         ("person", "Elke avond een wandeling"), (CLINIC, "Traumabehandeling bespreken")),
    ),
    "lichamelijke-gezondheid": (
        ("Naar de tandarts", "Een huisarts in de buurt", "Mijn longen laten nakijken"),
        (("worker", "Inschrijven bij een huisarts"), ("person", "Zelf de afspraak bellen"),
         ("network_member", "Meegaan naar de afspraak")),
    ),
    "middelengebruik": (
        ("Minder gebruiken", "Stoppen met de basecoke", "Clean blijven na de kliniek"),
        ((CLINIC, "Intake voor opname plannen"), ("worker", "Nazorgafspraken na ontslag maken"),
         ("person", "Naar de zelfhulpgroep op maandag"), ("network_member", "Bellen als het moeilijk wordt")),
    ),
    "basale-adl": (
        ("Elke dag goed eten", "Op tijd opstaan en douchen"),
        (("person", "Weekmenu maken"), ("network_member", "Samen boodschappen doen")),
    ),
    "instrumentele-adl": (
        ("Zelf boodschappen doen en koken", "Mijn post openmaken en bijhouden"),
        (("person", "Postbak bij de deur gebruiken"), ("worker", "Elke week samen de post doornemen")),
    ),
    "sociaal-netwerk": (
        ("Vriendinnen buiten het werk", "Een maatje om mee te wandelen",
         "Mensen om me heen die me niet gebruiken"),
        ((SHELTER, "Een buddy koppelen"), ("person", "Naar de inloopavond van de buurtvereniging"),
         ("worker", "Netwerkkaart samen tekenen")),
    ),
    "maatschappelijke-participatie": (
        ("Een ID-kaart aanvragen", "Een bankrekening op mijn eigen naam", "Me inschrijven bij de gemeente"),
        (("worker", "Afspraak bij het gemeenteloket maken"), ("person", "Pasfoto's laten maken"),
         (MUNICIPALITY, "Briefadres regelen")),
    ),
    "justitie": (
        ("Mijn boetes afbetalen", "Mijn taakstraf afmaken"),
        (("worker", "Betalingsregeling met het CJIB aanvragen"),
         ("person", "Op tijd bij de reclassering zijn")),
    ),
}  # fmt: skip
# Where people start, per domain: (lowest, highest) ZRM level.
BASELINE = {"financien": (1, 2), "werk-opleiding": (1, 2), "tijdsbesteding": (2, 3),
            "huisvesting": (1, 3), "huiselijke-relaties": (2, 3), "geestelijke-gezondheid": (1, 3),
            "lichamelijke-gezondheid": (2, 3), "middelengebruik": (1, 3), "basale-adl": (3, 5),
            "instrumentele-adl": (2, 4), "sociaal-netwerk": (1, 3), "maatschappelijke-participatie": (2, 3),
            "justitie": (2, 5)}  # fmt: skip
