// Vigil dashboard: plain JavaScript over the REST API; no build step. Pages are hash routes so that a link
// to a machine or an alert can be shared; every page re-reads the API every POLL_MS.
'use strict';

const POLL_MS = 2000;
const TOKEN_KEY = 'vigil.token';
const view = document.getElementById('view');
let timer = null;
let charts = [];
let ms = null;  // the machine page's live state: charts and the last window index drawn

// ---------- API ----------

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path, options = {}) {
  const headers = Object.assign({'Accept': 'application/json'}, options.headers || {});
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1' + path, {method: options.method || 'GET', headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body)});
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin('Your token was not accepted; sign in again.');
    throw new Error('unauthorised');
  }
  const body = res.headers.get('Content-Type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Error((body && body.error) || (res.status + ' ' + res.statusText));
  return body;
}

async function act(path, body) {
  try {
    await api(path, {method: 'POST', body});
    hideError();
    await render();
  } catch (e) {
    showError(e.message);
  }
}

// ---------- helpers ----------

function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}

function num(v, digits = 2) {
  return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) : '–';
}

function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  const ago = (Date.now() - d.getTime()) / 1000;
  const rel = ago < 90 ? Math.round(ago) + ' s ago' : ago < 5400 ? Math.round(ago / 60) + ' min ago'
    : ago < 172800 ? Math.round(ago / 3600) + ' h ago' : Math.round(ago / 86400) + ' d ago';
  return `<span title="${esc(d.toISOString())}">${esc(d.toLocaleString())} <span class="muted">(${rel})</span></span>`;
}

function hours(h) {
  if (typeof h !== 'number') return '–';
  if (!isFinite(h)) return 'no end in sight';
  return h < 1 ? Math.round(h * 60) + ' min' : h.toFixed(1) + ' h';
}

function forecastText(f) {
  if (!f) return '<span class="muted">no trend</span>';
  if (f.hoursToCritical === 0) return 'reached';
  const range = `${hours(f.lowHours)} – ${f.highHours === undefined ? '∞' : hours(f.highHours)}`;
  return `${hours(f.hoursToCritical)} <span class="muted">(${range}, on ${Math.round(f.basedOnMinutes)} min)</span>`;
}

function badge(status) {
  return `<span class="badge s-${esc(status)}">${esc(status)}</span>`;
}

function ackText(a) {
  if (!a) return '<span class="muted">not confirmed</span>';
  return `${a.excluded ? 'excluded' : 're-admitted'} by ${esc(a.by)} ${when(a.at)}`;
}

function showError(message) {
  const e = document.getElementById('error');
  e.textContent = message;
  e.hidden = false;
}

function hideError() {
  document.getElementById('error').hidden = true;
}

function destroyCharts() {
  charts.forEach(c => c.destroy());
  charts = [];
  ms = null;
}

// ---------- pages ----------

async function fleet() {
  const [m, av, al] = await Promise.all([api('/machines'), api('/availability'), api('/alerts?open=true&limit=1000')]);
  const avail = Object.fromEntries(av.machines.map(a => [a.machine, a]));
  const open = {};
  al.alerts.forEach(a => { open[a.machine] = (open[a.machine] || 0) + 1; });
  const cards = m.machines.map(x => {
    const a = avail[x.id] || {};
    const risk = typeof a.risk === 'number' ? a.risk : 0;
    const status = a.status || x.status;
    return `<a class="card s-${esc(status)}" href="#/machine/${encodeURIComponent(x.id)}" data-machine="${esc(x.id)}">
      <div class="title"><span>${esc(x.id)}</span>${badge(status)}</div>
      <div class="muted">${esc(x.kind)} · ${esc(x.tenant)} · model ${esc(x.model)}</div>
      <dl>
        <dt>Score</dt><dd>${num(x.smoothed)}${x.level === 'transient' ? ' <span class="muted">(changing speed)</span>' : ''}</dd>
        <dt>Risk</dt><dd><div class="bar"><span style="width:${Math.round(100 * risk)}%;background:${risk >= 1 ? 'var(--crit)' : risk >= 0.5 ? 'var(--warn)' : 'var(--ok)'}"></span></div></dd>
        <dt>To critical</dt><dd>${forecastText(a.forecast)}</dd>
        <dt>Open alerts</dt><dd class="open-alerts">${open[x.id] || 0}</dd>
        <dt>Scheduler</dt><dd>${ackText(a.schedulerAck)}</dd>
      </dl>
      <div class="muted">${esc(a.reason || '')}</div>
    </a>`;
  }).join('');
  view.innerHTML = `<h1>Fleet</h1><div class="cards">${cards}</div>`;
}

