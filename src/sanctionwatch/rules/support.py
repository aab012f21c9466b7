"""Support-network rules: who supplies, pays, hosts or recruits for a listed entity, found on
the supplying side of a trigger, through the channels named after the target, or after a
network trigger (pure)."""

from __future__ import annotations

import re

from sanctionwatch.rules.anaphora import ANAPHORA_REACH, OBJECT_PRONOUN, SUPPORTER_NOUN
from sanctionwatch.rules.clauses import channel_gap, continue_list, list_gap, new_clause
from sanctionwatch.rules.context import make_intent, meets, record, side_of, token_distance
from sanctionwatch.rules.model import Rule
from sanctionwatch.rules.parties import named_party, quoted_names
from sanctionwatch.rules.relatives import (
    ANTECEDENT_GAP,
    ARABIC_OBJECT_RELATIVE,
    OBJECT_RELATIVE_SV,
    OBJECT_RELATIVE_VS,
    relative_start,
)
from sanctionwatch.text.normalize import fold
from sanctionwatch.types import AlertIntent, Mention, Watchlist


def support(rule, ctx, unit, hits, targets, mentions, note) -> list[AlertIntent]:
    """For each target, the nearest supporter entity on the supplying side of any trigger;
    failing that, a party named before an active trigger. Names the supporter acted through
    ("through companies he controlled, A and B") support the target too; a network trigger
    ("the global network of X") makes the names after its target supporters."""
    text, wl = ctx.doc.text, ctx.watchlist
    hits = [_begin_at_name(_compound(text, h, mentions), mentions) for h in hits]
    network = [h for h in hits if h[0].network]
    hits = [h for h in hits if not h[0].network]
    out = network_support(rule, ctx, unit, network, targets, mentions, note) if network else []
    # "the Iranian state manufacturer", "pétrole iranien": a country as an adjective is not
    # the party supplied
    targets = [m for m in targets if not adjectival(ctx, m)]
    targets = targets + _group_targets(rule, ctx, unit, hits, targets, note)
    hits = _object_relatives(rule, ctx, unit, hits, targets, mentions, note, out)
    if not targets:
        return out
    nearest: set[int] = set()
    co: set[int] = set()  # targets a repeated preposition or a list governs from afar
    for _trig, a, b in hits:
        every = [m for m in side_of(targets, a, b, after=not _trig.passive)
                 if not _trig.passive or same_clause(ctx, m, a, mentions)]
        side = [m for m in every if _trig.passive or governed(ctx, b, m)]
        if side:
            near = min(side, key=lambda m, a=a, b=b: min(abs(m.start - b), abs(m.end - a)))
            nearest.add(id(near))
            if not _trig.passive:
                more = {id(m) for m in co_targets(ctx, unit, near, every, text[a:b])}
                nearest |= more
                co |= more
    for target in targets:
        if not hits or (nearest and id(target) not in nearest):
            continue
        others = [m for m in mentions if m.entity_id != target.entity_id
                  and supports(rule, wl, m, target)]
        found = False
        for trig, a, b in hits:
            if not side_of([target], a, b, after=not trig.passive) or (
                    not trig.passive and id(target) not in co
                    and not governed(ctx, b, target)) or (
                    trig.passive and not same_clause(ctx, target, a, mentions)):
                continue
            side = side_of(others, a, b, after=trig.passive)
            if not trig.passive:
                side = [m for m in side if not adjectival(ctx, m)
                        and same_clause(ctx, m, a, mentions)]
                if not side:  # "deliveries of Iranian drones to Russia": the origin supplies
                    side = [m for m in others if max(unit.start, a - 15) <= m.start
                            and m.end <= min(b, target.start) and adjectival(ctx, m)]
                if not side:  # "вывозили из КНДР ракеты … для «Вагнера»": from where
                    side = [m for m in others if a <= m.start and m.end <= target.start
                            and _FROM.search(text[max(a, m.start - 8):m.start])]
            supporter = min(side, key=lambda m, a=a, b=b: min(abs(m.start - a), abs(m.end - b)),
                            default=None)
            if supporter is not None:
                group = [supporter] if trig.passive else [
                    *_list_before(text, supporter, side), supporter]
                for sup in map(lambda m: fuller(ctx, m), group):
                    roles = (("target", target.entity_id), ("supporter", sup.entity_id))
                    why = (f"trigger «{text[a:b]}» ({trig.lang}); supporter {sup.matched!r} = "
                           f"{sup.entity_id}"
                           + (f" (listed with {supporter.matched!r})" if sup is not supporter
                              else "")
                           + f"; target {target.matched!r} = {target.entity_id}")
                    note(True, why)
                    out.append(make_intent(ctx, rule, unit, [sup, target], roles, why))
                out += channels(rule, ctx, unit, target, others, trig, note)
                found = True
                break
        if not found:
            found = _pronoun_supporter(rule, ctx, unit, hits, target, mentions, note, out)
        if found or not rule.supporter_names:
            continue
        for trig, a, b in hits:
            if trig.passive or not side_of([target], a, b, after=True) or (
                    id(target) not in co and not governed(ctx, b, target)):
                continue
            name = named_party(text, unit.start, a, mentions)
            if name:
                roles = (("target", target.entity_id), ("supporter", name))
                why = (f"trigger «{text[a:b]}» ({trig.lang}); supporter named {name!r} (not on "
                       f"the watchlist); target {target.matched!r} = {target.entity_id}")
                note(True, why)
                out.append(make_intent(ctx, rule, unit, [target], roles, why))
                out += channels(rule, ctx, unit, target, others, trig, note)
                found = True
                break
        if not found:
            note(False, f"trigger and target {target.matched!r} found, but no supporter named "
                        "on the supplying side of a trigger")
            first = next(((t, a) for t, a, b in hits if not t.passive
                          and side_of([target], a, b, after=True)
                          and governed(ctx, b, target)), None)
            if first is not None:
                ctx.unsupported.append((rule.id, unit, target, first[1]))
    return out


