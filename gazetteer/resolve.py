"""Pick one place per mention: prior (population, feature rank), country focus, coherence, containment.

Every candidate keeps its score and the reasons for it, so a reviewer can see why a place won.
Distances are geodesic (geopy).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from gazetteer import geo
from gazetteer.cues import cues, right_word
from gazetteer.directions import direction_before, directional_regions
from gazetteer.index import Gazetteer
from gazetteer.normalize import scan_key as before_key
from gazetteer.recognize import Mention
from gazetteer.records import PART_FEATURE, Candidate, MentionKind, Place, district_at

FEATURE_BONUS = {"PCLI": 1.0, "CONT": 1.0, "ADM1": 0.55, "PPLC": 0.9, "RGN": 0.6}
CURATED_BONUS = 1.2
MAIN_NAME_BONUS = 0.5
POPULATION_WEIGHT = 0.25
FOCUS_WEIGHT = 1.0
NEAR_KM, NEAR_BONUS = 200.0, 0.6
#: ... and up to this much more the closer the nearest one lies (15 km beats 198 km among namesakes).
CLOSENESS_BONUS = 0.2
#: Anchors counted around one candidate: each adds NEAR_BONUS.
MAX_NEAR_COUNT = 3
REGIONAL_KM, REGIONAL_BONUS = 800.0, 0.25
CONTAINMENT_BONUS = 3.0
#: A pair read as containment may fall at most this far below the best readings of its two names.
CONTAINMENT_MAX_DEFICIT = 2.0
REGION_FOCUS_BONUS = 0.8
MAX_CANDIDATES = 16
MAX_ANCHORS = 15
KEEP_CANDIDATES = 5
#: A city this large that shares its region's name is what the name means (New York) ...
SEAT_POPULATION = 100_000
#: ... when it holds at least this share of the region's population; the region is penalised so much.
SEAT_SHARE = 0.1
SEAT_PENALTY = 1.0
#: A city anywhere at least this share of a namesake region's population is what the name means (Gaza).
NAMESAKE_SHARE = 0.5
#: Population a curated region counts as: a news-scale region (Sahel, Donbas) outranks a small foreign
#: first-level region of the same name unless the text speaks of that region's country.
CURATED_POPULATION = 1_000_000
#: Bonus of a directional region over the place it is part of ("southern Lebanon": South Lebanon).
DIRECTION_BONUS = 0.5
#: Bonus for a reading of the same kind as the names listed beside it ("Ohio, New York and Texas").
LIST_BONUS = 0.8


@dataclass(frozen=True, slots=True)
class Resolved:
    """A mention with its ranked candidates, its kind and the containing place named beside it."""

    mention: Mention
    candidates: tuple[Candidate, ...]
    kind: MentionKind
    context: Place | None = None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the geodesic distance in km between two (lat, lon) points (gazetteer.geo, geopy)."""
    return geo.distance_km(a[0], a[1], b[0], b[1])


#: Kilometres per degree of latitude, rounded down: a safe lower bound for pruning far pairs.
_KM_PER_DEGREE = 110.5


def within_km(a: tuple[float, float], b: tuple[float, float], limit: float) -> float | None:
    """Return the geodesic distance when it is at most ``limit`` km, else None.

    Pairs whose latitude difference alone exceeds the limit are ruled out without the geodesic.
    """
    if abs(a[0] - b[0]) * _KM_PER_DEGREE > limit:
        return None
    cos_lat = math.cos(math.radians(max(abs(a[0]), abs(b[0]))))
    dlon = abs(a[1] - b[1]) % 360.0
    if min(dlon, 360.0 - dlon) * _KM_PER_DEGREE * cos_lat > limit * 1.01:
        return None
    distance = distance_km(a, b)
    return distance if distance <= limit else None


def _point(place: Place) -> tuple[float, float]:
    return (place.lat, place.lon)


def prior(place: Place, *, main: bool) -> tuple[float, list[str]]:
    """Return a place's prior score (population, feature rank, how well it is known by the name)."""
    curated = place.id.startswith("curated:")
    population = max(place.population, CURATED_POPULATION) if curated else place.population
    score = POPULATION_WEIGHT * math.log10(population + 1)
    reasons = [f"population {place.population}" + (f" (counted as {population})" if curated else "")]
    bonus = CURATED_BONUS if curated else FEATURE_BONUS.get(place.feature, 0.0)
    # A capital known by this name only as an alternate ("Mexico" for Mexico City) has no rank bonus.
    if bonus and main:
        score += bonus
        reasons.append(f"feature {place.feature} +{bonus}")
    if main:
        score += MAIN_NAME_BONUS
        reasons.append("known by this name")
    return score, reasons


