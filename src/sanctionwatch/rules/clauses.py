"""Small pieces of sentence structure the rules rely on (pure, no state).

- who is an agent, not an object: "Wagner, founded by X", "принадлежащих Пригожину ЧВК";
- where the trigger's object ends: a purpose clause ("to finance Wagner") or a relative
  clause after a comma (", which ...", ", которые ...", ", donde ...");
- a denial reported after the claim ("..., which Pyongyang denied") does not unsay it;
- lists: "sanctions on A, B (a bank) and C" names A, B and C; "Among them: A, B" or a run
  of "- A ..." lines after a sentence that designates "eight people" names A and B;
- channels: "X funded Y through companies he controlled, A and B" makes A and B supporters.

Patterns run on folded text (lower case, Latin letters) unless said otherwise.
"""

from __future__ import annotations

import re

from sanctionwatch.text.normalize import fold as fold_text

_AGENT = re.compile(
    r"(?:\b(?:by|par|von|por|da|dal|dalla|de su|del su)|founded|led|owned|created|controlled|"
    r"headed|run|financed|chief|leader|founder|owner|boss|head|financier|patron|chef|"
    r"fondateur|dirigeant|proprietaire|leiter|grunder|besitzer|lider|jefe|fundador|capo|"
    r"fondatore|proprietario|sozdan\w*|vozglavl\w*|osnovatel\w*|rukovodi\w*|vladel\w*|"
    r"linked|associated|affiliated|connected|lie(?:e|s|es)?|verbunden\w*|vinculad\w*|"
    r"legat\w*|sv[iy]{0,2}azan\w*|pov'?[iy]{0,2}azan\w*|afiliad\w*|"
    r"finansist\w*|glav\w*|zasnovnik\w*|ochil\w*|kerivnik\w*|stvoren\w*)"
    r"(?:[^\w:]+[\w']+){0,2}[^\w:]*$"  # a colon opens a list: "linked to it: A, B"
    # owners, right before their name: "belonging to X", "принадлежащих X", "относящихся к X"
    # a relative's name: "sanctions against the mother of X", "санкции против матери X"
    r"|(?:(?:wife|husband|son|daughter|mother|father|brother|sister|widow) of|"
    r"(?:epouse|mere|pere|fils|fille|frere|soeur|veuve) d[eu']?|"
    r"(?:esposa|madre|padre|hij[oa]|herman[oa]|viuda) de|"
    r"(?:moglie|madre|padre|figli[oa]|fratello|sorella|vedova) di|"
    r"(?:mutter|vater|ehefrau|sohn|tochter|bruder|schwester|witwe) von|"
    r"materi|zheny|muzha|syna|docheri|brata|sestry|ottsa|vdovy|matki|zony|corki|ojca)\W*$"
    # a regime's head: "sanctions against the regime of Bashar al-Assad" (a programme)
    r"|(?:regime|regimen|regimes|regim|rezhim\w*|rejim\w*) (?:of|de|di|du|des|del|von|van|"
    r"do|da)\W*$"
    r"|(?:belonging to|appartenant (?:a|aux?)|gehorend\w*|pertenecientes? a|appartenent\w* a\w*|"
    r"prinadlezh\w*|podkontrol'?n\w*|pidkontrol'?n\w*|otnosyashch\w* k|nalezhn\w*)\W*$")