COLLECTIVE_REACH = 12  # sentences after a collective support in which its designees are named
# a relative pronoun that opens the clause of the support ("… seven people and companies, whom
# it accuses of financing", "a las que acusa de financiar", "которые поставляли") (original)
_GROUP_RELATIVE = re.compile(
    r"(?<!\w)(?:who|whom|which|that|qui|que|qu['’]|lesquel\w*|die|welche|den|denen|"
    r"a (?:las|los) que|las que|los que|quienes|che|i quali|le quali|cui|которые|которых|"
    r"которым|які|яких|яким|którzy|które|których|którym|οι οποίοι|τις οποίες|τους οποίους|"
    r"που|الذين|اللذين|التي)(?!\w)", re.IGNORECASE)
# the group that relative clause is about: people, companies, a network (folded)
_GROUP_NOUNS = re.compile(
    r"(?<![a-z])(?:people|persons|individuals|companies|firms|entities|businesses|network|"
    r"personas|empresas|sociedades|entidades|individuos|red|personnes|societes|entreprises|"
    r"entites|individus|reseau|personen|unternehmen|firmen|organisationen|netzwerk|persone|"
    r"societa|aziende|entita|individui|rete|bedrijven|ondernemingen|netwerk|osoby|osob|firmy|"
    r"firm|spolki|spolek|podmioty|podmiotow|siec|lyud\w*|lits|litsa|kompani\w*|organizatsi\w*|"
    r"osib|osoby|kompaniy\w*|merezh\w*|set'|seti|etaireies|prosopa|diktyo|kisi|sirket\w*|"
    r"ashkhas|afrad|sharikat|kiyanat|shabakat)(?![a-z])")


