/** The inspector's icon: a small state chart, inline (the page works offline). */
export const INSPECTOR_FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d2733"/><rect x="4" y="6" width="10" height="7" rx="2" fill="#fff"/><rect x="18" y="19" width="10" height="7" rx="2" fill="#3fb950"/><path d="M9 13v6a3 3 0 0 0 3 3h5" stroke="#fff" stroke-width="2" fill="none"/></svg>`;

/**
 * The inspector's single page: no external scripts, styles or fonts (it must work offline).
 * It draws the laid-out chart from /graph (event names on the arrows), follows /events
 * (Server-Sent Events), and for the selected session shows its state, countdowns, counters,
 * last error, request sequence and a log filtered by kind (timers hidden by default).
 */
export const INSPECTOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>gstr-session inspector</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f6f8fa; }
  header { padding: 10px 16px; background: #1d2733; color: #fff; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  #status { font-size: 12px; opacity: .8; }
  main { display: grid; grid-template-columns: 260px 1fr; gap: 12px; padding: 12px; }
  aside > * + * { margin-top: 12px; }
  .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; }
  .card h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #57606a; margin: 0 0 6px; }
  #sessions { list-style: none; margin: 0; padding: 0; }
  #sessions li { padding: 6px 8px; border-radius: 6px; cursor: pointer; background: #fff; margin-bottom: 6px; border: 1px solid #d0d7de; }
  #sessions li.selected { border-color: #0969da; box-shadow: 0 0 0 1px #0969da; }
  #sessions .state { font-weight: 600; display: block; }
  #sessions .who { font-size: 12px; color: #57606a; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; font-size: 13px; }
  dt { color: #57606a; } dd { margin: 0; font-variant-numeric: tabular-nums; }
  .warn { color: #9a6700; } .bad { color: #cf222e; }
  #chart-wrap { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; min-width: 0; }
  /* The chart scales to its box (its viewBox is its drawing's own bounds), never wider. */
  #chart { display: block; width: 100%; height: auto; max-height: calc(100vh - 96px); }
  .initial { fill: #1d2733; }
  .initial-edge { stroke: #1d2733; stroke-width: 1.5; marker-end: url(#arrow); }
  .node rect { fill: #fff; stroke: #8c959f; stroke-width: 1.5; }
  .node text { font-size: 13px; text-anchor: middle; dominant-baseline: central; }
  .node.current rect { fill: #dafbe1; stroke: #1a7f37; stroke-width: 3; }
  .node.visited rect { stroke: #54aeff; }
  .edge { stroke: #afb8c1; stroke-width: 1.3; fill: none; marker-end: url(#arrow); }
  .edge-label { font-size: 11px; fill: #57606a; text-anchor: middle; dominant-baseline: central; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
  #requests { list-style: none; margin: 0; padding: 0; font-size: 12px; max-height: 160px; overflow: auto; }
  #requests li { padding: 2px 0; border-bottom: 1px solid #eaeef2; font-family: ui-monospace, monospace; }
  #bottom { grid-column: 1 / -1; }
  #filters { display: flex; gap: 14px; align-items: center; font-size: 13px; margin-bottom: 6px; }
  table { width: 100%; border-collapse: collapse; background: #fff; font-size: 12px; }
  td, th { border-bottom: 1px solid #eaeef2; padding: 3px 8px; text-align: left; }
  #log-wrap { max-height: 260px; overflow: auto; border: 1px solid #d0d7de; border-radius: 8px; }
  tr.hidden { display: none; }
</style>
</head>
<body>
<header><h1>gstr-session inspector</h1><span id="status">connecting…</span></header>
<main>
  <aside>
    <div class="card"><h2>Sessions</h2><ul id="sessions" aria-label="sessions"></ul></div>
    <div class="card"><h2>Selected session</h2><dl id="details">
      <dt>state</dt><dd id="d-state">–</dd>
      <dt>portal user</dt><dd id="d-user">–</dd>
      <dt>OTP valid</dt><dd id="d-otp">–</dd>
      <dt>token valid</dt><dd id="d-token">–</dd>
      <dt>attempts left</dt><dd id="d-attempts">–</dd>
      <dt>resends left</dt><dd id="d-resends">–</dd>
      <dt>last error</dt><dd id="d-error">–</dd>
    </dl></div>
    <div class="card"><h2>Requests</h2><ul id="requests" aria-label="requests"></ul></div>
  </aside>
  <div id="chart-wrap"><svg id="chart" role="img" aria-label="state chart">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8c959f"/></marker></defs>
  </svg></div>
  <div id="bottom">
    <div id="filters">
      <label><input type="checkbox" id="f-all"> all sessions</label>
      <label><input type="checkbox" data-kind="state" checked> states</label>
      <label><input type="checkbox" data-kind="event" checked> events</label>
      <label><input type="checkbox" data-kind="request" checked> requests</label>
      <label><input type="checkbox" data-kind="timer"> timers</label>
    </div>
    <div id="log-wrap"><table><thead><tr><th>time</th><th>GSTIN</th><th>kind</th><th>what</th></tr></thead><tbody id="log"></tbody></table></div>
  </div>
</main>
<script>
const sessions = new Map();
const visited = new Map();
let selected;
const svg = document.getElementById('chart');
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  parent.appendChild(node);
  return node;
}

function draw(chart) {
  svg.setAttribute('viewBox', '0 0 ' + chart.width + ' ' + chart.height);
  for (const e of chart.edges) {
    const [first, ...rest] = e.points;
    let d = 'M ' + first.x + ' ' + first.y;
    for (let i = 0; i < rest.length; i += 1) {
      const p = rest[i], next = rest[i + 1];
      if (next) { d += ' Q ' + p.x + ' ' + p.y + ' ' + (p.x + next.x) / 2 + ' ' + (p.y + next.y) / 2; }
      else d += ' L ' + p.x + ' ' + p.y;
    }
    const path = el('path', { class: 'edge', d }, svg);
    el('title', {}, path).textContent = e.source + ' → ' + e.target + ': ' + e.label;
    el('text', { class: 'edge-label', x: e.labelX, y: e.labelY, 'data-edge': e.source + '->' + e.target }, svg).textContent = e.label;
  }
  for (const s of chart.states) {
    const g = el('g', { class: 'node', 'data-state': s.id }, svg);
    el('rect', { x: s.x - s.width / 2, y: s.y - s.height / 2, width: s.width, height: s.height, rx: 8 }, g);
    el('text', { x: s.x, y: s.y }, g).textContent = s.id;
    el('title', {}, g).textContent = s.description;
    // Where every session starts: a filled dot and an arrow into the initial state.
    if (s.id === chart.initial) {
      const top = s.y - s.height / 2;
      el('circle', { class: 'initial', cx: s.x - s.width / 2 - 26, cy: top - 14, r: 7, 'data-initial': s.id }, svg);
      el('path', { class: 'initial-edge', d: 'M ' + (s.x - s.width / 2 - 20) + ' ' + (top - 9) + ' L ' + (s.x - s.width / 2 + 6) + ' ' + (top + 2) }, svg);
    }
  }
  // The drawing's own bounds, labels and the initial dot included: nothing is cut at an edge.
  const box = svg.getBBox();
  svg.setAttribute('viewBox', [box.x - 8, box.y - 8, box.width + 16, box.height + 16].join(' '));
}

function left(at) {
  if (at === undefined || at === null) return '–';
  const ms = at - Date.now();
  if (ms <= 0) return 'expired';
  const s = Math.round(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return (h ? h + ' h ' : '') + (h || m ? m + ' min ' : '') + (s % 60) + ' s';
}

function details() {
  const s = selected && sessions.get(selected);
  const set = (id, text, cls) => { const d = document.getElementById(id); d.textContent = text; d.className = cls || ''; };
  if (!s) return;
  set('d-state', s.state);
  set('d-user', s.username || '–');
  set('d-otp', s.state === 'otpRequested' ? left(s.otpExpiresAt) : '–');
  set('d-token', left(s.tokenExpiresAt), s.tokenExpiresAt && s.tokenExpiresAt - Date.now() < 300000 ? 'warn' : '');
  set('d-attempts', s.attemptsLeft === undefined ? '–' : String(s.attemptsLeft), s.attemptsLeft === 1 ? 'warn' : '');
  set('d-resends', s.resendsLeft === undefined ? '–' : String(s.resendsLeft));
  set('d-error', s.lastError ? s.lastError.name + (s.lastError.code ? ' ' + s.lastError.code : '') + ' (' + s.lastError.step + ')' : '–', s.lastError ? 'bad' : '');
}

function highlight() {
  const s = selected && sessions.get(selected);
  const state = s ? s.state : undefined;
  const seen = visited.get(selected) || new Set();
  for (const node of svg.querySelectorAll('.node')) {
    node.classList.toggle('current', node.dataset.state === state);
    node.classList.toggle('visited', seen.has(node.dataset.state) && node.dataset.state !== state);
  }
  document.body.dataset.currentState = state || '';
  details();
  filter();
}

function renderSessions() {
  const list = document.getElementById('sessions');
  list.replaceChildren();
  for (const [id, s] of sessions) {
    const li = document.createElement('li');
    li.dataset.session = id;
    if (id === selected) li.className = 'selected';
    const state = document.createElement('span'); state.className = 'state'; state.textContent = s.state;
    const who = document.createElement('span'); who.className = 'who'; who.textContent = s.gstin + ' · ' + s.username;
    li.append(state, who);
    li.onclick = () => { selected = id; renderSessions(); highlight(); };
    list.appendChild(li);
  }
}

function shown(row) {
  const all = document.getElementById('f-all').checked;
  const kind = document.querySelector('[data-kind="' + row.dataset.kind + '"]');
  return (all || row.dataset.session === selected) && (!kind || kind.checked);
}

function filter() {
  for (const row of document.getElementById('log').children) row.classList.toggle('hidden', !shown(row));
  for (const item of document.getElementById('requests').children) item.hidden = item.dataset.session !== selected;
}

function log(entry) {
  const row = document.createElement('tr');
  row.dataset.kind = entry.kind;
  row.dataset.session = entry.sessionId;
  for (const text of [new Date(entry.time).toISOString().slice(11, 23), entry.gstin, entry.kind, entry.text]) {
    const td = document.createElement('td'); td.textContent = text; row.appendChild(td);
  }
  row.classList.toggle('hidden', !shown(row));
  const body = document.getElementById('log');
  body.prepend(row);
  while (body.children.length > 500) body.lastChild.remove();
  if (entry.kind === 'request') {
    const item = document.createElement('li');
    item.dataset.session = entry.sessionId;
    item.textContent = new Date(entry.time).toISOString().slice(11, 19) + ' ' + entry.text;
    item.hidden = entry.sessionId !== selected;
    const box = document.getElementById('requests');
    // Follows the newest request, unless the reader scrolled up to read an older one.
    const following = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    box.appendChild(item);
    while (box.children.length > 200) box.firstChild.remove();
    if (following) box.scrollTop = box.scrollHeight;
  }
}

function apply(message) {
  if (message.type === 'session') {
    sessions.set(message.sessionId, message);
    const seen = visited.get(message.sessionId) || new Set();
    seen.add(message.state);
    visited.set(message.sessionId, seen);
    if (!selected) selected = message.sessionId;
    renderSessions(); highlight();
  }
  if (message.type === 'log') log(message);
}

for (const box of document.querySelectorAll('#filters input')) box.onchange = filter;
setInterval(details, 1000);

fetch('graph').then((r) => r.json()).then((chart) => {
  draw(chart);
  const source = new EventSource('events');
  source.onopen = () => { document.getElementById('status').textContent = 'live'; };
  source.onerror = () => { document.getElementById('status').textContent = 'disconnected, retrying…'; };
  source.onmessage = (event) => apply(JSON.parse(event.data));
});
</script>
</body>
</html>
`;