async function machine(id) {
  const enc = encodeURIComponent(id);
  const fresh = !ms || ms.id !== id || !document.getElementById('score-chart');
  const [m, av, al, rec, sp] = await Promise.all([api('/machines/' + enc), api('/availability/' + enc),
    api(`/alerts?machine=${enc}&open=true`), api(`/machines/${enc}/recent?after=${fresh ? -1 : ms.lastIndex}`),
    api(`/machines/${enc}/spectrum`)]);
  const l = m.latest || {};
  const quality = m.status === 'stale' ? 'no data lately' : m.status === 'no-data' ? 'no data yet'
    : l.level === 'sensor' ? 'sensor problem: ' + (l.sensorIssue || '') : l.level === 'transient' ? 'changing speed or tool' : 'good';
  const top = (l.top || []).map(t => `<tr><td>${esc(t.feature)}</td><td>${num(100 * t.share, 0)} %</td>
      <td>${num(t.value, 4)}</td><td>${num(t.expected, 4)}</td></tr>`).join('');
  const h = l.hypothesis;
  const alerts = al.alerts.map(alertRow).join('') || '<tr><td colspan="6" class="muted">none</td></tr>';
  if (fresh) {
    destroyCharts();
    view.innerHTML = `<h1>${esc(id)} <span id="machine-badge"></span></h1>
      <div class="panel" id="machine-summary"></div>
      <div class="panel"><h2>Health score</h2><div id="score-chart" class="chart"></div>
        <div class="legend-note">smoothed score against the warning and critical levels: the highest per history bucket, then every window</div></div>
      <div class="grid2"><div class="panel"><h2>Feature trends</h2><div id="trend-chart" class="chart"></div>
        <div class="legend-note">the features that move the score most now: their change from the healthy value, relative to it, over the recent windows</div></div>
        <div class="panel" id="machine-evidence"></div></div>
      <div class="panel"><h2>Spectrum <select id="channel"></select> <span class="muted" id="spectrum-note"></span></h2>
        <div class="grid2"><div><div id="spectrum-chart" class="chart"></div><div class="legend-note">amplitude spectrum (peak per group of bins)</div></div>
        <div><div id="envelope-chart" class="chart"></div><div class="legend-note">envelope spectrum: bearing defects show as lines at BPFO, BPFI, BSF, FTF</div></div></div></div>
      <div class="panel" id="machine-alerts"></div>`;
    const from = new Date(Date.now() - 3600_000).toISOString();
    const hist = await api(`/machines/${enc}/scores?from=${encodeURIComponent(from)}`);
    const firstLive = rec.windows.length ? Date.parse(rec.windows[0].at) : Infinity;
    const x = [], y = [], w = [], c = [];
    hist.points.filter(p => Date.parse(p.at) < firstLive).forEach(p => {
      x.push(Date.parse(p.at) / 1000); y.push(p.max ?? null); w.push(p.warning); c.push(p.critical);
    });
    ms = {id, lastIndex: -1, windows: [], score: null, trend: null, spectrum: null, envelope: null};
    ms.score = new uPlot(chartOptions('score-chart', 260, true, [{label: 'score', stroke: '#1d2329', width: 1.5},
      {label: 'warning', stroke: '#f9a825', dash: [6, 4]}, {label: 'critical', stroke: '#c62828', dash: [6, 4]}]),
      [x, y, w, c], document.getElementById('score-chart'));
    charts.push(ms.score);
  }
  document.getElementById('machine-badge').innerHTML = badge(av.status);
  document.getElementById('machine-summary').innerHTML = `<dl class="summary">
      <dt>Status</dt><dd>${badge(av.status)} ${esc(av.reason)} since ${when(av.since)}</dd>
      <dt>Score</dt><dd>${num(l.smoothed)} (warning ${num(l.warning)}, critical ${num(l.critical)})</dd>
      <dt>Time to critical</dt><dd>${forecastText(av.forecast)}</dd>
      <dt>Data quality</dt><dd id="data-quality">${esc(quality)}; last data ${when(m.lastFrameAt)}</dd>
      ${l.isoZone ? `<dt>Vibration</dt><dd>${num(l.velocityRmsMmS)} mm/s RMS, ISO 10816 zone ${esc(l.isoZone)}</dd>` : ''}
      <dt>Model</dt><dd>${esc(m.model)} · ${m.windows} windows · level factor ${num(m.levelFactor)}</dd>
      <dt>Scheduler</dt><dd>${ackText(av.schedulerAck)}</dd></dl>`;
  document.getElementById('machine-evidence').innerHTML = `<h2>Most likely</h2>
      <p>${h ? `<b>${esc(h.fault)}</b> (confidence ${num(100 * h.confidence, 0)} %)` : '<span class="muted">nothing unusual</span>'}
      ${h?.evidence ? `<br>evidence: ${esc(h.evidence.feature)} = ${num(h.evidence.value, 4)} (healthy ${num(h.evidence.expected, 4)})` : ''}</p>
      <h2>What moves the score</h2><table><tr><th>feature</th><th>share</th><th>now</th><th>healthy</th></tr>${top}</table>`;
  document.getElementById('machine-alerts').innerHTML = `<h2>Open alerts</h2><table>${alertHead()}${alerts}</table>`;
  liveScores(rec.windows, l);
  spectra(sp);
  bindRows();
}

