// eventcal sample page: shows out/events.json and out/events.ics in a
// FullCalendar month view, plus a plain list of every event.
//
// Query string:
//   ?data=DIR   directory holding events.json and events.ics, resolved
//               relative to this page (default ../../out/, i.e. the
//               project's out/ when the project root is served).
'use strict';

(function () {
  const DEFAULT_DATA_DIR = '../../out/';
  const DEFAULT_TIMEZONE = 'Europe/London';
  const FETCH_TIMEOUT_MS = 10000;

  const statusEl = document.getElementById('status');

  // Adds a line to the status box (hidden until something goes wrong), so a
  // missing or broken data file is explained on the page, not only in the console.
  function reportProblem(message) {
    const line = document.createElement('div');
    line.textContent = message;
    statusEl.appendChild(line);
    statusEl.hidden = false;
  }

  function dataDirUrl() {
    let dir = new URLSearchParams(window.location.search).get('data') || DEFAULT_DATA_DIR;
    if (!dir.endsWith('/')) dir += '/';
    return new URL(dir, window.location.href);
  }

  async function fetchJson(url) {
    // An explicit timeout: a stalled server must not leave the page waiting forever.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await fetch(url, { signal: controller.signal, cache: 'no-cache' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.json();
    } finally {
      clearTimeout(timer);
    }
  }

  // The colours live in style.css only; read them back so the legend and the
  // calendar cannot drift apart.
  function cssColour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  // eventcal writes location as {name, locality}; tolerate a plain string or
  // null too, and avoid "Bolton, Bolton" when both parts are the same.
  function placeText(location) {
    if (!location) return '';
    if (typeof location === 'string') return location;
    const parts = [location.name, location.locality].filter(Boolean);
    return parts.filter((part, i) => parts.indexOf(part) === i).join(', ');
  }

  // A start FullCalendar can place on the grid: a date or a date-time, not
  // a bare year or month (those are "precision": "year"/"month" events).
  function hasGridableStart(start) {
    return typeof start === 'string' && /^\d{4}-\d{2}-\d{2}/.test(start);
  }

  function isOnGrid(ev) {
    return ev.in_calendar !== false && hasGridableStart(ev.start);
  }

  // Sort key in milliseconds; a month-only start sorts as the 1st of the month.
  function sortKey(ev) {
    const s = String(ev.start || '');
    if (/^\d{4}$/.test(s)) return Date.parse(`${s}-01-01T00:00:00Z`);
    if (/^\d{4}-\d{2}$/.test(s)) return Date.parse(`${s}-01T00:00:00Z`);
    const t = Date.parse(s);
    return Number.isNaN(t) ? Infinity : t;
  }

  // Converts one eventcal event to a FullCalendar event object.
  function toCalendarEvent(ev) {
    const source = (ev.sources && ev.sources[0]) || {};
    const out = {
      id: `json:${ev.uid}`,
      title: ev.title,
      start: ev.start,
      allDay: Boolean(ev.all_day),
      extendedProps: {
        uid: ev.uid,
        place: placeText(ev.location),
        status: ev.status,
        sourceTitle: source.title || '',
      },
    };
    // A null end is left out so FullCalendar applies its default duration.
    if (ev.end) out.end = ev.end;
    if (source.url) out.url = source.url;
    return out;
  }

  // The month to open on: the first event on the grid at or after the time the
  // calendar was generated (eventcal's clock), or failing that the latest event.
  // Deliberately not "today" in the browser: a saved calendar is often read later.
  // "status" is relative to each article's own date, so it cannot choose.
  function initialDate(events, generated) {
    const onGrid = events.filter(isOnGrid).sort((a, b) => sortKey(a) - sortKey(b));
    const since = generated ? String(generated).slice(0, 10) : '';
    const next = onGrid.find((ev) => String(ev.start).slice(0, 10) >= since);
    const pick = next || onGrid[onGrid.length - 1];
    // Only the date part: the month is all that matters, and a bare date
    // avoids any time-zone shift at midnight.
    return pick ? pick.start.slice(0, 10) : undefined;
  }

  // Human-readable "when" for the list, at the precision eventcal knows.
  function whenText(ev, timeZone) {
    const s = String(ev.start || '');
    const utc = { timeZone: 'UTC' };
    if (/^\d{4}$/.test(s)) return s;
    if (/^\d{4}-\d{2}$/.test(s)) {
      return new Date(`${s}-01T00:00:00Z`).toLocaleDateString('en-GB', { ...utc, month: 'long', year: 'numeric' });
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
      // A date is a calendar day, not an instant: format it in UTC so it is
      // never shifted to the day before.
      return new Date(`${s}T00:00:00Z`).toLocaleDateString('en-GB', { ...utc, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    }
    const start = new Date(s);
    if (Number.isNaN(start.getTime())) return s;
    const zone = timeZone === 'local' ? undefined : timeZone;
    const day = start.toLocaleDateString('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
    const time = (d) => d.toLocaleTimeString('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false });
    const end = ev.end ? new Date(ev.end) : null;
    return `${day}, ${time(start)}${end && !Number.isNaN(end.getTime()) ? `–${time(end)}` : ''}`;
  }

  function renderList(events, timeZone) {
    const list = document.getElementById('event-list');
    list.replaceChildren();
    if (events.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'No events.';
      list.appendChild(li);
      return;
    }
    for (const ev of [...events].sort((a, b) => sortKey(a) - sortKey(b))) {
      const li = document.createElement('li');
      li.dataset.uid = ev.uid || '';
      if (!isOnGrid(ev)) li.classList.add('not-in-calendar');

      const when = document.createElement('span');
      when.className = 'when';
      when.textContent = whenText(ev, timeZone);
      li.append(when, ' — ', ev.title || '(untitled)');

      const place = placeText(ev.location);
      if (place) {
        const placeEl = document.createElement('span');
        placeEl.className = 'place';
        placeEl.textContent = ` · ${place}`;
        li.appendChild(placeEl);
      }
      if (!isOnGrid(ev)) {
        const note = document.createElement('span');
        note.className = 'note';
        note.textContent = ' (date too vague for the calendar)';
        li.appendChild(note);
      }
      for (const src of ev.sources || []) {
        if (!src.url) continue;
        const line = document.createElement('span');
        line.className = 'source';
        const a = document.createElement('a');
        a.href = src.url;
        a.rel = 'noopener';
        a.target = '_blank';
        a.textContent = src.title || src.url;
        line.append('source: ', a);
        li.appendChild(line);
      }
      list.appendChild(li);
    }
  }

  // Event body inside the calendar: time, title and place. Built with DOM
  // nodes (not HTML strings) because the text comes from scraped articles.
  function eventContent(arg) {
    const wrap = document.createElement('div');
    wrap.className = 'ec-event';
    if (arg.timeText && arg.view.type !== 'listMonth') {
      const time = document.createElement('span');
      time.className = 'ec-event-time';
      time.textContent = arg.timeText;
      wrap.appendChild(time);
    }
    const title = document.createElement('span');
    title.className = 'ec-event-title';
    title.textContent = arg.event.title;
    wrap.appendChild(title);
    const place = eventPlace(arg.event);
    if (place) {
      const placeEl = document.createElement('span');
      placeEl.className = 'ec-event-place';
      placeEl.textContent = place;
      wrap.appendChild(placeEl);
    }
    return { domNodes: [wrap] };
  }

  // JSON events carry `place`; the iCalendar plugin puts LOCATION in `location`.
  function eventPlace(event) {
    return event.extendedProps.place || event.extendedProps.location || '';
  }

  function eventDidMount(info) {
    const { event, el } = info;
    // Hover text with everything a cell may have cut off.
    const lines = [event.title, eventPlace(event), event.url && `Source: ${event.url}`];
    el.title = lines.filter(Boolean).join('\n');
    // The event links to its source article; open it beside the calendar.
    const links = el.matches('a[href]') ? [el] : [...el.querySelectorAll('a[href]')];
    for (const a of links) {
      a.target = '_blank';
      a.rel = 'noopener';
    }
    if (event.extendedProps.status) el.classList.add(`ec-status-${event.extendedProps.status}`);
  }

  async function main() {
    const dataDir = dataDirUrl();
    const jsonUrl = new URL('events.json', dataDir).href;
    const icsUrl = new URL('events.ics', dataDir).href;
    document.getElementById('json-link').href = jsonUrl;
    document.getElementById('ics-link').href = icsUrl;

    let doc = { events: [] };
    try {
      doc = await fetchJson(jsonUrl);
      if (!Array.isArray(doc.events)) throw new Error('no "events" array');
    } catch (err) {
      reportProblem(`Could not load ${jsonUrl}: ${err.message}`);
      doc = { events: [] };
    }

    // Named time zones need a FullCalendar date-library plugin; the Luxon 3
    // plugin provides that without a bundler. Should it be missing, fall back
    // to the browser's zone and say so rather than showing wrong times quietly.
    let timeZone = doc.timezone || DEFAULT_TIMEZONE;
    if (!window.FullCalendar.Luxon3 || !window.luxon) {
      reportProblem(`Time-zone support not loaded: times are in the browser's zone, not ${timeZone}.`);
      timeZone = 'local';
    }
    document.getElementById('tz-note').textContent =
      `Times in ${timeZone === 'local' ? 'your local time zone' : timeZone}`;

    // Both sources hold the same events (the .ics has no month-precision
    // ones); they stay separate, coloured differently, and either can be
    // switched off with the legend.
    const sources = {
      json: {
        id: 'json',
        events: doc.events.filter(isOnGrid).map(toCalendarEvent),
        color: cssColour('--json'),
        className: 'ec-src-json',
      },
      ics: {
        id: 'ics',
        url: icsUrl,
        format: 'ics',
        color: cssColour('--ics'),
        className: 'ec-src-ics',
      },
    };

    const calendar = new window.FullCalendar.Calendar(document.getElementById('calendar'), {
      timeZone,
      initialView: 'dayGridMonth',
      initialDate: initialDate(doc.events, doc.generated),
      locale: 'en-gb', // UK date order and Monday-first weeks, like the list below
      height: 'auto',
      headerToolbar: { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,listMonth' },
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      // Solid blocks show the source colour; the month view's default for
      // timed events is a small dot. (Set calendar-wide: FullCalendar reads
      // this when parsing events, so a per-view setting has no effect.)
      eventDisplay: 'block',
      eventSources: Object.values(sources),
      eventContent,
      eventDidMount,
      eventSourceFailure(err) {
        reportProblem(`Could not load an event source: ${err.message}`);
      },
    });
    calendar.render();
    renderList(doc.events, timeZone);

    for (const id of Object.keys(sources)) {
      document.getElementById(`toggle-${id}`).addEventListener('change', (e) => {
        if (e.target.checked) {
          calendar.addEventSource(sources[id]);
        } else {
          const source = calendar.getEventSourceById(id);
          if (source) source.remove();
        }
      });
    }
  }

  main().catch((err) => reportProblem(`Unexpected error: ${err.message}`));
})();