def collective(rule, ctx, designation_rules) -> list[AlertIntent]:
    """"The Treasury sanctioned seven people and companies that finance Hezbollah", then
    "They are A, B and C …": a sentence that designates unnamed parties for supporting a
    target makes each entity the document designates from there on a supporter of it (the
    target itself, countries and what the document lifts excepted)."""
    pending = [p for p in ctx.unsupported if p[0] == rule.id]
    if not pending:
        return []
    from sanctionwatch.rules.context import find_triggers

    wl, out = ctx.watchlist, []
    designated = [i for i in ctx.intents.values() if i.type == "designation"
                  and i.phase in ("announced", "effective")]
    sentences = ctx.doc.sentences
    for _rid, unit, target, a in pending:
        head = ctx.doc.text[max(unit.start, a - 120):a]
        rel = _GROUP_RELATIVE.search(head)
        if rel is None or len(head[rel.end():].split()) > 3 or not _GROUP_NOUNS.search(
                fold(head[max(0, rel.start() - 80):rel.start()])):
            continue
        if not any(find_triggers(r.triggers, unit) for r in designation_rules):
            continue
        last = sentences[min(len(sentences) - 1,
                             unit.sentence.index + COLLECTIVE_REACH)].end
        seen: set[str] = set()
        for i in designated:
            sid = i.role("target") or ""
            if not (unit.start <= i.evidence_start < last) or sid in seen \
                    or sid == target.entity_id:
                continue
            ms = [m for m in i.mentions if m.entity_id == sid]
            e = wl.by_id.get(sid)
            if not ms or e is None or e.type == "country" or not supports(rule, wl, ms[0], target):
                continue
            seen.add(sid)
            why = (f"«{ctx.doc.text[unit.start:a].strip()[-60:]} …» designates unnamed parties "
                   f"for supporting {target.matched!r} = {target.entity_id}; {ms[0].matched!r} = "
                   f"{sid} is designated in the document after it: a supporter")
            record(ctx, unit, rule, True, why)
            out.append(make_intent(ctx, rule, unit, [ms[0], target],
                                   (("target", target.entity_id), ("supporter", sid)), why))
    return out


def _begin_at_name(hit, mentions: list[Mention]):
    """A trigger that begins inside a name (Turkish patterns begin at the target's case
    ending: "Terra Tech'e sağladığı") begins at the name, which is then on its object side."""
    trig, a, b = hit
    if trig.passive:
        return hit
    for m in mentions:
        if m.start < a < m.end:
            return trig, m.start, b
    return hit


def _compound(text: str, hit, mentions: list[Mention]):
    """A trigger word that is the end of a hyphenated compound ("Iran-backed", "Kremlin-
    funded") begins after the name written before its hyphen: that name is its subject."""
    trig, a, b = hit
    if trig.passive or "-" not in text[a:b]:
        return hit
    for m in mentions:
        if a <= m.start < m.end < b and text[m.end] == "-":
            return trig, m.end, b
    return hit


def governed(ctx, b: int, target: Mention) -> bool:
    """The target after an active trigger is its object: no clause and no new item of a
    list begins between them ("… которая поставляет снимки, а также китайская X": X is
    listed with the others, nobody supplies it)."""
    if target.start <= b:
        return True
    gap = ctx.fold(b, target.start)
    return len(gap.split()) <= OBJECT_REACH and not _STOP.search(gap) and not (
        new_clause(gap) or _NEW_ITEM.search(gap) or _MEASURE.search(gap))


_STOP = re.compile(r"[;；:：，]")  # a new clause, a list's next item, a Chinese clause
# words from an active trigger to the name it governs ("help stop the spread of fake files,
# Sloncek told Novastream": Novastream is not what is helped)
OBJECT_REACH = 6


