// The breach register in real Chromium against the real binary: a DPO records a
// breach with the keyboard alone and sees its 72-hour clock; axe-core finds no
// serious or critical violation on the register and a breach's page. Run with ./run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, startServer, axeViolations } from './support.mjs';

let server, browser, password;
const DPO = 'dpo-breaches@example.org';

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

/** Presses Tab until the focused element satisfies `pred`; fails after `max`. */
async function tabTo(page, pred, arg, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(pred, arg)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`focus never reached the element after ${max} presses of Tab`);
}

const focusedId = (id) => document.activeElement?.id === id;

async function noSeriousViolations(page, name) {
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${name}`);
}

const two = (n) => String(n).padStart(2, '0');

test('a DPO records a breach with the keyboard and sees its clock', T, async (t) => {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.base)) outside.push(r.url()); });

  await page.goto(`${server.base}/console/breaches`);
  await page.waitForFunction(() => document.activeElement?.id === 'email');
  await page.keyboard.type(DPO);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console/breaches`);
  assert.equal(await page.locator('h1').textContent(), 'Breach register');
  await noSeriousViolations(page, 'the empty register');

  // Aware 90 minutes ago, in UTC: 70 whole hours are left.
  const aware = new Date(Date.now() - 90 * 60 * 1000);
  const expected = `${aware.toISOString().slice(0, 10)}T${two(aware.getUTCHours())}:${two(aware.getUTCMinutes())}`;
  await tabTo(page, focusedId, 'aware_at');
  // The segments of a date-and-time field follow the browser's own locale, so the
  // value is set on the focused field rather than typed segment by segment.
  await page.locator(':focus').fill(expected);
  assert.equal(await page.inputValue('#aware_at'), expected);
  await tabTo(page, focusedId, 'nature-confidentiality');
  await page.keyboard.press('Space');
  await tabTo(page, focusedId, 'description');
  await page.keyboard.type('A laptop holding a customer export was stolen.');
  await tabTo(page, focusedId, 'category-1');
  await page.keyboard.press('Space');
  await tabTo(page, focusedId, 'approx_people');
  await page.keyboard.type('12');
  await tabTo(page, focusedId, 'consequences');
  await page.keyboard.type('Phishing aimed at the customers concerned.');
  await tabTo(page, focusedId, 'measures');
  await page.keyboard.type('Passwords rotated; exports are encrypted.');
  await tabTo(page, () => document.activeElement?.textContent === 'Record the breach');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/breaches\/[^/?]+\?done=recorded$/);
  assert.equal(await page.locator('[role=status]').textContent(), 'Done.');
  const facts = await page.locator('.facts').textContent();
  assert.ok(facts.includes('70 hours left'), facts);
  assert.ok(facts.includes('Confidentiality'), facts);
  await noSeriousViolations(page, 'a breach');

  await page.goto(`${server.base}/console/breaches`);
  assert.ok((await page.locator('table').textContent()).includes('70 hours left'));
  await noSeriousViolations(page, 'the register');
  await page.goto(`${server.base}/console`);
  assert.ok((await page.locator('main').textContent()).includes('70 hours left'));
  await page.goto(`${server.base}/console/breaches?lang=fr`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await noSeriousViolations(page, 'the register in French');
  assert.deepEqual(outside, [], 'nothing is loaded from elsewhere');
});
