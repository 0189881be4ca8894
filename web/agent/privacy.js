/* Privacy page: subject access (lookup + JSON export), erasure with a typed confirmation, retention settings. */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const LABELS = { email: 'E-mail', phone: 'Phone', channelUserId: 'Channel user id' };
  const { api, whoAmI, table, when } = window.StaffPage;
  let current = null; // { query, result } of the last lookup

  function status(message, isError) {
    $('status').textContent = message;
    $('status').className = isError ? 'error' : '';
  }

  function render(query, result) {
    const counts = Object.entries(result.data).map(([holder, records]) => [holder, records.length]);
    const total = counts.reduce((sum, [, count]) => sum + count, 0);
    $('result').hidden = false;
    $('result').dataset.total = String(total);
    $('summary').textContent = total === 0
      ? 'Nothing is held about this customer.'
      : `${result.ticketRefs.length} ticket(s): ${result.ticketRefs.join(', ') || '—'}. ${total} record(s) in ${counts.filter(([, c]) => c > 0).length} place(s).`;
    table($('holdings'), [['Where', 'Records'], ...counts.filter(([, count]) => count > 0)]);
    $('holdings').hidden = total === 0;
    $('download').hidden = total === 0;
    $('erase-box').hidden = total === 0;
    $('confirm-value').textContent = query.value;
    $('confirm').value = '';
    $('erase-submit').disabled = true;
  }

  async function lookup(event) {
    event.preventDefault();
    const query = { by: $('by').value, value: $('value').value.trim() };
    if (!query.value) return;
    status('Looking up…');
    $('erase-result').textContent = '';
    try {
      const result = await api('POST', '/api/privacy/access', { [query.by]: query.value });
      current = { query, result };
      render(query, result);
      status(`${LABELS[query.by]} looked up at ${when(new Date().toISOString())}; the lookup is recorded.`);
      document.body.dataset.looked = 'true';
    } catch (error) {
      $('result').hidden = true;
      status(error.status === 403 ? 'Privacy tools need the supervisor role.' : `Could not look up: ${error.message}`, true);
    }
    loadSide();
  }

  function download() {
    if (!current) return;
    const blob = new Blob([JSON.stringify(current.result, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `subject-access-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  async function erase(event) {
    event.preventDefault();
    if (!current || $('confirm').value.trim() !== current.query.value) return;
    $('erase-submit').disabled = true;
    try {
      const body = { [current.query.by]: current.query.value, confirm: true };
      if ($('reason').value.trim()) body.reason = $('reason').value.trim();
      const result = await api('POST', '/api/privacy/erase', body);
      const touched = Object.entries(result.counts).filter(([, count]) => count > 0).map(([holder, count]) => `${holder} ${count}`);
      $('erase-result').className = 'ok';
      $('erase-result').textContent = `Erased. Tickets anonymised: ${result.ticketRefs.join(', ') || 'none'}. Records changed: ${touched.join(', ') || 'none'}.`;
      document.body.dataset.erased = 'true';
      $('download').hidden = true;
      current = null;
    } catch (error) {
      $('erase-result').className = 'error';
      $('erase-result').textContent = `Not erased: ${error.message}`;
      $('erase-submit').disabled = false;
    }
    loadSide();
  }

  async function loadSide() {
    try {
      const [retention, { requests }] = await Promise.all([api('GET', '/api/privacy/retention'), api('GET', '/api/privacy/requests')]);
      table($('retention'), [
        ['Setting', 'Value'],
        ['Erase personal data of tickets closed more than', retention.enabled ? `${retention.days} days ago` : 'never (retention off)'],
        ['The job runs every', `${retention.sweepMinutes} min`],
        ['Last run (this server)', retention.lastRun ? `${when(retention.lastRun.at)}: ${retention.lastRun.erasedTickets} ticket(s), ${retention.lastRun.erasedPosts ?? 0} archived post(s), ${retention.lastRun.erasedAlerts ?? 0} alert(s)${retention.lastRun.error ? ` — failed: ${retention.lastRun.error}` : ''}` : 'not yet since start'],
        ['Last retention erasure', retention.lastErasure ? `${when(retention.lastErasure.at)}: ${retention.lastErasure.tickets} ticket(s)` : 'none'],
      ]);
      table($('requests'), [['When', 'Kind', 'By', 'Tickets', 'Reason'], ...requests.slice(0, 15).map((r) => [when(r.at), r.kind, r.actor.name || r.actor.id, r.ticketRefs.length, r.reason || ''])]);
    } catch (error) {
      if (error.status === 403) status('Privacy tools need the supervisor role.', true);
    }
  }

  async function start() {
    if (!(await whoAmI())) return;
    $('by').addEventListener('change', () => ($('value').placeholder = { email: 'priya@example.com', phone: '+44 20 7946 0000', channelUserId: 'user id on the channel' }[$('by').value]));
    $('lookup').addEventListener('submit', lookup);
    $('download').addEventListener('click', download);
    $('confirm').addEventListener('input', () => ($('erase-submit').disabled = !current || $('confirm').value.trim() !== current.query.value));
    $('erase').addEventListener('submit', erase);
    await loadSide();
    document.body.dataset.ready = 'true';
  }

  document.addEventListener('DOMContentLoaded', start);
})();
