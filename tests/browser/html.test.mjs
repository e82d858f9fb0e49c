// The W3C Nu HTML Checker (vnu, from the vnu-jar package) finds no error in the HTML
// Custodia publishes: every policy and Art. 30 record the CLI renders from the
// examples, the pages the server shows to visitors, requesters and staff, and the
// consent banner as banner.js builds it in Chromium. Run with ./run. Needs Java;
// CUSTODIA_REQUIRE_BROWSER=1 makes its absence a failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer, startMailCatcher } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, '..', '..', 'examples');
// The package's main module is the path of vnu.jar.
const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));
const JAVA = process.env.JAVA_BIN || 'java';
const javaMissing = spawnSync(JAVA, ['-version'], { stdio: 'ignore' }).error;
const REQUIRED = process.env.CUSTODIA_REQUIRE_BROWSER === '1';

const REQUESTER = 'requester-html@example.org';

let server, mail, browser, out;

before(async () => {
  if (javaMissing) return; // the test says why
  out = mkdtempSync(join(tmpdir(), 'custodia-html-'));
  mail = await startMailCatcher();
  // public_url: the subjects' links are minted from it; SMTP: a request mails its code.
  server = await startServer({
    config: `public_url = "http://127.0.0.1"\n[smtp]\nhost = "127.0.0.1"\nport = ${mail.port}\nsecurity = "none"\nfrom = "Privacy <privacy@example.org>"`,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await mail?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

function save(name, html) {
  const file = join(out, `${name}.html`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
}

/** The languages an example register publishes (its `languages = [...]` line). */
function languagesOf(register) {
  const line = readFileSync(register, 'utf8').match(/^languages\s*=\s*\[(.*)\]/m);
  assert.ok(line, `no languages line in ${register}`);
  return [...line[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** Every policy kind in every language of every example, and its Art. 30 record. */
function renderExamples() {
  const registers = readdirSync(examples).filter((f) => f.endsWith('.toml'));
  assert.ok(registers.length > 0, `no example register in ${examples}`);
  for (const f of registers) {
    const register = join(examples, f);
    const name = f.replace(/\.toml$/, '');
    for (const lang of languagesOf(register)) {
      for (const kind of ['privacy', 'cookies']) {
        save(`cli/${name}-${kind}-${lang}`,
          server.cli('policy', 'render', '--kind', kind, '--lang', lang, '--format', 'html', '--register', register));
      }
      save(`cli/${name}-record-${lang}`, server.cli('register', 'export', '--format', 'html', '--lang', lang, register));
    }
  }
}

/** GET or POST a page; any status, but it must be HTML. Keeps it under `name`. */
async function page(name, path, { method = 'GET', form, cookie, status } = {}) {
  const headers = {};
  if (cookie) headers.cookie = cookie;
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const r = await fetch(`${server.base}${path}`, {
    method, headers, body: form && new URLSearchParams(form).toString(), redirect: 'manual',
  });
  const html = await r.text();
  if (status) assert.equal(r.status, status, `${method} ${path}: ${html.slice(0, 300)}`);
  assert.match(r.headers.get('content-type') || '', /^text\/html/, `${method} ${path} (${r.status}) is not HTML`);
  save(name, html);
  return html;
}

async function api(method, path, body, key = server.apiKey) {
  const headers = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const r = await fetch(`${server.base}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await r.text();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Signs a new staff member in as the login form would; returns the session cookie. */
async function signIn(role) {
  const email = `${role}-html@example.org`;
  const added = server.cli('users', 'add', '--email', email, '--role', role);
  const password = added.split('\n').map((l) => l.match(/^password \(shown once\): (.*)$/)).find(Boolean)[1];
  const form = await fetch(`${server.base}/login`);
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = (await form.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const r = await fetch(`${server.base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ email, password, csrf }).toString(),
    redirect: 'manual',
  });
  assert.equal(r.status, 303, `sign-in: ${await r.text()}`);
  return r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** The server's pages, in each language it publishes. */
async function fetchPages() {
  const langs = ['en', 'fr'];
  const subject = await api('POST', '/v1/subjects', { kind: 'customer', data: { 'user.contact.email': REQUESTER } });
  const unsubscribe = new URL((await api('POST', `/v1/subjects/${subject.id}/unsubscribe-link`, { purpose: 'newsletter' })).url).pathname;
  const preferences = new URL((await api('POST', `/v1/subjects/${subject.id}/preferences-link`)).url).pathname;
  const request = await api('POST', '/v1/requests', { kind: 'access', email: REQUESTER }, null);
  for (const lang of langs) {
    await page(`server/privacy-policy-${lang}`, `/privacy-policy?lang=${lang}&format=html`, { status: 200 });
    await page(`server/cookie-policy-${lang}`, `/cookie-policy?lang=${lang}&format=html`, { status: 200 });
    await page(`server/privacy-policy-v1-${lang}`, `/privacy-policy/versions/1?lang=${lang}&format=html`, { status: 200 });
    await page(`server/banner-demo-${lang}`, `/banner/demo?lang=${lang}`, { status: 200 });
    await saveBanner(lang);
    await page(`server/portal-${lang}`, `/portal?lang=${lang}`, { status: 200 });
    await page(`server/portal-invalid-${lang}`, `/portal?lang=${lang}`, {
      method: 'POST', form: { kind: 'access', email: 'not an address', language: lang }, status: 422,
    });
    await page(`server/portal-code-${lang}`, `/portal/requests/${request.id}?lang=${lang}`, { status: 200 });
    await page(`server/portal-wrong-code-${lang}`, `/portal/requests/${request.id}?lang=${lang}`, {
      method: 'POST', form: { code: '000000' },
    });
    await page(`server/portal-document-${lang}`, `/portal/requests/${request.id}/document?lang=${lang}`);
    await page(`server/download-unknown-${lang}`, `/download/no-such-token?lang=${lang}`);
    await page(`server/unsubscribe-${lang}`, `${unsubscribe}?lang=${lang}`, { status: 200 });
    await page(`server/preferences-${lang}`, `${preferences}?lang=${lang}`, { status: 200 });
    await page(`server/preferences-unknown-${lang}`, `/preferences/no-such-token?lang=${lang}`);
  }
  await page('server/unsubscribed', `${unsubscribe}?lang=en`, { method: 'POST', form: { 'List-Unsubscribe': 'One-Click' } });
  await page('server/login', '/login', { status: 200 });
  await page('server/problems', '/problems', { status: 200 });

  const dpo = await signIn('dpo');
  const admin = await signIn('admin');
  const consolePages = [
    '/console', '/console/requests', `/console/requests/${request.id}`, '/console/subjects',
    `/console/subjects/${subject.id}`, '/console/audit', '/console/register', '/console/retention',
    '/console/breaches', '/console/account', '/account',
  ].map((path) => [path, dpo]).concat([['/console/staff', admin], ['/console/access-review', admin]]);
  for (const lang of langs) {
    for (const [path, cookie] of consolePages) {
      const name = path.slice(1).replaceAll('/', '-').replace(subject.id, 'subject').replace(request.id, 'request');
      await page(`server/${name}-${lang}`, `${path}?lang=${lang}`, { cookie, status: 200 });
    }
  }
}

/** The banner's markup, first layer then the choices, each in a minimal document:
 * the demo page around it is checked as served (its guarded img has no src at run
 * time until consent, by design). */
async function saveBanner(lang) {
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(`${server.base}/banner/demo?lang=${lang}`);
    await p.waitForSelector('#custodia-banner [data-cst="accept_all"]');
    const doc = async () => '<!DOCTYPE html>\n'
      + `<html lang="${lang}"><head><meta charset="utf-8"><title>Banner</title></head><body>\n`
      + `${await p.locator('#custodia-banner').evaluate((e) => e.outerHTML)}\n</body></html>\n`;
    save(`browser/banner-${lang}`, await doc());
    await p.click('#custodia-banner [data-cst="customise"]');
    await p.waitForSelector('#custodia-banner input[type="checkbox"]');
    save(`browser/banner-choices-${lang}`, await doc());
  } finally {
    await context.close();
  }
}

/** vnu on every file at once (the JVM starts slowly): its errors, as lines. */
async function vnuErrors(dir) {
  const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.html')).map((f) => join(dir, f));
  assert.ok(files.length > 0, 'nothing to check');
  const child = spawn(JAVA, ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { stderr += c; });
  const code = await new Promise((ok, fail) => { child.on('error', fail); child.on('exit', ok); });
  let report;
  try {
    report = JSON.parse(stderr || stdout);
  } catch {
    assert.fail(`vnu (exit ${code}) did not answer JSON: ${stderr}${stdout}`);
  }
  const errors = report.messages
    .filter((m) => m.type !== 'info')
    .map((m) => {
      const file = m.url ? relative(dir, fileURLToPath(m.url)) : '?';
      return `${file}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${m.type}: ${m.message}${m.extract ? ` [${m.extract.replace(/\s+/g, ' ').trim()}]` : ''}`;
    });
  if (code !== 0 && errors.length === 0) assert.fail(`vnu exited ${code} without a message: ${stderr}${stdout}`);
  return { errors, files: files.length };
}

test('the Nu HTML Checker (vnu) finds no error in published HTML', { timeout: 300000 }, async (t) => {
  if (javaMissing) {
    if (REQUIRED) assert.fail(`no Java (${JAVA}) to run vnu.jar: apt-get install default-jre-headless, or set JAVA_BIN`);
    t.skip(`no Java (${JAVA}) to run vnu.jar (CUSTODIA_REQUIRE_BROWSER=1 makes this a failure)`);
    return;
  }
  renderExamples();
  await fetchPages();
  const started = Date.now();
  const { errors, files } = await vnuErrors(out);
  t.diagnostic(`vnu checked ${files} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(errors, [], `vnu found ${errors.length} error(s):\n${errors.join('\n')}`);
});