function chartOptions(elId, height, time, series, extra = {}) {
  const el = document.getElementById(elId);
  return Object.assign({width: Math.max(300, el.clientWidth), height,
    scales: {x: time ? {time: true, range: (u, min, max) => [Math.min(min, max - 120), max + 5]} : {time: false}},
    series: [time ? {} : {label: 'Hz', value: (u, v) => v == null ? '–' : v.toFixed(1) + ' Hz'}].concat(series)}, extra);
}

function liveScores(windows, latest) {
  windows.forEach(wd => {
    if (wd.index <= ms.lastIndex) return;
    ms.lastIndex = wd.index;
    ms.windows.push(wd);
    const d = ms.score.data.map(s => s.slice());
    d[0].push(Date.parse(wd.at) / 1000);
    d[1].push(typeof wd.smoothed === 'number' ? wd.smoothed : null);
    d[2].push(wd.warning);
    d[3].push(wd.critical);
    const from = d[0][d[0].length - 1] - 3600;
    while (d[0].length && d[0][0] < from) d.forEach(s => s.shift());
    ms.score.setData(d);
  });
  while (ms.windows.length > 900) ms.windows.shift();
  // trends of the features that matter now, relative to their healthy value
  const names = (latest.top || []).slice(0, 4).map(t => t.feature);
  const key = names.join('|');
  if (!ms.trend || ms.trendKey !== key) {
    if (ms.trend) { ms.trend.destroy(); charts = charts.filter(c => c !== ms.trend); }
    document.getElementById('trend-chart').innerHTML = '';
    const colours = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a'];
    ms.trend = new uPlot(chartOptions('trend-chart', 220, true, names.map((n, i) => ({label: n, stroke: colours[i], width: 1.2}))),
      [[]].concat(names.map(() => [])), document.getElementById('trend-chart'));
    ms.trendKey = key;
    charts.push(ms.trend);
  }
  const data = [ms.windows.map(wd => Date.parse(wd.at) / 1000)];
  names.forEach(n => data.push(ms.windows.map(wd => {
    const t = (wd.top || []).find(x => x.feature === n);
    // relative change from the healthy value: log-scaled features are negative, so not a plain ratio
    return t && t.expected ? (t.value - t.expected) / Math.abs(t.expected) : null;
  })));
  ms.trend.setData(data);
}

