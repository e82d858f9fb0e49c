// Browser tests of the consent banner, on the demo page served by the real binary.
// Run with ./run (or `node --test` here); CUSTODIA_BIN names the binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { launchBrowser, startServer, bannerConfig, visitorConsents, stored, visitorId } from './support.mjs';

let server, browser, config;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  config = await bannerConfig(server.base);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const T = { timeout: 60000 };
const BANNER = '#custodia-banner';
const GPC_INIT = () => Object.defineProperty(navigator, 'globalPrivacyControl', { get: () => true });

/** A fresh browser profile (empty localStorage) on the demo page. */
async function demo(t, { lang = 'en', gpc = false } = {}) {
  const context = await browser.newContext(gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {});
  t.after(() => context.close());
  const page = await context.newPage();
  if (gpc) await page.addInitScript(GPC_INIT);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}/banner/demo?lang=${lang}`);
  await page.waitForSelector(`${BANNER} [data-cst="accept_all"]`);
  return { context, page, requests, errors };
}

const ran = (page) => page.evaluate(() => window.__custodiaRan || []);
const attr = (page, sel, name) => page.getAttribute(sel, name);
const bannerShown = (page) => page.locator(BANNER).count().then((n) => n > 0);
/** Presses Tab until `pred` (evaluated on the focused element) holds; fails after `max`. */
async function tabTo(page, pred, arg, { max = 40, shift = false } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(pred, arg)) return;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`focus never reached the element after ${max} presses of Tab`);
}

test('tagged script, img and iframe wait for consent and load after "Accept all"', T, async (t) => {
  const { page, requests, errors } = await demo(t);
  assert.deepEqual(await ran(page), [], 'no tagged script ran before a choice');
  assert.equal(await attr(page, '#demo-img', 'src'), null);
  assert.equal(await attr(page, '#demo-frame', 'src'), null);
  assert.equal(await page.locator('script[data-custodia]:not([type="text/plain"])').count(), 0);
  await page.waitForTimeout(300); // time for anything unduly started to show up
  assert.ok(!requests.some((u) => /\/healthz|\/privacy-policy/.test(u)), `blocked content was requested: ${requests}`);

  await page.click(`${BANNER} [data-cst="accept_all"]`);
  await page.waitForFunction(() => (window.__custodiaRan || []).includes('analytics'));
  assert.deepEqual((await ran(page)).sort(), ['analytics', 'external_content', 'live_chat', 'mixpanel', 'remarketing']);
  assert.equal(await attr(page, '#demo-img', 'src'), '/healthz');
  assert.match(await attr(page, '#demo-frame', 'src'), /^\/privacy-policy\?lang=en$/);
  assert.equal(await bannerShown(page), false, 'banner closes after the choice');
  const s = await stored(page);
  for (const p of config.purposes) {
    assert.equal(s.choices[p.id].state, 'given', p.id);
    assert.equal(s.choices[p.id].fingerprint, p.fingerprint);
  }
  const id = await visitorId(page);
  const rec = await visitorConsents(server, id);
  assert.equal(rec.byPurpose.analytics.state, 'given');
  assert.deepEqual(errors, []);
});

test('"Refuse all" keeps everything blocked and the refusal is recorded by the server', T, async (t) => {
  const { page } = await demo(t);
  await page.click(`${BANNER} [data-cst="refuse_all"]`);
  const id = await visitorId(page);
  assert.deepEqual(await ran(page), []);
  assert.equal(await attr(page, '#demo-img', 'src'), null);
  assert.equal(await attr(page, '#demo-frame', 'src'), null);
  assert.equal(await page.evaluate(() => window.Custodia.consent('analytics')), 'refused');
  const rec = await visitorConsents(server, id);
  assert.equal(rec.visitor_id, id);
  for (const p of config.purposes) {
    assert.equal(rec.byPurpose[p.id]?.state, 'refused', `current state of ${p.id}`);
    const r = rec.records.find((x) => x.purpose === p.id && !x.service);
    assert.ok(r, `a record for ${p.id}`);
    assert.equal(r.state, 'refused');
    assert.equal(r.method, 'banner');
    assert.equal(r.gpc, false);
  }
});

test('"Accept all" and "Refuse all" have the same element, class, size and style', T, async (t) => {
  const { page } = await demo(t);
  const accept = page.locator(`${BANNER} [data-cst="accept_all"]`);
  const refuse = page.locator(`${BANNER} [data-cst="refuse_all"]`);
  const [a, r] = [await accept.boundingBox(), await refuse.boundingBox()];
  assert.ok(a.width > 40 && a.height >= 24, 'buttons are of a usable size');
  assert.ok(Math.abs(a.width - r.width) < 0.5, `widths ${a.width} vs ${r.width}`);
  assert.ok(Math.abs(a.height - r.height) < 0.5, `heights ${a.height} vs ${r.height}`);
  const look = (el) => {
    const c = getComputedStyle(el);
    const keys = ['font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'text-transform', 'text-decoration-line',
      'color', 'background-color', 'background-image', 'opacity', 'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
      'border-top-style', 'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color', 'border-radius', 'box-shadow',
      'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'outline-style', 'outline-color'];
    return { tag: el.tagName, className: el.className, style: Object.fromEntries(keys.map((k) => [k, c.getPropertyValue(k)])) };
  };
  // Neither is focused or hovered while compared.
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(0, 0);
  assert.deepEqual(await refuse.evaluate(look), await accept.evaluate(look));
  assert.notEqual(await accept.textContent(), await refuse.textContent());
});

test('the whole flow works with the keyboard alone; focus moves in and comes back', T, async (t) => {
  const { page } = await demo(t);
  // Focus moved into the banner, on its first button.
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-cst')), 'accept_all');
  assert.ok(await page.evaluate(() => document.querySelector('#custodia-banner').contains(document.activeElement)));
  // Escape never accepts: the banner stays and nothing runs.
  await page.keyboard.press('Escape');
  await page.waitForTimeout(200);
  assert.ok(await bannerShown(page));
  assert.deepEqual(await ran(page), []);
  // Dialog semantics.
  const dlg = await page.evaluate(() => {
    const d = document.querySelector('#custodia-banner');
    return { role: d.getAttribute('role'), title: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent };
  });
  assert.equal(dlg.role, 'dialog');
  assert.equal(dlg.title, config.texts.en.title);

  // Customise with Enter.
  await tabTo(page, () => document.activeElement.getAttribute('data-cst') === 'customise');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${BANNER} input[data-purpose]`);
  assert.ok(await page.evaluate(() => document.querySelector('#custodia-banner').contains(document.activeElement)), 'focus stays in the banner');
  // Every purpose off by default, every control named.
  const controls = await page.evaluate(() => [...document.querySelectorAll('#custodia-banner input, #custodia-banner button, #custodia-banner a, #custodia-banner summary')]
    .map((el) => ({ checked: el.checked, name: el.labels?.[0]?.textContent.trim() || el.textContent.trim() || el.getAttribute('aria-label') })));
  assert.ok(controls.every((c) => c.name), `unnamed control: ${JSON.stringify(controls)}`);
  assert.ok(controls.every((c) => !c.checked), 'all switches start off');
  // Switch analytics on with Space, then save with Space.
  await tabTo(page, () => document.activeElement.getAttribute('data-purpose') === 'analytics');
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => document.activeElement.checked), true);
  await tabTo(page, () => document.activeElement.getAttribute('data-cst') === 'save');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (window.__custodiaRan || []).includes('analytics'));
  assert.deepEqual((await ran(page)).sort(), ['analytics', 'mixpanel']);
  assert.equal(await bannerShown(page), false);
  assert.ok(await page.evaluate(() => document.activeElement === document.body), 'focus back where it was (the page)');
  assert.equal(await page.evaluate(() => window.Custodia.consent('remarketing')), 'refused');

  // Reopen from the "Cookie preferences" link with Enter, withdraw with Space, save with Enter.
  await tabTo(page, () => document.activeElement.hasAttribute('data-custodia-preferences'));
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${BANNER} input[data-purpose]`);
  assert.ok(await page.evaluate(() => document.querySelector('#custodia-banner').contains(document.activeElement)), 'focus moved into the reopened banner');
  assert.equal(await page.isChecked(`${BANNER} input[data-purpose="analytics"]`), true, 'the switch shows the current choice');
  await tabTo(page, () => document.activeElement.getAttribute('data-purpose') === 'analytics');
  await page.keyboard.press('Space');
  await tabTo(page, () => document.activeElement.getAttribute('data-cst') === 'save');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('#custodia-banner'));
  assert.ok(await page.evaluate(() => document.activeElement.hasAttribute('data-custodia-preferences')), 'focus back on the link');
  assert.equal(await page.evaluate(() => window.Custodia.consent('analytics')), 'refused');
});

test('visible focus: a 3px outline with enough contrast on banner controls', T, async (t) => {
  const { page } = await demo(t);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const f = await page.evaluate(() => {
    const el = document.activeElement;
    const c = getComputedStyle(el);
    return { inBanner: !!el.closest('#custodia-banner'), style: c.outlineStyle, width: parseFloat(c.outlineWidth), color: c.outlineColor, bg: getComputedStyle(document.querySelector('#custodia-banner')).backgroundColor };
  });
  assert.ok(f.inBanner);
  assert.notEqual(f.style, 'none');
  assert.ok(f.width >= 2, `outline width ${f.width}`);
  assert.ok(contrast(f.color, f.bg) >= 3, `focus ring contrast ${contrast(f.color, f.bg)}`);
  // Text contrast of the banner's texts and buttons.
  const pairs = await page.evaluate(() => [...document.querySelectorAll('#custodia-banner, #custodia-banner *')]
    .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((el) => {
      let bg = 'rgba(0, 0, 0, 0)';
      for (let e = el; e && /rgba\(.*, 0\)$/.test(bg); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
      return { text: el.textContent.slice(0, 30), fg: getComputedStyle(el).color, bg };
    }));
  for (const p of pairs) assert.ok(contrast(p.fg, p.bg) >= 4.5, `contrast of "${p.text}": ${contrast(p.fg, p.bg).toFixed(2)}`);
});

test('Global Privacy Control refuses remarketing even after "Accept all"', T, async (t) => {
  const { page } = await demo(t, { gpc: true });
  assert.equal(await page.evaluate(() => navigator.globalPrivacyControl), true);
  assert.ok((await page.textContent(BANNER)).includes(config.texts.en.gpc_notice), 'the GPC notice is shown');
  await page.click(`${BANNER} [data-cst="accept_all"]`);
  await page.waitForFunction(() => (window.__custodiaRan || []).includes('analytics'));
  const r = await ran(page);
  assert.ok(r.includes('analytics'));
  assert.ok(!r.includes('remarketing'), 'the remarketing tag did not run');
  assert.equal(await page.evaluate(() => window.Custodia.consent('remarketing')), 'refused');
  const update = await page.evaluate(() => [...window.dataLayer].reverse().find((e) => e[0] === 'consent' && e[1] === 'update')[2]);
  assert.equal(update.ad_storage, 'denied');
  assert.equal(update.analytics_storage, 'granted');

  const id = await visitorId(page);
  const rec = await visitorConsents(server, id);
  assert.equal(rec.byPurpose.remarketing.state, 'refused');
  assert.equal(rec.byPurpose.analytics.state, 'given');
  const remarketing = rec.records.find((x) => x.purpose === 'remarketing' && !x.service);
  assert.equal(remarketing.state, 'refused');
  assert.equal(remarketing.gpc, true);

  // It cannot be switched on in the banner.
  await page.click('[data-custodia-preferences]');
  await page.waitForSelector(`${BANNER} input[data-purpose]`);
  assert.equal(await page.isDisabled(`${BANNER} input[data-purpose="remarketing"]`), true);
  assert.equal(await page.isChecked(`${BANNER} input[data-purpose="remarketing"]`), false);
  assert.equal(await page.isChecked(`${BANNER} input[data-purpose="analytics"]`), true);
});

test('Consent Mode default is the first dataLayer entry, before any tag event', T, async (t) => {
  const { page } = await demo(t);
  const entries = () => page.evaluate(() => window.dataLayer.map((e) => (e && typeof e === 'object' && 'length' in e && !Array.isArray(e) ? Array.from(e) : e)));
  let dl = await entries();
  assert.ok(dl.length >= 1);
  assert.deepEqual(dl[0].slice(0, 2), ['consent', 'default']);
  for (const k of ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage']) assert.equal(dl[0][2][k], 'denied', k);
  assert.equal(dl[0][2].security_storage, 'granted');
  assert.ok(!dl.some((e) => e && e.event), 'no tag event before a choice');

  await page.click(`${BANNER} [data-cst="accept_all"]`);
  await page.waitForFunction(() => window.dataLayer.some((e) => e && e.event === 'tag-analytics'));
  dl = await entries();
  const firstTag = dl.findIndex((e) => e && typeof e.event === 'string' && e.event.startsWith('tag-'));
  const update = dl.findIndex((e) => Array.isArray(e) && e[0] === 'consent' && e[1] === 'update');
  assert.ok(update > 0 && update < firstTag, `update (${update}) comes before the first tag (${firstTag})`);
  assert.equal(dl[update][2].analytics_storage, 'granted');
  assert.equal(dl[update][2].ad_storage, 'granted');

  // On a later visit the stored choice is applied at load, still after the default.
  await page.reload();
  await page.waitForFunction(() => window.dataLayer.some((e) => e && e.event === 'tag-analytics'));
  dl = await entries();
  assert.deepEqual(dl[0].slice(0, 2), ['consent', 'default']);
  assert.deepEqual(dl[1].slice(0, 2), ['consent', 'update']);
});

test('French page: the banner speaks French', T, async (t) => {
  const fr = config.texts.fr, en = config.texts.en;
  assert.notEqual(fr.accept_all, en.accept_all, 'the configuration has distinct French texts');
  const { page } = await demo(t, { lang: 'fr' });
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal((await page.textContent(`${BANNER} [data-cst="accept_all"]`)).trim(), fr.accept_all);
  assert.equal((await page.textContent(`${BANNER} [data-cst="refuse_all"]`)).trim(), fr.refuse_all);
  assert.equal((await page.textContent(`${BANNER} [data-cst="customise"]`)).trim(), fr.customise);
  assert.equal((await page.textContent(`${BANNER} #cst-title`)).trim(), fr.title);
  assert.match(await page.getAttribute(`${BANNER} a`, 'href'), /lang=fr/);
  await page.click(`${BANNER} [data-cst="customise"]`);
  assert.equal((await page.textContent(`${BANNER} [data-cst="save"]`)).trim(), fr.save);
  const analytics = config.purposes.find((p) => p.id === 'analytics');
  assert.equal((await page.textContent(`${BANNER} label[for="${await page.getAttribute(`${BANNER} input[data-purpose="analytics"]`, 'id')}"]`)).trim(), analytics.title.fr);
  await page.click(`${BANNER} [data-cst="refuse_all"]`);
  const id = await visitorId(page);
  const rec = await visitorConsents(server, id);
  assert.equal(rec.byPurpose.analytics.state, 'refused');
});

