"""What a name can do alone is decided by the list and the languages (issue: names at the
scale of the real lists). Entities are written as OFAC writes them; sentences are ours."""

from __future__ import annotations

import pytest

from sanctionwatch.matching.matcher import Matcher
from sanctionwatch.types import Entity, Watchlist


def org(id_: str, name: str, *aliases: str, kind: str = "organization") -> Entity:
    return Entity(id=id_, type=kind, name=name, aliases=aliases, programs=("SDGT",))


def person(id_: str, name: str, *aliases: str) -> Entity:
    return Entity(id=id_, type="person", name=name, aliases=aliases, programs=("SDGT",))


# thirty listed people share "Muhammad" and "Ali": the two together say little
NAMESAKES = tuple(person(f"p{n}", f"{surname}, Muhammad Ali")
                  for n, surname in enumerate(
                      f"{a}{b}" for a in ("QAR", "ZUB", "HAF", "RAS", "JAM", "TUR")
                      for b in ("ANI", "EDI", "OUDI", "AWI", "IRI")))

WATCHLIST = Watchlist((
    org("hamas", "HAMAS"),
    person("saidullah", "JAN, Saidullah", "HAMAS, Saidullah"),
    org("hizballah", "HIZBALLAH"),
    org("belaruskali", "BELARUSKALI OAO", "OPEN JOINT STOCK COMPANY BELARUSKALI"),
    org("dilbar", "DILBAR", kind="vessel"),
    org("nolan", "NOLAN", kind="vessel"),
    org("lottery", "NATIONAL LOTTERY OOD"),
    org("newtech", "LIMITED LIABILITY COMPANY NEW TECHNOLOGIES"),
    org("nioc", "NATIONAL IRANIAN OIL COMPANY"),
    org("nioc-sg", "NATIONAL IRANIAN OIL COMPANY PTE LTD"),
    person("khan-said", "SAID, Khan"),
    person("cosman", "COSMAN, Ronald Eric"),
    person("pavlov", "PAVLOV, Igor"),
    Entity(id="iran", type="country", name="Iran", countries=("IR",)),
    Entity(id="russia", type="country", name="Russia", countries=("RU",)),
    *NAMESAKES,
))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(WATCHLIST)


def found(matcher: Matcher, text: str) -> set[str]:
    return {m.entity_id for m in matcher.find(text)}


@pytest.mark.parametrize("text, entity", [
    ("Rockets fired by Hamas landed near the border town overnight.", "hamas"),
    ("Hizballah fighters were seen south of the river, local officials reported.",
     "hizballah"),
    ("Potash from Belaruskali no longer reaches the port of Klaipeda.", "belaruskali"),
    ("The superyacht Dilbar has been idle in Hamburg for a year.", "dilbar"),
])
def test_a_word_no_language_knows_names_its_entity_alone(matcher, text, entity):
    assert entity in found(matcher, text)


def test_a_name_standing_alone_beats_a_surname_alias_on_the_same_words(matcher):
    text = "Washington froze the assets of five Hamas financiers on Wednesday."
    assert found(matcher, text) == {"hamas"}


@pytest.mark.parametrize("text, entity", [
    ("Record holder Ann Lee won the race, and James Nolan came second.", "nolan"),
    ("At the meeting James Nolan spoke first; later Nolan left early.", "nolan"),
    ("Tax cuts and new technologies helped small firms, the minister said.", "newtech"),
    ("Reforms would be funded by the National Lottery, the party promised.", "lottery"),
    ("Speaking to reporters, Sher Khan said the vote would be close.", "khan-said"),
    ("Ronald Koeman quit as coach of the Dutch club last week.", "cosman"),
    ("The county of Rutland has fewer than 40,000 people.", "russia"),
    ("Eleven people were wrongly jailed for IRA bombings in 1974.", "iran"),
    ("The boxer Muhammad Ali lit the Olympic flame in Atlanta.", "p0"),
])
def test_ordinary_words_and_other_people_are_not_the_listed_entity(matcher, text, entity):
    assert entity not in found(matcher, text)


def test_the_company_named_wholly_beats_its_namesake_subsidiary(matcher):
    text = "India signed a gas deal with the National Iranian Oil Company on Monday."
    assert {"nioc", "nioc-sg"} & found(matcher, text) == {"nioc"}


def test_the_same_names_in_a_sanctions_sentence_are_still_found(matcher):
    """Support lets the weaker forms in where the story is about sanctions."""
    assert "khan-said" in found(matcher, "The Treasury sanctioned Khan Said, a financier.")
    assert "newtech" in found(matcher, "OFAC designated New Technologies LLC on Tuesday.")


def test_a_lower_case_text_says_nothing_by_its_case(matcher):
    assert "khan-said" in found(matcher, "the treasury sanctioned khan said, a financier.")
    assert "khan-said" not in found(matcher, "The Treasury sanctioned Khan said a financier.")


