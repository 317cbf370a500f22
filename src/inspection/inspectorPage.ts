/**
 * The inspector's single page: no external scripts, styles or fonts (it must work offline).
 * It draws the state chart from /graph, follows /events (Server-Sent Events) and highlights
 * the selected session's current state.
 */
export const INSPECTOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>gstr-session inspector</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2733; background: #f6f8fa; }
  header { padding: 10px 16px; background: #1d2733; color: #fff; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  #status { font-size: 12px; opacity: .8; }
  main { display: grid; grid-template-columns: 220px 1fr; gap: 12px; padding: 12px; }
  #sessions { list-style: none; margin: 0; padding: 0; }
  #sessions li { padding: 6px 8px; border-radius: 6px; cursor: pointer; background: #fff; margin-bottom: 6px; border: 1px solid #d0d7de; }
  #sessions li.selected { border-color: #0969da; box-shadow: 0 0 0 1px #0969da; }
  #sessions .state { font-weight: 600; display: block; }
  svg { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; width: 100%; height: 430px; }
  .node rect { fill: #fff; stroke: #8c959f; stroke-width: 1.5; rx: 8; }
  .node text { font-size: 12px; text-anchor: middle; dominant-baseline: middle; }
  .node.current rect { fill: #dafbe1; stroke: #1a7f37; stroke-width: 3; }
  .edge { stroke: #afb8c1; stroke-width: 1.2; fill: none; marker-end: url(#arrow); }
  table { width: 100%; border-collapse: collapse; background: #fff; font-size: 12px; }
  td, th { border-bottom: 1px solid #eaeef2; padding: 3px 8px; text-align: left; }
  #log-wrap { grid-column: 1 / -1; max-height: 260px; overflow: auto; border: 1px solid #d0d7de; border-radius: 8px; }
</style>
</head>
<body>
<header><h1>gstr-session inspector</h1><span id="status">connecting…</span></header>
<main>
  <ul id="sessions" aria-label="sessions"></ul>
  <svg id="chart" viewBox="0 0 1000 430" role="img" aria-label="state chart">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#afb8c1"/></marker></defs>
  </svg>
  <div id="log-wrap"><table><thead><tr><th>time</th><th>GSTIN</th><th>what</th></tr></thead><tbody id="log"></tbody></table></div>
</main>
<script>
const sessions = new Map();
let selected;
const svg = document.getElementById('chart');
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  parent.appendChild(node);
  return node;
}

function layout(graph) {
  const depth = new Map([[graph.initial, 0]]);
  const queue = [graph.initial];
  while (queue.length) {
    const s = queue.shift();
    for (const e of graph.edges) if (e.source === s && !depth.has(e.target)) { depth.set(e.target, depth.get(s) + 1); queue.push(e.target); }
  }
  for (const s of graph.states) if (!depth.has(s.id)) depth.set(s.id, 0);
  const columns = new Map();
  for (const s of graph.states) { const d = depth.get(s.id); columns.set(d, [...(columns.get(d) || []), s.id]); }
  const width = 1000 / columns.size;
  const pos = new Map();
  for (const [d, ids] of columns) ids.forEach((id, i) => pos.set(id, { x: d * width + width / 2, y: (430 / (ids.length + 1)) * (i + 1) }));
  return pos;
}

function draw(graph) {
  const pos = layout(graph);
  for (const e of graph.edges) {
    const a = pos.get(e.source), b = pos.get(e.target);
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const line = el('path', { class: 'edge', d: 'M ' + (a.x + dx / len * 60) + ' ' + (a.y + dy / len * 18) + ' L ' + (b.x - dx / len * 60) + ' ' + (b.y - dy / len * 18) }, svg);
    el('title', {}, line).textContent = e.source + ' → ' + e.target + ': ' + e.label;
  }
  for (const s of graph.states) {
    const p = pos.get(s.id);
    const g = el('g', { class: 'node', 'data-state': s.id }, svg);
    el('rect', { x: p.x - 58, y: p.y - 16, width: 116, height: 32 }, g);
    el('text', { x: p.x, y: p.y }, g).textContent = s.id;
    el('title', {}, g).textContent = s.description;
  }
}

function highlight() {
  const state = selected && sessions.get(selected) ? sessions.get(selected).state : undefined;
  for (const node of svg.querySelectorAll('.node')) node.classList.toggle('current', node.dataset.state === state);
  document.body.dataset.currentState = state || '';
}

function renderSessions() {
  const list = document.getElementById('sessions');
  list.replaceChildren();
  for (const [id, s] of sessions) {
    const li = document.createElement('li');
    li.dataset.session = id;
    if (id === selected) li.className = 'selected';
    const name = document.createElement('span'); name.textContent = s.gstin;
    const state = document.createElement('span'); state.className = 'state'; state.textContent = s.state;
    li.append(state, name);
    li.onclick = () => { selected = id; renderSessions(); highlight(); };
    list.appendChild(li);
  }
}

function log(entry) {
  const row = document.createElement('tr');
  for (const text of [new Date(entry.time).toISOString().slice(11, 23), entry.gstin, entry.text]) {
    const td = document.createElement('td'); td.textContent = text; row.appendChild(td);
  }
  const body = document.getElementById('log');
  body.prepend(row);
  while (body.children.length > 300) body.lastChild.remove();
}

function apply(message) {
  if (message.type === 'session') {
    sessions.set(message.sessionId, { gstin: message.gstin, state: message.state });
    if (!selected) selected = message.sessionId;
    renderSessions(); highlight();
  }
  if (message.type === 'log') log(message);
}

fetch('graph').then((r) => r.json()).then((graph) => {
  draw(graph);
  const source = new EventSource('events');
  source.onopen = () => { document.getElementById('status').textContent = 'live'; };
  source.onerror = () => { document.getElementById('status').textContent = 'disconnected, retrying…'; };
  source.onmessage = (event) => apply(JSON.parse(event.data));
});
</script>
</body>
</html>
`;
