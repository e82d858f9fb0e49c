/* Custodia consent banner: <script src="https://CUSTODIA/banner.js"></script> first
 * in <head>. Served with the register's configuration in place of the placeholder.
 * No dependency; no request but to Custodia (stylesheet, consent endpoint).
 * Tag guarded content with a purpose or service id of the register:
 *   <script type="text/plain" data-custodia="analytics">...</script>
 *   <script type="text/plain" data-custodia="mixpanel" data-src="..."></script>
 *   <iframe data-custodia="youtube" data-src="..."></iframe>,
 *   <img data-custodia="..." src="data:," data-src="..."> (HTML wants a src: an
 *   inert one, removed until consent)
 * Elements with data-custodia-preferences reopen it (a button is added when the
 * page has none); window.Custodia = {open(), consent(id)}. */
(function () {
  'use strict';
  var C = __CUSTODIA_CONFIG__;
  var w = window, d = document, KEY = 'custodia.consent', DAY = 864e5;
  if (w.Custodia && w.Custodia.open) return; // embedded twice

  // 1. Google Consent Mode v2, synchronously, before any tag can run: all denied.
  w.dataLayer = w.dataLayer || [];
  if (typeof w.gtag !== 'function') {
    w.gtag = function gtag() { w.dataLayer.push(arguments); };
  }
  function gt() { w.gtag.apply(w, arguments); }
  gt('consent', 'default', {
    ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied',
    analytics_storage: 'denied', functionality_storage: 'denied',
    personalization_storage: 'denied', security_storage: 'granted', wait_for_update: 500
  });

  var P = C.purposes || [], byId = {}, ofService = {};
  P.forEach(function (p) {
    byId[p.id] = p;
    (p.services || []).forEach(function (s) { ofService[s.id] = p; });
  });
  var gpc = navigator.globalPrivacyControl === true;
  function gpcRefused(p) { return gpc && (C.gpc_refuses || []).indexOf(p.id) >= 0; }

  var me = d.currentScript || d.querySelector('script[src*="/banner.js"]');
  var ORIGIN = new URL(me ? me.src : location.href).origin;
  function url(u) { return new URL(u, ORIGIN + '/').href; }

  // The page's primary language subtag when the banner has texts in it.
  var lang = (d.documentElement.lang || '').split('-')[0].toLowerCase();
  if (!(C.texts || {})[lang]) lang = 'en';
  function tr(o) { return o ? (o[lang] || o.en || '') : ''; }
  function T(k) {
    var t = C.texts || {};
    return (t[lang] && t[lang][k]) || (t.en && t.en[k]) || '';
  }

  // 4. Stored: {visitor_id, version, choices: {PURPOSE: {state, fingerprint, at,
  // services}}, pending: [submissions not acknowledged yet]}.
  var S;
  try { S = JSON.parse(localStorage.getItem(KEY)); } catch (e) { S = null; }
  if (!S || typeof S !== 'object' || !S.choices || typeof S.choices !== 'object') {
    S = { visitor_id: null, version: null, choices: {} };
  }
  if (!Array.isArray(S.pending)) S.pending = [];
  function save() { try { localStorage.setItem(KEY, JSON.stringify(S)); } catch (e) { /* private mode: ask again next time */ } }

  // p's stored choice if it still applies: same fingerprint (purpose and vendors
  // unchanged), not expired, not a consent GPC now refuses.
  function valid(p) {
    var c = S.choices[p.id];
    if (!c || c.fingerprint !== p.fingerprint || typeof c.at !== 'number') return null;
    var given = c.state === 'given';
    var days = given ? (p.given_days || 395) : (p.refused_days || 182);
    if (Date.now() - c.at > days * DAY || (given && gpcRefused(p))) return null;
    return c;
  }
  function state(p) { var c = valid(p); return c ? c.state : undefined; }
  // May content tagged with this purpose or service id run? Unknown ids never do.
  function allowed(id) {
    var p = byId[id];
    if (p) return state(p) === 'given';
    p = ofService[id];
    return !!p && state(p) === 'given' && (valid(p).services || {})[id] !== 'refused';
  }

  // A Consent Mode key is granted only when every purpose mapping to it is given.
  function consentMode() {
    var u = {}, any = false;
    P.forEach(function (p) {
      (p.consent_mode || []).forEach(function (k) {
        u[k] = state(p) === 'given' && u[k] !== 'denied' ? 'granted' : 'denied';
        any = true;
      });
    });
    if (any) gt('consent', 'update', u);
  }

  // 2. Blocking: inert scripts become live copies; other elements get src/srcset/
  // href from their data-* twins, and lose them on withdrawal.
  var MEDIA = ['src', 'srcset', 'href'];
  function sync(el) {
    var id = el.getAttribute('data-custodia');
    if (!id) return;
    var ok = allowed(id);
    if (el.tagName === 'SCRIPT') {
      if (el._custodia) {
        // Withdrawal: the inert original replaces the live copy. Code that already
        // ran cannot be undone (its cookies and listeners stay until a reload, which
        // is not forced); the page is told by the custodia:consent event.
        if (!ok && el.parentNode) el.parentNode.replaceChild(el._custodia, el);
      } else if (ok && el.parentNode && (el.getAttribute('type') || '').toLowerCase() === 'text/plain') {
        var s = d.createElement('script');
        for (var i = 0; i < el.attributes.length; i++) {
          var a = el.attributes[i];
          if (!/^(type|data-type|data-src|nonce)$/.test(a.name)) s.setAttribute(a.name, a.value);
        }
        // Under CSP the nonce attribute reads empty; the property keeps it.
        if (el.nonce) s.nonce = el.nonce;
        if (el.getAttribute('data-type')) s.type = el.getAttribute('data-type');
        var src = el.getAttribute('data-src') || el.getAttribute('src');
        if (src) {
          s.src = src;
          if (!el.hasAttribute('async')) s.async = false; // keep document order
        } else {
          s.text = el.text;
        }
        s._custodia = el;
        el.parentNode.replaceChild(s, el);
      }
    } else {
      MEDIA.forEach(function (n) {
        var v = el.getAttribute('data-' + n);
        if (v === null) return;
        if (ok) { if (el.getAttribute(n) !== v) el.setAttribute(n, v); } else if (el.hasAttribute(n)) el.removeAttribute(n);
      });
    }
  }
  function scan(n) {
    if (n.nodeType !== 1) return;
    if (n.hasAttribute('data-custodia')) sync(n);
    var l = n.querySelectorAll('[data-custodia]');
    for (var i = 0; i < l.length; i++) sync(l[i]);
  }
  function apply() { consentMode(); scan(d.documentElement); }
  new MutationObserver(function (ms) {
    ms.forEach(function (m) { m.addedNodes.forEach(scan); });
  }).observe(d.documentElement, { childList: true, subtree: true });

  // 5. Submissions, in order, after the choice is applied; pending until the server
  // acknowledges them, retried on the next page load.
  var sending = false;
  function flush(retried) {
    if (sending || !S.pending.length) return;
    sending = true;
    var b = S.pending[0];
    b.visitor_id = S.visitor_id || null;
    function done() { S.pending.shift(); save(); sending = false; flush(); }
    fetch(url(C.endpoint), {
      method: 'POST', credentials: 'omit', mode: 'cors',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify(b)
    }).then(function (r) {
      if (r.ok) {
        return r.json().then(function (j) {
          if (j && typeof j.visitor_id === 'string') S.visitor_id = j.visitor_id;
          // Follow a refusal the server recorded instead of a consent (Sec-GPC sent
          // without navigator.globalPrivacyControl).
          var down = false;
          for (var k in (j && j.states) || {}) {
            var c = S.choices[k.split('/')[0]], sv = k.split('/')[1];
            if (j.states[k] !== 'refused' || !c) continue;
            if (sv) { if (c.services && c.services[sv] === 'given') { c.services[sv] = 'refused'; down = true; } } else if (c.state === 'given') { c.state = 'refused'; down = true; }
          }
          if (down) apply();
        }, function () {}).then(done);
      }
      if (r.status >= 400 && r.status < 500) {
        // Refused: perhaps a visitor id no longer accepted. Once more without it,
        // then drop it (a retry cannot help).
        sending = false;
        if (S.visitor_id && !retried) { S.visitor_id = null; save(); flush(true); } else { done(); }
        return;
      }
      sending = false;
    }, function () { sending = false; });
  }

  // 3. The banner.
  var box = null, asked = [], back = false, changed = false, before = null, boxes = [];
  function h(tag, attrs, kids) {
    var e = d.createElement(tag);
    for (var k in attrs) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (typeof v === 'function') e.addEventListener(k, v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? d.createTextNode(c) : c); });
    return e;
  }
  // "Accept all" and "Refuse all" are the same element with the same class.
  function button(k, fn, extra) {
    return h('button', { type: 'button', class: 'cst-b' + (extra ? ' ' + extra : ''), 'data-cst': k, text: T(k), click: fn });
  }
  function focusFirst() {
    var f = box && box.querySelector('input:not([disabled]),button');
    if (f) f.focus({ preventScroll: false });
  }

  function render(second) {
    box.textContent = '';
    var gpcShown = asked.some(gpcRefused);
    var kids = [
      h('h2', { id: 'cst-title', class: 'cst-t', text: T('title') }),
      changed && h('p', { class: 'cst-n', text: T('changed') }),
      gpcShown && h('p', { id: 'cst-gpc', class: 'cst-n', text: T('gpc_notice') }),
      h('p', { id: 'cst-desc', class: 'cst-x' }, [T('body') + ' ',
        h('a', { href: url(tr(C.policy_url) || '/cookie-policy'), text: T('policy_link') })])
    ];
    var row;
    if (!second) {
      row = [button('accept_all', function () { decide('accept'); }),
        button('refuse_all', function () { decide('refuse'); }),
        button('customise', function () { back = true; render(true); focusFirst(); }, 'cst-s')];
    } else {
      boxes = [];
      kids.push(h('ul', { class: 'cst-ps' }, asked.map(function (p, i) {
        var id = 'cst-p' + i, off = gpcRefused(p), c = valid(p);
        var on = !off && !!c && c.state === 'given';
        var sv = (p.services || []).map(function (s) {
          var b = h('input', { type: 'checkbox', class: 'cst-c', 'data-service': s.id, disabled: off });
          b.checked = on && (c.services || {})[s.id] !== 'refused';
          return b;
        });
        var pb = h('input', {
          type: 'checkbox', class: 'cst-c', id: id, 'data-purpose': p.id, disabled: off,
          'aria-describedby': id + 'd' + (off ? ' cst-gpc' : '')
        });
        pb.checked = on;
        // A purpose is on when any of its services is; switching it sets them all.
        pb.addEventListener('change', function () { sv.forEach(function (b) { b.checked = pb.checked; }); });
        sv.forEach(function (b) {
          b.addEventListener('change', function () { pb.checked = sv.some(function (x) { return x.checked; }); });
        });
        boxes.push([pb, sv]);
        return h('li', { class: 'cst-p' }, [
          h('div', { class: 'cst-ph' }, [pb, h('label', { for: id, text: tr(p.title) })]),
          h('p', { id: id + 'd', class: 'cst-d', text: tr(p.description) }),
          sv.length && h('details', { class: 'cst-sv' }, [
            h('summary', { text: T('services') + ' (' + sv.length + ')' }),
            h('ul', null, p.services.map(function (s, j) {
              return h('li', null, [h('label', null, [sv[j], ' ' + s.name])]);
            }))
          ])
        ]);
      })));
      row = [button('accept_all', function () { decide('accept'); }),
        button('refuse_all', function () { decide('refuse'); }),
        button('save', function () { decide('save'); }),
        back && button('back', function () { render(false); focusFirst(); }, 'cst-s')];
    }
    kids.push(h('div', { class: 'cst-bs' }, row));
    box.appendChild(h('div', { class: 'cst-in' }, kids));
  }

  var cssReady = null;
  function whenReady(fn) {
    if (!d.body) { d.addEventListener('DOMContentLoaded', function () { whenReady(fn); }); return; }
    if (!cssReady) cssReady = Promise.resolve(); // stylesheet inserted before <head> existed?
    cssReady.then(fn);
  }
  function show(list, second) {
    whenReady(function () {
      if (!box) {
        before = d.activeElement;
        changed = !second && list.some(function (p) { return S.choices[p.id]; });
        box = h('div', {
          id: 'custodia-banner', class: 'cst', role: 'dialog', 'aria-modal': 'false',
          'aria-labelledby': 'cst-title', 'aria-describedby': 'cst-desc', lang: lang
        });
        box.addEventListener('keydown', function (e) {
          // Escape never accepts: back a layer, or close when every purpose already
          // has a choice (nothing changes).
          if (e.key !== 'Escape' && e.key !== 'Esc') return;
          if (box.querySelector('.cst-ps') && back) { render(false); focusFirst(); } else if (P.every(valid)) close();
        });
        d.body.insertBefore(box, d.body.firstChild);
      }
      if (pref) pref.hidden = true;
      asked = list;
      back = false;
      render(second);
      focusFirst();
    });
  }
  function close() {
    if (!box) return;
    var had = box.contains(d.activeElement);
    box.parentNode.removeChild(box);
    box = null;
    if (pref) pref.hidden = false;
    if (had && before && before !== d.body && before.focus && d.contains(before)) before.focus();
    before = null;
  }

  function decide(kind) {
    var now = Date.now(), out = [];
    asked.forEach(function (p, i) {
      var st, svc = {};
      if (kind === 'save') {
        st = !gpcRefused(p) && boxes[i][0].checked ? 'given' : 'refused';
        (p.services || []).forEach(function (s, j) {
          svc[s.id] = st === 'given' && boxes[i][1][j].checked ? 'given' : 'refused';
        });
      } else {
        st = kind === 'accept' && !gpcRefused(p) ? 'given' : 'refused';
        (p.services || []).forEach(function (s) { svc[s.id] = st; });
      }
      S.choices[p.id] = { state: st, fingerprint: p.fingerprint, at: now, services: svc };
      out.push({ purpose: p.id, state: st });
      for (var s in svc) if (svc[s] !== st) out.push({ purpose: p.id, service: s, state: svc[s] });
    });
    S.version = C.version;
    S.pending.push({ visitor_id: null, banner_version: C.version, lang: lang, gpc: gpc, choices: out });
    if (S.pending.length > 10) S.pending.shift();
    save();
    // Applied at once; the network follows.
    apply();
    var ps = {};
    P.forEach(function (p) { var s = state(p); if (s) ps[p.id] = s; });
    d.dispatchEvent(new CustomEvent('custodia:consent', { detail: { purposes: ps } }));
    close();
    flush();
  }

  // Start: stylesheet, stored choices, the banner if something must be asked.
  if (d.head && !d.querySelector('link[data-custodia-css]')) {
    var link = h('link', { rel: 'stylesheet', href: url('/banner.css?v=' + C.styles_version), 'data-custodia-css': true });
    // The banner waits for its styles (or their failure): no unstyled flash.
    cssReady = new Promise(function (r) { link.onload = link.onerror = r; setTimeout(r, 3000); });
    d.head.appendChild(link);
  }
  if (P.some(valid)) apply();
  // A way back to the choices on every page: the site's own links, or this button.
  var pref = null;
  function onLoaded() {
    scan(d.documentElement);
    if (P.length && !d.querySelector('[data-custodia-preferences]')) {
      pref = h('button', { type: 'button', id: 'custodia-preferences', 'data-custodia-preferences': true, text: T('preferences'), hidden: !!box });
      d.body.appendChild(pref);
    }
  }
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', onLoaded); else onLoaded();
  d.addEventListener('click', function (e) {
    var t = e.target && e.target.closest && e.target.closest('[data-custodia-preferences]');
    if (t) { e.preventDefault(); open(); }
  });
  function open() { show(P.slice(), true); }

  var need = P.filter(function (p) { return !valid(p); });
  if (need.length && need.every(gpcRefused)) {
    // Only purposes GPC refuses are undecided: the browser answered; record it.
    asked = need;
    decide('refuse');
  } else if (need.length) {
    show(need, false);
  }
  flush();

  w.Custodia = {
    open: open,
    consent: function (id) {
      var p = byId[id];
      if (p) return state(p);
      p = ofService[id];
      return p && state(p) && (allowed(id) ? 'given' : 'refused');
    }
  };
})();