test('"Cookie preferences" reopens the banner; withdrawing removes content and tells the page', T, async (t) => {
  const { page } = await demo(t);
  await page.click(`${BANNER} [data-cst="accept_all"]`);
  await page.waitForFunction(() => document.querySelector('#demo-frame').getAttribute('src'));
  await visitorId(page);
  await page.evaluate(() => {
    window.__events = [];
    document.addEventListener('custodia:consent', (e) => window.__events.push(e.detail));
  });
  await page.click('[data-custodia-preferences]');
  await page.waitForSelector(`${BANNER} input[data-purpose]`);
  assert.equal(await page.isChecked(`${BANNER} input[data-purpose="external_content"]`), true);
  await page.uncheck(`${BANNER} input[data-purpose="external_content"]`);
  await page.click(`${BANNER} [data-cst="save"]`);
  assert.equal(await attr(page, '#demo-frame', 'src'), null, 'the iframe lost its src');
  assert.equal(await attr(page, '#demo-img', 'src'), null, 'the img lost its src');
  assert.equal(await page.locator('script[data-custodia="external_content"]:not([type="text/plain"])').count(), 0, 'the activated script is gone');
  assert.equal(await page.locator('script[data-custodia="external_content"][type="text/plain"]').count(), 1, 'the inert original is back');
  const events = await page.evaluate(() => window.__events);
  assert.equal(events.length, 1);
  assert.equal(events[0].purposes.external_content, 'refused');
  assert.equal(events[0].purposes.analytics, 'given');
  assert.equal(await page.evaluate(() => window.Custodia.consent('external_content')), 'refused');
  const id = await visitorId(page);
  const rec = await visitorConsents(server, id);
  assert.equal(rec.byPurpose.external_content.state, 'refused', 'the withdrawal reached the server');
  assert.equal(rec.byPurpose.analytics.state, 'given');

  // Not asked again on reload; the stored choice applies at once.
  await page.reload();
  await page.waitForFunction(() => (window.__custodiaRan || []).includes('analytics'));
  await page.waitForTimeout(500);
  assert.equal(await bannerShown(page), false, 'no banner after a choice');
  assert.ok(!(await ran(page)).includes('external_content'));
  assert.equal(await attr(page, '#demo-frame', 'src'), null);
  // window.Custodia.open() opens it too.
  await page.evaluate(() => window.Custodia.open());
  await page.waitForSelector(`${BANNER} input[data-purpose]`);
});

