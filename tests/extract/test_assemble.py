"""Tests of incident assembly over hand-made places (no gazetteer needed)."""

from __future__ import annotations

import datetime as dt
import re

from gazetteer.records import MentionKind, Place, Precision, Toponym
from incidents.extract.assemble import assemble
from incidents.extract.draft import DocumentInfo
from incidents.extract.lexicon import load_lexicon
from incidents.extract.text import split_sentences
from incidents.records import IncidentType
from tests.timing import cpu_seconds

PLACES = {
    "Lviv": Place("t:lviv", "Lviv", 49.84, 24.03, "UA", None, "PPLA", 700000, Precision.LOCALITY),
    "Rivne": Place("t:rivne", "Rivne", 50.62, 26.25, "UA", None, "PPLA", 240000, Precision.LOCALITY),
    "Oekraïne": Place("t:ua", "Ukraine", 49.0, 32.0, "UA", None, "PCLI", 40000000, Precision.COUNTRY),
    "Polen": Place("t:pl", "Poland", 52.0, 19.0, "PL", None, "PCLI", 38000000, Precision.COUNTRY),
    "regio Lviv": Place("t:lviv-oblast", "Lviv Oblast", 49.8, 23.9, "UA", None, "ADM1", 2500000,
                        Precision.REGION, 100.0),
    "Sychiv": Place("t:sykhiv", "Sykhiv", 49.79, 24.06, "UA", None, "PPLX", 0, Precision.DISTRICT),
    "LVIV": Place("t:lviv", "Lviv", 49.84, 24.03, "UA", None, "PPLA", 700000, Precision.LOCALITY),
    "Kyiv": Place("t:kyiv", "Kyiv", 50.45, 30.52, "UA", None, "PPLC", 2900000, Precision.LOCALITY),
}
PLACES["Kharkiv"] = Place("t:kharkiv", "Kharkiv", 49.99, 36.23, "UA", "Kharkiv", "PPLA", 1400000,
                          Precision.LOCALITY)
PLACES["Kharkiv Oblast"] = Place("t:kharkiv-oblast", "Kharkiv Oblast", 49.5, 36.5, "UA", "Kharkiv", "ADM1",
                                 2600000, Precision.REGION, 120.0)
DEMONYMS = {"Russische": "Polen", "Ukrainian": "Oekraïne"}


class Book:
    """A gazetteer stand-in: Kharkiv lies in Kharkiv Oblast, Kyiv is the capital of Ukraine."""

    def region_of(self, place: Place) -> Place | None:
        return PLACES["Kharkiv Oblast"] if place.admin1 == "Kharkiv" else None

    def capital_of(self, country_code: str) -> Place | None:
        return PLACES["Kyiv"] if country_code == "UA" else None

INFO = DocumentInfo(doc_id="doc", lang="nl", source="test", published=dt.date(2024, 3, 6))