# "supported the sanctions on Hamas", "unterstützt die Maßnahmen gegen die Hisbollah": what
# is supported is a measure against the name, not the name (folded)
_MEASURE = re.compile(r"(?<![a-z])(?:sanction|sanktion|sancion|sanzion|sankcj|sanktsi|sanktsii|"
                      r"yaptirim|designat|listing|blacklist|embargo|measures|massnahm|mesures|"
                      r"medidas|misure|maatregel|srodk|against|gegen|contre|contra|contro|"
                      r"przeciw|protiv|proti|karsi|tegen|ban on|freez)")
_NEW_ITEM = re.compile(r"[,;]\s*(?:and also|as well as|a takzhe|a takozh|ainsi que|sowie|"
                       r"asi como|nonche|a takze|a ponadto|but also)(?![a-z0-9])")


def _list_before(text: str, last: Mention, side: list[Mention]) -> list[Mention]:
    """The names listed before `last` in one enumeration ("Odeh, Ali and Qafisheh had
    helped to move money"): each is a supporter as much as the one next to the trigger."""
    out: list[Mention] = []
    head = last
    for m in sorted((m for m in side if m.end <= last.start), key=lambda m: -m.end):
        if m.end > head.start:
            continue
        gap = text[m.end:head.start]
        # Arabic joins "و" (and) to the next name: "الشوا وأحمد صدو جحلب"
        joined = not gap.strip() and text[head.start:head.start + 1] == "و"
        if not joined and list_gap(gap) not in ("comma", "conjunction"):
            break
        out.insert(0, m)
        head = m
    return out


def co_targets(ctx, unit, near: Mention, side: list[Mention], trigger: str) -> list[Mention]:
    """The targets an active trigger governs besides the nearest one: the rest of a list
    ("supplied drones to A, B and C") and a target the trigger's preposition repeats for
    after a conjunction ("gave material support to A, which …, and to B")."""
    text = ctx.doc.text
    after = sorted((m for m in side if m.start >= near.end), key=lambda m: m.start)
    out = continue_list(text, [near], after, unit.end)
    words = trigger.split()
    prep = words[-1].casefold() if words else ""
    if prep.isalpha() and len(prep) <= 4:
        again = re.compile(rf"(?:^|\W)(?:{_AND}),? (?:also |even )?{re.escape(prep)}"
                           rf" (?:(?:{_ARTICLE}) )?$")
        for m in after:
            if m not in out and again.search(ctx.fold(max(near.end, m.start - 40), m.start)):
                out.append(m)
    return out


_AND = r"and|et|und|y|e|i|en|ve|oraz|ta|as well as|ainsi que|sowie"
_ARTICLE = r"the|its|their|de|het|la|le|les|die|der|den|dem|des|el|los|las|il|lo|gli|o|a|os|as"
_PERSON_PRONOUN = frozenset("he him she il elle lui er ihn ihm ella hij zij hem ego vin vona "
                            "yogo jego jej".split())
_PLURAL_PRONOUN = frozenset("they them ils elles ellos oni voni ich".split())
_SUPPORTER_WINDOW = 4  # words between a pronoun that stands for the supporter and the trigger