test('asks again only for a purpose whose fingerprint changed or whose choice expired', T, async (t) => {
  const { page } = await demo(t);
  await page.click(`${BANNER} [data-cst="accept_all"]`);
  await visitorId(page);
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('custodia.consent'));
    s.choices.analytics.fingerprint = 'an-older-register';
    s.choices.live_chat.at -= 400 * 86400000; // past given_days
    localStorage.setItem('custodia.consent', JSON.stringify(s));
  });
  await page.reload();
  await page.waitForSelector(`${BANNER} [data-cst="accept_all"]`);
  assert.ok((await page.textContent(BANNER)).includes(config.texts.en.changed), 'the "changed" text is shown');
  const r = await ran(page);
  assert.ok(!r.includes('analytics') && !r.includes('live_chat'), 'changed and expired purposes wait for a new choice');
  assert.ok(r.includes('remarketing'), 'others keep their choice');
  await page.click(`${BANNER} [data-cst="customise"]`);
  const asked = await page.$$eval(`${BANNER} input[data-purpose]`, (l) => l.map((e) => e.getAttribute('data-purpose')).sort());
  assert.deepEqual(asked, ['analytics', 'live_chat']);
  await page.click(`${BANNER} [data-cst="refuse_all"]`);
  const s = await stored(page);
  assert.equal(s.choices.analytics.state, 'refused');
  assert.equal(s.choices.remarketing.state, 'given');
});

