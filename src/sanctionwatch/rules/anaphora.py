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
