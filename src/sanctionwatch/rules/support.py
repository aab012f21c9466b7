"""Support-network rules: who supplies, pays, hosts or recruits for a listed entity, found on
the supplying side of a trigger, through the channels named after the target, or after a
network trigger (pure)."""

from __future__ import annotations

from sanctionwatch.rules.clauses import channel_gap, continue_list
from sanctionwatch.rules.context import make_intent, meets, side_of, token_distance
from sanctionwatch.rules.model import Rule
from sanctionwatch.rules.parties import named_party, quoted_names
from sanctionwatch.types import AlertIntent, Mention, Watchlist


def support(rule, ctx, unit, hits, targets, mentions, note) -> list[AlertIntent]:
    """For each target, the nearest supporter entity on the supplying side of any trigger;
    failing that, a party named before an active trigger. Names the supporter acted through
    ("through companies he controlled, A and B") support the target too; a network trigger
    ("the global network of X") makes the names after its target supporters."""
    text, wl = ctx.doc.text, ctx.watchlist
    network = [h for h in hits if h[0].network]
    hits = [h for h in hits if not h[0].network]
    out = network_support(rule, ctx, unit, network, targets, mentions, note) if network else []
    nearest: set[int] = set()
    for _trig, a, b in hits:
        side = side_of(targets, a, b, after=not _trig.passive)
        if side:
            near = min(side, key=lambda m, a=a, b=b: min(abs(m.start - b), abs(m.end - a)))
            nearest.add(id(near))
    for target in targets:
        if not hits or (nearest and id(target) not in nearest):
            continue
        others = [m for m in mentions if m.entity_id != target.entity_id
                  and supports(rule, wl, m, target)]
        found = False
        for trig, a, b in hits:
            if not side_of([target], a, b, after=not trig.passive):
                continue
            side = side_of(others, a, b, after=trig.passive)
            supporter = min(side, key=lambda m, a=a, b=b: min(abs(m.start - a), abs(m.end - b)),
                            default=None)
            if supporter is not None:
                roles = (("target", target.entity_id), ("supporter", supporter.entity_id))
                why = (f"trigger «{text[a:b]}» ({trig.lang}); supporter {supporter.matched!r} = "
                       f"{supporter.entity_id}; target {target.matched!r} = {target.entity_id}")
                note(True, why)
                out.append(make_intent(ctx, rule, unit, [supporter, target], roles, why))
                out += channels(rule, ctx, unit, target, others, trig, note)
                found = True
                break
        if found or not rule.supporter_names:
            continue
        for trig, a, b in hits:
            if trig.passive or not side_of([target], a, b, after=True):
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
    return out


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
