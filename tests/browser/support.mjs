// Starts the real Custodia binary and Chromium for the banner tests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_BIN)`);
  return chromium.launch({ executablePath: CHROMIUM });
}

/** A running server: {base, apiKey, cli(...args), stop()}; `config` is appended to
 * the new installation's config.toml before it starts. */
export async function startServer({ config = '' } = {}) {
  const bin = resolve(here, process.env.CUSTODIA_BIN || join('..', '..', 'target', 'debug', 'custodia'));
  if (!existsSync(bin)) throw new Error(`no Custodia binary at ${bin}: run \`cargo build -p custodia\` or set CUSTODIA_BIN`);
  const dir = mkdtempSync(join(tmpdir(), 'custodia-browser-'));
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('CUSTODIA_') && k !== 'CUSTODIA_LOG') delete env[k];
  const run = (...args) => execFileSync(bin, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    run('init');
    if (config) appendFileSync(join(dir, 'custodia-data', 'config.toml'), `\n${config}\n`);
    const apiKey = run('apikeys', 'create', '--role', 'dpo', '--name', 'browser-tests').trim().split('\n').pop().trim();
    const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    const base = await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`custodia serve did not say it was listening within 60 s; stderr: ${stderr}`)), 60000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = line.match(/^Custodia is listening on (http:\/\/\S+?)\/?$/);
        if (m) { clearTimeout(timer); ok(m[1]); }
      });
      child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`custodia serve exited (${code}); stderr: ${stderr}`)); });
    });
    // Listening comes before the consent state is loaded: wait for /readyz, as a
    // load balancer would.
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
      if (i >= 3000) throw new Error(`custodia serve was not ready within 60 s; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return {
      base,
      apiKey,
      cli: run,
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The configuration the server substituted into /banner.js. */
export async function bannerConfig(base) {
  const js = await (await fetch(`${base}/banner.js`)).text();
  const start = js.indexOf('var C = ');
  const end = js.indexOf(';\n  var w = window');
  if (start < 0 || end < 0) throw new Error('cannot find the configuration in /banner.js');
  return JSON.parse(js.slice(start + 'var C = '.length, end));
}

/** The server's consent records of a visitor, read with the DPO key. `current`
 * (a list of {purpose, service?, state, ...}) is also given as `byPurpose`: purpose
 * -> its purpose-level entry. */
export async function visitorConsents(server, visitorId) {
  const r = await fetch(`${server.base}/v1/visitors/${encodeURIComponent(visitorId)}/consents`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  if (r.status !== 200) throw new Error(`GET consents: ${r.status} ${await r.text()}`);
  const body = await r.json();
  const current = Array.isArray(body.current)
    ? body.current
    : Object.entries(body.current || {}).map(([purpose, v]) => ({ purpose, ...v }));
  body.byPurpose = Object.fromEntries(current.filter((c) => !c.service).map((c) => [c.purpose, c]));
  return body;
}

/** The banner's localStorage entry. */
export function stored(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('custodia.consent') || 'null'));
}

/** Waits until the server acknowledged the choice and returns the visitor id. */
export async function visitorId(page) {
  const h = await page.waitForFunction(() => {
    const s = JSON.parse(localStorage.getItem('custodia.consent') || 'null');
    return s && s.visitor_id && s.pending.length === 0 && s.visitor_id;
  }, null, { timeout: 10000 });
  return h.jsonValue();
}

/** A minimal SMTP server on 127.0.0.1 that keeps every message: {port,
 * waitFor(to, pred), close()}. Enough for lettre without TLS. */
export async function startMailCatcher() {
  const messages = [];
  const server = createServer((socket) => {
    let buffer = '';
    let data = null;
    let rcpt = [];
    socket.write('220 catcher\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (data !== null) {
          if (line === '.') {
            messages.push({ to: rcpt, raw: data.join('\r\n') });
            data = null;
            rcpt = [];
            socket.write('250 OK\r\n');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 catcher\r\n');
        else if (verb === 'RCPT') { rcpt.push(line.replace(/^.*<|>.*$/g, '')); socket.write('250 OK\r\n'); }
        else if (verb === 'DATA') { data = []; socket.write('354 go on\r\n'); }
        else if (verb === 'QUIT') { socket.end('221 bye\r\n'); }
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  /** The message's text, its body decoded when base64 or quoted-printable. */
  const text = (raw) => {
    const [head, ...rest] = raw.split('\r\n\r\n');
    const body = rest.join('\r\n\r\n');
    if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
      return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    }
    return body;
  };
  return {
    port: server.address().port,
    async waitFor(to, pred = () => true, timeout = 20000) {
      const end = Date.now() + timeout;
      while (Date.now() < end) {
        const m = messages.find((m) => m.to.includes(to) && pred(text(m.raw), m.raw));
        if (m) return text(m.raw);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no message to ${to} within ${timeout} ms`);
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

/** axe-core's serious and critical violations on the page (WCAG 2.1 AA rules). */
export async function axeViolations(page) {
  await page.addScriptTag({ path: join(here, 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
