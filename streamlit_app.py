"""The map app: collect news, explore the incidents on a map with filters, review them, export them.

Thin on purpose: widgets -> library calls (incidents.ingest.collect/store/filters/map/export) -> st_folium.
Start it with ``./run`` or ``streamlit run streamlit_app.py``: the server imports this file as an ASGI app
(``app`` at the end) and runs the page once as it starts (``warm_start``), so the first visitor finds the
store read and the map made; every visit runs it as ``__main__``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import os
import re
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from gazetteer.errors import GazetteerError
from gazetteer.fetch import FetchPolicy, policy_from_environ
from gazetteer.records import Place
from incidents.errors import InputError, StoreError
from incidents.events import EventSummary
from incidents.explore import downloads, labels, permalink, review
from incidents.explore import map as incident_map
from incidents.explore.documents import DOCUMENT_CSS, document_html, document_labels
from incidents.explore.events import EVENT_COLUMNS, event_table_rows, event_totals, visible_events
from incidents.explore.filters import (
    WIDGET_DEFAULTS,
    FilterOptions,
    Filters,
    apply_filters,
    daily_counts,
    filter_options,
    follow_dates,
    incident_days,
    place_aliases,
    step_day,
    summarize,
    widget_filters,
    without_dates,
)
from incidents.explore.notices import ingest_notices
from incidents.explore.view import (
    MAP_FIRST_ROWS,
    TABLE_CATEGORIES,
    TABLE_COLUMNS,
    RowKey,
    View,
    build_view,
    key_of_row,
    map_goes_first,
    row_of_key,
    rows_by_feature,
    scroll_to_row_html,
    table_of,
)
from incidents.export.tables import country_name
from incidents.ingest import collect
from incidents.records import Document, Incident, IncidentPlace, IncidentType
from incidents.store import Store, StoredDocument, default_path

LANGUAGES = ("auto", "nl", "en", "de", "fr", "uk", "ru")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")
MAP_KEY = "incident_map"
_Kept = TypeVar("_Kept")
NO_DATE_WARNING = ("The pasted text has no publication date: relative times such as 'last night' or "
                   "'on Tuesday' could not be dated. Set the publication date in the sidebar and re-extract "
                   "the document (Documents tab) to date them.")

# The script's long pure-Python steps (20,000 rows) share the interpreter with the server thread that
# sends the page and serves the map's files: shorter turns let the browser get on while the script works.
sys.setswitchinterval(0.0005)
# Reading a large store makes hundreds of thousands of small records, none in a cycle: the collector's
# default pace (every 700 new objects) spent a third of the first page's Python time looking at them.
# Streamlit collects after every run anyway (runner.postScriptGC), so garbage cycles still go.
gc.set_threshold(50_000, 20, 100)


@st.cache_resource(show_spinner="Loading the gazetteer (first time only)…")
def gazetteer_index() -> Any:
    """Load the place index once per server process."""
    import gazetteer

    return gazetteer.load()


@st.cache_resource(show_spinner="Writing the map's city labels (once per gazetteer index)…")
def map_labels() -> str:
    """Write the city labels of the gazetteer for the map, once per index; return their version."""
    from gazetteer.settings import default_index_dir

    def towns() -> Iterable[Place]:
        return gazetteer_index().populated_places(min_population=labels.MIN_POPULATION)

    folder = Path(__file__).resolve().parent / "static" / "vendor" / incident_map.LABELS_FOLDER
    try:
        return labels.ensure_labels(folder, index_dir=default_index_dir(), places=towns)
    except (OSError, GazetteerError):  # the map then has no city labels; everything else works
        return ""


def settled(value: _Kept) -> _Kept:
    """Return a value kept for a whole store revision, the collector told to leave it alone.

    Streamlit collects garbage after every run of the page (``runner.postScriptGC``): walking the
    records of 20,000 incidents took about 0.13 s each time, holding the interpreter while the
    browser waited for the map's files. The records are frozen dataclasses, strings and tuples
    (no cycles), so they are freed as usual once the cache lets them go.
    """
    gc.freeze()
    return value


@st.cache_resource
def open_store(path: str) -> Store:
    """Open the store once per server process."""
    return Store(path)


@st.cache_resource(max_entries=3)
def stored_incidents(path: str, revision: int) -> tuple[list[Incident], frozenset[str]]:
    """Read every stored incident once per store revision (shared, never copied: records are frozen)."""
    store = open_store(path)
    return settled((store.incidents(), store.reviewed_ids()))


@st.cache_resource(max_entries=3)
def stored_options(path: str, revision: int) -> FilterOptions:
    """Return the filter widgets' choices once per store revision."""
    return filter_options(stored_incidents(path, revision)[0])


