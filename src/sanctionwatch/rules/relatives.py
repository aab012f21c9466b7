"""Relative clauses around a support trigger (pure, on the original text, case-folded).

- an object relative reverses the roles: in "Hezbollah, which Iran supports", "«Хезболла»,
  яку підтримує Іран", "die Miliz, die der Iran unterstützt", "حزب الله الذي تدعمه إيران"
  the antecedent is the target and the name inside the clause (before the verb, or right
  after it where the language puts the subject after the verb) is the supporter;
- a relative clause is a clause of its own: a name before its pronoun that is not its
  antecedent ("A met B, which is funded by Iran": A is not what Iran funds) is neither the
  subject of a passive trigger inside it nor the supporter of an active one.
"""

from __future__ import annotations

import re

# object relative pronouns, each after a comma (or a closing quote) that ends the antecedent
_OBJECT_SV = (r"which|whom|that|que|qu['’]|den|die|das|welchen|welche|welches|dat|welke|"
              r"che|cui|il quale|la quale|i quali|le quali|o qual|a qual")
# in these the pronoun's case says it is the object, and the subject may follow the verb
_OBJECT_VS = (r"которую|которого|которых|которые|которой|которому|яку|якого|яких|які|якій|"
              r"якому|którą|którego|których|które|któremu|al que|a la que|a los que|"
              r"a las que|a quien|a quienes|al cual|a la cual|την οποία|τον οποίο|το οποίο|"
              r"τις οποίες|τους οποίους|τα οποία|που")
_OPEN = r"^[\s»”\"’)\]]*,?\s*"
OBJECT_RELATIVE_SV = re.compile(_OPEN + rf"(?:{_OBJECT_SV}|{_OBJECT_VS})\s+(?P<rest>.*)$",
                                re.IGNORECASE | re.DOTALL)
OBJECT_RELATIVE_VS = re.compile(_OPEN + rf"(?:{_OBJECT_VS})\s*$", re.IGNORECASE)
# Arabic: "الذي تدعمه إيران" — a verb carrying the object pronoun, its subject after it
ARABIC_OBJECT_RELATIVE = re.compile(r"^[\s»”\"]*،?\s*(?:الذي|التي|الذين)\s*$")

# any relative pronoun that opens a clause after a comma ("…, which", "…, die", "…, которая")
RELATIVE = re.compile(
    r"(?<!\w)(?:a (?:las|los|la) que|al que|a quien(?:es)?|auxquel\w*|sur lesquel\w*)(?!\w)|"
    r",\s*(?:which|who|whom|whose|that|qui|que|qu['’]|lequel|laquelle|lesquels|lesquelles|"
    r"dont|der|die|das|den|dem|welche\w*|dat|welke|donde|cuy[oa]s?|quien\w*|el cual|la cual|"
    r"che|cui|il quale|la quale|o qual|a qual|котор\w+|як(?:ий|а|е|і|ого|ої|их|у|ій|ому)|"
    r"któr\w+|(?:ο|η|το|την|τον|τα|τις|τους|οι) οποί\w+|που|الذي|التي|الذين)(?!\w)",
    re.IGNORECASE)

# quotes, a closing bracket or a whole one ("(IMO 9182667)") between a name and its ","
ANTECEDENT_GAP = re.compile(r"^[\s»”\"’)\]]*(?:[(（][^()（）]{0,40}[)）])?[\s»”\"’)\]]*$")


def relative_start(between: str) -> int | None:
    """Where a relative clause opens in `between` (the original text from a name to a
    trigger), else None."""
    m = RELATIVE.search(between)
    return m.start() if m else None


def is_antecedent(between: str) -> bool:
    """The name right before `between` is the antecedent of the relative clause that
    `between` opens: nothing but quotes or a bracket stands between it and the comma."""
    at = relative_start(between)
    return at is not None and ANTECEDENT_GAP.match(between[:at]) is not None
