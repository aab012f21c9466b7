"""Who a designation is about, in constructions the rules once missed (issue 15): lists whose
items carry a description ("A, de Durban, e B, da Cidade do Cabo, o etíope C"), a passive
verb that opens the sentence with its subject after an agent or a title ("Foram designados
pelo OFAC os …", "Sont visés le ministre …, le colonel A"), the designees a trigger is said
to include (", darunter A, B und C"), an apposition after the name (", sanctioned in 2019",
", which Washington blacklisted", ", anch'essa sanzionata"), and the Turkish participle
before the name ("listeye giren A"). Each with negative neighbours: the same words in a
sentence that must not designate that name. Sentences and names written for the tests."""

from __future__ import annotations

import pytest

from sanctionwatch.analysis import Analyzer
from sanctionwatch.rules.clauses import after_preposition, described_gap
from sanctionwatch.types import Entity, Watchlist

NAMES = {
    "A": "Farvel Ostrakan", "B": "Lumio Dravetti", "C": "Hessa Qorbanli", "D": "Tavira Kessonne",
    "F": "Norvasc Ubriel Holdings", "G": "Velkor Marine Trading",
}
WATCHLIST = Watchlist(tuple(
    Entity(f"t:{k}", "organization" if k in "FG" else "person", name.upper())
    for k, name in NAMES.items()))


@pytest.fixture(scope="module")
def analyzer(rules):
    return Analyzer(WATCHLIST, rules)


def phases(analyzer, text: str) -> dict[str, str]:
    text = text.format(**NAMES)
    return {i.role("target")[2:]: i.phase for i in analyzer.analyze(text).intents
            if i.type == "designation"}


@pytest.mark.parametrize(("text", "expected"), [
    # lists whose items carry a description
    ("Foram designados pelo Departamento do Tesouro (OFAC) os empresários {A}, de Durban, "
     "e {B}, da Cidade do Cabo, o etíope {C} e o queniano {D}.", "ABCD"),
    ("Sont visés le ministre de l'Intérieur, le général {A}, le chef de la police, le colonel "
     "{B}, et son adjoint, le commandant {C}.", "ABC"),
    ("The Treasury sanctioned {A}, a Jordanian accountant, and his deputy {B}.", "AB"),
    ("Quatre hommes ont été désignés : {A}, son fils, {B}, l'un des dirigeants du groupe, "
     "ainsi que {C} et {D}.", "ABCD"),
    ("The Treasury sanctioned {A}, {B}, and {C} on Tuesday.", "ABC"),   # a comma before "and"
    ("В список включены и {A}, и {F}, и {G}, и его первый заместитель {B}.", "AFGB"),
    ("Под ограничения попали российская {F}, казахстанское товарищество {G} и словацкая "
     "{A}.", "FGA"),
    ("De VS hebben {F} en {G} op de sanctielijst gezet.", "FG"),        # Dutch "en"
    ("Sankcjami objęto {F} oraz {G}.", "FG"),                           # Polish "oraz"
    # a passive verb that opens the sentence: its subject after it
    ("Passaram a constar da lista de sanções do Departamento do Tesouro a juíza {A}, do "
     "tribunal de Manágua, e o juiz {B}, da sala criminal.", "AB"),
    # the designees a trigger is said to include
    ("Das Finanzministerium setzte am Dienstag mehrere Manager des Herstellers {F} auf seine "
     "Sanktionsliste, darunter {A}, {B} und {C}.", "FABC"),
    ("Several executives of {F} were designated on Monday, including {A} and {B}.", "FAB"),
    # an apposition after the name
    ("Investigators say {A} moved money through {G}, which Washington blacklisted last "
     "year, and through two banks in Dubai.", "G"),
    ("A lui fa capo la {F} di Beirut, anch'essa sanzionata.", "F"),
    ("Il gruppo ha lavorato con {A}, il capo della rete in Libano, a sua volta da anni "
     "nella lista nera.", "A"),
    ("{G}, colpita dalle sanzioni americane nel 2019, ha cambiato nome.", "G"),
    ("Il a rencontré {A}, inscrit en 2018 sur la liste américaine, à Beyrouth.", "A"),
    ("El comunicado menciona a {A}, sancionado por Washington en 2019, como su socio.", "A"),
    ("Он работал с {F}, которая уже находится под санкциями США.", "F"),
    ("Firma współpracowała z {G}, objętą sankcjami USA od 2022 roku.", "G"),
    ("Het geld liep via {G}, dat al sinds 2021 op de sanctielijst staat.", "G"),
    # the Turkish participle before the name
    ("Ağustos 2022'de listeye giren {F}, ABD'nin hedef aldığı ikinci şirket oldu.", "F"),
    ("Daha önce yaptırım listesine alınan Rus şirketi {G} ile bağlantılı olduğu belirtildi.",
     "G"),
    # a Spanish negation no longer reads French "installé" ("insta", he urges)
    ("Parmi les cibles figure la société {F}, un bureau de change installé au Liban.", "F"),
])
def test_who_is_designated(analyzer, text, expected):
    found = phases(analyzer, text)
    assert set(found) == set(expected), text
    assert set(found.values()) == {"effective"}


