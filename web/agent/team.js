/* Team page: agent accounts (add, disable, re-enable, reset password, change role) and integration tokens (create, revoke). Supervisors and up. */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const { api, whoAmI, table, when } = window.StaffPage;
  const ROLES = ['agent', 'supervisor', 'executive'];
  const rank = (role) => ROLES.indexOf(role);
  const NEEDS_ROLE = 'The team page needs the supervisor role.';
  let me = null;
  let accounts = [];

  function say(id, message, kind) {
    $(id).textContent = message;
    $(id).className = kind || '';
  }

  function button(label, onClick, className) {
    const element = document.createElement('button');
    element.type = 'button';
    element.textContent = label;
    element.className = className || 'small';
    element.addEventListener('click', onClick);
    return element;
  }

  // Screen readers hear which row a button acts on.
  function labelled(element, label) {
    element.setAttribute('aria-label', label);
    return element;
  }

  /** Asks in a modal dialog; resolves true only on Confirm. `roles` shows the role picker, preset to `current`. */
  function confirmAction(title, text, confirmLabel, roles, current) {
    $('confirm-role-field').hidden = !roles;
    if (roles) {
      $('confirm-role').replaceChildren(...roles.map((role) => Object.assign(document.createElement('option'), { value: role, textContent: role })));
      $('confirm-role').value = current;
    }
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    $('confirm-yes').textContent = confirmLabel;
    $('confirm').returnValue = '';
    $('confirm').showModal();
    return new Promise((resolve) => $('confirm').addEventListener('close', () => resolve($('confirm').returnValue === 'yes'), { once: true }));
  }

  // The API refuses changes to yourself and to anyone above you; the buttons are not offered either.
  const canChange = (account) => account._id !== me._id && rank(account.role) <= rank(me.role);

  function renderAccounts() {
    // A live reload must not take the keyboard away from the row button the supervisor was on.
    const focused = $('accounts').contains(document.activeElement) ? document.activeElement.getAttribute('aria-label') : null;
    table($('accounts'), [
      ['Name', 'E-mail', 'Role', 'Status', 'Last sign-in', 'Conversations held', ''],
      ...accounts.map((account) => {
        const state = document.createElement('span');
        state.className = account.disabled ? 'badge off' : 'badge';
        // Until its owner replaced the password a supervisor handed over, someone else knows it.
        state.textContent = account.disabled ? 'disabled' : account.mustChangePassword ? 'active, own password not chosen yet' : 'active';
        return [account.name, account.email, account.role, state, when(account.lastSignInAt), String(account.holding), actionsFor(account)];
      }),
    ]);
    Array.from($('accounts').rows).slice(1).forEach((row, index) => {
      row.dataset.email = accounts[index].email;
      row.classList.toggle('disabled-row', accounts[index].disabled);
    });
    if (focused) Array.from($('accounts').querySelectorAll('button')).find((element) => element.getAttribute('aria-label') === focused)?.focus();
  }

  /**
   * Another supervisor's change (added, disabled, role, password) shows here without a reload. The event says only
   * "reload"; the list comes from the API as usual. Only the table is redrawn: the add form and one-time passwords stay.
   */
  function followChanges() {
    const source = new EventSource('/api/agent/events');
    let pending;
    source.onopen = () => (document.body.dataset.live = 'open');
    source.onerror = () => (document.body.dataset.live = 'down');
    source.addEventListener('accounts.changed', () => {
      clearTimeout(pending);
      pending = setTimeout(loadAccounts, 150);
    });
  }

  function actionsFor(account) {
    if (!canChange(account)) return account._id === me._id ? 'you' : '';
    const actions = document.createElement('span');
    actions.className = 'actions';
    actions.append(
      account.disabled
        ? labelled(button('Re-enable', () => setDisabled(account, false), 'small secondary'), `Re-enable ${account.name}`)
        : labelled(button('Disable', () => setDisabled(account, true), 'small danger-btn'), `Disable ${account.name}`),
      labelled(button('Reset password', () => resetPassword(account), 'small secondary'), `Reset password of ${account.name}`),
      labelled(button('Change role', () => changeRole(account), 'small secondary'), `Change role of ${account.name}`),
    );
    return actions;
  }

  async function resetPassword(account) {
    const ok = await confirmAction(
      `Reset ${account.name}'s password?`,
      `${account.name} gets a new password, shown to you once, and is signed out everywhere at once. Their old password stops working; they choose their own when they sign in with the new one.`,
      'Reset password',
    );
    if (!ok) return;
    try {
      const { password } = await api('POST', `/api/agent/agents/${encodeURIComponent(account._id)}/password`, {});
      showSecret('reset-done', account.name, password);
      $('reset-password').focus();
      say('status', `${account.name}'s password is reset. Hand the new one over privately.`, 'ok');
    } catch (error) {
      say('status', `${account.name}'s password was not reset: ${error.message}`, 'error');
    }
    await loadAccounts();
  }

  async function changeRole(account) {
    // Only roles up to your own are offered; the API refuses the others too.
    const roles = ROLES.filter((role) => rank(role) <= rank(me.role));
    const ok = await confirmAction(`Change ${account.name}'s role?`, `${account.name} (now ${account.role}) gets the new role's pages and rights at once.`, 'Change role', roles, account.role);
    if (!ok) return;
    const role = $('confirm-role').value;
    if (role === account.role) return say('status', `${account.name} stays ${role}.`, '');
    try {
      await api('POST', `/api/agent/agents/${encodeURIComponent(account._id)}/role`, { role });
      say('status', `${account.name} is now ${role === 'agent' ? 'an' : 'a'} ${role}.`, 'ok');
    } catch (error) {
      say('status', `${account.name}'s role was not changed: ${error.message}`, 'error');
    }
    await loadAccounts();
  }

  async function setDisabled(account, disabled) {
    const held = account.holding === 0 ? `${account.name} holds no conversations.`
      : `${account.name}'s ${account.holding === 1 ? '1 conversation goes' : `${account.holding} conversations go`} back to the queue.`;
    const ok = disabled
      ? await confirmAction(`Disable ${account.name}?`, `${account.name} is signed out everywhere at once and their API tokens stop working. ${held}`, 'Disable')
      : await confirmAction(`Re-enable ${account.name}?`, `${account.name} can sign in again with their existing password.`, 'Re-enable');
    if (!ok) return;
    try {
      await api('POST', `/api/agent/agents/${encodeURIComponent(account._id)}/${disabled ? 'disable' : 'enable'}`, {});
      say('status', disabled ? `${account.name} is disabled.` : `${account.name} is active again.`, 'ok');
    } catch (error) {
      say('status', `${account.name} was not changed: ${error.message}`, 'error');
    }
    await loadAccounts();
  }

  function renderTokens(tokens) {
    const names = new Map(accounts.map((account) => [account._id, account.name]));
    table($('tokens'), [
      ['Label', 'Id', 'Created by', 'Created', 'Revoked', ''],
      ...tokens.map((token) => [
        token.label,
        token.id,
        names.get(token.agentId) || token.agentId,
        when(token.createdAt),
        token.revokedAt ? when(token.revokedAt) : '—',
        token.revokedAt ? '' : labelled(button('Revoke', () => revoke(token), 'small danger-btn'), `Revoke ${token.label}`),
      ]),
    ]);
    Array.from($('tokens').rows).slice(1).forEach((row, index) => (row.dataset.id = tokens[index].id));
    $('tokens').hidden = tokens.length === 0;
  }

  async function revoke(token) {
    if (!(await confirmAction(`Revoke "${token.label}"?`, `Integrations using token ${token.id} stop working at once. This cannot be undone.`, 'Revoke'))) return;
    try {
      await api('POST', `/api/agent/tokens/${encodeURIComponent(token.id)}/revoke`, {});
      say('token-message', `Token "${token.label}" is revoked.`, 'ok');
    } catch (error) {
      say('token-message', `Not revoked: ${error.message}`, 'error');
    }
    await loadTokens();
  }

  async function loadAccounts() {
    try {
      accounts = (await api('GET', '/api/agent/accounts')).accounts;
      renderAccounts();
    } catch (error) {
      say('status', error.status === 403 ? NEEDS_ROLE : `Could not load the accounts: ${error.message}`, 'error');
    }
  }

  async function loadTokens() {
    try {
      renderTokens((await api('GET', '/api/agent/tokens')).tokens);
    } catch (error) {
      say('token-message', error.status === 403 ? NEEDS_ROLE : `Could not load the tokens: ${error.message}`, 'error');
    }
  }

  /** 16 characters from an alphabet without look-alikes (0/O, 1/l/I), drawn without modulo bias. */
  function generatePassword() {
    const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789-_';
    let out = '';
    while (out.length < 16) {
      for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
        if (byte < 256 - (256 % alphabet.length) && out.length < 16) out += alphabet[byte % alphabet.length];
      }
    }
    $('add-password').value = out;
    $('add-password').type = 'text';
  }

  async function addAgent(event) {
    event.preventDefault();
    const input = { name: $('add-name').value.trim(), email: $('add-email').value.trim(), role: $('add-role').value, password: $('add-password').value };
    if (!input.name || !input.email) return say('add-message', 'Enter a name and an e-mail address.', 'error');
    if (input.password.length < 12) return say('add-message', 'The password must be at least 12 characters; use Generate for a strong one.', 'error');
    $('add-submit').disabled = true;
    try {
      const { agent } = await api('POST', '/api/agent/agents', input);
      showSecret('created', agent.name, input.password);
      $('add-form').reset();
      $('add-password').type = 'password';
      say('add-message', `${agent.name} (${agent.role}) can now sign in as ${agent.email}, and will choose their own password then.`, 'ok');
      await loadAccounts();
    } catch (error) {
      say('add-message', `Not added: ${error.message}`, 'error');
    } finally {
      $('add-submit').disabled = false;
    }
  }

  async function createToken(event) {
    event.preventDefault();
    const label = $('token-label').value.trim();
    if (!label) return say('token-message', 'Give the token a label (what uses it).', 'error');
    $('token-submit').disabled = true;
    try {
      const { id, token } = await api('POST', '/api/agent/tokens', { label });
      $('token-secret').value = token;
      $('token-created').querySelector('[data-copy]').textContent = 'Copy';
      $('token-created').hidden = false;
      $('token-form').reset();
      say('token-message', `Token "${label}" (${id}) created.`, 'ok');
      await loadTokens();
    } catch (error) {
      say('token-message', `Not created: ${error.message}`, 'error');
    } finally {
      $('token-submit').disabled = false;
    }
  }

  /**
   * Shows a one-time password. Onboarding several people, the previous one not yet dismissed moves to a list
   * below (it is never shown again, so it must not simply be replaced), and "Copied" is reset for the new one.
   */
  function showSecret(boxId, name, secret) {
    const box = $(boxId);
    const nameElement = box.querySelector('b');
    const input = box.querySelector('.secret input');
    if (!box.hidden && input.value) {
      const previous = nameElement.textContent;
      const item = document.createElement('li');
      const field = Object.assign(document.createElement('input'), { type: 'text', readOnly: true, value: input.value });
      field.setAttribute('aria-label', `${previous}'s password`);
      const copyButton = labelled(button('Copy', (event) => copyField(event.currentTarget, field), 'small secondary'), `Copy ${previous}'s password`);
      item.append(`${previous}: `, field, ' ', copyButton);
      const earlier = box.querySelector('.earlier');
      earlier.querySelector('ul').append(item);
      earlier.hidden = false;
    }
    nameElement.textContent = name;
    input.value = secret;
    box.querySelector('[data-copy]').textContent = 'Copy';
    box.hidden = false;
  }

  async function copyField(buttonElement, field) {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      buttonElement.textContent = 'Copied';
    } catch (error) {
      // Without clipboard access the text stays selected for Ctrl+C.
      buttonElement.textContent = 'Press Ctrl+C';
    }
  }

  const copy = (event) => copyField(event.currentTarget, $(event.currentTarget.dataset.copy));

  // "Done" forgets every secret on screen (the earlier ones too): they are not shown again.
  function hide(event) {
    const box = $(event.currentTarget.dataset.hide);
    for (const field of box.querySelectorAll('input')) field.value = '';
    for (const list of box.querySelectorAll('.earlier')) {
      list.hidden = true;
      list.querySelector('ul').replaceChildren();
    }
    box.hidden = true;
    box.querySelector('[data-copy]').textContent = 'Copy';
  }

  async function start() {
    const answer = await whoAmI();
    if (!answer) return;
    me = answer.agent;
    // A supervisor cannot create an account above their own role (the API refuses it too).
    $('add-role').replaceChildren(...ROLES.filter((role) => rank(role) <= rank(me.role)).map((role) => Object.assign(document.createElement('option'), { value: role, textContent: role })));
    $('add-form').addEventListener('submit', addAgent);
    $('generate').addEventListener('click', generatePassword);
    $('token-form').addEventListener('submit', createToken);
    for (const element of document.querySelectorAll('[data-copy]')) element.addEventListener('click', copy);
    for (const element of document.querySelectorAll('[data-hide]')) element.addEventListener('click', hide);
    if (rank(me.role) < rank('supervisor')) say('status', NEEDS_ROLE, 'error');
    await loadAccounts();
    await loadTokens();
    if (rank(me.role) >= rank('supervisor')) followChanges();
    document.body.dataset.ready = 'true';
  }

  // The page's saved-replies section (teamSavedReplies.js) uses the same buttons and confirmation dialog.
  window.TeamPage = { button, labelled, confirmAction };
  document.addEventListener('DOMContentLoaded', start);
})();
