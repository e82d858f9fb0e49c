// Screenshots of the console for README.md: seeds a fresh installation (customers,
// consents, a verified access request, an audit verification), signs a DPO in and
// saves PNGs of the dashboard, a request and a subject into docs/screenshots/.
// Run on its own after `cargo build -p custodia`: node screenshots.mjs
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer, startMailCatcher } from './support.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const DPO = 'dpo@example.org';

const mail = await startMailCatcher();
const server = await startServer({
  config: `public_url = "http://127.0.0.1"\n[smtp]\nhost = "127.0.0.1"\nport = ${mail.port}\nsecurity = "none"\nfrom = "Privacy <privacy@example.org>"`,
});
const browser = await launchBrowser();
try {
  const added = server.cli('users', 'add', '--email', DPO, '--role', 'dpo');
  const password = added.split('\n').map((l) => l.match(/^password \(shown once\): (.*)$/)).find(Boolean)[1];
  const api = async (method, path, body, key = server.apiKey) => {
    const headers = { 'content-type': 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    const r = await fetch(`${server.base}${path}`, { method, headers, body: body && JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };

  const people = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald', 'frances', 'ken'];
  const ids = [];
  for (const [n, name] of people.entries()) {
    const s = await api('POST', '/v1/subjects', { kind: 'customer', data: { 'user.contact.email': `${name}@example.org` } });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    ids.push(s.body.id);
    const state = n % 3 === 2 ? 'refused' : 'given';
    const c = await api('POST', '/v1/consents', { subject_id: s.body.id, purpose: 'newsletter', state, method: 'api' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
  }
  await api('POST', '/v1/consents', { subject_id: ids[0], purpose: 'newsletter', state: 'withdrawn', method: 'api' });

  const submitted = await api('POST', '/v1/requests', { kind: 'access', email: 'ada@example.org' }, null);
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const letter = await mail.waitFor('ada@example.org', (t) => /\b\d{6}\b/.test(t));
  const code = letter.match(/\b(\d{6})\b/)[1];
  const verified = await api('POST', `/v1/requests/${submitted.body.id}/verify`, { code }, null);
  assert.equal(verified.status, 204, JSON.stringify(verified.body));

  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/console`);
  await page.fill('#email', DPO);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${server.base}/console`), page.press('#password', 'Enter')]);
  await page.goto(`${server.base}/console/audit`);
  await Promise.all([page.waitForEvent('load'), page.click('text=Verify now')]);

  mkdirSync(OUT, { recursive: true });
  const shots = [
    ['dashboard.png', '/console'],
    ['request.png', `/console/requests/${submitted.body.id}`],
    ['subject.png', `/console/subjects/${ids[0]}`],
  ];
  for (const [file, path] of shots) {
    await page.goto(`${server.base}${path}`);
    await page.screenshot({ path: join(OUT, file), fullPage: true });
    console.log(`saved docs/screenshots/${file}`);
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  await mail.close();
}