def contains(container: Place, place: Place) -> bool:
    """Say whether a place lies in a container (country, region, or near a point with a radius)."""
    if container.id == place.id or container.feature == "CONT":
        return False
    if container.feature.startswith("PCL"):
        return place.country_code == container.country_code
    if container.country_code and place.country_code != container.country_code:
        return False
    if container.feature == "ADM1" and place.admin1 is not None and place.admin1 == container.admin1:
        return True
    reach = (container.radius_km or 15.0) + 25.0
    return distance_km(_point(container), _point(place)) <= reach


def _candidates(mention: Mention, gazetteer: Gazetteer) -> tuple[list[tuple[Place, bool]], MentionKind]:
    match = mention.match
    demonyms = [(p, True) for p, k in zip(match.places, match.kinds, strict=True) if k == MentionKind.DEMONYM]
    if demonyms:
        return demonyms, MentionKind.DEMONYM
    places = (
        list(zip(match.places, match.main, strict=True)) if match.main else [(p, True) for p in match.places]
    )
    named = [(p, main) for p, main in places if p.feature in {"ADM1", "ADM2", "RGN"}]
    country = any(p.feature.startswith("PCL") for p, _ in places)
    if mention.region_phrase and (named or not country):
        # Regions known by the name itself first; only without one, the regions its towns lie in (a
        # village named like a region elsewhere does not bring its own large region: Ḩajjah, Hebron).
        # A country's name before a region word is the country when no region bears the name ("the
        # US State Department"), not the region of a village that shares it.
        regions: dict[str, tuple[Place, bool]] = {}
        for place, main in named or places:
            region = place if place.feature in {"ADM1", "ADM2", "RGN"} else gazetteer.region_of(place)
            if region is not None:
                regions.setdefault(region.id, (region, main))
        if regions:
            return list(regions.values()), MentionKind.PLACE
    if mention.city_phrase:
        # "the city of Gaza": the settlement, not the region or strip of the same name.
        settlements = [(p, main) for p, main in places if p.feature.startswith("PPL")]
        if settlements:
            return settlements, MentionKind.PLACE
    return places, MentionKind.PLACE


def seat_penalties(places: Sequence[tuple[Place, bool]]) -> dict[str, float]:
    """Return the penalty of each region that shares its name with one of its own cities.

    A region and its city share a name (New York, Idlib): the city is the plain reading unless the
    text says otherwise (``Buffalo, New York``, ``New York state``, a list of states). A city that is
    a small part of its region (Quebec) does not stand for it: there the region keeps its rank. A city
    of another country as populous as half the region (Gaza city, Gaza province) outranks it too.
    """
    seats: dict[tuple[str, str | None], int] = {}
    namesake = 0
    for place, main in places:
        if place.feature.startswith("PPL") and (main or place.population >= SEAT_POPULATION):
            key = (place.country_code, place.admin1)
            seats[key] = max(seats.get(key, 0), place.population)
            namesake = max(namesake, place.population if main else 0)
    out = {}
    for place, _main in places:
        seat = seats.get((place.country_code, place.admin1))
        if place.feature != "ADM1":
            continue
        if (seat is not None and seat >= SEAT_SHARE * place.population) or (
            namesake >= SEAT_POPULATION and namesake >= NAMESAKE_SHARE * place.population
        ):
            out[place.id] = SEAT_PENALTY
    return out


@dataclass
class _Work:
    mention: Mention
    kind: MentionKind
    options: list[tuple[Place, float, list[str]]]
    context: Place | None = None
    dropped: bool = False

    def best(self) -> Place:
        return max(self.options, key=lambda o: o[1])[0]

    def margin(self) -> float:
        scores = sorted((o[1] for o in self.options), reverse=True)
        return scores[0] - scores[1] if len(scores) > 1 else 9.0


def _directional(
    mention: Mention, options: list[tuple[Place, float, list[str]]], direction: str, gazetteer: Gazetteer
) -> list[tuple[Place, float, list[str]]]:
    """Return the regions named for the part of a candidate the text points to, scored above it."""
    taken = {p.id for p, _, _ in options}
    out = []
    for place, score, reasons in options:
        for region in directional_regions(place, direction, gazetteer, said=mention.match.text):
            if region.id not in taken:
                taken.add(region.id)
                reason = f"{direction} part of {place.name} +{DIRECTION_BONUS}"
                out.append((region, score + DIRECTION_BONUS, [*reasons, reason]))
    return out