def _pronoun_supporter(rule, ctx, unit, hits, target, mentions, note, out) -> bool:
    """"… accusing him of financing Hizballah", "It shipped the parts to HESA", "the firms
    generate income for Hamas": a pronoun or a noun like "the company" right before an
    active trigger stands for the supporter named last before it (a person for "him", "er";
    an organisation, vessel or aircraft for "it", "the firm"); a plural ("they", "zij allen",
    "the companies") for every entity named in the last ANAPHORA_REACH sentences."""
    text, wl = ctx.doc.text, ctx.watchlist
    first = ctx.doc.sentences[max(0, unit.sentence.index - ANAPHORA_REACH)].start
    for trig, a, b in hits:
        if trig.passive or not side_of([target], a, b, after=True) or not governed(ctx, b, target):
            continue
        lo = max(unit.start, a - 60)
        window = ctx.fold(lo, a)
        found = [*OBJECT_PRONOUN.finditer(window), *SUPPORTER_NOUN.finditer(window)]
        if not found:
            continue
        p = max(found, key=lambda m: m.start())
        if len(window[p.end():].split()) > _SUPPORTER_WINDOW:
            continue
        at = ctx.doc.orig_in_fold(lo, a, p.start())
        if any(at <= m.start < a for m in mentions):
            continue  # a name between the pronoun and the trigger is the supporter
        word = p.group("p") or ""
        plural = word in _PLURAL_PRONOUN or bool(p.groupdict().get("pl")
                                                 or p.groupdict().get("pl2"))
        person = None if plural else word in _PERSON_PRONOUN
        pool = [m for m in ctx.mentions if first <= m.start and m.end <= at
                and m.entity_id != target.entity_id and supports(rule, wl, m, target)
                and wl.by_id[m.entity_id].type != "country"
                and (person is None or (wl.by_id[m.entity_id].type == "person") == person)]
        if not pool:
            continue
        chosen = list({m.entity_id: m for m in pool}.values()) if plural else [pool[-1]]
        for sup in chosen:
            roles = (("target", target.entity_id), ("supporter", sup.entity_id))
            why = (f"trigger «{text[a:b]}» ({trig.lang}); «{p.group().strip()}» stands for "
                   f"{sup.matched!r} = {sup.entity_id}, named just before, the supporter; "
                   f"target {target.matched!r} = {target.entity_id}")
            note(True, why)
            out.append(make_intent(ctx, rule, unit, [sup, target], roles, why))
        return True
    return False


def supports(rule: Rule, wl: Watchlist, m: Mention, target: Mention) -> bool:
    cond = rule.supporter
    if cond is None:
        return True
    return meets(cond, wl.by_id[m.entity_id]) and (
        not cond.related_to_target or wl.related(m.entity_id, target.entity_id))


def channels(rule, ctx, unit, target, others, trig, note) -> list[AlertIntent]:
    """"X funded Y through companies he controlled, A and B": A and B support Y too."""
    text = ctx.doc.text
    after = sorted((m for m in others if m.start >= target.end), key=lambda m: m.start)
    if not after or not channel_gap(ctx.fold(target.end, after[0].start)):
        return []
    out = []
    for m in [after[0], *continue_list(text, [after[0]], after, unit.end)]:
        roles = (("target", target.entity_id), ("supporter", m.entity_id))
        why = (f"trigger «{trig.source}» ({trig.lang}); supporter {m.matched!r} = "
               f"{m.entity_id}, the channel «{text[target.end:after[0].start].strip()}»; "
               f"target {target.matched!r} = {target.entity_id}")
        note(True, why)
        out.append(make_intent(ctx, rule, unit, [m, target], roles, why))
    return out


def network_support(rule, ctx, unit, hits, targets, mentions, note) -> list[AlertIntent]:
    """A network trigger governs the name right after it ("«глобальной сети» группировки
    «Вагнер»", "liées aux activités militaires du groupe Wagner"); the names written after
    that target, on the list or in quotes, are its supporters."""
    text, wl = ctx.doc.text, ctx.watchlist
    out = []
    for trig, a, b in hits:
        governed = [m for m in targets if m.start >= a and token_distance(text, m, a, b) <= 2]
        if not governed:
            continue
        target = min(governed, key=lambda m: m.start)
        found = [m for m in mentions if m.start >= target.end
                 and m.entity_id != target.entity_id and supports(rule, wl, m, target)]
        names = quoted_names(text, target.end, unit.end, mentions) if rule.supporter_names else []
        for sup in [*found, *names]:
            sid = sup if isinstance(sup, str) else sup.entity_id
            shown = sup if isinstance(sup, str) else f"{sup.matched!r} = {sid}"
            roles = (("target", target.entity_id), ("supporter", sid))
            why = (f"network trigger «{text[a:b]}» ({trig.lang}) governs target "
                   f"{target.matched!r} = {target.entity_id}; supporter {shown} named after it")
            note(True, why)
            ms = [target] if isinstance(sup, str) else [sup, target]
            out.append(make_intent(ctx, rule, unit, ms, roles, why))
    return out