def toponyms(text: str) -> list[Toponym]:
    """Find the test places in ``text`` (longest names first, no overlaps)."""
    found: list[Toponym] = []
    for name in sorted([*PLACES, *DEMONYMS], key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(m.start() < t.end and t.start < m.end() for t in found):
                continue
            kind = MentionKind.DEMONYM if name in DEMONYMS else MentionKind.PLACE
            place = PLACES[DEMONYMS.get(name, name)]
            found.append(Toponym(m.start(), m.end(), m.group(), place, kind=kind))
    return sorted(found, key=lambda t: t.start)


def run(text: str, lang: str = "nl", book: Book | None = None) -> list:  # type: ignore[type-arg]
    lexicon = load_lexicon(lang)
    return assemble(text, split_sentences(text, abbreviations=lexicon.abbreviations), toponyms(text),
                    lexicon, INFO, book=book)


def test_counts_in_a_later_sentence_belong_to_the_incident() -> None:
    text = "Russische drones vielen vannacht doelen in Lviv aan. Volgens artsen raakten vijf mensen gewond."
    (incident,) = run(text)
    assert incident.type == IncidentType.STRIKE and incident.subtype == "drone"
    assert [p.mention for p in incident.places] == ["Lviv"]
    assert (incident.casualties.killed, incident.casualties.injured) == (None, 5)
    assert incident.date == dt.date(2024, 3, 5)
    assert "vijf mensen" in incident.evidence


def test_alert_at_several_places_is_one_incident() -> None:
    (incident,) = run("In Lviv en Rivne ging het luchtalarm af.")
    assert incident.type == IncidentType.ALERT
    assert [p.place.id for p in incident.places] == ["t:lviv", "t:rivne"]


def test_strikes_at_two_towns_are_two_incidents_and_the_country_is_context() -> None:
    incidents = run("In Oekraïne sloegen raketten in bij Lviv en bij Rivne.")
    assert sorted(i.places[0].place.id for i in incidents) == ["t:lviv", "t:rivne"]


def test_speaker_origin_and_dateline_are_not_places() -> None:
    text = "LVIV (ANP) - Volgens Polen vloog een Russische raket vanuit Oekraïne over de grens."
    assert run(text) == []


def test_region_only_place_gives_a_region_incident() -> None:
    (incident,) = run("In de regio Lviv sloeg een raket in.")
    assert incident.places[0].place.precision == Precision.REGION


def test_unknown_casualties_stay_null() -> None:
    text = "In Lviv ging het luchtalarm af. Of er slachtoffers zijn, is niet duidelijk. Vier doden."
    (incident,) = run(text)
    assert (incident.casualties.killed, incident.casualties.injured) == (None, None)


def test_no_date_in_the_text_gives_none() -> None:
    (incident,) = run("Een raket sloeg in op Lviv.")
    assert incident.date is None


def test_same_place_restated_merges_and_elsewhere_splits() -> None:
    merged = run("Een raket sloeg in op Lviv. Bij de raketaanval op Lviv vielen twee doden.")
    assert len(merged) == 1 and merged[0].casualties.killed == 2
    split = run("Een raket sloeg in op Lviv. Elders in Lviv werd een fabriek aangevallen.")
    assert len(split) == 2


def test_hypothetical_and_intercepted_are_not_incidents() -> None:
    assert run("Als een raket op Lviv valt, komt er een antwoord.") == []
    assert run("Boven Lviv werden alle drones onderschept.") == []


def test_ids_are_stable_and_distinct() -> None:
    first = run("Een raket sloeg in op Lviv. In Rivne ging het luchtalarm af.")
    again = run("Een raket sloeg in op Lviv. In Rivne ging het luchtalarm af.")
    assert [i.incident_id for i in first] == [i.incident_id for i in again]
    assert len({i.incident_id for i in first}) == 2


def test_confidence_ranks_specific_counted_incidents_higher() -> None:
    sure = run("Een raketaanval op Lviv kostte vannacht drie doden.")[0]
    doubtful = run("Lviv zou mogelijk zijn aangevallen, op Lviv.")[0]
    assert 0.0 <= doubtful.confidence < sure.confidence <= 1.0


def test_a_count_at_another_place_right_after_an_incident_is_its_own_incident() -> None:
    text = ("Bij raketaanvallen op Lviv en Rivne kwamen vannacht veertig mensen om in Oekraïne. "
            "Het dodental omvat dertig mensen in Kyiv.")
    incidents = run(text)
    kyiv = [i for i in incidents if i.places[0].place.id == "t:kyiv"]
    assert len(kyiv) == 1 and kyiv[0].casualties.killed == 30 and kyiv[0].type == IncidentType.STRIKE
    assert kyiv[0].date == dt.date(2024, 3, 5)


def test_a_count_without_an_incident_before_it_opens_nothing() -> None:
    assert run("Het weer was slecht. In Kyiv kwamen dertig mensen om bij een ongeluk met een bus.") == []


def test_a_campaign_total_at_another_place_opens_nothing() -> None:
    text = "Een raket sloeg in op Lviv. Sinds het begin van de oorlog kwamen in Kyiv 300 mensen om."
    assert [i.places[0].place.id for i in run(text)] == ["t:lviv"]


def test_a_neighbourhood_in_a_follow_up_sentence_joins_the_incident() -> None:
    text = "Een raket sloeg vannacht in op Lviv. Bij de aanval werd een school in Sychiv getroffen."
    (incident,) = run(text)
    assert [p.place.id for p in incident.places] == ["t:lviv", "t:sykhiv"]
    far = run("Een raket sloeg vannacht in op Lviv. Bij de aanval werd een school in Rivne getroffen.")
    assert len(far) == 2


def test_the_seat_of_a_source_is_no_second_scene() -> None:
    text = "Een raket trof Lviv, meldt het ministerie van Defensie in Kyiv."
    assert [i.places[0].place.id for i in run(text)] == ["t:lviv"]
    assert [i.places[0].place.id for i in run("Een raket trof het ministerie in Kyiv.")] == ["t:kyiv"]


def test_the_subtype_is_the_weapon_nearest_to_the_place() -> None:
    text = "Het raketvuur van eergisteren was hevig, maar vannacht sloeg een drone in bij Lviv."
    (incident,) = run(text)
    assert incident.subtype == "drone"


def test_our_region_is_the_region_an_official_title_names() -> None:
    text = ("Vannacht viel de vijand onze regio aan met drones. Er waren inslagen in twee districten. "
            "De luchtverdediging was actief. Een drone sloeg in op een veld. De brand is geblust. "
            "Er waren geen gewonden, meldt de gouverneur van de regio Lviv.")
    (incident,) = run(text)
    assert [p.place.id for p in incident.places] == ["t:lviv-oblast"]
    assert (incident.casualties.killed, incident.casualties.injured) == (None, 0)
    assert incident.confidence < run("Vannacht vielen drones de regio Lviv aan.")[0].confidence


def test_counts_long_after_the_last_word_on_the_incident_stay_out() -> None:
    text = ("Een drone sloeg in op Lviv. Het weer was goed. De markt was open. De school was dicht. "
            "Er waren geen gewonden.")
    (incident,) = run(text)
    assert incident.casualties.injured is None


def test_the_capital_is_the_capital_of_the_country_in_focus() -> None:
    text = "Missiles hit cities across Oekraïne. A strike struck the capital overnight, as well as in Lviv."
    places = {i.places[0].place.id for i in run(text, "en", Book())}
    # The country is no incident place of its own once finer places inside it are told.
    assert places == {"t:kyiv", "t:lviv"}
    assert {i.places[0].place.id for i in run(text, "en")} == {"t:lviv"}  # no capital known
    nl = run("Russische drones vielen vannacht de hoofdstad aan.", "nl", Book())
    assert nl == []  # the demonym names the attacker's country, and that one has no capital here
    named = run("Drones struck the Ukrainian capital overnight. The toll includes three people in Kyiv.",
                "en", Book())
    assert [(i.places[0].mention, i.casualties.killed) for i in named] == [("Kyiv", 3)]


def test_the_surrounding_region_is_the_region_of_the_town_just_named() -> None:
    text = "In Kharkiv en de omliggende regio ging vannacht het luchtalarm af."
    (alert,) = run(text, "nl", Book())
    assert [p.place.id for p in alert.places] == ["t:kharkiv", "t:kharkiv-oblast"]
    assert [p.mention for p in alert.places][1] == "de omliggende regio"
    town, region = run("A missile hit Kharkiv. Drones then attacked the surrounding region.", "en", Book())
    assert [p.place.id for p in town.places] == ["t:kharkiv"]
    assert [p.place.id for p in region.places] == ["t:kharkiv-oblast"]
    assert region.confidence < town.confidence
    assert run("Drones attacked the surrounding region.", "en", Book()) == []
    text = "A missile hit Kharkiv. In the surrounding region, two people were injured."
    (counted,) = run(text, "en", Book())
    assert [p.place.id for p in counted.places] == ["t:kharkiv"] and counted.casualties.injured == 2


def test_a_placeless_alert_takes_the_one_region_an_official_title_names() -> None:
    text = ("The governor of Kharkiv Oblast said a drone hit a barn overnight. "
            "An air-raid alert lasted four hours. Nobody was injured.")
    incidents = run(text, "en", Book())
    alert = next(i for i in incidents if i.type == IncidentType.ALERT)
    assert [p.place.id for p in alert.places] == ["t:kharkiv-oblast"]
    assert (alert.casualties.killed, alert.casualties.injured) == (None, None)
    assert run("An air-raid alert lasted four hours.", "en", Book()) == []  # no focus: no place invented


def test_a_placeless_alert_takes_the_dateline_town() -> None:
    (alert,) = run("LVIV (ANP) - Vannacht ging urenlang het luchtalarm af.", "nl")
    assert alert.places[0].place.id == "t:lviv" and alert.type == IncidentType.ALERT
    named = run("LVIV (ANP) - Vannacht ging in Rivne het luchtalarm af.", "nl")
    assert [i.places[0].place.id for i in named] == ["t:rivne"]


def test_a_placeless_attack_with_other_counts_is_a_second_incident_at_the_same_place() -> None:
    text = ("Airstrikes on Lviv killed nine people on Monday. "
            "Three children were killed when a drone hit their home. The strike also injured 12 people.")
    first, second = run(text, "en")
    assert (first.casualties.killed, first.casualties.injured) == (9, None)
    assert (second.casualties.killed, second.casualties.injured) == (3, 12)
    assert second.places[0].place.id == "t:lviv" and second.confidence < first.confidence
    (same,) = run("Airstrikes on Lviv killed nine people. In the strike, nine people were killed.", "en")
    assert same.casualties.killed == 9


def test_confidence_ranks_real_incidents_above_doubtful_ones() -> None:
    def score(text: str) -> float:
        return float(run(text, "en", Book())[0].confidence)

    real = score("A missile struck Lviv last night, killing three people.")
    generic = score("An attack struck Lviv.")
    hedged = score("A missile reportedly struck Lviv.")
    reported = score("A missile struck Lviv, officials said.")
    region = score("A missile struck Kharkiv Oblast.")
    country = score("A missile struck Oekraïne.")
    inferred = score("The governor of Kharkiv Oblast said drones attacked our region.")
    focused = score("The governor of Kharkiv Oblast spoke. An air-raid alert sounded overnight.")
    assert real > generic > focused
    assert score("A missile struck Lviv.") > reported > hedged
    assert score("A missile struck Lviv.") > region > country
    assert score("Drones attacked Kharkiv Oblast.") > inferred
    assert all(0.0 <= value <= 1.0 for value in (real, generic, hedged, reported, region, country, focused))


def _distinct_strikes_seconds(count: int) -> float:
    """CPU seconds to assemble ``count`` strikes at one town, each with its own toll (none merges)."""
    text = " ".join(f"A missile hit Lviv, killing {n} people." for n in range(1, count + 1))
    lexicon = load_lexicon("en")
    sentences = split_sentences(text, abbreviations=lexicon.abbreviations)
    found = toponyms(text)
    seconds, incidents = cpu_seconds(lambda: assemble(text, sentences, found, lexicon, INFO))
    assert len(incidents) == count
    return seconds


def test_strikes_at_one_town_take_time_linear_in_their_number() -> None:
    # Each new strike at Lviv is compared with the latest ones told there, not with all of them:
    # comparing with all was quadratic in a long text. Twice the strikes must take about twice the
    # CPU time (quadratic would be four times), whatever else loads the machine.
    _distinct_strikes_seconds(100)  # lexicons and caches loaded
    small, large = _distinct_strikes_seconds(1_500), _distinct_strikes_seconds(3_000)
    assert large < 3 * small