def test_an_alias_given_only_in_the_remarks_needs_the_full_name_or_support():
    """OFAC writes "a.k.a. 'SAIC'" in the remarks of the Shahed Aviation Industries Research
    Center; SAIC is also a carmaker, so the acronym alone is not the drone maker."""
    entity = Entity("ofac_sdn:39637", "organization", "SHAHED AVIATION INDUSTRIES RESEARCH CENTER",
                    aliases=("SAIC",), programs=("NPWMD", "IRGC"),
                    extra=(("weak_aliases", "SAIC"),))
    m = Matcher(Watchlist((entity,)))
    assert m.find("SAIC Motor sold more cars in China this year than ever.") == []
    text = ("The Treasury sanctioned the Shahed Aviation Industries Research Center, which "
            "makes drones. SAIC supplied drones to Russia.")
    assert [x.matched for x in m.find(text)] == [
        "Shahed Aviation Industries Research Center", "SAIC"]


def test_a_web_name_is_found_with_its_dot():
    """OFAC lists the mixer as "BLENDER.IO": the dot joins its parts, and "io" is part of the
    name though Italian writes it as a word; a sentence break is still no part of a name."""
    mixer = Entity("ofac_sdn:37070", "organization", "BLENDER.IO", aliases=("BLENDERIO",),
                   programs=("CYBER2",))
    m = Matcher(Watchlist((mixer,)))
    assert [x.matched for x in m.find("OFAC sanctioned Blender.io, a mixer.")] == ["Blender.io"]
    assert [x.matched for x in m.find("the mixer blender.io was sanctioned")] == ["blender.io"]
    assert m.find("She bought a blender. Io sono contenta.") == []


def test_an_ampersand_stands_inside_a_name():
    """"GUILIN ALPHA RUBBER & PLASTICS TECHNOLOGY CO., LTD." as papers write it; without
    the ampersand its one word "Alpha" was left to match another entry."""
    firm = Entity("ofac_sdn:41127", "organization",
                  "GUILIN ALPHA RUBBER & PLASTICS TECHNOLOGY CO., LTD.", programs=("NPWMD",))
    m = Matcher(Watchlist((firm,)))
    text = "Guilin Alpha Rubber & Plastics Technology Co. shipped parts to the drone maker."
    assert [x.matched for x in m.find(text)] == ["Guilin Alpha Rubber & Plastics Technology Co"]


def test_an_organisation_named_with_other_vowels_is_found_but_a_person_is_not():
    """OFAC writes "HIZBALLAH"; papers write Hezbollah, Hisbollah, Хезболла. A person's name
    with other vowels ("Mohammed" for "MUHAMMAD, Abu") is too often someone else."""
    wl = Watchlist((
        Entity("ofac_sdn:4697", "organization", "HIZBALLAH", programs=("SDGT", "FTO")),
        Entity("ofac_sdn:18530", "person", "MUHAMMAD, Abu", programs=("SDGT",)),
    ))
    m = Matcher(wl)
    for text in ("Nazem Ahmad was sanctioned as a financier of Hezbollah.",
                 "Die USA verhängten Sanktionen gegen Geldgeber der Terrormiliz Hisbollah.",
                 "Минфин США ввёл санкции против спонсоров террористической «Хезболлы»."):
        found = m.find(text)
        assert [x.entity_id for x in found] == ["ofac_sdn:4697"], text
        assert found[0].kind == "vowels" or found[0].features[0].why.startswith("same consonants")
    assert m.find("The Treasury sanctioned Mohammed Amer, a businessman, on Friday.") == []


def test_a_name_part_thirty_listed_people_share_needs_the_full_name_in_the_document():
    """"Ahmad" alone, in a sanctions story, named six listed people at once; it is the one
    the document names in full, or nobody."""
    given = ["Nazem Said", "Firas", "Hind", "Omar", "Karim", "Samir", "Walid", "Tariq", "Bilal",
             "Yusuf", "Hamza", "Khalil", "Rami", "Ziad", "Fadi", "Jamal", "Nabil", "Adel",
             "Hassan", "Imad", "Majid", "Rafiq", "Salim", "Talal", "Wael", "Yasser", "Zaki",
             "Bassam", "Ghassan", "Hisham"]
    wl = Watchlist(tuple(Entity(f"p{i}", "person", f"AHMAD, {g}", programs=("SDGT",))
                         for i, g in enumerate(given)))
    m = Matcher(wl)
    assert m.find("Ahmad was sanctioned for financing terror, OFAC said.") == []
    found = m.find("OFAC sanctioned Nazem Said Ahmad on Tuesday. Ahmad denied financing terror.")
    assert [(x.matched, x.entity_id) for x in found] == [("Nazem Said Ahmad", "p0"),
                                                         ("Ahmad", "p0")]
