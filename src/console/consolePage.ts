/**
 * The operator console's page: plain HTML, a script and a style sheet served from the console
 * itself (its Content-Security-Policy allows nothing else). The script builds every cell with
 * `textContent`: a GSTIN, a username or an error code is never read as HTML.
 */

/** The page; `{{CSRF}}` is the signed-in page's CSRF secret, `{{INSPECTOR}}` the inspector's URL or empty. */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf" content="{{CSRF}}">
<meta name="inspector" content="{{INSPECTOR}}">
<title>gstr-session console</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header>
  <h1>gstr-session console</h1>
  <section id="figures" aria-label="Figures"></section>
</header>
<form id="filters" aria-label="Filter sessions">
  <label>State <select name="state">
    <option value="">any</option>
    <option>loggedOut</option><option>otpRequested</option><option>otpExpired</option>
    <option>authenticated</option><option>expired</option><option>failed</option>
  </select></label>
  <label><input type="checkbox" name="needsPerson"> needs a person</label>
  <label>Search <input type="search" name="search" placeholder="GSTIN or username" maxlength="100"></label>
  <button type="submit">Show</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<table id="sessions">
  <thead><tr><th>GSTIN</th><th>User</th><th>State</th><th>Token expires</th><th>Access ends</th><th>Next refresh</th><th>Last error</th><th>Action</th></tr></thead>
  <tbody></tbody>
</table>
<p><button id="more" type="button" hidden>Next page</button> <span id="scanned"></span></p>
<section id="detail" hidden>
  <h2 id="detail-title"></h2>
  <ol id="flow" aria-label="The session's flow"></ol>
  <dl id="detail-fields"></dl>
  <iframe id="chart" title="The session's chart (inspector)" hidden></iframe>
</section>
<script src="/app.js"></script>
</body>
</html>
`;

/** The page's style sheet. */
export const CONSOLE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem 2rem; color: #1d2330; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
#figures { display: flex; flex-wrap: wrap; gap: .5rem; margin-bottom: 1rem; }
.figure { border: 1px solid #d5d9e2; border-radius: 6px; padding: .4rem .7rem; min-width: 8rem; }
.figure b { display: block; font-size: 1.3rem; }
.figure.bad b { color: #b42318; }
form#filters { display: flex; gap: 1rem; align-items: center; margin-bottom: .5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e4e7ee; white-space: nowrap; }
tr:hover { background: #f5f7fb; cursor: pointer; }
.state { font-weight: 600; }
.state-authenticated { color: #067647; } .state-failed, .state-expired { color: #b42318; }
.state-otpRequested, .state-otpExpired { color: #b54708; }
td input { width: 6.5rem; }
#status { min-height: 1.2em; }
#detail { margin-top: 1rem; border-top: 2px solid #d5d9e2; }
#flow { display: flex; gap: .3rem; list-style: none; padding: 0; flex-wrap: wrap; }
#flow li { border: 1px solid #d5d9e2; border-radius: 4px; padding: .2rem .5rem; }
#flow li.now { background: #1d2330; color: #fff; }
#chart { width: 100%; height: 480px; border: 1px solid #d5d9e2; }
`;