_ADJECTIVE_END = re.compile(r"(?:an|ese)$")
_HAN_ORG_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,14}?(?:公司|企业|集团|工业|银行|工厂|厂)")
_APPOSITION = re.compile(r"^\s*,\s*(?:a|an|the|un|une|le|la|l['’]|el|il|lo|ein|eine|einer|der|"
                         r"die|das|een|de|het|o|um|uma)\s", re.IGNORECASE)


_FROM = re.compile(r"(?<!\w)(?:from|out of|iz|из|aus|von|z|з|da|dal|dalla|de|del|desde|"
                   r"από|uit|van)\s+$", re.IGNORECASE)
# a country's regime or government is the country (folded)
_REGIME = re.compile(r"(?:regime|regimen|rezhim|rezym|regierung|government|gouvernement|"
                     r"gobierno|governo|rzad|pravitelstv\w*|uryad\w*|kyvernis\w*|kathestos)\s+$")
_REGIME_AFTER = re.compile(r"^\s+(?:regime|government|authorities|leadership)(?![a-z])")
# "the cartel", "la organización", "该组织", "للحركة": a group noun on the object side
# stands for the organisation named last before it (folded, and as written for zh/ar)
_GROUP_OBJECT = re.compile(
    r"^\W{0,3}(?:(?:members?|associates?|affiliates?|operatives?|fighters|militants|cells?|"
    r"and|of|de|des|du|der|del|dei|della|degli)\s+){0,4}(?:(?:(?:al|all|dell|nell|sull|dall|"
    r"l|d)'|the|this|le|la|l'|ce|cette|der|die|das|dem|den|des|el|"
    r"il|lo|questo|questa|het|de|o|do|da|ao|tis|tin|tou|ton)\s?(?:[\w'-]+ )?"
    r"(?:group|organi[sz]ation|movement|militia|cartel|party|groupe|organisation|mouvement|"
    r"milice|parti|gruppe|organisation|miliz|bewegung|kartell|partei|grupo|organizacion|"
    r"movimiento|milicia|partido|gruppo|organizzazione|movimento|milizia|cartello|partito|"
    r"groep|organisatie|beweging|organizacao|organosi|organoseos|omada|omadas)\w*"
    r"|(?:[\w'-]+ )?(?:ugrupowani|organizacj|kartel|gruppirovk|organizatsi|dvizheni|ugrupovann|"
    r"orhanizatsi|rukh)\w*)(?![\w])")
_GROUP_OBJECT_RAW = re.compile(r"^.{0,2}?(?:该组织|该集团|该团体|该运动|该派别|该卡特尔|"
                               r"(?:لل|ل|ال)(?:حركة|حزب|تنظيم|جماعة|منظمة))")
_GROUP_REACH = 6  # sentences back in which a group noun finds the organisation it names


