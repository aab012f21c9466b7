"""Word lists the matcher needs, all in folded form (see `text.normalize.fold`).

Legal forms (LLC, OOO, GmbH, joint stock company ...) come from rigour's maintained table;
what is here are the generic organisation-type words that rigour does not treat as legal
forms but that news uses in front of or behind an organisation's name ("groupe Wagner",
"PMC Wagner", "ЧВК «Вагнер»"), the inflection and derivation endings of running text, and the
vocabulary that programme tags imply.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanctionwatch.text.folded import FoldedWords

# Generic organisation-type words: they neither make nor break a name match, but one next to
# a short organisation name says "this is an organisation" (disambiguation evidence).
DESIGNATORS: frozenset[str] = frozenset(
    """group groupe gruppe grupo gruppo grupa gruppa gruppy gruppoi gruppu grupi grupy grupu
    pmc chvk pvk cvk pmk psc company companies compagnie kompaniia kompaniya kompanii
    compania compañia companhia firma firme konzern concern corporation corp holding holdings
    network reseau netzwerk set sieti organisation organization organizacion organisatie
    co inc ltd llc corp plc sa ag nv bv spa srl sarl sarlu sau sas oao ooo zao pao ao jsc
    militaire military militar militare voennaia voennaya vatagi private privee privada privat
    chastnaia chastnaya privatna privatnaia""".split()
)

# Words that may stand inside a name without counting ("Corée du Nord", "Bank of Russia").
NAME_STOPWORDS: frozenset[str] = frozenset(
    "and und et y e i of the de du des la le les der die das del di da van von al el".split()
)

# Endings of running text, as they appear after `name_key`: case endings of Russian and
# Ukrainian (transliterated), German genitive, plural and possessive "s", Greek cases.
INFLECTIONS: tuple[str, ...] = tuple(sorted(
    """a u e i o s es om em im oi oiu ov ev ami ah ih iu ia ogo ego omu emu ovi evi
    eiu ie os is as on us""".split(),
    key=len, reverse=True,
))

# Derivational endings: adjectives, demonyms and members ("wagnériens", "nord-coréens",
# Polish "irańskiego", "rosyjskiej" with the cases of the -ski adjective (in key form:
# "skiej" is "skiei", "skich" "ski3"),
# "ιρανικού",
# "North Korean", "вагнеровцы", "Wagner-Söldner" is a compound and not handled here).
DERIVATIONS: tuple[str, ...] = tuple(sorted(
    """ien iens ienne iennes ian ians ean eans an ans ens ene enes ese eses ois oise oises ais
    aise aises ist ists iste istes ite ites ism isme ismus isch ische ischen ischer iski iskii
    nisch nische nischen nischer anisch anische anischen anischer ano ana anos anas
    ovets ovtsi ovtsev ovtsam ovtsami ovtsah ovsk ovskii ovskaia ovskogo ovskie ovskih ets tsi
    evtsi ovetz ovtsy ovci ovcev ovec
    ikos iki iko iku ikis ika ikes ikon anikos aniki aniko aniku anika
    ski ska skie skiego skiei skim skimi ski3 skiemu""".split(),
    key=len, reverse=True,
))

VOWELS = frozenset("aeiou")

# Words that a programme tag makes relevant near an ambiguous name (prefix of the tag ->
# folded words; a word matches any text word it begins).
PROGRAM_VOCABULARY: dict[str, tuple[str, ...]] = {
    # RUSSIA and UKRAINE programmes imply no vocabulary: "Russia" is in too much news to
    # confirm anything.
    "TCO": ("criminal", "criminel", "kriminell", "prestupn", "zlochin", "crimen", "mafia",
            "mercenar", "soldner", "naemnik", "naimanet"),
    "CAR": ("centrafri", "central african", "zentralafrika", "bangui", "tsar", "tsentralnoafrikan"),
    "CYBER": ("cyber", "hack", "troll", "disinform", "desinform", "election"),
    "ELECTION": ("election", "wahl", "vybor", "interference", "ingerence"),
    # "9rhb": إرهاب and its derivations, as Arabic words are read (consonants, text/arabic.py)
    "SDGT": ("terror", "jihad", "isis", "qaeda", "hezbollah", "hamas", "9rhb"),
    "IRAN": ("iran", "tehran", "teheran", "irgc"),
    "IRGC": ("iran", "tehran", "teheran", "irgc", "ksir", "pasdaran", "revolutionary guard"),
    "IFSR": ("iran", "tehran", "teheran", "irgc"),
    "SYRIA": ("syri", "siri", "assad", "asad", "damas", "captagon", "kaptagon"),
    "VENEZUELA": ("venezuel", "maduro", "caracas", "karakas", "pdvsa"),
    "BELARUS": ("belarus", "belorus", "bielorus", "bilorus", "bialorus", "weissruss",
                "wit-rus", "lukash", "minsk"),
    "NICARAGUA": ("nicaragu", "nikaragu", "ortega", "managua"),
    "CUBA": ("cuba", "kuba", "havan", "habana", "gavan"),
    "ILLICIT-DRUGS": ("cartel", "kartel", "narco", "drug", "fentanyl", "fentanil"),
    "GLOMAG": ("corrupt", "korrup", "koroup", "human rights", "droits de l"),
    "DPRK": ("korea", "coree", "pyongyang", "kndr", "kim jong"),
    "NPWMD": ("missile", "nuclear", "nucleaire", "proliferat", "weapon"),
    "SDNTK": ("cartel", "kartel", "narco", "drug", "trafic", "fentanyl", "fentanil"),
}

ALL_PROGRAM_WORDS: tuple[str, ...] = tuple(dict.fromkeys(
    w for vocab in PROGRAM_VOCABULARY.values() for w in vocab))

# Words that talk about sanctions: one in the same sentence as an ambiguous name confirms it
# (the monitor exists for exactly these sentences).
SANCTIONS_VOCABULARY: tuple[str, ...] = (
    "sanction", "designat", "ofac", "blacklist", "asset freeze", "gel des avoirs", "embargo",
    "sankt", "sanktion", "sancion", "sanzion", "sankcii", "sanktsi", "santsi", "sanktsii",
    # Arabic عقوبات (العقوبات, وعقوبات) read by its consonants (text/arabic.py); not the
    # singular عقوبة, whose consonants are those of عقبة ("obstacle")
    "9kbt",
    # Polish sankcja, sankcje, sankcji, sankcjami; Czech and Slovak sankce
    "sankc",
)


# Sanctions and programme words together: one pass over a document finds both.
SUPPORT_WORDS: tuple[str, ...] = tuple(dict.fromkeys(
    [w for w in SANCTIONS_VOCABULARY if " " not in w] + list(ALL_PROGRAM_WORDS)))


def has_sanctions_words(doc: FoldedWords) -> bool:
    """Does the document use sanctions words? (Learnt with the programme words in one go.)"""
    return not doc.prefixes_present(SUPPORT_WORDS).isdisjoint(SANCTIONS_VOCABULARY)


@lru_cache(maxsize=4096)
def program_words(programs: tuple[str, ...]) -> tuple[str, ...]:
    """The vocabulary implied by a list of programme tags."""
    words: list[str] = []
    for program in programs:
        for prefix, vocab in PROGRAM_VOCABULARY.items():
            if program.upper().startswith(prefix):
                words.extend(vocab)
    return tuple(dict.fromkeys(words))