@pytest.mark.parametrize(("text", "not_designated"), [
    # a description that is a clause of its own ends the list
    ("Three people were designated: {A}, accused of funding {B}, and {C}.", "B"),
    ("Three people were designated: {A}, the wife of the late {B}, and {C}.", "B"),
    ("Three people were designated: {A}, which supplied {B}, and {C}.", "B"),
    ("Three people were designated: {A}, the company said, and {B}.", "B"),
    # an accusation gives the reason, not a second designee
    ("The Treasury sanctioned {A}, accusing him of helping {B} move money.", "B"),
    ("Le Trésor a sanctionné {A}, accusé d'avoir aidé {B}.", "B"),
    ("Three people were designated: {A}, сына {B}, and {C}.", "B"),   # a relative's name
    ("Three people were designated: {A}, his wife's brother {B}.", "B"),
    # after a leading passive verb, a name after a preposition is no subject
    ("Auf der US-Liste stehen zudem zwei Cousins von Präsident {A}, {B} und {C}.", "A"),
    # "including" inside a clause of its own
    ("{F} was listed for supporting armed groups, including {A}.", "A"),
    # an apposition that is not a designation, or denied
    ("Investigators say {A} moved money through {G}, which Washington has not sanctioned.",
     "G"),
    ("Il a rencontré {A}, inscrit au barreau de Paris depuis 2018, à Beyrouth.", "A"),
    ("Il gruppo ha lavorato con {A}, che ha sanzionato i propri dipendenti.", "A"),
    ("Het geld liep via {G}, dat op de lijst van grootste bedrijven staat.", "G"),
    ("Ağustos 2022'de yarışmaya giren {F}, ikinci oldu.", "F"),
])
def test_who_is_not_designated(analyzer, text, not_designated):
    assert not set(not_designated) & set(phases(analyzer, text)), text


@pytest.mark.parametrize(("gap", "listed"), [
    (", de Durban, e ", True),
    (", da Cidade do Cabo, o etíope ", True),
    (", do Segundo Juizado Distrital Penal de Manágua, o juiz ", True),
    (", a Jordanian accountant, and ", True),
    (", accused of funding ", False),         # no description closed by a separator
    (", the wife of the late ", False),
    (", which supplied ", False),
    (", the company said, and ", False),      # a clause of its own
    (", segundo o Tesouro, e ", False),
    (", la empresa de ", False),              # ends in a preposition
    ("», казахстанское товарищество ", True),  # a title alone after a comma
    (", и его первый заместитель директора ", True),
    (", its subsidiary ", True),
    (", his wife ", False),                    # a relative
    (", the Jordanian ", False),               # a capitalised word: a name not on the list
])
def test_described_gaps(gap, listed):
    assert described_gap(gap) is listed


@pytest.mark.parametrize(("before", "yes"), [
    ("zwei Cousins von Präsident ", True), ("the wife of ", True), ("le colonel ", False),
    ("pelo OFAC os sul-africanos ", False), ("do Tesouro a juíza ", False),
])
def test_after_preposition(before, yes):
    assert after_preposition(before) is yes


@pytest.mark.parametrize(("text", "expected"), [
    # a sentence that designates a counted group, then sentences that name its members
    ("The Treasury designated three men on Friday. The best known is {A}. The other two are "
     "{B} and {C}.", "ABC"),
    ("Минфин США внес в санкционный список четыре фирмы. Речь идет о фирмах {F}, {G} и "
     "«{A}».", "FGA"),
    ("Три фірми опинилися в санкційному списку OFAC. Американська сторона пов'язує їх із "
     "КНДР. Ідеться про {F} і {G}.", "FG"),
    ("De VS hebben vijf bedrijven op de sanctielijst gezet. Het gaat om {F} en {G}.", "FG"),
    ("Il Tesoro ha sanzionato dieci persone. Il più noto è {A}, che vive a Doha.", "A"),
    ("Departament Skarbu USA nałożył sankcje na dwie firmy. Chodzi o {F} i {G}.", "FG"),
])
def test_enumerations_after_a_designating_sentence(analyzer, text, expected):
    assert set(phases(analyzer, text)) == set(expected), text