function markerHook(lines) {
  return {hooks: {draw: [u => {
    const ctx = u.ctx;
    ctx.save();
    ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
    Object.entries(lines).forEach(([name, hz]) => {
      if (hz < u.scales.x.min || hz > u.scales.x.max) return;
      const x = u.valToPos(hz, 'x', true);
      ctx.strokeStyle = name.endsWith('x') ? '#2e7d32' : '#c62828';
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fillText(name, x + 3, u.bbox.top + 12 * devicePixelRatio);
    });
    ctx.restore();
  }]}};
}

function spectra(sp) {
  const select = document.getElementById('channel');
  const names = sp.channels.map(c => c.channel);
  if (select.options.length !== names.length) {
    select.innerHTML = names.map(n => `<option>${esc(n)}</option>`).join('');
    select.onchange = () => { ms.spectrumKey = null; };
  }
  const c = sp.channels.find(x => x.channel === select.value);
  document.getElementById('spectrum-note').textContent = !c ? 'no window yet'
    : `window ending ${new Date(sp.at).toLocaleTimeString()}` + (sp.shaftHz ? `, shaft ${sp.shaftHz.toFixed(1)} Hz (${Math.round(sp.shaftHz * 60)} rpm)` : '');
  if (!c) return;
  const key = c.channel + '|' + JSON.stringify(sp.lines);
  if (ms.spectrumKey !== key) {
    [ms.spectrum, ms.envelope].forEach(x => { if (x) { x.destroy(); charts = charts.filter(y => y !== x); } });
    document.getElementById('spectrum-chart').innerHTML = '';
    document.getElementById('envelope-chart').innerHTML = '';
    const orders = Object.fromEntries(Object.entries(sp.lines).filter(([n]) => n.endsWith('x')));
    ms.spectrum = new uPlot(chartOptions('spectrum-chart', 240, false, [{label: c.channel + ' (' + c.unit + ')', stroke: '#1d2329', width: 1}],
      markerHook(orders)), [c.hz, c.amplitude], document.getElementById('spectrum-chart'));
    ms.envelope = new uPlot(chartOptions('envelope-chart', 240, false, [{label: 'envelope (' + c.unit + ')', stroke: '#1565c0', width: 1}],
      markerHook(sp.lines)), [c.envelopeHz, c.envelope], document.getElementById('envelope-chart'));
    charts.push(ms.spectrum, ms.envelope);
    ms.spectrumKey = key;
  } else {
    ms.spectrum.setData([c.hz, c.amplitude]);
    ms.envelope.setData([c.envelopeHz, c.envelope]);
  }
}

function alertHead() {
  return '<tr><th>id</th><th>machine</th><th>severity</th><th>fault</th><th>since</th><th>state</th></tr>';
}

function alertState(a) {
  if (!a.open) return 'resolved' + (a.verdict ? ' (' + a.verdict + ')' : '');
  if (a.acknowledged) return 'acknowledged' + (a.assignee ? ', ' + a.assignee : '');
  return a.active ? 'new' : 'cleared, not resolved';
}

function alertRow(a) {
  return `<tr class="link" data-href="#/alert/${a.id}" data-alert="${a.id}"><td>${a.id}</td><td>${esc(a.machine)}</td>
    <td>${badge(a.severity)}</td><td>${esc(a.fault)}</td><td>${when(a.firstSeen)}</td>
    <td class="state">${esc(alertState(a))}</td></tr>`;
}

async function alerts() {
  const openOnly = sessionStorage.getItem('vigil.alerts.all') !== '1';
  const al = await api('/alerts?limit=500' + (openOnly ? '&open=true' : '&open=false'));
  view.innerHTML = `<h1>Alerts</h1>
    <form class="inline"><label><input type="checkbox" id="show-all" ${openOnly ? '' : 'checked'}> include resolved</label></form>
    <table id="alert-list">${alertHead()}${al.alerts.map(alertRow).join('') || '<tr><td colspan="6" class="muted">no alerts</td></tr>'}</table>`;
  document.getElementById('show-all').onchange = e => {
    sessionStorage.setItem('vigil.alerts.all', e.target.checked ? '1' : '0');
    render();
  };
  bindRows();
}

