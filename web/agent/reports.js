/* Reports page: fetches /api/reports/summary and draws it with the locally served Chart.js. */
(function () {
  'use strict';
  const DAY = 86400000;
  const $ = (id) => document.getElementById(id);
  const COLORS = ['#0b5cad', '#e07a10', '#2a9d62', '#b0306a', '#6b4fbb', '#5b6470', '#c8a200'];
  const charts = {};
  window.reportCharts = charts;
  // Every call here is a GET: no CSRF token, so no sign-in round trip before loading.
  const get = (path) => window.StaffPage.api('GET', path);
  const { table } = window.StaffPage;

  const pct = (rate) => (rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`);
  const num = (value, unit) => (value === null || value === undefined ? '—' : `${value}${unit || ''}`);
  const text = (value) => document.createTextNode(String(value));

  /**
   * A chart's figures as a table (its caption kept): a header row, then rows whose first cell names the row.
   * The same numbers the chart draws, for screen readers and anyone who wants the figures.
   */
  function dataTable(element, header, rows) {
    const caption = element.querySelector('caption');
    const head = document.createElement('tr');
    for (const label of header) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      head.appendChild(th);
    }
    element.replaceChildren(...(caption ? [caption] : []), head, ...rows.map(([name, ...values]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = name;
      tr.appendChild(th);
      for (const value of values) {
        const td = document.createElement('td');
        td.textContent = num(value);
        tr.appendChild(td);
      }
      return tr;
    }));
  }

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new window.Chart($(id), config);
  }

  const MEASURE_ROWS = [
    ['Tickets', (m) => m.volume],
    ['Median first response', (m) => num(m.firstResponse.medianMinutes, ' min')],
    ['Median resolution', (m) => num(m.resolution.medianHours, ' h')],
    ['First-response SLA met', (m) => pct(m.sla.firstResponse.rate)],
    ['Resolution SLA met', (m) => pct(m.sla.resolution.rate)],
    ['CSAT average (1–5)', (m) => num(m.csat.average)],
    ['Satisfied (4–5)', (m) => pct(m.csat.satisfiedRate)],
    ['Escalated', (m) => pct(m.escalations.rate)],
    ['Reopened', (m) => pct(m.reopens.rate)],
  ];

  function render(report) {
    const channels = Object.keys(report.byChannel);
    const o = report.overall;
    const tiles = [
      ['Tickets', o.volume],
      ['Median first response', num(o.firstResponse.medianMinutes, ' min')],
      ['Median resolution', num(o.resolution.medianHours, ' h')],
      ['First-response SLA', pct(o.sla.firstResponse.rate)],
      ['Resolution SLA', pct(o.sla.resolution.rate)],
      ['CSAT', num(o.csat.average)],
      ['Escalated', pct(o.escalations.rate)],
      ['Reopened', pct(o.reopens.rate)],
    ];
    $('tiles').replaceChildren(...tiles.map(([label, value]) => {
      const tile = document.createElement('div');
      tile.className = 'tile';
      const b = document.createElement('b');
      b.appendChild(text(value));
      const span = document.createElement('span');
      span.appendChild(text(label));
      tile.append(b, span);
      return tile;
    }));

    draw('volumeChart', {
      type: 'bar',
      data: { labels: report.daily.map((d) => d.day.slice(5)), datasets: channels.map((channel, i) => ({ label: channel, data: report.daily.map((d) => d.byChannel[channel] || 0), backgroundColor: COLORS[i % COLORS.length] })) },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    });
    const dailyTotal = (d) => channels.reduce((sum, channel) => sum + (d.byChannel[channel] || 0), 0);
    dataTable($('volumeTable'), ['Day', ...channels, 'Total'], report.daily.map((d) => [d.day, ...channels.map((channel) => d.byChannel[channel] || 0), dailyTotal(d)]));
    dataTable($('timesTable'), ['Channel', 'Median first response (min)', 'Median resolution (h)'], channels.map((c) => [c, report.byChannel[c].firstResponse.medianMinutes, report.byChannel[c].resolution.medianHours]));
    draw('timesChart', {
      type: 'bar',
      data: {
        labels: channels,
        datasets: [
          { label: 'First response (min)', data: channels.map((c) => report.byChannel[c].firstResponse.medianMinutes), backgroundColor: COLORS[0] },
          { label: 'Resolution (h)', data: channels.map((c) => report.byChannel[c].resolution.medianHours), backgroundColor: COLORS[1] },
        ],
      },
      options: { scales: { y: { beginAtZero: true } } },
    });
    const asPct = (rate) => (rate === null ? null : Math.round(rate * 1000) / 10);
    draw('slaChart', {
      type: 'bar',
      data: {
        labels: channels,
        datasets: [
          { label: 'First response', data: channels.map((c) => asPct(report.byChannel[c].sla.firstResponse.rate)), backgroundColor: COLORS[2] },
          { label: 'Resolution', data: channels.map((c) => asPct(report.byChannel[c].sla.resolution.rate)), backgroundColor: COLORS[4] },
        ],
      },
      options: { scales: { y: { beginAtZero: true, max: 100 } } },
    });
    // The same rounded percentages the bars show; a channel with no ticket due in the period shows "—".
    dataTable($('slaTable'), ['Channel', 'First-response SLA met (%)', 'Resolution SLA met (%)'], channels.map((c) => [c, asPct(report.byChannel[c].sla.firstResponse.rate), asPct(report.byChannel[c].sla.resolution.rate)]));
    const f = report.fairness;
    const fairnessMeasures = [
      ['1st-response SLA %', (m) => asPct(m.sla.firstResponse.rate)],
      ['Resolution SLA %', (m) => asPct(m.sla.resolution.rate)],
      ['Satisfied %', (m) => asPct(m.csat.satisfiedRate)],
      ['Escalated %', (m) => asPct(m.escalations.rate)],
      ['Reopened %', (m) => asPct(m.reopens.rate)],
    ];
    draw('fairnessChart', {
      type: 'bar',
      data: {
        labels: fairnessMeasures.map(([label]) => label),
        datasets: [
          { label: `Came through a public post (${f.publicPost.volume})`, data: fairnessMeasures.map(([, get]) => get(f.publicPost)), backgroundColor: COLORS[3] },
          { label: `Did not (${f.private.volume})`, data: fairnessMeasures.map(([, get]) => get(f.private)), backgroundColor: COLORS[0] },
        ],
      },
      options: { scales: { y: { beginAtZero: true, max: 100 } } },
    });
    table($('fairness'), [['Measure', 'Came through a public post', 'Did not'], ...MEASURE_ROWS.map(([label, get]) => [label, get(f.publicPost), get(f.private)])]);
    table($('channels'), [['Measure', ...channels], ...MEASURE_ROWS.map(([label, get]) => [label, ...channels.map((c) => get(report.byChannel[c]))])]);

    const select = $('channel');
    for (const channel of channels) {
      if (![...select.options].some((option) => option.value === channel)) select.appendChild(new Option(channel, channel));
    }
  }

  async function loadAlerts() {
    try {
      const [{ alerts }, { modes }] = await Promise.all([get('/api/listening/alerts?limit=10'), get('/api/listening/crisis')]);
      $('alerts-section').hidden = false;
      $('alerts').replaceChildren(...alerts.map((alert) => {
        const li = document.createElement('li');
        const over = alert.surge?.state === 'subsided';
        if (alert.severity === 'crisis' && !over) li.className = 'crisis';
        if (over) li.className = 'subsided';
        // Spike alerts say whether the surge is still on; reach alerts have no surge.
        const state = alert.surge ? (over ? ` [subsided] ${alert.surge.subsidedSummary ?? ''}` : ' [active]') : '';
        li.appendChild(text(`${alert.at.slice(0, 16).replace('T', ' ')} — ${alert.title}${state}`));
        return li;
      }));
      const active = modes.filter((mode) => mode.active);
      $('crisis').replaceChildren(text(active.length ? `Crisis mode on: ${active.map((mode) => mode.topic).join(', ')}. Suggested holding statement: “${active[0].holdingStatement.text}”` : 'No topic is in crisis mode.'));
    } catch (error) {
      $('alerts-section').hidden = true;
    }
  }

  async function load() {
    const from = $('from').value;
    const to = $('to').value;
    const params = new URLSearchParams({ from: `${from}T00:00:00Z`, to: new Date(Date.parse(`${to}T00:00:00Z`) + DAY).toISOString() });
    if ($('channel').value) params.set('channel', $('channel').value);
    $('status').textContent = 'Loading…';
    $('status').className = '';
    try {
      const report = await get(`/api/reports/summary?${params}`);
      render(report);
      $('status').textContent = `${report.overall.volume} tickets opened ${from} – ${to} (generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC)`;
      document.body.dataset.rendered = 'true';
    } catch (error) {
      $('status').textContent = `Could not load the report: ${error.message}`;
      $('status').className = 'error';
    }
  }

  async function start() {
    const query = new URLSearchParams(window.location.search);
    const today = new Date();
    $('to').value = query.get('to') || today.toISOString().slice(0, 10);
    $('from').value = query.get('from') || new Date(today.getTime() - 29 * DAY).toISOString().slice(0, 10);
    $('period').addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    await Promise.all([load(), loadAlerts()]);
    // New alerts and ended surges arrive on the console's live feed (supervisors and up): the list follows them.
    if (window.EventSource) {
      const live = new EventSource('/api/agent/events');
      for (const type of ['listening.alert', 'listening.alert.subsided']) live.addEventListener(type, () => loadAlerts());
    }
  }

  document.addEventListener('DOMContentLoaded', start);
})();