@pytest.mark.parametrize("text", [
    # the sentence before designates nobody, or says it did not happen
    "The company has three owners. The best known is {A}. The other two are {B} and {C}.",
    "Депутаты призвали внести в санкционный список четыре фирмы. Речь идет о фирмах {F} и {G}.",
    "De krant noemde vijf bedrijven. Het gaat om {F} en {G}.",
    # three sentences back is too far
    "The Treasury designated three men. They met in Dubai. They flew home. The best known is "
    "{A}.",
])
def test_enumerations_need_a_designating_sentence_just_before(analyzer, text):
    assert not phases(analyzer, text), text


ZH = {"F": "诺瓦斯克控股", "G": "维尔科海运", "A": "奥斯特拉坎"}
AR = {"A": "فارفل أوستراكان", "B": "لوميو درافيتي", "F": "نورفاسك القابضة"}
EL = {"F": "Norvasc Holdings", "G": "Velkor Marine"}
SCRIPTS = Watchlist((
    Entity("z:F", "organization", "NORVASC HOLDINGS", aliases=(ZH["F"], AR["F"])),
    Entity("z:G", "organization", "VELKOR MARINE", aliases=(ZH["G"],)),
    Entity("z:A", "person", "OSTRAKAN, Farvel", aliases=(ZH["A"], AR["A"])),
    Entity("z:B", "person", "DRAVETTI, Lumio", aliases=(AR["B"],)),
))


@pytest.fixture(scope="module")
def scripts(rules):
    return Analyzer(SCRIPTS, rules)


@pytest.mark.parametrize(("text", "names", "expected"), [
    # a Chinese pattern that encloses its object governs every name inside it
    ("美国财政部宣布，将{F}及其首席执行官{A}列入制裁名单。", ZH, "FA"),
    ("名单上还有一家与伊朗有关联的企业{G}。", ZH, "G"),
    # Arabic with a damma written, and "the sanctions reached X"
    ("كما أُدرج {A} و{B} على القائمة.", AR, "AB"),
    ("وطالت العقوبات أيضاً {A}.", AR, "A"),
    # Greek: entered the list; a relative clause after the name
    ("Στη συνέχεια και η {F} μπήκε στη λίστα των κυρώσεων.", EL, "F"),
    ("Το πλοίο ανήκει στη {G}, η οποία επίσης μπήκε στη λίστα.", EL, "G"),
])
def test_scripts(scripts, text, names, expected):
    found = {i.role("target")[2:] for i in scripts.analyze(text.format(**names)).intents
             if i.type == "designation"}
    assert found == set(expected), text


@pytest.mark.parametrize(("text", "names", "not_designated"), [
    # the owner of the designee ("A的子公司"), not a designee
    ("美国财政部将{A}的子公司{F}列入制裁名单。", ZH, "A"),
    # a name after a preposition ("an official in F") is not the nearest designee
    ("وطالت العقوبات أيضاً الإيراني مجتبى، المسؤول في «{F}».", AR, "F"),
    ("Ο {F} δεν έχει σχολιάσει τη λίστα των πελατών του.", EL, "F"),
])
def test_scripts_neighbours(scripts, text, names, not_designated):
    found = {i.role("target")[2:] for i in scripts.analyze(text.format(**names)).intents
             if i.type == "designation"}
    assert not set(not_designated) & found, text


@pytest.mark.parametrize(("text", "expected"), [
    # a passive verb in a relative clause is said of the name the clause follows
    ("Der Tanker traf die {G} (IMO 1234567) – einen Frachter, der schon länger auf den "
     "Sanktionslisten der USA steht.", "G"),
    ("Il denaro andava alla {F}, l'azienda iraniana che era finita sotto sanzioni a "
     "settembre.", "F"),
    # the passive subject of a sentence that is not the document's first: the clause
    # segments are counted in the sentence itself
    ("Die Firma liegt in der Stadt. Der Chef {A}, ein Vertrauter von {B}, ist selbst seit "
     "Jahren mit US-Sanktionen belegt.", "A"),
])
def test_relative_clauses_and_later_sentences(analyzer, text, expected):
    assert set(phases(analyzer, text)) == set(expected), text