test('a failed submission applies locally and is sent on the next page load', T, async (t) => {
  const { page } = await demo(t);
  await page.route('**/v1/banner/consents', (route) => route.abort());
  await page.click(`${BANNER} [data-cst="refuse_all"]`);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('custodia.consent') || 'null')?.pending?.length === 1);
  const s = await stored(page);
  assert.equal(s.visitor_id, null, 'the banner never invents a visitor id');
  assert.equal(s.choices.analytics.state, 'refused', 'applied at once');
  await page.unroute('**/v1/banner/consents');
  const posted = page.waitForRequest((r) => r.url().endsWith('/v1/banner/consents') && r.method() === 'POST');
  await page.reload();
  const body = (await posted).postDataJSON();
  assert.equal(body.visitor_id, null);
  assert.equal(body.banner_version, config.version);
  assert.equal(body.lang, 'en');
  assert.equal(body.gpc, false);
  assert.deepEqual(body.choices.filter((c) => !c.service).map((c) => c.purpose).sort(), config.purposes.map((p) => p.id).sort());
  const id = await visitorId(page);
  assert.equal((await visitorConsents(server, id)).byPurpose.analytics.state, 'refused');
});

test('per-service choices, elements added later, external scripts and the built-in preferences button', T, async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  // A page of the server's origin without any "Cookie preferences" link.
  await page.route(`${server.base}/custom-page`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><script src="/banner.js"></script></head><body>
      <h1>Custom page</h1>
      <script type="text/plain" data-custodia="mixpanel">window.__ran = (window.__ran || []).concat('mixpanel')</script>
      <script type="text/plain" data-custodia="google_analytics">window.__ran = (window.__ran || []).concat('google_analytics')</script>
      <script type="text/plain" data-custodia="google_analytics" data-src="/external-tag.js"></script>
      </body></html>`,
  }));
  await page.route(`${server.base}/external-tag.js`, (route) => route.fulfill({
    contentType: 'text/javascript', body: "window.__ran = (window.__ran || []).concat('external')",
  }));
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.base}/custom-page`);
  await page.waitForSelector(`${BANNER} [data-cst="customise"]`);
  assert.equal(await page.isHidden('#custodia-preferences'), true, 'the preferences button hides while the banner is open');
  assert.ok(!requests.some((u) => u.endsWith('/external-tag.js')), 'an inert external script is not fetched');

  await page.click(`${BANNER} [data-cst="customise"]`);
  await page.check(`${BANNER} input[data-purpose="analytics"]`);
  const li = page.locator(`${BANNER} li.cst-p`, { has: page.locator('input[data-purpose="analytics"]') });
  await li.locator('summary').click();
  assert.equal(await li.locator('input[data-service="mixpanel"]').isChecked(), true, 'services follow their purpose');
  await li.locator('input[data-service="mixpanel"]').uncheck();
  assert.equal(await page.isChecked(`${BANNER} input[data-purpose="analytics"]`), true);
  const posted = page.waitForRequest((r) => r.url().endsWith('/v1/banner/consents'));
  await page.click(`${BANNER} [data-cst="save"]`);
  await page.waitForFunction(() => (window.__ran || []).includes('external'));
  assert.deepEqual((await page.evaluate(() => window.__ran)).sort(), ['external', 'google_analytics']);
  assert.equal(await page.evaluate(() => window.Custodia.consent('mixpanel')), 'refused');
  assert.equal(await page.evaluate(() => window.Custodia.consent('google_analytics')), 'given');
  const body = (await posted).postDataJSON();
  const analytics = body.choices.filter((c) => c.purpose === 'analytics');
  assert.deepEqual(analytics, [{ purpose: 'analytics', state: 'given' }, { purpose: 'analytics', service: 'mixpanel', state: 'refused' }],
    'service entries only where they differ from their purpose');
  const rec = await visitorConsents(server, await visitorId(page));
  assert.equal(rec.byPurpose.analytics.state, 'given');
  assert.ok(rec.records.some((r) => r.purpose === 'analytics' && r.service === 'mixpanel' && r.state === 'refused'));

  // Elements added after load are handled too.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.setAttribute('data-custodia', 'analytics');
    s.text = "window.__ran.push('late')";
    const img = document.createElement('img');
    img.id = 'late-img';
    img.setAttribute('data-custodia', 'youtube');
    img.setAttribute('data-src', '/healthz');
    document.body.append(s, img);
  });
  await page.waitForFunction(() => window.__ran.includes('late'));
  assert.equal(await attr(page, '#late-img', 'src'), null, 'youtube (external content) was refused');

  // The built-in button reopens the choices; Escape closes them unchanged and focus returns.
  assert.equal(await page.isVisible('#custodia-preferences'), true);
  assert.equal((await page.textContent('#custodia-preferences')).trim(), config.texts.en.preferences);
  await page.focus('#custodia-preferences');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${BANNER} input[data-purpose]`);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#custodia-banner'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'custodia-preferences');
  assert.equal(await page.evaluate(() => window.Custodia.consent('analytics')), 'given');
});

test('size budget and no request to any other origin', T, async (t) => {
  const [js, css] = await Promise.all(['/banner.js', '/banner.css'].map(async (p) => {
    const r = await fetch(server.base + p);
    assert.equal(r.status, 200, p);
    return Buffer.from(await r.arrayBuffer());
  }));
  const gz = gzipSync(js, { level: 9 }).length + gzipSync(css, { level: 9 }).length;
  t.diagnostic(`banner.js + banner.css gzipped: ${gz} bytes`);
  assert.ok(gz <= 12 * 1024, `gzipped size ${gz} > 12 KB`);

  const { page, requests } = await demo(t);
  await page.click(`${BANNER} [data-cst="customise"]`);
  await page.click(`${BANNER} [data-cst="accept_all"]`);
  await visitorId(page);
  await page.reload();
  await page.waitForFunction(() => (window.__custodiaRan || []).includes('analytics'));
  const origin = new URL(server.base).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin + '/') && !/^(data|about|blob):/.test(u));
  assert.deepEqual(foreign, []);
  // By version, so that browsers may keep it for a year.
  assert.ok(requests.some((u) => /\/banner\.css\?v=[0-9a-f]{16}$/.test(u)), 'the stylesheet comes from the server, by version');
});

// WCAG contrast ratio of two computed CSS colours (rgb()/rgba(), alpha ignored).
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