async function alert(id) {
  const a = await api('/alerts/' + encodeURIComponent(id));
  const ev = a.evidence || {};
  const top = (ev.top || []).map(t => `<tr><td>${esc(t.feature)}</td><td>${esc(t.channel)}</td><td>${num(100 * t.share, 0)} %</td>
      <td>${num(t.value, 4)}</td><td>${num(t.expected, 4)}</td></tr>`).join('');
  const hist = (a.history || []).map(h => `<tr><td>${when(h.at)}</td><td>${esc(h.event)}</td><td>${esc(h.actor)}</td>
      <td>${esc(h.severity)}</td><td>${esc(h.detail)}</td></tr>`).join('');
  const focused = document.activeElement && view.contains(document.activeElement) && document.activeElement.matches('input, textarea, select');
  if (focused) return;  // do not wipe what the engineer is typing
  const e = ev.evidence;
  view.innerHTML = `<h1>Alert ${a.id}: ${esc(a.fault)} on <a href="#/machine/${encodeURIComponent(a.machine)}">${esc(a.machine)}</a> ${badge(a.severity)}</h1>
    <div class="grid2"><div class="panel"><dl class="summary">
      <dt>State</dt><dd id="alert-state">${esc(alertState(a))}</dd>
      <dt>Since</dt><dd>${when(a.firstSeen)}; last seen ${when(a.lastSeen)}${a.persistent ? ' (persistent)' : ''}</dd>
      <dt>Score</dt><dd>${num(a.score)} (warning ${num(a.warning)}, critical ${num(a.critical)})</dd>
      <dt>Vibration</dt><dd>${num(a.velocityRmsMmS)} mm/s${a.isoZone ? ', ISO zone ' + esc(a.isoZone) : ''}</dd>
      <dt>Most likely</dt><dd>${esc(ev.hypothesis || a.fault)}${ev.confidence !== undefined ? ' (' + num(100 * ev.confidence, 0) + ' %)' : ''}</dd>
      <dt>Evidence</dt><dd>${e ? `${esc(e.feature)}${e.frequencyHz ? ' at ' + num(e.frequencyHz, 1) + ' Hz' : ''} = ${num(e.value, 4)} (healthy ${num(e.expected, 4)}${e.z !== undefined ? ', z ' + num(e.z, 1) : ''})` : esc(ev.problem || '–')}</dd>
      <dt>Model</dt><dd>${esc(a.model)}</dd>
      <dt>Acknowledged</dt><dd>${a.acknowledged ? esc(a.acknowledgedBy) + ' ' + when(a.acknowledgedAt) : 'no'}</dd>
      <dt>Assignee</dt><dd>${esc(a.assignee || '–')}</dd>
      ${a.open ? '' : `<dt>Resolved</dt><dd>${esc(a.resolvedBy)} ${when(a.resolvedAt)}: ${esc(a.verdict)}${a.confirmedFault ? ' (' + esc(a.confirmedFault) + ')' : ''} ${esc(a.note || '')}</dd>`}
    </dl></div>
    <div class="panel" ${a.open ? '' : 'hidden'}><h2>Act</h2>
      <form class="inline" id="ack-form"><button id="ack" ${a.acknowledged ? 'disabled' : ''}>Acknowledge</button></form>
      <form class="inline" id="assign-form"><input id="assignee" placeholder="assignee" value="${esc(a.assignee || '')}"><button>Assign</button></form>
      <form class="inline" id="comment-form"><input id="comment" placeholder="note" size="40"><button>Add note</button></form>
      <form class="inline" id="resolve-form"><select id="verdict"><option value="confirmed">confirmed fault</option>
        <option value="false-alarm">false alarm</option><option value="unknown">unknown</option></select>
        <input id="fault" placeholder="fault found (default ${esc(a.fault)})"><input id="note" placeholder="note" size="30">
        <button id="resolve">Resolve</button></form>
    </div></div>
    <div class="panel"><h2>Attribution</h2><table><tr><th>feature</th><th>channel</th><th>share</th><th>value</th><th>healthy</th></tr>${top}</table></div>
    <div class="panel"><h2>History</h2><table><tr><th>at</th><th>event</th><th>by</th><th>severity</th><th>detail</th></tr>${hist}</table></div>`;
  const base = '/alerts/' + a.id;
  document.getElementById('ack-form').onsubmit = ev2 => { ev2.preventDefault(); act(base + '/ack', {}); };
  document.getElementById('assign-form').onsubmit = ev2 => {
    ev2.preventDefault();
    const v = document.getElementById('assignee').value.trim();
    act(base + '/assign', {assignee: v || null});
  };
  document.getElementById('comment-form').onsubmit = ev2 => {
    ev2.preventDefault();
    const v = document.getElementById('comment').value.trim();
    if (v) act(base + '/comments', {text: v});
  };
  document.getElementById('resolve-form').onsubmit = ev2 => {
    ev2.preventDefault();
    const body = {verdict: document.getElementById('verdict').value};
    const fault = document.getElementById('fault').value.trim();
    const note = document.getElementById('note').value.trim();
    if (fault && body.verdict === 'confirmed') body.fault = fault;
    if (note) body.note = note;
    act(base + '/resolve', body);
  };
}