/** The page's script. */
export const CONSOLE_SCRIPT = `
'use strict';
const csrf = document.querySelector('meta[name=csrf]').content;
const inspector = document.querySelector('meta[name=inspector]').content;
const FLOW = ['loggedOut', 'loggingIn', 'requestingOtp', 'otpRequested', 'verifyingOtp', 'authenticated', 'refreshing', 'expired', 'failed'];
const NEEDS_OTP_REQUEST = new Set(['loggedOut', 'otpExpired', 'expired', 'failed']);
let cursor;
let query = {};
// The manager's clock may not be this browser's: times are shown relative to the page's read.
let skew = 0;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}
function when(ms) {
  if (ms === undefined || ms === null) return '';
  const left = ms - (Date.now() + skew);
  const abs = Math.abs(left);
  const text = abs < 60000 ? Math.round(abs / 1000) + ' s' : abs < 3600000 ? Math.round(abs / 60000) + ' min' : abs < 172800000 ? (abs / 3600000).toFixed(1) + ' h' : Math.round(abs / 86400000) + ' days';
  return left >= 0 ? 'in ' + text : text + ' ago';
}
function status(text) { document.getElementById('status').textContent = text; }

async function api(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) };
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ? answer.error.name + (answer.error.code ? ' ' + answer.error.code : '') : 'HTTP ' + response.status);
  return answer;
}

async function loadFigures() {
  const f = await api('/api/figures');
  const box = document.getElementById('figures');
  box.replaceChildren();
  const add = (label, value, bad) => { const card = el('div', undefined, 'figure' + (bad ? ' bad' : '')); card.append(el('b', String(value)), el('span', label)); box.append(card); };
  const held = Object.values(f.sessionsByState).reduce((a, b) => a + b, 0);
  add('sessions held here', held);
  add('waiting for an OTP', (f.sessionsByState.otpRequested || 0) + (f.sessionsByState.otpExpired || 0));
  add('SMS sent', f.smsSent);
  add('OTP rounds open', Math.max(0, f.otpRoundsStarted - f.otpRoundsCompleted));
  add('refreshes ok / failed', f.refreshesOk + ' / ' + f.refreshesFailed, f.refreshesFailed > 0);
  add('provider errors', f.providerErrors + ' of ' + f.providerCalls, f.providerErrors > 0);
  add('held back by limits', f.gateRefusals, f.gateRefusals > 0);
  for (const e of f.topErrors) add(e.what, e.count, true);
}

function actionCell(s) {
  const td = el('td');
  if (s.state === 'otpRequested') {
    const form = el('form');
    form.className = 'otp';
    const input = el('input');
    input.name = 'otp'; input.inputMode = 'numeric'; input.autocomplete = 'one-time-code'; input.maxLength = 6; input.placeholder = 'OTP';
    input.setAttribute('aria-label', 'OTP for ' + s.gstin + ' ' + s.username);
    const submit = el('button', 'Submit OTP'); submit.type = 'submit';
    const resend = el('button', 'New OTP'); resend.type = 'button';
    resend.addEventListener('click', (event) => { event.stopPropagation(); requestOtp(s); });
    form.append(input, submit, resend);
    form.addEventListener('click', (event) => event.stopPropagation());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const otp = input.value;
      input.value = '';
      status('Checking the OTP of ' + s.gstin + '...');
      try { const r = await api('/api/otp', { gstin: s.gstin, username: s.username, otp }); status(s.gstin + ' ' + s.username + ': ' + r.state); }
      catch (error) { status(s.gstin + ' ' + s.username + ': ' + error.message); }
      refresh();
    });
    td.append(form);
  } else if (NEEDS_OTP_REQUEST.has(s.state)) {
    const button = el('button', 'Request OTP'); button.type = 'button';
    button.addEventListener('click', (event) => { event.stopPropagation(); requestOtp(s); });
    td.append(button);
  }
  return td;
}

async function requestOtp(s) {
  status('Asking for an OTP for ' + s.gstin + '...');
  try { const r = await api('/api/request-otp', { gstin: s.gstin, username: s.username }); status(s.gstin + ' ' + s.username + ': ' + r.outcome); }
  catch (error) { status(s.gstin + ' ' + s.username + ': ' + error.message); }
  refresh();
}

function showDetail(s) {
  document.getElementById('detail').hidden = false;
  document.getElementById('detail-title').textContent = s.gstin + ' / ' + s.username;
  const flow = document.getElementById('flow');
  flow.replaceChildren(...FLOW.map((state) => el('li', state, state === s.state ? 'now' : '')));
  const fields = document.getElementById('detail-fields');
  fields.replaceChildren();
  const row = (name, value) => { fields.append(el('dt', name), el('dd', value === undefined || value === null ? '-' : String(value))); };
  row('state', s.state);
  row('token expires', s.expiresAt ? new Date(s.expiresAt).toISOString() + ' (' + when(s.expiresAt) + ')' : undefined);
  row('access ends', s.accessExpiresAt ? new Date(s.accessExpiresAt).toISOString() + ' (' + when(s.accessExpiresAt) + ')' : undefined);
  row('next deadline', s.nextDeadlineAt ? when(s.nextDeadlineAt) : undefined);
  row('OTP runs out', s.otpExpiresAt ? when(s.otpExpiresAt) : undefined);
  row('refresh failed', s.refreshFailed ? 'yes' : 'no');
  row('last error', s.error ? s.error.name + ' (' + s.error.step + ')' : undefined);
  const chart = document.getElementById('chart');
  if (inspector) { chart.hidden = false; if (!chart.src) chart.src = inspector; }
}

function render(page, append) {
  skew = page.at - Date.now();
  const body = document.querySelector('#sessions tbody');
  if (!append) body.replaceChildren();
  for (const s of page.sessions) {
    const tr = el('tr');
    tr.dataset.key = s.gstin + '/' + s.username;
    tr.append(el('td', s.gstin), el('td', s.username), el('td', s.state, 'state state-' + s.state), el('td', when(s.expiresAt)), el('td', when(s.accessExpiresAt)), el('td', s.state === 'authenticated' ? when(s.refreshAt) : ''), el('td', s.error ? s.error.name : ''), actionCell(s));
    tr.addEventListener('click', () => showDetail(s));
    body.append(tr);
  }
  cursor = page.cursor;
  document.getElementById('more').hidden = !cursor;
  document.getElementById('scanned').textContent = page.sessions.length + ' shown of ' + page.scanned + ' looked at' + (cursor ? '; more' : '');
}

function params(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...extra })) if (v) p.set(k, v);
  return p.toString();
}
async function load(append) {
  try { render(await api('/api/sessions?' + params(append ? { cursor } : {})), append); }
  catch (error) { status('Cannot list sessions: ' + error.message); }
}
function refresh() { loadFigures().catch(() => {}); if (!document.activeElement || document.activeElement.name !== 'otp') load(false); }

document.getElementById('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  query = { state: form.get('state'), needsPerson: form.get('needsPerson') ? '1' : '', search: form.get('search') };
  load(false);
});
document.getElementById('more').addEventListener('click', () => load(true));
refresh();
setInterval(refresh, 5000);
`;
