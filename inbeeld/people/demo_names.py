"""Invented names for the demo persons: no real person carries them."""

from __future__ import annotations

ROEPNAMEN: tuple[str, ...] = (
    "Amber", "Anouk", "Bella", "Bibi", "Candy", "Chantal", "Cleo", "Daisy", "Demi", "Dewi",
    "Dina", "Esmee", "Evi", "Fleur", "Gina", "Ilona", "Iris", "Jade", "Jasmijn", "Jolie",
    "Kiki", "Lana", "Lieke", "Lola", "Luna", "Maja", "Mara", "Mila", "Mirte", "Nadia",
    "Nikki", "Nina", "Noa", "Olga", "Pien", "Queenie", "Rosa", "Roxy", "Ruby", "Sasha",
    "Selma", "Sofie", "Stella", "Tamara", "Tess", "Tirza", "Uma", "Vera", "Vicky", "Wanda",
    "Xena", "Yasmin", "Zoë", "Zita", "Angel", "Bo", "Dex", "Jay", "Kai", "Lex",
    "Mo", "Robin", "Sam", "Sky", "Toni", "Valentina", "Marit", "Elza", "Goldie", "Ivy",
    "Kim", "Loes",
)  # fmt: skip
ALIASES: tuple[str, ...] = (
    "Vlinder", "Sterretje", "Parel", "Tijger", "Merel", "Koraal", "Zus", "Kers", "Lijster",
    "Meeuw", "Robijn", "Kleine", "Lange", "Blonde", "Zonnetje", "Duif", "Vos", "Egel",
)  # fmt: skip
SPELLINGS = {"Nikki": "Nicky", "Zoë": "Zoe", "Chantal": "Shantal", "Vicky": "Vicki", "Dewi": "Dewie"}
# Invented surnames that no one carries, so a legal name never points at a real person.
SURNAMES = ("Proefsma", "Fictiema", "Demostra", "Verzinga", "Bedachtma", "Testerink", "Voorbeeldhuis")
NATIONALITIES = (("NL", ["nl"]), ("RO", ["ro", "en"]), ("BG", ["bg"]), ("HU", ["hu", "en"]),
                  ("PL", ["pl"]), ("NG", ["en"]), ("DO", ["es", "nl"]))  # fmt: skip