def _initial(
    mentions: Sequence[Mention], gazetteer: Gazetteer, text: str = "", lang: str | None = None
) -> list[_Work]:
    work = []
    for mention in mentions:
        places, kind = _candidates(mention, gazetteer)
        penalties = seat_penalties(places) if kind == MentionKind.PLACE else {}
        options = []
        for place, main in places:
            score, reasons = prior(place, main=main)
            if place.id in penalties:
                score -= penalties[place.id]
                reasons.append(f"its own city shares the name -{penalties[place.id]}")
            options.append((place, score, reasons))
        direction = direction_before(text, mention.match.start, lang) if kind == MentionKind.PLACE else None
        if direction is not None:
            options.extend(_directional(mention, options[:MAX_CANDIDATES], direction, gazetteer))
        options.sort(key=lambda o: -o[1])
        work.append(_Work(mention, kind, shortlist(options)))
    return work


#: Candidates of countries the shortlist lacks, added after the best MAX_CANDIDATES.
MAX_OTHER_COUNTRIES = 4


def shortlist(options: list[tuple[Place, float, list[str]]]) -> list[tuple[Place, float, list[str]]]:
    """Return the best MAX_CANDIDATES options (sorted best first), plus the best of other countries.

    The prior alone must not shut out a country before the text has spoken: eight American states
    named for towns called Sharon outrank the Sharon district of Israel, which the text's other places
    then favour.
    """
    out = options[:MAX_CANDIDATES]
    seen = {place.country_code for place, _, _ in out}
    for option in options[MAX_CANDIDATES:]:
        if len(out) >= MAX_CANDIDATES + MAX_OTHER_COUNTRIES:
            break
        if option[0].country_code not in seen:
            seen.add(option[0].country_code)
            out.append(option)
    return out


def _evidence(item: _Work) -> tuple[str, float] | None:
    """Return the country a mention speaks for and how strongly, or None when it is too ambiguous."""
    best = item.best()
    if not best.country_code:
        return None
    if item.kind == MentionKind.DEMONYM:
        return best.country_code, 1.0
    if best.feature.startswith("PCL"):
        return best.country_code, 1.0 if item.margin() > 0.8 else 0.5
    if len({p.country_code for p, _, _ in item.options}) == 1:
        return best.country_code, 0.5
    if item.margin() > 0.8:
        return best.country_code, 0.25
    # A lead too small to decide alone still counts a little: four English towns that each lead an
    # American namesake outweigh one village that only Virginia has (a football report).
    return (best.country_code, WEAK_EVIDENCE) if item.margin() > WEAK_MARGIN else None


#: Evidence of a name whose best reading leads its namesakes by WEAK_MARGIN only.
WEAK_EVIDENCE = 0.1
WEAK_MARGIN = 0.3


def _name_of(item: _Work) -> frozenset[str]:
    """Return what identifies a name across its forms: its readings ("Газа" and "Газы" share them)."""
    return frozenset(place.id for place in item.mention.match.places)


#: Country evidence is summed in hundredths of a unit, so sums are exact and independent of order.
_EVIDENCE_SCALE = 100


Share = tuple[tuple[str, int], ...]
"""A name's own country evidence, (country code, units) sorted: names with one share see one rest."""


@dataclass(frozen=True, slots=True)
class _CountryEvidence:
    """The countries each name's mentions speak for (see _name_of), and the sum over all names."""

    by_name: dict[frozenset[str], dict[str, int]]
    total: dict[str, int]
    _rest: dict[Share, dict[str, float]] = field(default_factory=dict)

    def share(self, item: _Work) -> Share:
        """Return the evidence a mention's name gives itself."""
        return tuple(sorted(self.by_name.get(_name_of(item), {}).items()))

    def without(self, share: Share) -> dict[str, float]:
        """Return the country evidence of every other name: a name's own mentions do not vouch for it.

        The total less the name's own ``share``, worked out once per share (most names of a text share
        theirs with others: one country, one weight); do not change the dictionary returned.
        """
        rest = self._rest.get(share)
        if rest is None:
            own = dict(share)
            rest = self._rest[share] = {code: (units - own.get(code, 0)) / _EVIDENCE_SCALE
                                        for code, units in self.total.items() if units > own.get(code, 0)}
        return rest


