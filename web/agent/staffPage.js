/* Shared by the supervisors' pages (privacy, team, reports): the API call with CSRF and sign-in redirect, tables, times. */
(function () {
  'use strict';
  let csrfToken = '';
  // Several requests run at once; only the first 401 sends the visitor to sign in (a second would abort the first).
  let leaving = false;

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: Object.assign({ accept: 'application/json' }, body && { 'content-type': 'application/json' }, method !== 'GET' && { 'x-csrf-token': csrfToken }),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) {
      if (!leaving) window.location.replace('/agent');
      leaving = true;
      throw new Error('Please sign in');
    }
    const data = await response.json().catch(() => ({}));
    // The console asks for the person's own password first, then they come back here.
    if (response.status === 403 && data.error === 'PASSWORD_CHANGE_REQUIRED') {
      if (!leaving) window.location.replace('/agent');
      leaving = true;
    }
    if (!response.ok) throw Object.assign(new Error(data.message || `HTTP ${response.status}`), { status: response.status, code: data.error });
    return data;
  }

  /**
   * Signs the page in: the CSRF token for writes, and who is looking (null after a redirect to sign in).
   * Asked once per page: the scripts of one page share the answer.
   */
  let signedIn;
  function whoAmI() {
    return (signedIn ||= askWhoAmI());
  }

  async function askWhoAmI() {
    try {
      const me = await api('GET', '/api/agent/me');
      csrfToken = me.csrfToken || '';
      if (me.agent.mustChangePassword) {
        window.location.replace('/agent');
        return null;
      }
      return me;
    } catch (error) {
      return null;
    }
  }

  /** Rows of cells (strings, or nodes for buttons); the first row is the header. */
  function table(element, rows) {
    element.replaceChildren(...rows.map((cells, index) => {
      const tr = document.createElement('tr');
      for (const cell of cells) {
        const td = document.createElement(index === 0 ? 'th' : 'td');
        if (index === 0) td.scope = 'col';
        if (cell instanceof Node) td.appendChild(cell);
        else td.textContent = String(cell);
        tr.appendChild(td);
      }
      return tr;
    }));
  }

  const when = (at) => (at ? String(at).slice(0, 16).replace('T', ' ') + ' UTC' : '—');

  window.StaffPage = { api, whoAmI, table, when };
})();
