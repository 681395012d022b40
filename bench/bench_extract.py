"""Measure extraction throughput (documents/s) and memory on a generated corpus.

The corpus is templated: sentences built from lexicon trigger and casualty words and from place
names the loaded gazetteer knows, about 2 KB per document, in all five languages.

    python bench/bench_extract.py [--docs 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc

import gazetteer
from incidents.extract.pipeline import choose_language, extract, find_toponyms

PLACES = ["Kyiv", "Kharkiv", "Odesa", "Lviv", "Dnipro", "Haifa", "Sderot", "Ashkelon", "Khan Younis",
          "Rafah", "Beirut", "Zaporizhzhia", "Sumy", "Kherson"]
TEMPLATES = {
    "nl": ["Vannacht sloeg een raket in op {0}.", "Bij een luchtaanval op {0} vielen {1} doden.",
           "Ook de hoofdstad en de omliggende regio werden getroffen.",
           "In {0} ging het luchtalarm af.", "Volgens de gouverneur raakten {1} mensen gewond.",
           "De regering sprak over een staakt-het-vuren.", "Het weer in {0} was zonnig en rustig."],
    "en": ["A missile struck {0} last night.", "Shelling in {0} killed {1} people.",
           "Air raid sirens sounded in {0}.", "Officials said {1} others were injured.",
           "Diplomats met to discuss a ceasefire.", "The market in {0} reopened on Monday.",
           "Drones also struck the capital and the surrounding region.", "An air-raid alert lasted hours."],
    "de": ["Ein Drohnenangriff auf {0} tötete {1} Menschen.", "In {0} gab es Luftalarm.",
           "Dabei wurden {1} Menschen verletzt.", "Die Regierung beriet über eine Waffenruhe.",
           "Auch die Hauptstadt wurde angegriffen."],
    "fr": ["Une frappe de drone a touché {0} hier.", "Les sirènes ont retenti à {0}.",
           "Au moins {1} personnes ont été tuées.", "Les ministres ont évoqué une trêve."],
    "uk": ["Вночі ворог атакував {0} дронами.", "Загинули {1} людей.", "Повітряна тривога: {0}.",
           "Дрони атакували {0} та область.", "Загинула жінка.",
           "Уряд обговорював перемир'я."],
}


def make_document(rng: random.Random, lang: str, size: int = 2000) -> str:
    """Return one generated document of about ``size`` characters."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        template = rng.choice(TEMPLATES[lang])
        parts.append(template.format(rng.choice(PLACES), rng.randint(1, 40)))
        if rng.random() < 0.2:
            parts.append("\n\n")
    return " ".join(parts)


def main() -> None:
    """Generate the corpus, extract every document, print throughput and memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    langs = list(TEMPLATES)
    corpus = [(lang, make_document(rng, lang)) for lang in (langs[i % len(langs)] for i in range(args.docs))]
    start = time.perf_counter()
    gaz = gazetteer.load()
    for lang in langs:  # one-time costs: lexicons, the language model, the gazetteer's region tables
        extract(make_document(random.Random(0), lang, size=300), gazetteer=gaz)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    found = sum(len(extract(text, gazetteer=gaz)) for _, text in corpus)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()  # the gazetteer's share: its geoparse alone over the same corpus
    for _, text in corpus:
        find_toponyms(text, gazetteer=gaz, lang=choose_language(text, None))
    geoparse = time.perf_counter() - start
    tracemalloc.start()  # a second, shorter pass: tracing slows extraction several times
    for _, text in corpus[:50]:
        extract(text, gazetteer=gaz)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(len(text.encode("utf-8")) for _, text in corpus) / len(corpus)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(corpus)} (mean {size:,.0f} bytes, languages detected), incidents: {found}")
    print(f"gazetteer load + warm-up: {loaded:.2f} s")
    print(f"throughput: {len(corpus) / elapsed:.1f} documents/s ({elapsed:.2f} s)")
    share = geoparse / elapsed
    print(f"gazetteer geoparse (with language detection): {geoparse:.2f} s, {share:.0%} of extraction")
    print(f"peak traced allocation during extraction: {peak / 1e6:.1f} MB; max RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