def _country_evidence(work: Sequence[_Work]) -> _CountryEvidence:
    """Return per name (see _name_of) the countries its mentions speak for, with their weight."""
    by_name: dict[frozenset[str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, int] = defaultdict(int)
    for item in work:
        found = _evidence(item)
        if found is not None:
            units = round(found[1] * _EVIDENCE_SCALE)
            by_name[_name_of(item)][found[0]] += units
            total[found[0]] += units
    return _CountryEvidence(by_name, total)


def _apply_focus(work: Sequence[_Work], gazetteer: Gazetteer) -> None:
    """Favour candidates in the countries the rest of the text speaks of (neighbours at half weight).

    A name's own mentions do not count for it: "Georgia" repeated ten times is no evidence that it
    is the country.
    """
    evidence = _country_evidence(work)
    for _, item in _ambiguous(work):
        focus = evidence.without(evidence.share(item))
        total = sum(focus.values())
        if total <= 0:
            continue
        updated = []
        for place, score, reasons in item.options:
            direct = focus.get(place.country_code, 0.0) / total
            nearby = max((focus.get(n, 0.0) for n in gazetteer.neighbours(place.country_code)), default=0.0)
            bonus = FOCUS_WEIGHT * max(direct, nearby / total / 2)
            if bonus > 0:
                score += bonus
                reasons = [*reasons, f"text speaks of {place.country_code} or a neighbour +{bonus:.2f}"]
            updated.append((place, score, reasons))
        item.options = updated


def _ambiguous(work: Sequence[_Work]) -> Iterator[tuple[int, _Work]]:
    """Yield (position, item) for the place mentions that still have several candidates to rescore."""
    for position, item in enumerate(work):
        if item.kind != MentionKind.DEMONYM and len(item.options) > 1:
            yield position, item


def _apply_region_focus(work: Sequence[_Work]) -> None:
    """Favour candidates inside a first-level region the text names elsewhere (Paris + Tennessee)."""
    named: dict[tuple[str, str], int] = {}
    for position, item in enumerate(work):
        best = item.best()
        if best.feature == "ADM1" and best.admin1 and (len(item.options) == 1 or item.margin() > 0.5):
            named.setdefault((best.country_code, best.admin1), position)
    if not named:
        return
    for position, item in _ambiguous(work):
        # A name that may be the named region itself ("Montana" after "Mont.") is that region, not a
        # town in it that shares the name (Montana City).
        itself = {(p.country_code, p.admin1) for p, _, _ in item.options if p.feature == "ADM1"}
        updated = []
        for place, score, reasons in item.options:
            where = named.get((place.country_code, place.admin1 or ""))
            if (
                where is not None
                and where != position
                and place.feature != "ADM1"
                and (place.country_code, place.admin1) not in itself
            ):
                score, reasons = (
                    score + REGION_FOCUS_BONUS,
                    [*reasons, f"in {place.admin1}, named in the text"],
                )
            updated.append((place, score, reasons))
        item.options = updated


def _apply_containment(work: Sequence[_Work], text: str, lang: str | None) -> None:
    patterns = cues(lang).containment
    for inner, outer in itertools.pairwise(work):
        between = text[inner.mention.match.end : outer.mention.match.start]
        if len(between) > 60 or not any(p.fullmatch(between) for p in patterns):
            continue
        if outer.kind == MentionKind.DEMONYM:
            continue
        _contain(inner, outer)


def _contain(inner: _Work, outer: _Work) -> None:
    """Favour the inner reading inside a reading of the outer name ("Paris, Texas").

    A name read first as a country lies in nothing named beside it: "Iraq, Iran" is a list, and
    the town of Iran that has "Iraq" as an alternate spelling is no reading of it.
    """
    if inner.best().feature == "PCLI":
        return
    best: tuple[float, int, Place] | None = None
    for index, (place, score, _reasons) in enumerate(inner.options):
        for container, outer_score, _ in outer.options:
            if contains(container, place) and (best is None or score + outer_score > best[0]):
                best = (score + outer_score, index, container)
    if best is None:
        return
    top = max(o[1] for o in inner.options) + max(o[1] for o in outer.options)
    if top - best[0] > CONTAINMENT_MAX_DEFICIT:
        # Two lesser namesakes that happen to lie together ("University of California, Los Angeles":
        # villages of Durango) are no better reading than the famous pair.
        return
    _, index, container = best
    place, score, reasons = inner.options[index]
    inner.options[index] = (
        place,
        score + CONTAINMENT_BONUS,
        [*reasons, f"in {container.name} +{CONTAINMENT_BONUS}"],
    )
    inner.context = container
    outer.options = [
        (
            p,
            s + (1.0 if p.id == container.id else 0.0),
            [*r, "contains a place named beside it"] if p.id == container.id else r,
        )
        for p, s, r in outer.options
    ]


#: Feature codes whose readings a list shares: a list of states names states, of countries countries.
LIST_FEATURES = frozenset({"ADM1", "PCLI"})


def _list_neighbours(work: Sequence[_Work], text: str, lang: str | None) -> list[list[int]]:
    """Return for each mention the positions of the mentions listed beside it (joined by , and or ...)."""
    joiners = cues(lang).list_joiners
    out: list[list[int]] = [[] for _ in work]
    for position in range(len(work) - 1):
        between = text[work[position].mention.match.end : work[position + 1].mention.match.start]
        if len(between) <= 12 and any(p.fullmatch(between) for p in joiners):
            out[position].append(position + 1)
            out[position + 1].append(position)
    return out


#: Two region records (ISO 3166-2, curated) whose points lie this close are one region.
SAME_REGION_KM = 100.0


def _same_region(a: Place, b: Place) -> bool:
    """Say whether two candidates are one first-level region (the index may hold it twice)."""
    regions = {"ADM1", "RGN"}
    if a.id == b.id:
        return True
    return (a.feature in regions and b.feature in regions and a.country_code == b.country_code
            and distance_km(_point(a), _point(b)) <= SAME_REGION_KM)


def _apply_lists(work: Sequence[_Work], text: str, lang: str | None) -> None:
    """Favour the reading of the same kind as the names listed beside it ("Ohio, New York and Texas")."""
    neighbours = _list_neighbours(work, text, lang)
    sure = [
        item.best().feature
        if item.kind == MentionKind.PLACE and (len(item.options) == 1 or item.margin() > 0.5)
        else None
        for item in work
    ]
    for position, item in enumerate(work):
        kinds = {sure[n] for n in neighbours[position]} & LIST_FEATURES
        if item.kind == MentionKind.DEMONYM or len(item.options) < 2 or not kinds:
            continue
        listed = [work[n].best() for n in neighbours[position]]
        if any(_same_region(p, q) for p, _, _ in item.options for q in listed):
            continue  # "Kharkiv and Kharkiv Oblast": a name listed with its own region is the city
        item.options = [
            (p, s + LIST_BONUS, [*r, f"listed with other {p.feature} names +{LIST_BONUS}"])
            if p.feature in kinds
            else (p, s, r)
            for p, s, r in item.options
        ]


def _apply_coherence(work: Sequence[_Work]) -> None:
    anchors: list[tuple[int, Place]] = []
    for position, item in enumerate(work):
        if item.kind == MentionKind.DEMONYM:
            continue
        best = item.best()
        if best.feature in {"PCLI", "CONT"} or (item.margin() < 0.5 and len(item.options) > 1):
            continue
        if all(best.id != a.id for _, a in anchors):
            anchors.append((position, best))
            if len(anchors) == MAX_ANCHORS:  # the first ones only: looking on was quadratic in long texts
                break
    if not anchors:
        return
    for position, item in _ambiguous(work):
        updated = []
        for place, score, reasons in item.options:
            if place.feature in {"PCLI", "ADM1", "CONT"} or (place.radius_km or 0) > NEAR_KM:
                # An area is coherent with the text when another place of the text lies inside it.
                inside = [a for p, a in anchors if p != position and a.id != place.id and contains(place, a)]
                if inside:
                    # Another place inside the area lies as close to it as a place can.
                    score, reasons = (
                        score + NEAR_BONUS + CLOSENESS_BONUS,
                        [*reasons, f"contains {inside[0].name}, named in the text"],
                    )
                updated.append((place, score, reasons))
                continue
            found = [
                d
                for d in (
                    within_km(_point(place), _point(a), REGIONAL_KM)
                    for p, a in anchors
                    if p != position and a.id != place.id
                )
                if d is not None
            ]
            near = min(found, default=math.inf)
            if near <= NEAR_KM:
                # Several places of the text around one namesake (a local story) outweigh a famous one.
                count = min(sum(d <= NEAR_KM for d in found), MAX_NEAR_COUNT)
                score, reasons = (
                    score + NEAR_BONUS * count + CLOSENESS_BONUS * (1 - near / NEAR_KM),
                    [*reasons, f"{near:.0f} km from {count} other place(s) of the text"],
                )
            elif near <= REGIONAL_KM:
                score, reasons = (
                    score + REGIONAL_BONUS,
                    [*reasons, f"{near:.0f} km from another place of the text"],
                )
            updated.append((place, score, reasons))
        item.options = updated


#: Readings of two different names this close together tell one local story (Huntsville, Walker County).
LOCAL_KM = 50.0
LOCAL_BONUS = 0.3
#: A reading vouches for readings of other names near it when it is this close to its name's best.
LOCAL_MARGIN = 1.0
#: Other names counted around one reading: each adds LOCAL_BONUS.
MAX_LOCAL_COUNT = 2
#: Grid cell (degrees) for finding readings near one another.
_LOCAL_CELL = 0.5


def _cell(place: Place) -> tuple[int, int]:
    return (math.floor(place.lat / _LOCAL_CELL), math.floor(place.lon / _LOCAL_CELL))


def _apply_local_coherence(work: Sequence[_Work]) -> None:
    """Favour readings that lie near a reading of another name of the text, sure or not.

    Anchors (_apply_coherence) need a name already decided; in a local story every name may be a
    namesake ("Huntsville" and "Walker County" both recur across the United States), and only the pair
    that lies together tells which. Areas (countries, regions) take no part: they lie near everything.
    """
    # Each name's readings once per cell: a long text repeats a few names thousands of times.
    cells: dict[tuple[int, int], dict[str, dict[str, Place]]] = defaultdict(lambda: defaultdict(dict))
    for item in work:
        if item.kind != MentionKind.PLACE:
            continue
        top = max(score for _, score, _ in item.options)
        for place, score, _ in item.options:
            # Only plausible readings vouch for others: the hamlets named after famous cities
            # (Boston, Houston and Washington in Pennsylvania) cluster as well.
            if place.feature not in _AREA_FEATURES and score >= top - LOCAL_MARGIN:
                cells[_cell(place)][item.mention.match.key][place.id] = place
    counted: dict[tuple[str, str], int] = {}  # the same for every mention of one name
    for _, item in _ambiguous(work):
        key = item.mention.match.key
        updated = []
        for place, score, reasons in item.options:
            if place.feature in _AREA_FEATURES:
                updated.append((place, score, reasons))
                continue
            near = counted.get((key, place.id))
            if near is None:
                near = counted[(key, place.id)] = _names_near(place, key, cells)
            if near:
                bonus = LOCAL_BONUS * min(near, MAX_LOCAL_COUNT)
                reason = f"near a reading of {near} other name(s) +{bonus:.2f}"
                score, reasons = score + bonus, [*reasons, reason]
            updated.append((place, score, reasons))
        item.options = updated


def _names_near(place: Place, key: str, cells: dict[tuple[int, int], dict[str, dict[str, Place]]]) -> int:
    """Return how many other names have a plausible reading within LOCAL_KM of ``place``, counting up
    to MAX_LOCAL_COUNT (all that the bonus uses).

    A name is counted at its first reading found near, and the count stops at the cap: a text that
    names thousands of towns has hundreds around each, and measuring them all grew with the square.
    """
    row, col = _cell(place)
    point = _point(place)
    near: set[str] = set()
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            for other, readings in cells.get((row + dr, col + dc), {}).items():
                if other != key and other not in near and any(
                        within_km(point, _point(found), LOCAL_KM) is not None for found in readings.values()):
                    near.add(other)
                    if len(near) == MAX_LOCAL_COUNT:
                        return MAX_LOCAL_COUNT
    return len(near)


_AREA_FEATURES = frozenset({"PCLI", "ADM1", "CONT", "RGN"})


#: A part of a city lies this close to the city's point (a district, a neighbourhood, a camp).
CITY_PART_KM = 25.0


def _apply_city_parts(work: Sequence[_Work], text: str, lang: str | None) -> None:
    """Read a name given as part of the city named next as that part ("the Kyivskyi district of Kharkiv").

    A candidate within CITY_PART_KM of the city (or inside a region named like it) wins; when none lies
    there, the index does not hold the part, and a namesake elsewhere is no reading of it: the mention is
    dropped and the city stands for it.
    """
    cue = cues(lang)
    for first, second in itertools.pairwise(work):
        if MentionKind.DEMONYM in (first.kind, second.kind):
            continue
        if _possessive_part(text, first, second, cue.part_heads):
            inner, outer = second, first  # "Kharkiv's Kyivskyi district": the owner is the city
        else:
            inner, outer = first, second
            between = text[inner.mention.match.end : outer.mention.match.start]
            last = inner.mention.match.key.rsplit(" ", 1)[-1]
            joined = f" {last}{between}"
            if " " in inner.mention.match.key and (
                last in cue.part_heads or any(p.fullmatch(joined) for p in cue.part_of)
            ):
                # The part word is inside the name ("the Kyivskyi district of Kharkiv", "Шевченківський
                # район Харкова" matched whole).
                between = joined
            headed = _part_head_before(text, inner.mention.match.start, cue.part_heads)
            short = len(between.strip(" ,")) <= MAX_PART_LINK
            if len(between) > 40 or not (
                any(p.fullmatch(between) for p in cue.part_of)
                or (headed and (short or any(p.fullmatch(between) for p in cue.containment)))
            ):
                continue
        city = outer.best()
        if not city.feature.startswith("PPL"):
            continue
        # A region named like the city ("district de Salif à Al Hodeïdah") may hold the part too.
        areas = [p for p, _, _ in outer.options if p.feature in {"ADM1", "ADM2"}]
        near = [
            index
            for index, (place, _, _) in enumerate(inner.options)
            if place.id != city.id
            and (
                within_km(_point(place), _point(city), CITY_PART_KM) is not None
                or any(contains(area, place) for area in areas)
            )
        ]
        if not near:
            # The index does not hold the part: the city stands for it (a reading, not a second place).
            best = max(score for _, score, _ in inner.options)
            part = unindexed_part(city, inner.mention.match.text, inner.mention.match.key)
            inner.options = [(part, best, [f"a part of {city.name} the index lacks: the city's point"])]
            inner.context = city
            continue
        for index in near:
            place, score, reasons = inner.options[index]
            inner.options[index] = (place, score + CONTAINMENT_BONUS, [*reasons, f"part of {city.name}"])
        inner.context = city
        holders = [area for area in areas if any(contains(area, inner.options[i][0]) for i in near)]
        if holders and not any(
                within_km(_point(inner.options[i][0]), _point(city), CITY_PART_KM) for i in near):
            # "Kursk's Sudzha district": the part lies in the region named like the city, not in the
            # city; the owner is that region.
            outer.options = [(p, sc + CONTAINMENT_BONUS, [*r, f"holds {inner.best().name}"]) if p in holders
                             else (p, sc, r) for p, sc, r in outer.options]
            inner.context = outer.best()


def unindexed_part(city: Place, name: str, key: str) -> Place:
    """Return a part of a city the index lacks, as the text names it, at the city's point (where in the
    city the text does not say)."""
    return district_at(city, id=f"part:{city.id}:{key}", name=f"{name}, {city.name}", feature=PART_FEATURE)


_POSSESSIVE_LINK = re.compile(r"['\u2019]s\s+")


def _possessive_part(text: str, owner: _Work, part: _Work, heads: frozenset[str]) -> bool:
    """Say whether a part of a city follows the city's possessive ("Kharkiv's Kyivskyi district")."""
    between = text[owner.mention.match.end : part.mention.match.start]
    if not _POSSESSIVE_LINK.fullmatch(between):
        return False
    last = part.mention.match.key.rsplit(" ", 1)[-1]
    after = right_word(text, part.mention.match.end)
    headed = after is not None and before_key(after) in heads
    return (" " in part.mention.match.key and last in heads) or headed


#: Longest preposition between a part named after its head word and its city ("quartier X, à Gaza").
MAX_PART_LINK = 4
_PART_LINKS = frozenset({"de", "d", "du", "van", "von", "of"})


def _part_head_before(text: str, start: int, heads: frozenset[str]) -> bool:
    """Say whether a part-of-city word stands before ``start``, maybe with a link ("quartier de X")."""
    window = text[max(0, start - 40) : start].replace("\u2019", " ").replace("'", " ").split()
    if window and window[-1].lower() in _PART_LINKS:
        window = window[:-1]
    return bool(window) and before_key(window[-1]) in heads


def _apply_part_evidence(work: Sequence[_Work]) -> None:
    """Keep a neighbourhood reading only when the text names its city (or a district around it).

    Neighbourhood names are often ordinary words or names found anywhere ("Old City", "Unesco",
    "Marfa"): without their city they are no evidence of a place. A reading is kept when another
    mention's best place is a town within CITY_PART_KM of it or a district containing it, or when the
    text gave the part its city ("Obolon, Kyiv"); a mention left without readings is dropped.
    """
    cities: dict[str, tuple[Place, list[int]]] = {}  # each place named, with up to two mentions naming it
    for position, item in enumerate(work):
        if item.kind == MentionKind.PLACE and not item.dropped and item.best().feature != PART_FEATURE:
            named = cities.setdefault(item.best().id, (item.best(), []))[1]
            if len(named) < 2:
                named.append(position)
    for position, item in enumerate(work):
        if item.kind != MentionKind.PLACE or not any(p.feature == PART_FEATURE for p, _, _ in item.options):
            continue
        kept = [
            option
            for option in item.options
            if option[0].feature != PART_FEATURE or _city_named(option[0], position, cities, item.context)
        ]
        if kept:
            item.options = kept
        else:
            item.dropped = True


def _city_named(
    part: Place, position: int, cities: Mapping[str, tuple[Place, list[int]]], context: Place | None
) -> bool:
    """Say whether the text names the city a part lies in (see _apply_part_evidence).

    ``cities`` are the places the text names, each once, with (up to two of) the mentions naming it: a
    place named only by the part's own mention does not count.
    """
    around = [place for place, named in cities.values() if named != [position]]
    if context is not None:
        around.append(context)
    for place in around:
        near = within_km(_point(part), _point(place), CITY_PART_KM) is not None
        if place.feature.startswith("PPL") and near:
            return True
        if place.feature == "ADM2" and contains(place, part):
            return True
    return False


#: Evidence (country mentions, see _evidence) from which a text's countries decide namesakes.
COUNTRY_EVIDENCE = 1.0
#: A country with this much evidence (one firm mention) is one the text speaks of.
COUNTRY_WEIGHT = 0.25
#: Penalty of a namesake outside the countries the text speaks of, when a reading inside them exists.
FOREIGN_PENALTY = 0.6
#: A name whose every reading lies outside them and is smaller than this is no place of the text.
FOREIGN_DROP_POPULATION = 100_000


def _apply_country_coherence(work: Sequence[_Work], gazetteer: Gazetteer) -> None:
    """Decide namesakes by the countries the rest of the text speaks of (Газа: Gaza, not Mozambique).

    Only with enough evidence (COUNTRY_EVIDENCE) from other names: a reading outside those countries and
    their neighbours loses FOREIGN_PENALTY when one inside exists; a small place abroad that is the only
    reading ("Зейтун" in a story on Gaza: Żejtun, Malta) is dropped.
    """
    evidence = _country_evidence(work)
    spoken_by_share: dict[Share, set[str] | None] = {}  # the same for every name with one share
    for item in work:
        if item.kind == MentionKind.DEMONYM:
            continue
        share = evidence.share(item)
        if share not in spoken_by_share:
            spoken_by_share[share] = _countries_spoken(evidence.without(share), gazetteer)
        spoken = spoken_by_share[share]
        if spoken is None:
            continue
        foreign = [not _at_home(place, spoken) for place, _, _ in item.options]
        if all(foreign):
            if max(p.population for p, _, _ in item.options) < FOREIGN_DROP_POPULATION and not any(
                p.id.startswith("curated:") for p, _, _ in item.options
            ):
                item.dropped = True
            continue
        item.options = [
            (p, s - FOREIGN_PENALTY, [*r, f"outside the countries of the text -{FOREIGN_PENALTY}"])
            if away
            else (p, s, r)
            for (p, s, r), away in zip(item.options, foreign, strict=True)
        ]


def _apply_one_sense(work: Sequence[_Work]) -> None:
    """Read a name the same way throughout a text when one of its mentions is firmly placed.

    "Raid sur Rafah : six morts. ... une maison à Rafah, dans le sud de la bande de Gaza": the second
    Rafah is in Gaza by its containment phrase, so the first one is too. Only mentions with the same
    readings (and no region or city word of their own) share a sense; the firm one has a context or
    the larger margin.
    """
    groups: dict[tuple[frozenset[str], bool, bool], list[_Work]] = defaultdict(list)
    for item in work:
        if item.kind == MentionKind.PLACE and len(item.options) > 1 and not item.dropped:
            mention = item.mention
            groups[(_name_of(item), mention.region_phrase, mention.city_phrase)].append(item)
    for items in groups.values():
        if len(items) < 2 or len({item.best().id for item in items}) == 1:
            continue
        firm = max(items, key=lambda item: (item.context is not None, item.margin()))
        sense = firm.best().id
        for item in items:
            top = max(score for _, score, _ in item.options)
            item.options = [
                (p, top + ONE_SENSE_BONUS, [*r, "read so elsewhere in the text"])
                if p.id == sense
                else (p, s, r)
                for p, s, r in item.options
            ]


#: Lifts the reading a name has at its firmest mention just above a mention's own best.
ONE_SENSE_BONUS = 0.01


def _countries_spoken(focus: dict[str, float], gazetteer: Gazetteer) -> set[str] | None:
    """Return the countries (and their neighbours) a name's country evidence speaks of.

    None when those names give too little evidence (COUNTRY_EVIDENCE).
    """
    total = sum(focus.values())
    if total < COUNTRY_EVIDENCE:
        return None
    spoken = {code for code, weight in focus.items() if weight >= COUNTRY_WEIGHT}
    return spoken | {n for code in spoken for n in gazetteer.neighbours(code)}


def _at_home(place: Place, spoken: set[str]) -> bool:
    return not place.country_code or place.feature in {"PCLI", "CONT"} or place.country_code in spoken


def resolve(
    mentions: Sequence[Mention], text: str, *, lang: str | None, gazetteer: Gazetteer
) -> list[Resolved]:
    """Return each mention with its candidates ranked best first."""
    work = _initial(mentions, gazetteer, text, lang)
    _apply_containment(work, text, lang)
    _apply_focus(work, gazetteer)
    _apply_region_focus(work)
    _apply_lists(work, text, lang)
    _apply_coherence(work)
    _apply_local_coherence(work)
    _apply_city_parts(work, text, lang)
    _apply_part_evidence(work)
    _apply_country_coherence(work, gazetteer)
    _apply_one_sense(work)
    out = []
    for item in (w for w in work if not w.dropped):
        ranked = sorted(item.options, key=lambda o: -o[1])[:KEEP_CANDIDATES]
        candidates = tuple(Candidate(p, round(s, 3), tuple(r)) for p, s, r in ranked)
        if candidates:
            out.append(Resolved(item.mention, candidates, item.kind, item.context))
    return out