@st.cache_resource(max_entries=3)
def stored_rows(path: str, revision: int) -> dict[RowKey, dict[str, Any]]:
    """Return the table row of every stored incident at every place, once per store revision."""
    incidents, _ = stored_incidents(path, revision)
    return settled(rows_by_feature(incidents))


@st.cache_resource(max_entries=3)
def stored_map_rows(path: str, revision: int) -> incident_map.MapRows:
    """Serialise the map row of every stored incident at every place, once per store revision."""
    incidents, reviewed = stored_incidents(path, revision)
    # Only the events of several reports change the map (one pin each): the few of them are read
    # here, so the first page's map need not wait for every event's counts (the headline's).
    shared = open_store(path).events(incidents=incidents, shared_only=True)
    events = {r.incident_id: event for event in shared for r in event.reports}
    return settled(incident_map.map_rows(incidents, reviewed=reviewed, events=events))


@st.cache_resource(max_entries=8, show_spinner=False)
def filtered_view(path: str, revision: int, filters: Filters) -> View:
    """Filter the stored incidents and prepare the map layer, once per filter state."""
    everything, _ = stored_incidents(path, revision)
    return build_view(everything, filters, map_rows=stored_map_rows(path, revision))


@st.cache_resource(max_entries=8, show_spinner=False)
def filtered_table(path: str, revision: int, filters: Filters) -> pd.DataFrame:
    """Return the table of one filter state, its rows numbered as on the map (made after the map is sent)."""
    rows = table_of(filtered_view(path, revision, filters).pairs, stored_rows(path, revision))
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS), index=pd.RangeIndex(1, len(rows) + 1, name="#"))
    return table.astype(dict.fromkeys(TABLE_CATEGORIES, "category"))  # repeated values sent once


@st.cache_resource(max_entries=4, show_spinner="Preparing the export files…")
def export_files(path: str, revision: int, filters: Filters,
                 day: dt.date) -> tuple[downloads.ExportFile, ...]:
    """Make the export files of one filter state once (stable bytes: downloads never miss)."""
    incidents = filtered_view(path, revision, filters).incidents
    events = visible_events(stored_events(path, revision), incidents)
    return downloads.export_files(incidents, events=events, day=day)


@st.cache_resource(max_entries=3)
def stored_events(path: str, revision: int) -> list[EventSummary]:
    """Return the stored events (reports grouped across documents) once per store revision."""
    return settled(open_store(path).events(incidents=stored_incidents(path, revision)[0]))


@st.cache_resource(max_entries=3)
def stored_documents(path: str, revision: int) -> list[StoredDocument]:
    """Return the stored documents once per store revision."""
    return open_store(path).documents()


@st.cache_resource(max_entries=3)
def stored_labels(path: str, revision: int) -> dict[str, str]:
    """Return each document's label (its title, not its id) once per store revision."""
    return document_labels(d.document for d in stored_documents(path, revision))


@st.cache_resource(max_entries=3)
def incidents_by_document(path: str, revision: int) -> dict[str, list[Incident]]:
    """Return the stored incidents of each document, once per store revision."""
    found: dict[str, list[Incident]] = {}
    for incident in stored_incidents(path, revision)[0]:
        found.setdefault(incident.doc_id, []).append(incident)
    return found


def extract(doc: Document) -> list[Incident]:
    """Run the extraction funnel on one document with the cached gazetteer."""
    from incidents.extract.pipeline import extract as run

    return run(doc.text, lang=doc.lang, published=doc.published, source=doc.source, doc_id=doc.id,
               gazetteer=gazetteer_index())


