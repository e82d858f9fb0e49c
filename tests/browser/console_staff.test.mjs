// A DPO whose role requires a second factor, in real Chromium against the real
// binary and with the keyboard alone: signs in, is sent to enrol, enrols with a TOTP
// code computed here (RFC 6238), signs out, signs in again with a code; axe-core
// finds no serious or critical violation on any page visited. Run with ./run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { launchBrowser, startServer, axeViolations } from './support.mjs';

let server, browser, password;
const DPO = 'dpo-2fa-browser@example.org';

before(async () => {
  server = await startServer({ config: '[staff]\nrequire_second_factor = ["dpo"]' });
  browser = await launchBrowser();
  const added = server.cli('users', 'add', '--email', DPO, '--role', 'dpo');
  password = added.split('\n').map((l) => l.match(/^password \(shown once\): (.*)$/)).find(Boolean)[1];
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 with SHA-1, 30-second steps and six digits (RFC 4226 truncation). */
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

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

async function password_step(page) {
  await page.waitForFunction(() => document.activeElement?.id === 'email');
  await noSeriousViolations(page, 'the sign-in page');
  await page.keyboard.type(DPO);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

test('a DPO is sent to enrol, enrols, signs out and signs in again with a code', { timeout: 120000 }, async (t) => {
  // bypassCSP: only so that axe-core can be injected; the pages need no script.
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  t.after(() => context.close());
  const page = await context.newPage();

  await page.goto(`${server.base}/console`);
  await password_step(page);
  await page.waitForURL(`${server.base}/console/account`);
  assert.ok((await page.locator('[role=alert]').textContent()).length > 0);
  await noSeriousViolations(page, 'the account page before enrolment');

  await tabTo(page, () => document.activeElement?.textContent === 'Set up a second factor');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'confirm-code');
  const secret = (await page.locator('#factor-secret').textContent()).trim();
  assert.match(await page.locator('#factor-uri').textContent(), /^otpauth:\/\/totp\//);
  await noSeriousViolations(page, 'the enrolment');
  await page.keyboard.type(totp(secret, stepNow()));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#recovery-codes');
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await noSeriousViolations(page, 'the recovery codes');

  await tabTo(page, () => document.activeElement?.textContent === 'Sign out');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/login/);

  await page.goto(`${server.base}/console`);
  await password_step(page);
  await page.waitForURL(`${server.base}/login/second-factor`);
  await page.waitForFunction(() => document.activeElement?.id === 'code');
  await noSeriousViolations(page, 'the second-factor page');
  // The next step's code: the enrolment's is good once, and drift of one step is allowed.
  await page.keyboard.type(totp(secret, stepNow() + 1));
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console`);
  assert.equal(await page.locator('h1').textContent(), 'Dashboard');
  assert.ok((await page.locator('#review-title').textContent()).length > 0, 'the access-review reminder');
  await noSeriousViolations(page, 'the dashboard');

  await page.goto(`${server.base}/console/access-review`);
  await noSeriousViolations(page, 'the access review');
  await page.goto(`${server.base}/console/account`);
  await noSeriousViolations(page, 'the account page');
});

test('an admin adds an account and creates a key by keyboard; the pages pass axe-core', { timeout: 120000 }, async (t) => {
  const admin = 'admin-browser@example.org';
  const added = server.cli('users', 'add', '--email', admin, '--role', 'admin');
  const adminPassword = added.split('\n').map((l) => l.match(/^password \(shown once\): (.*)$/)).find(Boolean)[1];
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.base}/console/staff`);
  await page.waitForFunction(() => document.activeElement?.id === 'email');
  await page.keyboard.type(admin);
  await page.keyboard.press('Tab');
  await page.keyboard.type(adminPassword);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/console/staff`);
  await noSeriousViolations(page, 'the staff page');

  await tabTo(page, () => document.activeElement?.id === 'email');
  await page.keyboard.type('new.hire@example.org');
  await page.keyboard.press('Tab');
  await page.keyboard.type('support');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#secret');
  await noSeriousViolations(page, 'an added account');

  await page.goto(`${server.base}/console/staff`);
  await tabTo(page, () => document.activeElement?.id === 'key-name');
  await page.keyboard.type('crm sync');
  await page.keyboard.press('Tab');
  await page.keyboard.type('auditor');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#secret');
  assert.match(await page.locator('#secret').textContent(), /^cusk_/);
  await page.goto(`${server.base}/console/staff?lang=fr`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await noSeriousViolations(page, 'the staff page in French');
  await page.goto(`${server.base}/console/access-review`);
  await noSeriousViolations(page, 'the access review (admin)');
});