def _group_targets(rule, ctx, unit, hits, targets, note) -> list[Mention]:
    """"… shipping precursors to members of the cartel", "替该组织管理资产": when an active
    trigger has no name on its object side but a group noun, that noun stands for the
    organisation named last before it (one whose name holds the noun first: "the cartel"
    is the Sinaloa Cartel), within a few sentences. Returns mentions standing for them."""
    wl, text = ctx.watchlist, ctx.doc.text
    out: list[Mention] = []
    first = ctx.doc.sentences[max(0, unit.sentence.index - _GROUP_REACH)].start
    for trig, a, b in hits:
        if trig.passive or trig.network or any(m.start >= a and governed(ctx, b, m)
                                               for m in targets):
            continue
        if trig.raw:
            g = _GROUP_OBJECT_RAW.match(text[b:b + 12])
            s0, s1 = (b + g.start(), b + g.end()) if g else (0, 0)
        else:
            # a trigger that ends in an elided article and its noun ("all'organizzazione")
            elided = re.search(r"\w(['’]\w+)$", text[a:b])
            c = b - len(elided.group(1)) - 1 if elided else b
            tail = ctx.fold(c, min(unit.end, c + 60))
            g = _GROUP_OBJECT.match(tail)
            if g:
                s0 = ctx.doc.orig_in_fold(c, min(unit.end, c + 60), g.start())
                s1 = ctx.doc.orig_in_fold(c, min(unit.end, c + 60), g.end())
        if not g:
            continue
        noun = fold(text[s0:s1]).split()[-1] if text[s0:s1].split() else ""
        # not a name of the trigger's own clause: "Sidar and Itqan have passed money to
        # the group" — the group is not Itqan
        cut = max(text.rfind(",", unit.start, a), text.rfind("，", unit.start, a), unit.start)
        orgs = [m for m in ctx.mentions if m.end <= a and not (cut <= m.start)
                and wl.by_id[m.entity_id].type == "organization"
                and meets(rule.target, wl.by_id[m.entity_id])]
        pool = [m for m in orgs if first <= m.start]
        if not pool:
            continue
        named = [m for m in pool if len(noun) > 3 and any(
            noun[:5] in fold(n) for n in (wl.by_id[m.entity_id].name,
                                           *wl.by_id[m.entity_id].aliases))]
        supported = [m for m in pool if m.entity_id in {
            i.role("target") for i in ctx.intents.values() if i.type == "support_network"}]
        if named:
            ante = named[-1]
        elif supported:  # the organisation the document already found supported
            ante = supported[-1]
        else:  # the organisation the document is about: named most often so far
            count: dict[str, int] = {}
            for m in orgs:
                count[m.entity_id] = count.get(m.entity_id, 0) + 1
            ante = max(reversed(pool), key=lambda m: count[m.entity_id])
        stand = Mention(ante.entity_id, s0, s1, text[s0:s1], ante.score, ante.alias,
                        "anaphor", ante.features)
        note(False, f"«{text[s0:s1]}» stands for {ante.matched!r} = {ante.entity_id}, "
                    "named before")
        out.append(stand)
    return out


_AND_WORD = re.compile(r"(?<!\w)(?:and|et|und|y|e|i|и|і|та|ve|en|oraz|και)(?!\w)",
                       re.IGNORECASE)


def adjectival(ctx, m: Mention) -> bool:
    """A country written as an adjective of the noun after or before it: "the Iranian
    state manufacturer", "pétrole iranien", "iranischer Drohnen", "российским покупателям",
    "伊朗帕尔钦化学工业公司" — an origin or a nationality, not the country as a party."""
    e = ctx.watchlist.by_id[m.entity_id]
    if e.type != "country" or not m.matched:
        return False
    text = ctx.doc.text
    if _REGIME.search(fold(text[max(0, m.start - 14):m.start])) or _REGIME_AFTER.match(
            fold(text[m.end:m.end + 14])):
        return False  # "il regime nordcoreano", "the Syrian government": the country itself
    if m.matched[:1].islower():
        return True
    if "\u4e00" <= m.matched[-1] <= "\u9fff":
        return _HAN_ORG_AFTER.match(text[m.end:m.end + 20]) is not None
    word = fold(m.matched)
    if word in {fold(n) for n in (e.name, *e.aliases)} or not _ADJECTIVE_END.search(word):
        return False
    return re.match(r"\s+[a-z]", text[m.end:m.end + 3]) is not None