_CLAUSE_WORD = re.compile(
    r"(?<![a-z0-9])(?:(?:in order )?to (?:finance|fund|supply|arm|support)|pour (?:financer|"
    r"soutenir|armer|approvisionner)|para (?:financiar|apoyar|armar|abastecer)|per (?:finanziare|"
    r"sostenere|armare)|zu (?:finanzieren|unterst[uü]tzen|beliefern)|chtoby|shchob)"
    r"(?![a-z0-9])"
    # the reason for a designation, not a second designee: "designated X for providing
    # support to Y", "pour avoir financé Y", "за поддержку Y", "wegen der Lieferungen an Y"
    r"|(?<![a-z0-9])(?:for (?:providing|supplying|financing|funding|supporting|helping|"
    r"assisting|acting|shipping|selling|procuring|laundering|its|his|her|their|having|being|"
    r"allegedly)|because|pour (?:avoir|son|sa|ses|leur|leurs|le|la|les)|parce qu|"
    r"wegen|weil|por (?:haber|su|sus|financiar|apoyar|proporcionar|suministrar)|"
    r"per (?:aver|il suo|la sua|i suoi|le sue|avere)|za (?:podderzhk|finansirovan|postavk|"
    r"pomoshch|pidtrymk|finansuvann|postach|wspieran|finansowan|dostaw|pomoc)\w*)(?![a-z0-9])"
    # a relative clause after a preposition: "…, fecha en que Ortega …", "em que"
    r"|(?<![a-z0-9])(?:en|em|con|com|por) (?:el |la |los |las |o |a |os |as )?(?:que|cual|"
    r"cuales|qual|quais)(?![a-z0-9])"
    # an accusation gives the reason: "sanctioned X, accusing him of helping Y"
    r"|(?<![a-z0-9])(?:accus(?:ed|ing|es) (?:\w+ )?of|accusant|accuse d|accusee? d|"
    r"accusandol\w*|accusat[oaie] di|acusad[oa]s? de|acusando\w*|beschuldigt|"
    r"vorgeworfen|obvinya\w*|obvinen\w*|obvinil\w*|zvynuvach\w*|oskarz\w*|suclan\w*|"
    r"suclayarak)(?![a-z0-9])"
    # a relative clause: "X, a dealer who has funded Y" (unambiguous relative pronouns)
    r"|(?<![a-z0-9])(?:who|which|whom|whose|lequel|laquelle|lesquel\w*|welche\w*|kotor\w*|"
    r"yakyi|yaka|yake|yaki|yakoho|yakykh|ktory|ktora|ktore|ktorzy|ktorego|ktorej|ktorych)"
    r"(?![a-z0-9])"
    # the reason names a relation, not a second designee: "sanctions on X for ties to Y"
    r"|(?<![a-z0-9])(?:(?:ties|links|connections|relations?|dealings) (?:with|to)|"
    r"liens? (?:avec|a)|verbindung\w* (?:zu|mit)|vinculos? con|legami con|sviaz\w* s|"
    r"zv'?iaz\w* z|powiazan\w* z|banden met|scheseis me|desmoys me|baglant\w*)(?![a-z0-9])"
    # a relative clause after a comma: its names are not the trigger's object
    r"|,\s*(?:which|who|whom|whose|where|qui|que|qu'|welche\w*|wo|kotor\w*|gde|"
    r"yak(?:yi|a|e|i|oho|ykh)|donde|cuy[oa]s?|quien\w*|che|cui|dove)(?![a-z0-9])")

# a denial reported after the claim, in a clause of its own: "..., which Pyongyang denied"
_REPORTED_AFTER = re.compile(
    r"(?:,\s*|(?<![a-z0-9]))(?:which|a claim|claims which|lo que|algo que|ce que|ce qu'|"
    r"cosa che|il che|was)(?![a-z0-9])|,\s*(?:chto|shcho)(?![a-z0-9])")


def agent_before(folded_before: str) -> bool:
    """The few words before a name make it an agent: "founded by", "its leader", "owned by"."""
    return _AGENT.search(folded_before) is not None


def new_clause(folded_between: str) -> bool:
    """A purpose or relative clause starts between a trigger and a name."""
    return _CLAUSE_WORD.search(folded_between) is not None


def reported_after(folded_between: str) -> bool:
    """The text between a claim and a denial opens a clause of its own about the claim."""
    return _REPORTED_AFTER.search(folded_between) is not None


# --- lists -------------------------------------------------------------------------------

_CONJUNCTION = (r"and|or|et|ou|und|oder|sowie|y|e|o|i|и|і|й|та|або|или|а также|а також|"
                r"en|oraz|και|ή|"
                r"as well as|ainsi que|así como|nonché|ed|ve|ile")
# Arabic writes "،" and joins "و" ("and") to the next word; Chinese lists with "、" and "和"
# a comma may be followed by a conjunction: "A, B, and C", "и X, и Y, и Z"
_SEPARATOR = re.compile(rf"\s*[,;،、，]\s*(?:(?:{_CONJUNCTION})\s+)?|\s+(?:{_CONJUNCTION})\s+|\s+و|"
                        rf"\s*(?:和|及|以及|与)\s*", re.IGNORECASE)
