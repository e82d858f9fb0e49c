// The staff console in real Chromium against the real binary: a DPO signs in and
// completes an access request with the keyboard alone; axe-core finds no serious or
// critical violation on the console's pages. Run with ./run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startServer, startMailCatcher, axeViolations } from './support.mjs';

let server, browser, mail, password;
const DPO = 'dpo-browser@example.org';
const REQUESTER = 'requester@example.org';

before(async () => {
  mail = await startMailCatcher();
  server = await startServer({
    config: `public_url = "http://127.0.0.1"\n[smtp]\nhost = "127.0.0.1"\nport = ${mail.port}\nsecurity = "none"\nfrom = "Privacy <privacy@example.org>"`,
  });
  browser = await launchBrowser();
  const added = server.cli('users', 'add', '--email', DPO, '--role', 'dpo');
  password = added.split('\n').map((l) => l.match(/^password \(shown once\): (.*)$/)).find(Boolean)[1];
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await mail?.close();
});

const T = { timeout: 120000 };

async function api(method, path, body, key = server.apiKey) {
  const headers = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const r = await fetch(`${server.base}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** A verified access request from a known customer, through the public API. */
async function verifiedAccessRequest() {
  const created = await api('POST', '/v1/subjects', { kind: 'customer', data: { 'user.contact.email': REQUESTER } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const submitted = await api('POST', '/v1/requests', { kind: 'access', email: REQUESTER }, null);
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const letter = await mail.waitFor(REQUESTER, (t) => /\b\d{6}\b/.test(t));
  const code = letter.match(/\b(\d{6})\b/)[1];
  const verified = await api('POST', `/v1/requests/${submitted.body.id}/verify`, { code }, null);
  assert.equal(verified.status, 204, JSON.stringify(verified.body));
  return submitted.body.id;
}

/** Presses Tab until the focused element satisfies `pred`; fails after `max`. */
async function tabTo(page, pred, arg, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(pred, arg)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`focus never reached the element after ${max} presses of Tab`);
}

async function noSeriousViolations(page, name) {
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${name}`);
}

test('a DPO completes an access request from the queue with the keyboard alone', T, async (t) => {
  const id = await verifiedAccessRequest();
  // bypassCSP: only so that axe-core can be injected; the pages need no script.
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.base)) outside.push(r.url()); });

  await page.goto(`${server.base}/console`);
  assert.match(page.url(), /\/login\?next=\/console$/);
  // The e-mail field takes focus on arrival (autofocus, applied at the next frame).
  await page.waitForFunction(() => document.activeElement?.id === 'email');
  await page.keyboard.type(DPO);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console`);
  assert.equal(await page.locator('h1').textContent(), 'Dashboard');
  await noSeriousViolations(page, 'the dashboard');

  await tabTo(page, () => document.activeElement?.getAttribute('href') === '/console/requests');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console/requests`);
  await noSeriousViolations(page, 'the request queue');

  await tabTo(page, (id) => document.activeElement?.getAttribute('href') === `/console/requests/${id}`, id);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console/requests/${id}`);
  assert.ok((await page.locator('main').textContent()).includes(REQUESTER));
  await noSeriousViolations(page, 'a request');

  await tabTo(page, () => document.activeElement?.textContent === 'Complete the request');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console/requests/${id}?done=complete`);
  assert.equal(await page.locator('[role=status]').textContent(), 'Done.');
  assert.ok((await page.locator('.facts').textContent()).includes('Completed'));
  const stored = await api('GET', `/v1/requests/${id}`);
  assert.equal(stored.body.status, 'completed');
  // Completing it prepared the package: the requester's letter links to its download.
  const delivered = await mail.waitFor(REQUESTER, (text) => text.includes('/download/'));
  assert.match(delivered, /\/download\/[A-Za-z0-9_-]+/);
  await noSeriousViolations(page, 'a completed request');

  await page.goto(`${server.base}/console/audit`);
  assert.ok((await page.locator('table').textContent()).includes('request.complete'));
  await noSeriousViolations(page, 'the audit log');
  await page.goto(`${server.base}/console/retention`);
  await noSeriousViolations(page, 'retention');
  await page.goto(`${server.base}/console/register`);
  await noSeriousViolations(page, 'the register');
  await page.goto(`${server.base}/console/requests?lang=fr`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await noSeriousViolations(page, 'the queue in French');
  assert.deepEqual(outside, [], 'nothing is loaded from elsewhere');
});

test('an error page names the problem in an alert and passes axe-core', T, async (t) => {
  const context = await browser.newContext({ bypassCSP: true });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.fill('#email', DPO);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.goto(`${server.base}/console/requests/no-such-request`);
  const alert = await page.locator('[role=alert]').textContent();
  assert.ok(alert.trim().length > 0);
  await noSeriousViolations(page, 'an error page');
});

test('a DPO searches a person for a purpose and reads their page', T, async (t) => {
  const email = 'searched@example.org';
  const created = await api('POST', '/v1/subjects', { kind: 'customer', data: { 'user.contact.email': email } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const context = await browser.newContext({ bypassCSP: true });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.base}/console/subjects`);
  await page.fill('#email', DPO);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${server.base}/console/subjects`);
  await noSeriousViolations(page, 'the search page');
  await page.selectOption('#by', 'email');
  await page.fill('#value', email);
  await page.selectOption('#purpose', 'contact');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/subjects\?/);
  await noSeriousViolations(page, 'the search results');
  await page.click(`a[href^="/console/subjects/${created.body.id}"]`);
  await page.waitForURL(/\/console\/subjects\/[^?]+\?purpose=contact$/);
  assert.ok((await page.locator('main').textContent()).includes(email));
  await noSeriousViolations(page, 'a person');
  await page.click('a[href$="/erase"]');
  await noSeriousViolations(page, 'the erasure confirmation');
  const audit = await api('GET', `/v1/audit?subject=${created.body.id}`);
  const lookups = audit.body.filter((e) => e.action === 'subject.lookup' && e.purpose === 'contact');
  assert.equal(lookups.length, 1, JSON.stringify(audit.body));
});