def same_clause(ctx, m: Mention, a: int, mentions: list[Mention]) -> bool:
    """No relative clause opens between `m` (before a trigger at `a`) and the trigger, or
    `m` is its antecedent (right before its comma, or before an apposition that names no
    one else): in "A met B, which is funded by Iran" A is not what Iran funds."""
    if m.end > a:
        return True
    between = ctx.doc.text[m.end:a]
    at = relative_start(between)
    if at is None:
        return True
    head = between[:at]
    if ANTECEDENT_GAP.match(head):
        return True
    return _APPOSITION.match(head) is not None and head.count(",") == 1 \
        and not _AND_WORD.search(head) and not any(
            m.end < o.start and o.end <= m.end + at for o in mentions)


_VS_REACH = 3  # words from a verb to the subject written after it ("яку підтримує Іран")


def _object_relatives(rule, ctx, unit, hits, targets, mentions, note, out):
    """"Hezbollah, which Iran supports", "«Хезболла», яку підтримує Іран", "die Miliz, die der
    Iran unterstützt": the antecedent is the target, the name inside the clause the
    supporter. Returns the hits left for the other readings."""
    text, wl = ctx.doc.text, ctx.watchlist
    left = []
    for hit in hits:
        trig, a, b = hit
        done = False
        if not trig.passive:
            for target in sorted((m for m in targets if m.end <= a), key=lambda m: -m.end):
                between = text[target.end:a]
                sv = OBJECT_RELATIVE_SV.match(between)
                vs = OBJECT_RELATIVE_VS.match(between) or (
                    trig.raw and ARABIC_OBJECT_RELATIVE.match(between))
                if not (sv or vs):
                    continue
                lo = target.end + sv.start("rest") if sv and sv.group("rest").strip() else None
                if lo is not None and len(text[lo:a].split()) > 4:
                    break
                others = [m for m in mentions if m.entity_id != target.entity_id
                          and supports(rule, wl, m, target)]
                if lo is not None:
                    pool = [m for m in others if lo <= m.start and m.end <= a]
                    name = None if pool else (
                        named_party(text, lo, a, mentions) if rule.supporter_names else None)
                else:
                    pool = [m for m in others if m.start >= b
                            and len(text[b:m.start].split()) <= _VS_REACH]
                    pool = pool[:1]
                    name = None
                for sup in [*pool[:1], *([name] if name else [])]:
                    sid = sup if isinstance(sup, str) else sup.entity_id
                    shown = repr(sup) if isinstance(sup, str) else f"{sup.matched!r} = {sid}"
                    why = (f"trigger «{text[a:b]}» ({trig.lang}) in a relative clause on "
                           f"{target.matched!r} = {target.entity_id}, the target; its subject "
                           f"{shown} the supporter")
                    note(True, why)
                    ms = [target] if isinstance(sup, str) else [sup, target]
                    out.append(make_intent(ctx, rule, unit, ms,
                                           (("target", target.entity_id), ("supporter", sid)),
                                           why))
                    done = True
                break  # only the antecedent nearest the clause
        if not done:
            left.append(hit)
    return left


def fuller(ctx, m: Mention) -> Mention:
    """A bare surname ("Ahmad") that the matcher read as several entries stands for the
    one the document named in full first ("Nazem Said Ahmad"); one it read as a single
    entry that the document never named in full, for the one person it did name in full
    with that surname."""
    if " " in m.matched.strip() or ctx.watchlist.by_id[m.entity_id].type != "person":
        return m
    word = fold(m.matched)
    full = [o for o in ctx.mentions if o.start < m.start and " " in o.matched.strip()
            and fold(o.matched).split()[-1] == word
            and ctx.watchlist.by_id[o.entity_id].type == "person"]
    same = {o.entity_id for o in ctx.mentions if (o.start, o.end) == (m.start, m.end)}
    if len(same) > 1:
        named = [o for o in full if o.entity_id in same]
        return named[0] if named else m
    if not full or any(o.entity_id == m.entity_id for o in full) \
            or len({o.entity_id for o in full}) > 1:
        return m  # named in full itself, or the surname of several people named
    return full[-1]