def plain(text: str) -> str:
    """Escape Markdown, so text from documents and feeds (ids, names) shows as written, never as an image."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def notify(kind: str, text: str) -> None:
    """Queue a message shown at the top of the next run."""
    st.session_state.setdefault("notices", []).append((kind, text))


def show_notices() -> None:
    for kind, text in st.session_state.pop("notices", []):
        getattr(st, kind)(plain(text))


def run_ingest(store: Store, items: list[Document | InputError], what: str) -> None:
    """Extract and store documents with a progress bar, then report what happened."""
    bar = st.progress(0.0, text=f"Reading {what}…")
    total = max(len(items), 1)

    def progress(done: int, label: str) -> None:
        bar.progress(done / total, text=plain(f"{done}/{total}: {label}"))

    try:
        report = collect.ingest(store, items, extract, on_progress=progress)
    except GazetteerError as err:
        bar.empty()
        notify("error", f"The place index cannot be used: {err}")
        return
    bar.empty()
    for notice in ingest_notices(report, what):
        notify(notice.level, notice.text)


def fetch_and_ingest(store: Store, fetch: Callable[[], Iterable[Document]], what: str, spinner: str) -> None:
    """Fetch documents from the network with a spinner, then ingest them (a failed fetch is a message)."""
    with st.spinner(spinner):
        try:
            items: list[Document | InputError] = list(fetch())
        except InputError as err:
            items = [err]
    run_ingest(store, items, what)
    st.rerun()


def fetch_policy() -> FetchPolicy:
    """Return the fetch policy: public addresses only, unless INCIDENTS_ALLOW_PRIVATE_NETWORKS=1."""
    return policy_from_environ(os.environ, deadline_s=collect.FETCH_TIMEOUT_S,
                               max_bytes=collect.MAX_FETCH_BYTES)


def defaults_widgets() -> collect.Defaults:
    lang = st.selectbox("Language", LANGUAGES, key="lang", help="auto: detect per document")
    published = st.date_input("Publication date", value=None, key="published",
                              help="Anchor for relative times such as 'last night'")
    source = st.text_input("Source (outlet or URL)", key="source")
    return collect.Defaults(lang=None if lang == "auto" else lang, published=published,
                            source=source.strip() or None)


def collect_panel(store: Store) -> None:
    """Sidebar: paste, upload, fetch a URL or a feed; everything goes through the same extract()."""
    st.header("Add news")
    defaults = defaults_widgets()
    paste, files, url, feed = st.tabs(["Paste", "Files", "URL", "Feed"])
    with paste:
        text = st.text_area("News text", key="paste_text", height=160)
        if st.button("Extract and add", key="paste_go", type="primary"):
            try:
                run_ingest(store, [collect.pasted_document(text, defaults=defaults)], "the pasted text")
            except InputError as err:
                notify("error", str(err))
            else:
                if defaults.published is None:
                    notify("warning", NO_DATE_WARNING)
            st.rerun()
    with files:
        uploads = st.file_uploader("Files", type=["txt", "html", "htm", "jsonl", "csv"],
                                   accept_multiple_files=True, key="uploads",
                                   help=".csv: a 'text' column; .jsonl: {id, text, lang, published, source}")
        if st.button("Add files", key="upload_go", disabled=not uploads):
            items: list[Any] = []
            notes: list[str] = []
            for upload in uploads or []:
                items.extend(collect.upload_documents(upload.name, upload.getvalue(), defaults=defaults,
                                                      notes=notes))
            for note in notes:
                notify("info", note)
            run_ingest(store, items, "the files")
            st.rerun()
    with url:
        address = st.text_input("Article URL", key="url")
        if st.button("Fetch article", key="url_go", disabled=not address.strip()):
            fetch_and_ingest(store, lambda: [collect.fetch_article(address, defaults=defaults,
                                                                   policy=fetch_policy())],
                             "the article", "Fetching…")
    with feed:
        address = st.text_input("RSS or Atom feed URL", key="feed")
        if st.button("Read feed", key="feed_go", disabled=not address.strip()):
            fetch_and_ingest(store, lambda: collect.fetch_feed(address, defaults=defaults,
                                                               policy=fetch_policy()), "the feed",
                             "Fetching the feed…")


def chosen_filters(options: FilterOptions) -> Filters:
    """Return the filters the sidebar's widgets hold, read before they are drawn (the map goes first).

    A widget's value is in the session state once the user has set it (or a permalink has); until
    then the widget shows its default (``WIDGET_DEFAULTS``), which ``filter_panel`` draws it with.
    """
    state = st.session_state
    if options.first_date and options.last_date:
        span = (options.first_date, options.last_date)
        if state.get("f_dates_span") != span and "f_dates" in state:
            # New documents: the range follows them (else their incidents would stay hidden).
            state["f_dates"] = follow_dates(state["f_dates"], before=state.get("f_dates_span"), after=span)
        state["f_dates_span"] = span
    values = {key: state[key] for key in WIDGET_DEFAULTS if key in state}
    if options.first_date and options.last_date:
        values.setdefault("f_dates", (options.first_date, options.last_date))
    return widget_filters(values, aliases=known_as(str(values.get("f_place", ""))))


def filter_panel(options: FilterOptions, labels: dict[str, str]) -> None:
    """Sidebar: the filter widgets (``chosen_filters`` has read their values)."""
    st.header("Filter")
    st.multiselect("Type", options.types, key="f_types", format_func=str)
    st.multiselect("Subtype", options.subtypes, key="f_subtypes")
    if options.first_date and options.last_date:
        st.date_input("Dates", value=(options.first_date, options.last_date), key="f_dates")
    st.checkbox("Include undated incidents", value=WIDGET_DEFAULTS["f_undated"], key="f_undated")
    col1, col2 = st.columns(2)
    col1.number_input("Killed ≥", min_value=0, step=1, key="f_killed")
    col2.number_input("Injured ≥", min_value=0, step=1, key="f_injured")
    st.multiselect("Country", options.countries, key="f_countries", format_func=country_name)
    st.text_input("Place search", key="f_place",
                  help="Also finds places by their other names in the gazetteer (Odessa, Kiev)")
    st.multiselect("Document", options.doc_ids, key="f_docs", format_func=lambda i: labels.get(i, i))
    st.multiselect("Source", options.sources, key="f_sources")
    st.multiselect("Language", options.langs, key="f_langs")
    st.slider("Minimum confidence", 0.0, 1.0, WIDGET_DEFAULTS["f_conf"], 0.05, key="f_conf")


@st.cache_data(max_entries=64, show_spinner=False)
def known_as(query: str) -> frozenset[str]:
    """Return the names of the places the gazetteer knows by ``query`` (its alternate names too)."""
    if len(query.strip()) < 3:
        return frozenset()
    try:
        return place_aliases(gazetteer_index().lookup(query.strip()))
    except GazetteerError:  # the search then matches the names on the incidents only
        return frozenset()


def on_map_click() -> None:
    """Select the table row of the marker the user clicked (its tooltip ends with the row number)."""
    clicked = st.session_state.get(MAP_KEY) or {}
    row = incident_map.row_from_tooltip(clicked.get("last_object_clicked_tooltip"))
    key = key_of_row(st.session_state.get("visible_keys", []), row)
    if key is not None and st.session_state.get("selected") != key:
        st.session_state["selected"] = key
        # A new table key, so the table starts with the clicked row selected.
        st.session_state["table_nonce"] = st.session_state.get("table_nonce", 0) + 1


def on_table_select() -> None:
    """Select on the map the incident of the table row the user clicked."""
    state = st.session_state.get(f"table-{st.session_state.get('table_nonce', 0)}")
    rows = state["selection"]["rows"] if state else []
    st.session_state["selected"] = key_of_row(st.session_state.get("visible_keys", []),
                                              rows[0] + 1 if rows else None)


def welcome(store: Store) -> None:
    st.subheader("No incidents yet")
    st.write("Paste a news article in the sidebar, upload files, fetch a URL or a feed, or start with the "
             "bundled **example articles** (short Dutch and English texts written for this project to "
             "show the tool; the places are real, the events are illustrative).")
    if st.button("Load the example articles", key="examples_go", type="primary"):
        run_ingest(store, list(collect.example_documents()), "the example articles")
        st.rerun()


def headline(filtered: list[Incident], total: int, events: list[EventSummary]) -> None:
    """The headline counts; killed and injured add up events (each by its best figure), not reports."""
    s = summarize(filtered)
    e = event_totals(events)
    places = len({where.place.id for incident in filtered for where in incident.places})
    cols = st.columns(7)
    cols[0].metric("Incidents", f"{s.incidents:,}",
                   help=f"incidents (reports), of {total:,} stored; one at several places counts once")
    cols[1].metric("Events", f"{e.events:,}",
                   help="incidents: reports of one event across documents count once")
    cols[2].metric("Strikes", f"{s.strikes:,}", help="incidents")
    cols[3].metric("Alerts", f"{s.alerts:,}", help="incidents")
    cols[4].metric("Places", f"{places:,}",
                   help=f"places of the incidents shown; the map and the table have one row per incident per "
                        f"place ({s.places:,} rows)")
    cols[5].metric("Killed", f"{e.killed:,}", help="over events, each by its latest reported figure")
    cols[6].metric("Injured", f"{e.injured:,}", help="over events, each by its latest reported figure")


def map_first_above() -> int:
    """Return the row count above which a session's first page sends its map alone (``map_goes_first``).

    ``INCIDENTS_MAP_FIRST_ROWS`` overrides ``MAP_FIRST_ROWS`` (the browser tests use it).
    """
    return int(os.environ.get("INCIDENTS_MAP_FIRST_ROWS", MAP_FIRST_ROWS))


def map_section(view: View, selected_row: int | None) -> None:
    """The map: a fixed base map, with the incidents as a layer swapped in place on every filter change.

    The selection travels in the map's centre (``selection_centre``), not in the layer: selecting a
    row or a marker leaves the layer unchanged, so the map is not redrawn and an open popup stays open.
    """
    from streamlit_folium import st_folium  # declares its component: only inside a run of the page

    online = st.toggle("Online map tiles (OpenStreetMap)", key="online_tiles",
                       help="Off: the map uses only local data (country outlines), no network.")
    centre: Any = view.fit.centre
    zoom: int | None = view.fit.zoom
    if selected_row is not None:  # recentre on the selection, keep the user's zoom
        where = view.pairs[selected_row - 1][1]
        centre, zoom = incident_map.selection_centre(where, row=selected_row), None
    st_folium(
        incident_map.base_map(online_tiles=online, labels_version=map_labels()), key=MAP_KEY, height=560,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip"], on_change=on_map_click,
        center=centre, zoom=zoom,
        feature_group_to_add=incident_map.incident_group(view.layer, map_first_above=map_first_above()),
    )


def table_section(table: pd.DataFrame, selected_row: int | None, events: list[EventSummary]) -> None:
    if st.radio("Show", ("Reports", "Events"), horizontal=True, key="table_kind") == "Events":
        st.dataframe(pd.DataFrame(event_table_rows(events), columns=list(EVENT_COLUMNS)), hide_index=True,
                     height=380, key="events_table")
        return
    default: Any = {"selection": {"rows": [selected_row - 1]}} if selected_row is not None else None
    key = f"table-{st.session_state.get('table_nonce', 0)}"
    st.dataframe(
        table, key=key, on_select=on_table_select,
        selection_mode="single-row", selection_default=default, height=380,
        column_config={"notes": st.column_config.TextColumn("notes", width="large"),
                       "source": st.column_config.TextColumn("source"),
                       "link": st.column_config.LinkColumn("link", display_text=r"https?://([^/?#]+)")},
    )
    if selected_row is not None:  # a marker clicked on the map: its row comes into view
        st.html(scroll_to_row_html(key, selected_row), unsafe_allow_javascript=True)


@st.cache_resource(max_entries=8, show_spinner=False)
def all_days_view(path: str, revision: int, filters: Filters) -> list[Incident]:
    """Return the incidents the filters show on any day (``filters`` without dates), once per state."""
    return apply_filters(stored_incidents(path, revision)[0], filters)


def show_day(day: dt.date) -> None:
    """Show one day: the date filter becomes that day, undated incidents are left out."""
    st.session_state["f_dates"] = (day, day)
    st.session_state["f_undated"] = False


def show_all_days(span: tuple[dt.date, dt.date]) -> None:
    st.session_state["f_dates"] = span
    st.session_state["f_undated"] = True


def shown_range(filters: Filters) -> tuple[dt.date, dt.date] | None:
    return (filters.date_from, filters.date_to) if filters.date_from and filters.date_to else None


def day_bar(days: tuple[dt.date, ...], filters: Filters, options: FilterOptions) -> None:
    """Step through the filtered incidents day by day (the date filter follows), or show all days."""
    if not days or options.first_date is None or options.last_date is None:
        return
    shown = shown_range(filters)
    before, after = step_day(days, shown, forward=False), step_day(days, shown, forward=True)
    back, label, forth, every = st.columns([1.2, 3, 1.2, 1.2], vertical_alignment="center")
    back.button("◀ Previous day", key="day_prev", disabled=before is None, on_click=show_day, args=(before,),
                width="stretch")
    if shown is not None and shown[0] == shown[1]:
        place = f"day {days.index(shown[0]) + 1} of {len(days)}" if shown[0] in days else "no incidents"
        label.markdown(f"**{shown[0]:%A %d %B %Y}** · {place} with incidents")
    else:
        label.markdown(f"All days: {len(days)} with incidents, {days[0]:%d %b %Y} to {days[-1]:%d %b %Y}")
    forth.button("Next day ▶", key="day_next", disabled=after is None, on_click=show_day, args=(after,),
                 width="stretch")
    span = (options.first_date, options.last_date)
    every.button("All days", key="day_all", disabled=shown == span and filters.include_undated,
                 on_click=show_all_days, args=(span,), width="stretch")


def pick_day() -> None:
    """Show the day of the timeline bar the user clicked."""
    state = st.session_state.get("timeline_chart") or {}
    picked = (state.get("selection") or {}).get("day") or []
    value = picked[0].get("day") if picked and isinstance(picked[0], dict) else None
    if isinstance(value, str):
        show_day(dt.date.fromisoformat(value[:10]))


def timeline_section(incidents: list[Incident], filters: Filters) -> None:
    """Incidents per day over every day the filters show; a click on a bar shows its day."""
    import altair as alt

    counts = daily_counts(incidents)
    if not counts:
        st.caption("No dated incidents in the selection.")
        return
    frame = pd.DataFrame([(day.isoformat(), str(kind), n) for day, kind, n in counts],
                         columns=["day", "type", "incidents"])
    shown = shown_range(filters) or (counts[0][0], counts[-1][0])
    frame["shown"] = [shown[0].isoformat() <= d <= shown[1].isoformat() for d in frame["day"]]
    kinds = sorted({kind for _, kind, _ in counts}, key=str)
    pick = alt.selection_point(name="day", fields=["day"], on="click", clear=False)
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=-45, labelOverlap=True)),
        y=alt.Y("sum(incidents):Q", title="incidents per day"),
        color=alt.Color("type:N", scale=alt.Scale(domain=[str(k) for k in kinds],
                                                  range=[incident_map.TYPE_COLORS[k] for k in kinds]),
                        legend=alt.Legend(orient="top", title=None)),
        opacity=alt.condition("datum.shown", alt.value(1.0), alt.value(0.3)),
        tooltip=["day:O", "type:N", "incidents:Q"],
    ).add_params(pick).properties(height=260)
    st.caption("Click a bar to show its day; the days outside the date filter are pale.")
    st.altair_chart(chart, on_select=pick_day, key="timeline_chart", selection_mode="day", width="stretch")


def export_section(path: str, revision: int, filters: Filters) -> None:
    """Download buttons for the filtered set and its events, their files made once per filter state."""
    files = export_files(path, revision, filters, dt.date.today())
    for col, file in zip(st.columns(len(files)), files, strict=True):
        col.download_button(file.label, file.data, file.name, file.mime, key=file.key, on_click="ignore",
                            help=file.help,
                            width="stretch")
    # Below the buttons: once it shows the new count, the buttons hold the new files.
    count = len(filtered_view(path, revision, filters).incidents)
    st.caption(f"{count:,} incident(s) as shown on the map and in the table; one row per place.")


def place_picker(incident: Incident, where: IncidentPlace) -> Place:
    """Let the reviewer choose the place among the gazetteer's candidates for a name."""
    key = f"{incident.incident_id}:{where.place.id}"
    query = st.text_input("Find the place in the gazetteer", value=where.mention, key=f"place_q:{key}")
    try:
        found = list(gazetteer_index().lookup(query)) if query.strip() else []
    except GazetteerError as err:
        st.warning(f"The place index cannot be searched: {err}")
        found = []
    options = review.place_options(where.place, found)
    choice = st.selectbox("Place", range(len(options)),
                          format_func=lambda i: review.describe_place(options[i]), key=f"place_pick:{key}")
    return options[choice or 0]