_ENDS_WITH_CONJUNCTION = re.compile(rf"\s(?:{_CONJUNCTION})\s*$", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|（[^（）]*）")
_QUOTES = re.compile(r"[«»\"“”„‘’]")
# "die Bella, die Bogatyr und die Neptun", "the Patriot and the Bella": the article before
# each item of a list of vessels or firms is no item of its own
_ARTICLE_BEFORE_NAME = re.compile(r"(?<!\w)(?:the|die|der|das|den|le|la|les|el|los|las|il|lo|"
                                  r"gli|het|de)\s*$", re.IGNORECASE)
LIST_ITEM_WORDS = 5  # a list item between two names is a short name, not a clause


def list_gap(gap: str) -> str | None:
    """How the original text between two names joins them in one list: "conjunction"
    (", B and "), "comma" (", "), "semicolon" (described items: "; his successor B"),
    "inside" (the second name is inside brackets), or None."""
    text = gap
    for _ in range(2):
        text = _PARENTHESIS.sub(" ", text)
    if "(" in text or "[" in text:
        return "inside"
    text = _ARTICLE_BEFORE_NAME.sub(" ", _QUOTES.sub(" ", text))
    if ":" in text or "." in text.replace("Co.", "Co"):
        return None
    if ";" in text:  # "A, a Jordanian who ran it; his successor B, ...; and C": described items
        tail = text.rsplit(";", 1)[1].split()
        if len(tail) <= 3 and not any(w[:1].isupper() for w in tail):
            return "semicolon"
    pieces = _SEPARATOR.split(" " + text + " ")
    if len(pieces) < 2 or pieces[0].strip() or pieces[-1].strip():
        return None
    for item in pieces[1:-1]:
        item = item.strip()
        if not item or len(item.split()) > LIST_ITEM_WORDS or not item[0].isupper():
            return None
    return "conjunction" if _ENDS_WITH_CONJUNCTION.search(" " + text) else "comma"


# "A, de Durban, e B, da Cidade do Cabo, o etíope C", "A, son fils, B, l'un des dirigeants,
# ainsi que C": names with a short description of each between commas
DESCRIPTION_WORDS = 8   # words of one description between two commas
TITLE_WORDS = 4         # words before a name after the last separator ("o etíope", "his deputy")
COMMA_TITLE_WORDS = 2   # the same when no description comes before it
_RELATIVE = re.compile(
    r"(?<![a-z0-9])(?:wife|husband|son|daughter|brother|sister|father|mother|cousin|nephew|"
    r"niece|uncle|aunt|epouse|mari|fils|fille|frere|soeur|pere|mere|esposa|esposo|marido|"
    r"hij[oa]|herman[oa]|padre|madre|prim[oa]|moglie|marito|figli[oa]|fratello|sorella|"
    r"frau|ehefrau|ehemann|sohn|tochter|bruder|schwester|vater|mutter|cousine|"
    r"zhen\w*|muzh\w*|syn\w*|doch\w*|brat\w*|sestr\w*|ots\w*|materi|druzhyn\w*|"
    r"cholovik\w*|zon\w*|corka|corki|ojc\w*|matk\w*|esi|oglu|kizi|kardesi|echtgeno\w*|"
    r"zoon|dochter|broer|zus|vader|moeder|syzyg\w*|gios|kori|aderf\w*)(?![a-z0-9])")
_OPENS_ITEM = re.compile(r"^\s*[,،，、]")
_OPENS_WITH_CONJUNCTION = re.compile(rf"^\s+(?:{_CONJUNCTION})\s+", re.IGNORECASE)
_ENDS_WITH_PREPOSITION = re.compile(
    r"(?<![\w'])(?:of|for|to|by|with|from|de|di|da|do|dos|das|del|della|dello|dei|degli|delle|"
    r"von|vom|zur|zum|des|du|d'|al|au|aux|par|por|per|con|avec|com|mit|van|voor|z|ze|w|"
    r"dla|od|s|u|v|k|ot|dlya|otnositel'no|ile|icin|tou|tis|ton|apo|"
    r"في|من|عن|على|إلى|لدى|مع|داخل|ضمن)\s*$")


def described_gap(gap: str) -> bool:
    """The original text between two names is a description of the first and, perhaps, a
    title of the second, in a list: ", a Jordanian accountant, and " — at least one
    description closed by a separator, no clause of its own (a relative pronoun, a purpose,
    an agent), a title of a few words that does not end in a preposition ("the wife of")."""
    gap = _QUOTES.sub(" ", gap)  # "ООО «Верус», казахстанское товарищество B"
    if _ENDS_WITH_PREPOSITION.search(gap.lower()):
        return False
    if not _OPENS_ITEM.match(gap):
        # "… e o queniano B", "and his deputy B": a conjunction, then a short lower-case title
        m = _OPENS_WITH_CONJUNCTION.match(gap)
        title = gap[m.end():].split() if m else []
        return bool(m) and 0 < len(title) <= TITLE_WORDS and \
            not any(w[:1].isupper() for w in title) and \
            not new_clause(" " + fold_text(gap) + " ") and not _AGENT.search(fold_text(gap))
    text = gap
    for _ in range(2):
        text = _PARENTHESIS.sub(" ", text)
    text = _QUOTES.sub(" ", text)
    if any(c in text for c in ":;.()[]"):
        return False
    folded = " " + fold_text(text).strip() + " "
    if new_clause(folded) or _AGENT.search(folded) or _DESCRIPTION_CLAUSE.search(folded):
        return False
    pieces = _SEPARATOR.split(" " + text + " ")
    if len(pieces) < 2 or pieces[0].strip():
        return False
    middle = [p for p in pieces[1:-1] if p.strip()]  # ", e o juiz": two separators
    title = pieces[-1].split()
    if len(title) > TITLE_WORDS:
        return False
    if not middle:
        # a title alone after a comma: "ООО «Верус», казахстанское товарищество B", "A,
        # its subsidiary B" — not a relative's ("A, сына B": A is B's son)
        most = TITLE_WORDS if _OPENS_WITH_CONJUNCTION.match(_OPENS_ITEM.sub(" ", text, 1)) \
            else COMMA_TITLE_WORDS
        return 0 < len(title) <= most and \
            not any(w[:1].isupper() for w in title) and not _RELATIVE.search(folded)
    return all(len(p.split()) <= DESCRIPTION_WORDS for p in middle)


def after_preposition(text_before: str) -> bool:
    """The original text before a name ends with a preposition: "cousins of President X",
    "Cousins von Präsident X" (X is not the subject or the item there)."""
    words = _QUOTES.sub(" ", text_before).lower().split()
    if not words:
        return False
    # a title may stand between the preposition and the name: "von Präsident X"
    tail = " ".join(w for w in words[-3:])
    return bool(_ENDS_WITH_PREPOSITION.search(tail)) or bool(
        len(words) >= 2 and _ENDS_WITH_PREPOSITION.search(" ".join(words[-3:-1])))


# words that make a description a clause of its own: "A, the company said, and B"
_DESCRIPTION_CLAUSE = re.compile(
    r"(?<![a-z0-9])(?:said|says|say|told|added|according|selon|a declare|sagte|erklarte|"
    r"laut|dijo|segun (?:el|la|los|las)|secondo (?:il|la|i|le|gli|fonti)|ha detto|zei|"
    r"volgens|zayavil\w*|soobshchil\w*|po slovam|powiedzial\w*|wedlug|disse|"
    r"segundo (?:o|a|os|as|fontes)|dedi|gore|dilose|simfona|but|mais|aber|pero|ma|"
    r"maar|ale|mas|ama|while|whereas|alors que|wahrend|mientras|mentre|terwijl|"
    r"podczas gdy|enquanto|poka|i\.e)(?![a-z0-9])")


_ITEM_END = re.compile(rf"^[\s«»\"“”]*(?:\([^()]*\)\s*|（[^（）]*）)?(?:[,;.)\]،、，。；]|$|"
                       rf"(?:{_CONJUNCTION})\s|\s+و|和|及|与)", re.IGNORECASE)


def item_ends(after: str) -> bool:
    """A name is a whole list item when a separator or the sentence's end follows it."""
    return _ITEM_END.match(after) is not None


def continue_list(text: str, heads: list, pool: list, end: int,
                  described: bool = False) -> list:
    """Mentions of `pool` that continue, item by item, a list begun by one of `heads`
    ("sanctions on A, B (a bank) and C"); names inside brackets are skipped. `described`:
    items may carry a short description between commas ("A, de Durban, e B, …")."""
    chosen = {id(h) for h in heads}
    out = []
    last: int | None = None
    for m in sorted(pool, key=lambda m: m.start):
        if last is not None and m.start < last:
            continue
        kind = list_gap(text[last:m.start]) if last is not None else None
        if kind is None and last is not None and m.matched.startswith("و") \
                and not text[last:m.start].strip():
            kind = "conjunction"  # Arabic "و" ("and") written onto the name: "A وB"
        if kind is None and described and last is not None \
                and described_gap(text[last:m.start]):
            kind = "comma"
        if kind == "inside":
            continue
        if id(m) in chosen:
            last = m.end
            continue
        if kind == "conjunction" or (kind in ("comma", "semicolon")
                                     and item_ends(text[m.end:end])):
            out.append(m)
            chosen.add(id(m))
            last = m.end
        else:
            last = None
    return out


# "Among them:", "Это такие компании, как", "Darunter" - an enumeration of what the
# sentence before designated
_ENUMERATION = re.compile(
    r"^\W*(?:among (?:them|those|the \w+)|they (?:include|are)|these (?:include|are)|"
    r"including|namely|parmi (?:eux|elles|lesquel\w*|ceux-ci|celles-ci)|il s'agit d[eu']|"
    r"notamment|darunter|unter ihnen|dazu geh[oö]ren|es handelt sich um|"
    r"sredi (?:nikh|kotorykh)|v (?:ikh|tom) chisle|eto (?:takie )?(?:[\w'-]+,? )?kak|"
    r"eto (?:[\w'-]+ )?(?:kompanii|litsa|lyudi|organizatsii)|"
    r"sered (?:nykh|yakykh)|u (?:yikh|tomu) chysli|tse (?:taki )?(?:[\w'-]+,? )?yak|"
    r"entre (?:ellos|ellas|los que|las que|ellos figuran)|se trata de|"
    r"tra (?:questi|queste|cui|loro|gli altri)|si tratta di|bunlar arasinda|aralarinda|"
    # "The other two are A and B", "Il più noto è A", "Het gaat om A", "Речь идет о фирмах A"
    r"(?:the )?other (?:two|three|four|five) (?:are|were)|the others (?:are|were)|"
    r"one of (?:them|those|the [\w-]+) (?:is|was)|the (?:best|most) known (?:is|was)|"
    r"les (?:deux |trois |quatre )?autres sont|l'une? d'(?:eux|elles|entre eux) est|"
    r"le plus connu est|la plus connue est|ce sont|"
    r"die (?:beiden |drei |vier )?anderen sind|(?:einer|eine|eines) von ihnen ist|"
    r"der bekannteste ist|die bekannteste ist|dabei handelt es sich um|"
    r"(?:los|las) (?:otros|otras)(?: dos| tres| cuatro)? son|(?:uno|una) de (?:ellos|ellas) es|"
    r"el mas conocido es|la mas conocida es|"
    r"gli altri (?:due |tre |quattro )?sono|le altre (?:due |tre |quattro )?sono|"
    r"(?:uno|una) di (?:loro|questi|queste) e|il piu not[oa] e|la piu nota e|"
    r"trata-se d[eoa]s?|(?:os|as) (?:outros|outras)(?: dois| duas| tres)? sao|"
    r"(?:um|uma) (?:deles|delas) e|o mais conhecido e|"
    r"(?:verder )?gaat het (?:daarbij )?om|het gaat (?:daarbij )?om|"
    r"daaronder (?:zijn|vallen|is)|de andere (?:twee |drie |vier )?zijn|"
    r"een van (?:hen|die|de [\w-]+) is|chodzi o|sa to|to sa|jednym z nich jest|"
    r"pozostali to|rech' idet o|eto|odn(?:im|oi|oy) iz (?:nikh|kotorykh) (?:stal\w*|yavlya\w*)|"
    r"id?et'sya pro|yidet'sya pro|tse|"
    r"odn(?:ym|iieiu) z (?:nykh|yakykh) (?:stal\w*|ye)|bunlar|bunlardan biri|prokeitai gia)"
    r"(?![a-z0-9])")
_BULLET = re.compile(r"^\s*[-–—•*·]\s+")


def enumeration_start(folded_sentence: str) -> int | None:
    """Where the list begins in a sentence that opens with an enumeration, else None."""
    m = _ENUMERATION.match(folded_sentence)
    return m.end() if m else None


def bullet_head(sentence_text: str) -> int | None:
    """Offset (in the sentence) where a bulleted item's text begins ("- Дмитрий Уткин, ...")."""
    m = _BULLET.match(sentence_text)
    return m.end() if m else None


# "funded the IRA through companies he controlled, A and B": A and B are channels
_CHANNEL = re.compile(
    r"^\W*(?:[\w'-]+ ){0,2}?(?:through|via|by way of|by means of|par l'intermediaire d[eu']?|"
    r"par le biais d[eu']?|a travers|au moyen d[eu']?|uber|mittels|cherez|a traves de|"
    r"por medio de|mediante|tramite|attraverso|per mezzo di)(?:\W+[\w'-]+){0,4}?\W*$")


def channel_gap(folded_gap: str) -> bool:
    """The text between a support target and a name introduces that name as a channel."""
    return _CHANNEL.match(folded_gap) is not None