@pytest.mark.parametrize(("text", "not_designated"), [
    # sanctions against a regime are a programme, not a designation of its head
    ("Il carico violava le sanzioni europee contro il regime di {A}.", "A"),
    ("The cargo broke the sanctions against the regime of {A}.", "A"),
    # a relative clause after a preposition ends the trigger's object
    ("Washington sancionó a su antecesor el 10 de enero, fecha en que {A} inició un nuevo "
     "mandato.", "A"),
])
def test_regimes_and_relative_clauses(analyzer, text, not_designated):
    assert not set(not_designated) & set(phases(analyzer, text)), text


@pytest.mark.parametrize(("text", "names", "expected", "not_designated"), [
    # an Arabic apposition after the name says who is listed, not the first clause's name
    ("وقال إن الفصيل الذي يدعمه {F}، نسّق مع «{A}»، المدرجة على اللائحة منذ 2019.", AR,
     "A", "F"),
    # an accusation between the trigger and a name: the name is the reason, not a designee
    ("أدرجت الوزارة الصومالي محمد يوسف، متهمة إياه بإدارة أموال «{F}».", AR, "", "F"),
])
def test_arabic_clauses(scripts, text, names, expected, not_designated):
    found = {i.role("target")[2:] for i in scripts.analyze(text.format(**names)).intents
             if i.type == "designation"}
    assert set(expected) <= found and not set(not_designated) & found, text


@pytest.mark.parametrize(("text", "expected"), [
    # a licence that authorises dealings eases the sanctions: lifted
    ("O Tesouro emitiu a Licença Geral 9, que autoriza operações com a {F}.", {"F": "lifted"}),
    ("La licencia número 12 autoriza las transacciones con {F}.", {"F": "lifted"}),
    ("The general licence, which authorises transactions with {F}, runs for six months.",
     {"F": "lifted"}),
    ("Il Tesoro ha cancellato oggi {F} dall'elenco delle entità sanzionate.", {"F": "lifted"}),
    ("12 numaralı lisans ise {F} ile işlem yapılmasına izin verdi.", {"F": "lifted"}),
    # the listing a document reports as background of a lifting gives way to it
    ("OFAC removed {F} from the sanctions list on Friday. {F} had been designated in 2019.",
     {"F": "lifted"}),
])
def test_liftings(analyzer, text, expected):
    assert phases(analyzer, text) == expected, text


@pytest.mark.parametrize(("text", "not_designated"), [
    ("Суд ЕС отменил санкции против матери {A}.", "A"),         # the relative, not A
    ("The court lifted the sanctions against the mother of {A}.", "A"),
    # a licence that authorises nothing about the name
    ("The general licence was published on the Treasury website; {F} declined to comment.",
     "F"),
])
def test_liftings_neighbours(analyzer, text, not_designated):
    assert not set(not_designated) & set(phases(analyzer, text)), text


def test_rules_test_trace_says_the_listing_gave_way_to_the_lifting(analyzer):
    text = ("OFAC removed {F} from the sanctions list on Friday. {F} had been designated in "
            "2019.").format(**NAMES)
    trace: list = []
    result = analyzer.analyze(text, trace)
    assert [i.phase for i in result.intents if i.type == "designation"] == ["lifted"]
    assert any(not t.fired and t.rule_id == "designation.effective" and t.key
               and "lifting is the newest event" in t.reason for t in trace)


def test_colon_list_with_semicolons(analyzer):
    # every name of every item after a colon, set apart by semicolons
    assert set(phases(analyzer, "Yeni kararla listeye eklenenler şunlar: {F} ve onu işleten "
                      "{A}; {G} ile sahibi {B}.")) == set("FAGB")
    # but not a name after a preposition ("a unit of G")
    assert set(phases(analyzer, "The following were listed: {F}, a unit of {G}; and {A}.")) \
        == set("FA")


@pytest.mark.parametrize(("text", "expected"), [
    # names designated together with a designee
    ("L'ultimo tassello è la {F}, un cambiavalute di Gaza, colpita insieme al suo titolare "
     "{A}.", "FA"),
    ("Nella lista è finita la {F}, società di Monaco, insieme al suo proprietario {A}.", "FA"),
    ("The Treasury sanctioned {F} together with its owner {A}.", "FA"),
    ("Минфин США внес в список {F} вместе с его владельцем {A}.", "FA"),
])
def test_together_with(analyzer, text, expected):
    assert set(phases(analyzer, text)) == set(expected), text


@pytest.mark.parametrize(("text", "not_designated"), [
    # "together with" inside a clause of its own, or after a preposition
    ("The Treasury sanctioned {F}, which had worked together with {A}.", "A"),
    ("{F} was listed on Monday together with the partners of {A}.", "A"),
])
def test_together_with_neighbours(analyzer, text, not_designated):
    assert not set(not_designated) & set(phases(analyzer, text)), text
