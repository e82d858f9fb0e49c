// The audit log's verification in real Chromium against the real binary: a DPO runs
// "Verify now" with the keyboard alone and reads the result; axe-core finds no
// serious or critical violation on the audit page and on the dashboard with its
// consent charts. Run with ./run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startServer, axeViolations } from './support.mjs';

let server, browser, password;
const DPO = 'dpo-audit@example.org';

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const added = server.cli('users', 'add', '--email', DPO, '--role', 'dpo');
  password = added.split('\n').map((l) => l.match(/^password \(shown once\): (.*)$/)).find(Boolean)[1];
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const T = { timeout: 120000 };

async function api(method, path, body) {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
    body: body && JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** Presses Tab until the focused element satisfies `pred`; fails after `max`. */
async function tabTo(page, pred, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(pred)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`focus never reached the element after ${max} presses of Tab`);
}

test('a DPO verifies the audit log with the keyboard; audit page and dashboard pass axe-core', T, async (t) => {
  for (let n = 0; n < 3; n++) {
    const s = await api('POST', '/v1/subjects', { kind: 'customer', data: { 'user.contact.email': `c${n}@example.org` } });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    const c = await api('POST', '/v1/consents', { subject_id: s.body.id, purpose: 'newsletter', state: n ? 'given' : 'refused', method: 'api' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
  }
  // bypassCSP: only so that axe-core can be injected; the pages need no script.
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.base)) outside.push(r.url()); });

  await page.goto(`${server.base}/console`);
  await page.waitForFunction(() => document.activeElement?.id === 'email');
  await page.keyboard.type(DPO);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console`);
  assert.ok((await page.locator('main').textContent()).includes('newsletter'));
  assert.deepEqual(await axeViolations(page), [], 'axe-core on the dashboard');

  await tabTo(page, () => document.activeElement?.getAttribute('href') === '/console/audit');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console/audit`);
  assert.match(await page.locator('#audit-verified').textContent(), /not been verified/);
  assert.deepEqual(await axeViolations(page), [], 'axe-core on the audit page');

  await tabTo(page, () => document.activeElement?.textContent === 'Verify now');
  // The form posts and is sent back (303) to the same address: wait for the new page.
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  assert.match(await page.locator('#audit-verified').textContent(), /intact .*entries intact/);
  assert.deepEqual(await axeViolations(page), [], 'axe-core on the audit page after verification');

  const log = await api('GET', '/v1/audit');
  assert.ok(log.body.some((e) => e.action === 'audit.verify' && e.outcome === 'ok' && e.principal.startsWith('user:')));
  assert.deepEqual(outside, [], 'nothing is loaded from elsewhere');
});
