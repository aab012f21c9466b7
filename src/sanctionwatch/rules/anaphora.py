"""Words that stand for entities named just before (pure).

- a subject pronoun of a passive trigger: "Evguéni Prigojine … . **Il** fait l'objet de
  sanctions";
- a definite group noun on the trigger's object side: "the group", "die Söldnertruppe";
- a counted plural: "waived the sanctions on **those two parties**" stands for the last two
  entities named.
"""

from __future__ import annotations

import re

ANAPHORA_REACH = 2  # sentences back in which "it", "il", "the group" find what they stand for

SUBJECT_PRONOUN = re.compile(
    r"^\W*(?:he|she|it|they|il|elle|ils|elles|er|sie|es|on|ona|ono|oni|vin|vona|vono|voni|"
    r"el|ella|ellos|ellas|lui|lei|loro|esso|essa)(?![a-z0-9])")
# a pronoun, subject or object, that stands for the supporter before an active support
# trigger ("accusing him of financing", "it shipped"); folded, so Cyrillic is transliterated
OBJECT_PRONOUN = re.compile(
    r"(?<![a-z0-9])(?P<p>he|him|she|it|they|them|il|elle|ils|elles|lui|er|ihn|ihm|ella|"
    r"ellos|hij|zij|hem|ego|oni|vin|vona|voni|yogo|jego|jej|ich)(?![a-z0-9])")
# "the company", "dat bedrijf", "the firms", "these entities": a noun on the supplying side
# that stands for what was named just before; `pl` when it stands for all of them
SUPPORTER_NOUN = re.compile(
    r"(?<![a-z0-9])(?P<p>(?:the|this|that|these|those|le|la|ce|cette|ces|les|der|die|das|"
    r"dieses|diese|el|la|los|las|este|esta|estos|estas|il|lo|i|gli|le|questo|questa|questi|"
    r"queste|de|het|dat|deze|die|ta|ten|te|ci) (?:[\w'-]+ )?"
    r"(?:(?P<pl>companies|firms|entities|individuals|men|networks|entreprises|societes|"
    r"entites|personnes|unternehmen|firmen|personen|empresas|companias|entidades|personas|"
    r"aziende|societa|entita|persone|bedrijven|ondernemingen|personen|firmy|spolki|podmioty|"
    r"osoby)|company|firm|exchange|mixer|network|bank|group|entreprise|societe|reseau|"
    r"unternehmen|firma|netzwerk|empresa|compania|red|azienda|societa|rete|bedrijf|netwerk|"
    r"spolka|siec|kantor))(?![a-z0-9])"
    r"|(?P<pl2>zij allen|ze allen|sie alle|ils tous|todos ellos|tutti loro|they all|all of them)")
GROUP_NOUN = re.compile(
    r"(?<![a-z0-9])(?:(?:the|this|le|la|ce|cette|der|die|das|el|la|il|lo|questo|questa) "
    r"(?:[\w'-]+ ){0,2}(?:group|company|firm|organi[sz]ation|militia|mercenar\w*|groupe|"
    r"societe|entreprise|milice|gruppe|truppe|soldner\w*|privatarmee|firma|unternehmen|"
    r"grupo|empresa|compania|organizacion|gruppo|azienda|organizzazione|milizia)"
    r"|(?:gruppirovk|kompani|organizatsi|chvk|pvk|grup|hrup|orhanizatsi)\w*)(?![a-z0-9])")

_NUMBERS = {"two": 2, "three": 3, "deux": 2, "trois": 3, "zwei": 2, "drei": 3, "dos": 2,
            "tres": 3, "due": 2, "tre": 3, "dva": 2, "dvukh": 2, "tri": 3, "trekh": 3,
            "dvi": 2, "dvokh": 2, "troh": 3, "both": 2, "beide": 2, "beiden": 2, "ambos": 2,
            "ambas": 2, "entrambi": 2, "entrambe": 2, "oba": 2, "obe": 2, "obidva": 2}
COUNTED_PLURAL = re.compile(
    r"(?<![a-z0-9])(?:(?:those|these|the|ces|les|diese|die|esos|esas|estos|estas|los|las|"
    r"quei|quelle|questi|queste|i|le|etikh|etim|tsikh|tsym) )?"
    r"(?P<n>" + "|".join(_NUMBERS) + r") "
    r"(?:[\w'-]+ )?(?P<noun>parties|companies|entities|firms|individuals|men|persons|people|"
    r"parties|societes|entreprises|entites|personnes|unternehmen|firmen|personen|parteien|"
    r"empresas|entidades|personas|partes|societa|aziende|entita|persone|parti|"
    r"kompanii|kompaniy|litsa|lits|storony|storon|kompaniyi|osoby|osib|storin)(?![a-z0-9])")


def counted(match: re.Match[str]) -> int:
    return _NUMBERS[match.group("n")]