async function availability() {
  const av = await api('/availability');
  const rows = av.machines.map(a => `<tr class="link" data-href="#/machine/${encodeURIComponent(a.machine)}">
    <td>${esc(a.machine)}</td><td>${esc(a.tenant)}</td><td>${badge(a.status)}</td><td>${esc(a.reason)}</td>
    <td>${when(a.since)}</td><td>${num(a.risk)}</td><td>${forecastText(a.forecast)}</td>
    <td>${a.alert ? `<a href="#/alert/${a.alert}">${a.alert}</a>` : '–'}</td><td>${ackText(a.schedulerAck)}</td></tr>`).join('');
  view.innerHTML = `<h1>Availability <span class="muted">as the scheduler sees it</span></h1>
    <table id="availability"><tr><th>machine</th><th>tenant</th><th>status</th><th>reason</th><th>since</th><th>risk</th>
    <th>to critical</th><th>alert</th><th>scheduler</th></tr>${rows}</table>`;
  bindRows();
}

function bindRows() {
  view.querySelectorAll('tr[data-href]').forEach(r => {
    r.onclick = e => { if (!e.target.closest('a')) location.hash = r.dataset.href; };
  });
}

// ---------- shell ----------

function showLogin(message) {
  clearTimeout(timer);
  destroyCharts();
  view.innerHTML = `<div class="panel login"><h1>Sign in</h1>
    <p class="muted">${esc(message || 'Paste an engineer token (vigil token --name you --role engineer).')}</p>
    <form id="login" class="inline"><input id="token" type="password" placeholder="token" size="40" autocomplete="off">
    <button>Sign in</button></form></div>`;
  document.getElementById('login').onsubmit = e => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    location.hash = '#/';
    render();
  };
}

function takeToken() {
  // a link with #token=... (printed by `vigil demo`) signs in; the token leaves the address bar at once
  const m = location.hash.match(/token=([^&]+)/);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + '#/');
  }
}

async function render() {
  clearTimeout(timer);
  takeToken();
  const route = location.hash.replace(/^#\/?/, '').split('/');
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active',
    a.dataset.nav === (route[0] === '' || route[0] === 'machine' ? 'fleet' : route[0].replace(/^alert$/, 'alerts'))));
  document.getElementById('logout').hidden = !token();
  try {
    if (route[0] !== 'machine') destroyCharts();
    if (route[0] === 'machine') await machine(decodeURIComponent(route[1]));
    else if (route[0] === 'alerts') await alerts();
    else if (route[0] === 'alert') await alert(route[1]);
    else if (route[0] === 'availability') await availability();
    else await fleet();
    const open = await api('/alerts?open=true&limit=1000');
    document.getElementById('open-count').textContent = open.alerts.length || '';
    hideError();
  } catch (e) {
    if (e.message === 'unauthorised') return;
    showError(e.message);
  }
  timer = setTimeout(render, POLL_MS);
}

(function start() {
  document.getElementById('logout').onclick = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin('Signed out.');
  };
  window.addEventListener('hashchange', render);
  render();
})();
