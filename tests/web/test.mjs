// Browser test for samples/web: opens the page in headless Chromium and checks
// that the seed demonstration from both events.json and events.ics is shown.
//
//   node tests/web/test.mjs --base http://127.0.0.1:PORT --data /out/ --screenshot out/web-calendar.png
//
// Normally started by tests/web/run.sh, which also starts the file server.
// Prints "PASS: ..." / "FAIL: ..." per check and "N passed, M failed" last;
// exits 0 only when every check passed.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
// playwright-core is a devDependency of the sample, so resolve it from there.
const require = createRequire(path.join(root, 'samples', 'web', 'package.json'));
const { chromium } = require('playwright-core');

const { values: opts } = parseArgs({
  options: {
    base: { type: 'string' },
    data: { type: 'string', default: '/out/' },
    screenshot: { type: 'string', default: path.join(root, 'out', 'web-calendar.png') },
  },
});
if (!opts.base) {
  console.error('usage: test.mjs --base http://127.0.0.1:PORT [--data /out/] [--screenshot FILE]');
  process.exit(2);
}

// What the seed article (Bolton News, 21 Feb 2024) must turn into.
const SEED = {
  date: '2024-02-24',
  time: '13:00',
  place: 'Queens Park',
  url: 'https://www.theboltonnews.co.uk/news/24135987.bolton-mp-mark-logan-calls-immediate-ceasefire-gaza/',
  month: 'February 2024',
};
const WAIT_MS = 10000;
// Deliberately not Europe/London: the page must show London times whatever
// the viewer's zone is, so the browser pretends to be in New York.
const BROWSER_TZ = 'America/New_York';

const results = [];

// Last line of defence against a hang: every wait below has its own timeout,
// but a stuck browser launch or close must not hold the run up either.
const watchdog = setTimeout(() => {
  console.log('FAIL: test did not finish within 60 s');
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exit(1);
}, 60000);
watchdog.unref();

function check(name, problems) {
  const ok = problems.length === 0;
  results.push({ ok });
  console.log(ok ? `PASS: ${name}` : `FAIL: ${name}: ${problems.join('; ')}`);
}

// Reads the events FullCalendar rendered in one day cell of the month grid.
function eventsInDay(page, date) {
  return page.$$eval(`td.fc-daygrid-day[data-date="${date}"] .fc-event`, (els) =>
    els.map((el) => ({
      classes: [...el.classList],
      href: el.getAttribute('href') || (el.querySelector('a[href]') || {}).href || '',
      time: (el.querySelector('.ec-event-time') || {}).textContent || '',
      text: el.textContent,
    })));
}

// Problems with the seed event as rendered from one source ('json' or 'ics').
function seedProblems(cellEvents, source) {
  const mine = cellEvents.filter((e) => e.classes.includes(`ec-src-${source}`));
  if (mine.length === 0) return [`no ${source} event on ${SEED.date}`];
  const linked = mine.filter((e) => e.href === SEED.url);
  if (linked.length === 0) return [`no ${source} event on ${SEED.date} links to ${SEED.url} (found ${mine.map((e) => e.href || 'no link').join(', ')})`];
  const problems = [];
  if (!linked.some((e) => e.time === SEED.time)) problems.push(`time is ${linked.map((e) => JSON.stringify(e.time)).join(', ')}, not ${SEED.time}`);
  if (!linked.some((e) => e.text.includes(SEED.place))) problems.push(`place "${SEED.place}" not shown (text: ${JSON.stringify(linked[0].text)})`);
  return problems;
}

const userDataDir = mkdtempSync(path.join(tmpdir(), 'eventcal-web-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timezoneId: BROWSER_TZ,
    locale: 'en-GB',
    viewport: { width: 1200, height: 900 },
    timeout: 20000,
  });
  context.setDefaultTimeout(WAIT_MS);
  const page = context.pages()[0] || await context.newPage();

  // Script errors and failed requests would otherwise only show as a missing event.
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => pageErrors.push(`request failed: ${req.url()}`));
  page.on('response', (res) => { if (res.status() >= 400) pageErrors.push(`HTTP ${res.status()}: ${res.url()}`); });

  const url = new URL('/samples/web/', opts.base);
  url.searchParams.set('data', opts.data);
  await page.goto(url.href, { waitUntil: 'load', timeout: 15000 });

  // Wait for both sources; a timeout is reported by the checks below.
  for (const source of ['json', 'ics']) {
    await page.waitForSelector(`.fc-event.ec-src-${source}`, { timeout: WAIT_MS }).catch(() => {});
  }
  const statusText = await page.$eval('#status', (el) => (el.hidden ? '' : el.textContent)).catch(() => '');

  // 1. The page as a whole: opens on the seed's month, no errors, screenshot.
  const problems = [...pageErrors];
  if (statusText) problems.push(`page reports: ${statusText}`);
  const title = await page.textContent('.fc-toolbar-title', { timeout: WAIT_MS }).catch(() => '');
  if (title !== SEED.month) problems.push(`calendar shows "${title}", not "${SEED.month}"`);
  try {
    mkdirSync(path.dirname(opts.screenshot), { recursive: true });
    await page.screenshot({ path: opts.screenshot, fullPage: true, timeout: WAIT_MS });
    if (statSync(opts.screenshot).size === 0) problems.push('screenshot is empty');
  } catch (err) {
    problems.push(`screenshot failed: ${err.message}`);
  }
  check(`page opens on ${SEED.month} without errors; screenshot ${path.relative(root, opts.screenshot)}`, problems);

  const cell = await eventsInDay(page, SEED.date).catch(() => []);

  // 2. JSON source: the grid event, and its entry in the list below.
  const jsonProblems = seedProblems(cell, 'json');
  const listItems = await page.$$eval('#event-list li', (lis) => lis.map((li) => ({
    text: li.textContent,
    links: [...li.querySelectorAll('a[href]')].map((a) => ({ href: a.href, text: a.textContent })),
  }))).catch(() => []);
  const listed = listItems.filter((li) => li.links.some((a) => a.href === SEED.url) && li.text.includes('24 Feb 2024'));
  if (listed.length === 0) {
    jsonProblems.push('no list entry for 24 Feb 2024 with a link to the source');
  } else if (!listed.some((li) => li.text.includes(`24 Feb 2024, ${SEED.time}`) && li.text.includes(SEED.place) && li.text.includes('source: '))) {
    jsonProblems.push(`list entry lacks time/place/"source:" link: ${JSON.stringify(listed[0].text)}`);
  }
  check(`JSON source: seed demonstration on ${SEED.date} at ${SEED.time}, "${SEED.place}", links to source (grid and list)`, jsonProblems);

  // 3. iCalendar source (FullCalendar's icalendar plugin reading events.ics).
  check(`ICS source: seed demonstration on ${SEED.date} at ${SEED.time}, "${SEED.place}", links to source`, seedProblems(cell, 'ics'));
} catch (err) {
  check('browser run', [err.message.split('\n')[0]]);
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
clearTimeout(watchdog);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