def event_review(store: Store, incident: Incident, events: list[EventSummary]) -> None:
    """Split the selected report from its event, or merge its event with another (both stick)."""
    mine = next((e for e in events if any(r.incident_id == incident.incident_id for r in e.reports)), None)
    if mine is None:
        return
    st.markdown(f"Event **{plain(mine.event_id)}** · {mine.report_count} report(s): "
                f"{plain('; '.join(mine.sources))}")
    c1, c2 = st.columns(2)
    if mine.report_count > 1 and c1.button("Split this report from its event", key="event_split"):
        store.split_incident(incident.incident_id)
        notify("success", "Split: later grouping keeps it apart from the reports it left.")
        st.rerun()
    other = c2.text_input("Merge with the event id", key="event_merge_id").strip()
    if c2.button("Merge the events", key="event_merge", disabled=not other):
        try:
            store.merge_events(mine.event_id, other)
        except StoreError as err:
            notify("error", str(err))
        else:
            notify("success", f"Merged {other} into {mine.event_id}.")
        st.rerun()


def review_section(store: Store, selected: tuple[Incident, IncidentPlace] | None,
                   events: list[EventSummary], by_document: dict[str, list[Incident]],
                   labels: dict[str, str]) -> None:
    if selected is None:
        st.caption("Click a marker or a table row to review its incident.")
        return
    incident, where = selected
    title = labels.get(incident.doc_id, incident.doc_id)
    st.markdown(f"**{incident.type}** at **{plain(where.place.name)}** ({plain(where.place.country_code)}) · "
                f"document {plain(incident.doc_id)} · {plain(title)}")
    st.text(incident.evidence)
    with st.expander("The whole document, the evidence marked"):
        document_view(store.document(incident.doc_id), by_document.get(incident.doc_id, []),
                      incident.incident_id)
    place = place_picker(incident, where)
    with st.form("review"):
        kind = st.selectbox("Type", list(IncidentType), index=list(IncidentType).index(incident.type),
                            format_func=str) or incident.type
        subtype = st.text_input("Subtype", incident.subtype or "")
        c1, c2, c3 = st.columns(3)
        killed = c1.number_input("Killed (empty: not reported)", min_value=0, step=1,
                                 value=incident.casualties.killed)
        injured = c2.number_input("Injured (empty: not reported)", min_value=0, step=1,
                                  value=incident.casualties.injured)
        day = c3.date_input("Date", value=incident.date)
        save = st.form_submit_button("Save correction", type="primary")
    if save:
        store.correct_incident(review.corrected(incident, where, place=place, kind=kind, subtype=subtype,
                                                killed=killed, injured=injured, day=day))
        notify("success", "Correction saved (marked reviewed; it survives re-extraction).")
        st.rerun()
    if confirmed("Delete this incident", "delete_incident",
                 "Delete this incident? It stays deleted when its document is extracted again."):
        store.delete_incident(incident.incident_id)
        st.session_state["selected"] = None
        notify("success", "Incident deleted.")
        st.rerun()
    event_review(store, incident, events)


