// A stand-in for the Custodia routes the banner uses, serving the real asset files
// with harness/config.json substituted. For developing the banner without the
// binary: `node harness/server.mjs [PORT]`, then open /banner/demo?lang=en. The
// tests use it instead of the binary when CUSTODIA_BANNER_HARNESS=1.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, '..', '..', '..', 'crates', 'custodia-server', 'assets');
export const HARNESS_KEY = 'harness-api-key';

export function startHarness(port = 0) {
  const visitors = new Map();
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    const config = () => JSON.parse(readFileSync(join(here, 'config.json'), 'utf8'));
    if (req.method === 'GET' && u.pathname === '/banner.js') {
      const js = readFileSync(join(assets, 'banner.js'), 'utf8')
        .replace('__CUSTODIA_CONFIG__', () => JSON.stringify(config()));
      return send(200, 'text/javascript; charset=utf-8', js);
    }
    if (req.method === 'GET' && u.pathname === '/banner.css') {
      return send(200, 'text/css; charset=utf-8', readFileSync(join(assets, 'banner.css')));
    }
    if (req.method === 'GET' && u.pathname === '/banner/demo') {
      const lang = u.searchParams.get('lang') === 'fr' ? 'fr' : 'en';
      const nonce = randomBytes(16).toString('base64');
      const html = readFileSync(join(assets, 'banner-demo.html'), 'utf8')
        .replaceAll('__LANG__', lang).replaceAll('__NONCE__', nonce);
      return send(200, 'text/html; charset=utf-8', html, {
        'content-security-policy': `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'`,
      });
    }
    if (req.method === 'POST' && u.pathname === '/v1/banner/consents') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        let b;
        try { b = JSON.parse(body); } catch { return send(400, 'application/json', '{"title":"bad json"}'); }
        if (b.banner_version !== config().version) return send(409, 'application/problem+json', '{"title":"banner changed"}');
        let id = b.visitor_id;
        if (id && !visitors.has(id)) return send(400, 'application/problem+json', '{"title":"unknown visitor_id"}');
        if (!id) id = 'v_' + randomBytes(12).toString('hex');
        const v = visitors.get(id) || { current: [], records: [] };
        visitors.set(id, v);
        const gpc = b.gpc === true || req.headers['sec-gpc'] === '1';
        const gpcRefuses = config().gpc_refuses;
        const states = {};
        for (const c of b.choices) {
          const state = gpc && gpcRefuses.includes(c.purpose) ? 'refused' : c.state;
          const r = { purpose: c.purpose, service: c.service ?? null, state, method: 'banner', gpc, banner_version: b.banner_version, lang: b.lang };
          v.records.push(r);
          v.current = v.current.filter((x) => !(x.purpose === r.purpose && (x.service ?? null) === r.service)).concat([{ ...r }]);
          states[c.service ? `${c.purpose}/${c.service}` : c.purpose] = state;
        }
        send(201, 'application/json', JSON.stringify({ visitor_id: id, recorded: b.choices.length, states }));
      });
      return;
    }
    const m = u.pathname.match(/^\/v1\/visitors\/([^/]+)\/consents$/);
    if (req.method === 'GET' && m) {
      if (req.headers.authorization !== `Bearer ${HARNESS_KEY}`) return send(401, 'application/json', '{}');
      const v = visitors.get(decodeURIComponent(m[1]));
      if (!v) return send(404, 'application/json', '{}');
      return send(200, 'application/json', JSON.stringify({ visitor_id: m[1], ...v }));
    }
    if (req.method === 'GET' && ['/healthz', '/privacy-policy', '/cookie-policy'].includes(u.pathname)) {
      return send(200, 'text/plain; charset=utf-8', 'ok');
    }
    send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const base = `http://127.0.0.1:${server.address().port}`;
      resolve({ base, apiKey: HARNESS_KEY, stop: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { base } = await startHarness(Number(process.argv[2] || 0));
  console.log(`harness listening on ${base}/banner/demo?lang=en`);
}