def confirmed(label: str, key: str, question: str) -> bool:
    """A button that asks before it acts: True once the user has confirmed (a second click)."""
    pending = st.session_state.get("confirm") == key
    if not pending:
        if st.button(label, key=key):
            st.session_state["confirm"] = key
            st.rerun()
        return False
    st.warning(question)
    yes, no = st.columns(2)
    if no.button("Cancel", key=f"{key}_cancel"):
        st.session_state["confirm"] = None
        st.rerun()
    if yes.button("Yes, delete", key=f"{key}_yes", type="primary"):
        st.session_state["confirm"] = None
        return True
    return False


def document_view(document: Document, incidents: list[Incident], chosen: str | None) -> None:
    """The document's whole text, escaped, its incidents' evidence marked (the chosen one apart)."""
    st.html(DOCUMENT_CSS + document_html(document, incidents, chosen=chosen))


def documents_section(store: Store, docs: list[StoredDocument], labels: dict[str, str],
                      by_document: dict[str, list[Incident]], selected: Incident | None) -> None:
    st.dataframe(pd.DataFrame(review.document_rows(docs)), hide_index=True,
                 column_config={"link": st.column_config.LinkColumn("link", display_text=r"https?://([^/?#]+)")})
    ids = [d.document.id for d in docs]
    if selected is not None and st.session_state.get("doc_follows") != selected.incident_id:
        st.session_state["doc_pick"] = selected.doc_id  # a newly selected incident opens its document
    st.session_state["doc_follows"] = selected.incident_id if selected is not None else None
    chosen = (st.selectbox("Document", ids, key="doc_pick", format_func=lambda i: labels.get(i, i))
              if ids else None)
    if not chosen:
        return
    c1, c2 = st.columns(2)
    with c1:
        if st.button("Re-extract (keeps reviews)", key="doc_reextract"):
            store.replace_incidents(chosen, extract(store.document(chosen)))
            notify("success", f"Re-extracted {labels.get(chosen, chosen)}.")
            st.rerun()
    with c2:
        if confirmed("Delete document and its incidents", "doc_delete",
                     f"Delete {labels.get(chosen, chosen)} and its incidents? Reviews of them go too."):
            store.delete_document(chosen)
            notify("success", f"Deleted {labels.get(chosen, chosen)}.")
            st.rerun()
    document = next(d.document for d in docs if d.document.id == chosen)
    st.caption("The whole text; the evidence of each incident is marked, the selected incident's apart.")
    document_view(document, by_document.get(chosen, []), selected.incident_id if selected else None)


def selected_row(view: View) -> int | None:
    """Return the row number (from 1) of the selected incident, or None when it is not shown."""
    return row_of_key(view.keys, st.session_state.get("selected"))


def url_params() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def open_permalink(options: FilterOptions) -> None:
    """On a session's first run, set the filters and the selection the page URL names."""
    if st.session_state.get("permalink_opened"):
        return
    st.session_state["permalink_opened"] = True
    params = url_params()
    for key, value in permalink.widget_values(params, options).items():
        st.session_state[key] = value
    if options.first_date and options.last_date:
        st.session_state["f_dates_span"] = (options.first_date, options.last_date)
    st.session_state["selected"] = permalink.selected_key(params)


def update_permalink(filters: Filters, options: FilterOptions, selected: str | None) -> None:
    """Write the view into the page URL, so it can be shared and reopened."""
    span = (options.first_date, options.last_date) if options.first_date and options.last_date else None
    params = permalink.to_params(filters, span=span, selected=selected)
    if params != url_params():
        st.query_params.from_dict(params)


def main() -> None:
    st.set_page_config(page_title="Incidents map", page_icon=":world_map:", layout="wide")
    first_run = not st.session_state.get("page_shown")
    st.session_state["page_shown"] = True
    store_path = str(default_path())
    store = open_store(store_path)
    revision = store.revision()
    everything, _ = stored_incidents(store_path, revision)
    docs = stored_documents(store_path, revision)
    options = stored_options(store_path, revision)
    labels = stored_labels(store_path, revision)
    open_permalink(options)
    filters = chosen_filters(options)
    st.title("Incidents map")
    show_notices()
    if not everything and not docs:
        welcome(store)
    view = filtered_view(store_path, revision, filters)
    filtered = view.incidents
    st.session_state["visible_keys"] = view.keys
    row = selected_row(view)
    update_permalink(filters, options, key_of_row(view.keys, row))
    # A session's first page of many rows sends the map without the sidebar's widgets and the table:
    # the browser would load and draw those before the map. The map, once drawn, asks for the next
    # run, which sends them (``map_goes_first``).
    alone = map_goes_first(len(view.keys), first_run=first_run, limit=map_first_above())
    # The headline and the day bar sit above the map but are filled after it: the map is what a
    # large store makes the first page wait for, so it goes to the browser first.
    above = st.container()
    map_section(view, row)
    # The sidebar after the map (its place on the page is its own): the browser draws the map first.
    with st.sidebar:
        if alone:
            st.caption("The filters follow the map…")
        else:
            collect_panel(store)
            filter_panel(options, labels)
    events = visible_events(stored_events(store_path, revision), filtered)
    any_day = all_days_view(store_path, revision, without_dates(filters))
    with above:
        headline(filtered, len(everything), events)
        day_bar(incident_days(any_day), filters, options)
    # Tabs that rerun when switched: the export files, the timeline and the documents are made only
    # while their tab is open (the first page sends the map and the table only).
    table_tab, timeline_tab, review_tab, documents_tab, export_tab = st.tabs(
        ["Table", "Timeline", "Review", "Documents", "Export"], key="tab", on_change="rerun")
    with table_tab:
        if alone:
            st.caption(f"The table of {len(view.keys):,} rows follows the map…")
        else:
            table_section(filtered_table(store_path, revision, filters), row, events)
    with timeline_tab:
        if timeline_tab.open:
            timeline_section(any_day, filters)
    with review_tab:
        review_section(store, view.pairs[row - 1] if row is not None else None,
                       stored_events(store_path, revision), incidents_by_document(store_path, revision),
                       labels)
    with documents_tab:
        if documents_tab.open:
            documents_section(store, docs, labels, incidents_by_document(store_path, revision),
                              view.pairs[row - 1][0] if row is not None else None)
    with export_tab:
        if export_tab.open:
            export_section(store_path, revision, filters)
    if alone:  # made now, after the page is sent, for the run the map asks for
        filtered_table(store_path, revision, filters)


@contextlib.asynccontextmanager
async def warm_start(_app: Any) -> AsyncIterator[None]:
    """Run the page once without a browser when the server starts, so its caches are warm.

    The first visitor's page then finds the store read, the map layer and the table made.
    """
    from streamlit.runtime import Runtime

    run = asyncio.create_task(Runtime.instance().does_script_run_without_error())
    yield
    run.cancel()


if __name__ == "__main__":  # a run of the page (streamlit runs it as __main__)
    main()
else:  # imported by `streamlit run`'s server: the same page, with a warm start
    app = st.App(__file__, lifespan=warm_start)
