// The agent console: plain ES module, no build step. Server state comes from /api/agent; live changes
// arrive over SSE (/api/agent/events) and trigger a re-fetch of what they touch.
import { attachSavedReplies } from './savedReplies.js';

const $ = (id) => document.getElementById(id);
const ROLE_RANK = { agent: 0, supervisor: 1, executive: 2 };
const STATUSES = ['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const SOON_MS = 15 * 60_000;

const MAX_REPLY_CHARS = 4000;
// Channel ids as agents say them; an unknown id is shown as it is.
const CHANNEL_NAMES = { instagram: 'Instagram', facebook: 'Messenger', email: 'E-mail', sms: 'SMS reply', x: 'X', twitter: 'X', webchat: 'Web chat', directline: 'Web chat', msteams: 'Teams', emulator: 'Emulator' };
const channelName = (id) => CHANNEL_NAMES[id] || id || '—';
const BASE_TITLE = document.title;

const state = { me: null, csrf: null, queue: { waiting: [], active: [] }, selected: null, view: null, agents: [], live: null, unread: new Map(), sending: false, draft: null, signInPassword: null, passwordForced: false };

async function api(method, path, body, retried = false) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body && { 'content-type': 'application/json' }), ...(method !== 'GET' && state.csrf && { 'x-csrf-token': state.csrf }) },
    ...(body && { body: JSON.stringify(body) }),
  });
  const data = await response.json().catch(() => ({}));
  // Signed in again in another tab: this tab's CSRF token belongs to the old session. Fetch the current one, retry once.
  if (response.status === 403 && data.error === 'CSRF_REJECTED' && !retried && (await refreshCsrf())) return api(method, path, body, true);
  if (response.status === 403 && data.error === 'PASSWORD_CHANGE_REQUIRED') showPasswordForm(true);
  // Only once: a second 401 after the sign-in form is up must not wipe the message.
  if (response.status === 401 && path !== '/api/agent/login' && state.me) showSignin('Your session expired, sign in again.');
  if (!response.ok) throw Object.assign(new Error(data.message || `Request failed (${response.status})`), { status: response.status, data });
  return data;
}

/** The session's current CSRF token (and who it is); false when nobody is signed in any more. */
async function refreshCsrf() {
  const response = await fetch('/api/agent/me', { credentials: 'same-origin' });
  if (!response.ok) return false;
  const me = await response.json();
  // Another account signed in elsewhere: reload everything as them rather than act under the wrong name.
  if (state.me && me.agent._id !== state.me._id) {
    await boot();
    return false;
  }
  state.csrf = me.csrfToken;
  return true;
}

// ---------- sign-in ----------
function showSignin(message = '') {
  state.live?.close();
  state.live = null;
  state.me = null;
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  markInvalid(['login-email', 'login-password'], false);
  $('login-email').focus();
  showFirstAccountHint();
}

/** A fresh install: how to create the first account (the server gives the hint only while no account exists). */
async function showFirstAccountHint() {
  const setup = await fetch('/api/agent/setup', { credentials: 'same-origin' }).then((response) => (response.ok ? response.json() : {})).catch(() => ({}));
  $('signin-setup').textContent = setup.firstAccountNeeded ? setup.hint : '';
  $('signin-setup').hidden = !setup.firstAccountNeeded;
}

/** Marks fields as wrong (or right again) for assistive technology; their error text is tied to them by aria-describedby. */
function markInvalid(ids, invalid) {
  for (const id of ids) {
    if (invalid) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('signin-error').textContent = '';
  markInvalid(['login-email', 'login-password'], false);
  try {
    const { agent } = await api('POST', '/api/agent/login', { email: $('login-email').value, password: $('login-password').value });
    // Kept only until the forced change below, so the person is not asked to type a handed-over password twice.
    state.signInPassword = agent.mustChangePassword ? $('login-password').value : null;
    $('login-password').value = '';
    await boot();
  } catch (error) {
    $('signin-error').textContent = error.message;
    markInvalid(['login-email', 'login-password'], true);
    $('login-password').focus();
  }
});

$('signout').addEventListener('click', async () => {
  await api('POST', '/api/agent/logout').catch(() => undefined);
  state.me = null;
  showSignin();
});

// ---------- own password ----------
/** `forced`: a supervisor set the password; nothing else works until its owner chose their own. */
function showPasswordForm(forced) {
  state.live?.close();
  state.live = null;
  state.passwordForced = forced;
  const known = forced && state.signInPassword;
  $('app').hidden = true;
  $('password').hidden = false;
  $('password-title').textContent = forced ? 'Choose your own password' : 'Change your password';
  $('password-intro').textContent = forced
    ? 'The password you signed in with was set by someone else. Choose your own to continue: at least 12 characters.'
    : 'At least 12 characters. Your other signed-in browsers are signed out.';
  $('password-username').value = state.me?.email ?? '';
  $('password-current-row').hidden = Boolean(known);
  $('password-current').value = known || '';
  $('password-cancel').textContent = forced ? 'Sign out' : 'Cancel';
  $('password-error').textContent = '';
  markInvalid(PASSWORD_FIELDS, false);
  (known ? $('password-new') : $('password-current')).focus();
}

const PASSWORD_FIELDS = ['password-current', 'password-new', 'password-repeat'];

function leavePasswordForm() {
  state.signInPassword = null;
  for (const id of PASSWORD_FIELDS) $(id).value = '';
  $('password').hidden = true;
}

$('change-password').addEventListener('click', () => showPasswordForm(false));

$('password-cancel').addEventListener('click', async () => {
  leavePasswordForm();
  if (!state.passwordForced) {
    $('app').hidden = false;
    return connectLive();
  }
  await api('POST', '/api/agent/logout').catch(() => undefined);
  state.me = null;
  showSignin();
});

$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  // The message is announced (role=alert) and the field it is about is marked and focused.
  const error = (message, field) => {
    $('password-error').textContent = message;
    markInvalid(PASSWORD_FIELDS, false);
    markInvalid([field], true);
    $(field).focus();
  };
  markInvalid(PASSWORD_FIELDS, false);
  const currentPassword = $('password-current').value;
  const newPassword = $('password-new').value;
  if (!currentPassword) return error('Type your current password.', 'password-current');
  if (newPassword.length < 12) return error('The new password needs at least 12 characters.', 'password-new');
  if (newPassword !== $('password-repeat').value) return error('The two new passwords are not the same.', 'password-repeat');
  if (newPassword === currentPassword) return error('Choose a new password, not the current one.', 'password-new');
  try {
    await api('POST', '/api/agent/me/password', { currentPassword, newPassword });
  } catch (failure) {
    // A wrong current password after a forced sign-in cannot be fixed with the field hidden: show it.
    $('password-current-row').hidden = false;
    return error(failure.message, failure.data?.error === 'VALIDATION_FAILED' ? 'password-new' : 'password-current');
  }
  const forced = state.passwordForced;
  leavePasswordForm();
  if (forced) return boot();
  $('app').hidden = false;
  connectLive();
  toast('Your password is changed.', 'ok');
});

async function boot() {
  let me;
  try {
    me = await api('GET', '/api/agent/me');
  } catch {
    return showSignin();
  }
  state.me = me.agent;
  state.csrf = me.csrfToken;
  $('signin').hidden = true;
  if (me.agent.mustChangePassword) return showPasswordForm(true);
  $('app').hidden = false;
  $('me').innerHTML = '';
  $('me').append(me.agent.name, el('span', 'role', me.agent.role));
  $('nav').replaceChildren(...me.nav.map((link) => {
    const a = el('a', location.pathname === link.href ? 'current' : '', link.label);
    a.href = link.href;
    return a;
  }));
  fillSelect($('status-select'), STATUSES, (s) => s.replace(/_/g, ' '));
  fillSelect($('priority-select'), PRIORITIES);
  state.agents = await api('GET', '/api/agent/agents');
  connectLive();
  await refreshQueue();
}

// ---------- live updates ----------
function connectLive() {
  state.live?.close();
  const source = new EventSource('/api/agent/events');
  state.live = source;
  source.onopen = () => showLive(true);
  source.onerror = () => {
    showLive(false);
    // The server ends the feed when the session ends (api() then shows sign-in) or a supervisor changed our role (reload the navigation and rights).
    if (source.readyState !== EventSource.OPEN) api('GET', '/api/agent/me').then((me) => state.me && me.agent.role !== state.me.role && boot()).catch(() => undefined);
  };
  const on = (type, handler) => source.addEventListener(type, (message) => handler(JSON.parse(message.data)));
  on('queue.changed', () => scheduleRefresh());
  on('ticket.changed', (event) => scheduleRefresh(event.ref));
  on('customer.message', (event) => {
    scheduleRefresh(event.ref);
    if (event.ref === state.selected) {
      appendMessage({ direction: 'in', actor: { kind: 'customer', name: event.name }, text: event.text, at: event.at });
      $('typing').hidden = true;
    } else if (heldByMe(event.ref)) {
      state.unread.set(event.ref, (state.unread.get(event.ref) ?? 0) + 1);
      renderQueue();
    }
  });
  on('agent.message', (event) => event.ref === state.selected && event.agentId !== state.me?._id && scheduleRefresh(event.ref));
  on('customer.typing', (event) => {
    if (event.ref !== state.selected) return;
    $('typing').hidden = false;
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(() => ($('typing').hidden = true), 5000);
  });
  on('alert', (event) => {
    // An alert about my own chat (a supervisor resolved or closed it under me) says so first: my reply box is gone.
    const mine = event.agentId && event.agentId === state.me?._id;
    toast(mine ? `Your chat has ended. ${event.message}` : event.message, mine ? `${event.level} mine` : event.level);
    scheduleRefresh(event.ref);
  });
  // Listening alerts (spikes, viral posts, crisis mode): the server streams them to supervisors and up only.
  on('listening.alert', ({ alert }) => toast(`${alert.title} — ${alert.summary}`, `listening ${alert.severity}`));
  // The same alert's surge is over: a calm note, so a live incident and an ended one never look alike.
  on('listening.alert.subsided', ({ alert }) => toast(alert.summary, 'listening subsided'));
}

/** The live-updates indicator says its state in words, not by colour alone. */
function showLive(up) {
  $('live').classList.toggle('down', !up);
  $('live').textContent = up ? '● live' : '● reconnecting…';
}

let refreshTimer;
const dirtyRefs = new Set();
function scheduleRefresh(ref) {
  if (ref) dirtyRefs.add(ref);
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    const reloadSelected = state.selected && dirtyRefs.has(state.selected);
    dirtyRefs.clear();
    await refreshQueue();
    if (reloadSelected) await loadTicket(state.selected);
  }, 120);
}

// ---------- queue ----------
async function refreshQueue() {
  state.queue = await api('GET', '/api/agent/queue');
  renderQueue();
}

function heldByMe(ref) {
  return state.queue.active.some((item) => item.ref === ref && item.holder?.id === state.me?._id);
}

/** Unread customer messages in conversations I hold: a badge per item and a count in the tab title. */
function renderUnread() {
  const total = [...state.unread.values()].reduce((sum, count) => sum + count, 0);
  document.title = total ? `(${total}) ${BASE_TITLE}` : BASE_TITLE;
}

function renderQueue() {
  const { waiting, active } = state.queue;
  renderUnread();
  // Live updates redraw the lists: the keyboard stays on the same ticket (or its neighbour), never drops to the page.
  const focused = document.activeElement?.closest?.('#waiting li, #active li');
  const focusedList = focused?.parentElement.id;
  const focusedIndex = focused ? [...focused.parentElement.children].indexOf(focused) : -1;
  const focusedRef = focused?.dataset.ref;
  $('waiting-count').textContent = waiting.length;
  $('active-count').textContent = active.length;
  $('waiting').replaceChildren(...waiting.map(queueItem));
  $('active').replaceChildren(...active.map(queueItem));
  if (!focused) return;
  const again = document.querySelector(`#${focusedList} [data-ref="${CSS.escape(focusedRef)}"] button`)
    ?? document.querySelector(`#waiting [data-ref="${CSS.escape(focusedRef)}"] button, #active [data-ref="${CSS.escape(focusedRef)}"] button`)
    ?? $(focusedList).children[Math.min(focusedIndex, $(focusedList).children.length - 1)]?.querySelector('button')
    ?? $(`${focusedList}-title`);
  again.focus();
}

/** A queue entry: the whole card is one button (its text is its name), so Tab, Enter and Space work and screen readers say what it does. */
function itemButton(li, ref) {
  const button = el('button', 'item-open');
  button.type = 'button';
  if (ref === state.selected) button.setAttribute('aria-current', 'true');
  button.addEventListener('click', () => select(ref, { focusConversation: true }));
  li.append(button);
  return button;
}

function queueItem(item) {
  const li = el('li', `item ${item.status === 'resolved' || item.status === 'closed' ? '' : slaClass(item.due.at)} ${item.ref === state.selected ? 'selected' : ''}`);
  li.dataset.ref = item.ref;
  const button = itemButton(li, item.ref);
  const top = el('span', 'line');
  top.append(el('span', 'ref', item.ref), el('span', `pill ${item.priority}`, item.priority));
  const unread = state.unread.get(item.ref);
  if (unread) {
    const words = `${unread} new message${unread === 1 ? '' : 's'} from the customer`;
    // The red count alone means nothing to a screen reader (or without colour): the words go with it.
    const badge = el('span', 'unread', String(unread));
    badge.title = words;
    badge.setAttribute('aria-hidden', 'true');
    top.firstChild.after(badge, el('span', 'sr-only', `, ${words},`));
  }
  const who = el('span', 'line');
  const badges = el('span', 'badges');
  if (item.status !== 'open') badges.append(el('span', 'pill', item.status.replace(/_/g, ' ')));
  if (item.tier !== 'agent') badges.append(el('span', 'pill tier', item.tier));
  badges.append(el('span', 'pill channel', channelName(item.channelId)));
  who.append(el('span', '', item.customerName || 'Customer'), badges);
  const timing = el('span', 'line');
  const wait = el('span', 'sla muted');
  wait.dataset.since = item.heldSince ?? item.queuedAt;
  wait.dataset.label = item.heldSince ? 'in chat' : 'waiting';
  const settled = item.status === 'resolved' || item.status === 'closed';
  const sla = el('span', 'sla ok', settled ? item.status : '');
  if (!settled) {
    sla.dataset.due = item.due.at;
    sla.dataset.kind = item.due.kind;
  }
  timing.append(wait, sla);
  const reason = el('span', 'reason', item.holder ? `with ${item.holder.name}` : item.state === 'external' ? 'with the external agent hub' : item.reason);
  button.append(top, who, timing, reason);
  tickTimers(li);
  return li;
}

// ---------- find a ticket (queued or not) ----------
$('find-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = $('find-query').value.trim();
  if (!query) return clearFound();
  try {
    const { tickets } = await api('GET', `/api/agent/tickets?query=${encodeURIComponent(query)}`);
    showFound(tickets.length ? `${tickets.length} found` : 'No ticket matches that reference, order number, e-mail, phone or name.');
    $('found').replaceChildren(...tickets.map(foundItem));
    $('found').hidden = tickets.length === 0;
    // One match is what the customer meant: open it straight away.
    if (tickets.length === 1) await select(tickets[0].ref);
  } catch (error) {
    showFound(error.message);
  }
});
$('find-query').addEventListener('input', () => !$('find-query').value && clearFound());

function showFound(message) {
  $('find-message').textContent = message;
  $('find-message').hidden = false;
}

function clearFound() {
  $('find-message').hidden = true;
  $('found').hidden = true;
  $('found').replaceChildren();
}

function foundItem(hit) {
  const li = el('li', `item ${hit.ref === state.selected ? 'selected' : ''}`);
  li.dataset.ref = hit.ref;
  const button = itemButton(li, hit.ref);
  const top = el('span', 'line');
  top.append(el('span', 'ref', hit.ref), el('span', `pill ${hit.priority}`, hit.priority));
  const who = el('span', 'line');
  who.append(el('span', '', hit.customerName || 'Customer'), el('span', 'pill', hit.status.replace(/_/g, ' ')));
  const facts = [channelName(hit.channel), hit.orderNumber && `order ${hit.orderNumber}`, `opened ${new Date(hit.createdAt).toLocaleDateString()}`].filter(Boolean).join(' · ');
  button.append(top, who, el('span', 'reason', hit.heldBy ? `with ${hit.heldBy} · ${facts}` : facts));
  return li;
}

// ---------- conversation ----------
/** `focusConversation`: opened from a list, so the keyboard (and a screen reader) goes on to the ticket's heading. */
async function select(ref, { focusConversation = false } = {}) {
  // A half-typed reason belongs to the ticket it was opened on: another ticket starts without it.
  if (ref !== state.selected) {
    for (const close of closeReasonForms) close({ focusOpener: false });
    closeTakeoverConfirm({ focusOpener: false });
  }
  state.selected = ref;
  state.unread.delete(ref);
  $('conv-error').textContent = '';
  renderQueue();
  for (const node of $('found').children) {
    node.classList.toggle('selected', node.dataset.ref === ref);
    if (node.dataset.ref === ref) node.querySelector('button')?.setAttribute('aria-current', 'true');
    else node.querySelector('button')?.removeAttribute('aria-current');
  }
  await loadTicket(ref);
  if (focusConversation && state.selected === ref && !$('conv').hidden) $('conv-title').focus();
}

async function loadTicket(ref) {
  // Reloads overlap (a live event, an action, a send): only the one asked for last may draw, never an older answer landing late.
  const load = (state.loads = (state.loads ?? 0) + 1);
  const view = await api('GET', `/api/agent/tickets/${encodeURIComponent(ref)}`);
  if (ref !== state.selected || load !== state.loads) return;
  state.view = view;
  // The reply window is judged on the server's clock: remember how far this computer's clock is from it.
  state.serverOffsetMs = view.now ? Date.parse(view.now) - Date.now() : 0;
  renderConversation();
  applyPendingFocus();
}

function renderConversation() {
  const { ticket, handoff, transcript, audit } = state.view;
  $('empty').hidden = true;
  $('conv').hidden = false;
  $('details-body').hidden = false;
  $('conv-ref').textContent = ticket.ref;
  $('conv-customer').textContent = ticket.customer.name ? `· ${ticket.customer.name}` : '';
  const holder = handoff?.state === 'held' ? handoff.holder : null;
  const mine = holder?.id === state.me._id;
  const canWrite = mine || (holder && ROLE_RANK[state.me.role] >= ROLE_RANK.supervisor);
  $('conv-holder').textContent = holder
    ? mine ? 'You are chatting with the customer; the bot is silent.' : `${holder.name} is chatting with the customer.`
    : handoff?.state === 'waiting' ? 'Waiting for a person. The bot is silent.'
    : handoff?.state === 'external' ? 'An external agent hub has this conversation.'
    : 'The bot is handling this conversation.';
  const tier = ticket.tier || 'agent';
  const belowTier = ROLE_RANK[state.me.role] < ROLE_RANK[tier];
  const outranked = holder && ROLE_RANK[state.me.role] < ROLE_RANK[holder.role ?? 'agent'];
  const noConversation = !ticket.conversation;
  $('takeover').hidden = mine;
  $('takeover').disabled = belowTier || handoff?.state === 'external' || outranked || noConversation;
  $('takeover').title = noConversation
    ? 'No conversation to take over: the customer has not written to us directly (only a public post). Reply through the post or contact them.'
    : belowTier ? `Escalated to the ${tier} tier`
    : outranked ? `${holder.name} is a ${holder.role}; only a ${holder.role} or above can take over from them`
    : '';
  $('takeover').textContent = holder ? `Take over from ${holder.name}` : 'Take over';
  // The confirmation names one colleague: when someone else (or nobody) holds the conversation now, it no longer applies.
  if (!$('takeover-form').hidden && (holder?.id !== state.takeoverFrom?.id || mine || $('takeover').disabled)) closeTakeoverConfirm();
  // A disabled button cannot be focused, so its tooltip never reaches a keyboard or screen-reader user: say why in the page.
  $('takeover-why').textContent = !mine && $('takeover').disabled ? $('takeover').title || 'An external agent hub has this conversation.' : '';
  $('takeover-why').hidden = !$('takeover-why').textContent;
  $('assign').hidden = ROLE_RANK[state.me.role] < ROLE_RANK.supervisor;
  $('handback').hidden = !canWrite;
  $('reply-text').disabled = !canWrite;
  $('saved-replies').disabled = !canWrite;
  $('reply-text').placeholder = !canWrite ? 'Take the conversation over to reply'
    : ticket.conversation?.channelId === 'email' ? 'Write the e-mail reply (Enter to send, Shift+Enter for a new line)'
    : 'Reply to the customer (Enter to send, Shift+Enter for a new line)';
  renderTranscript(ticket.ref, transcript);

  syncSelect($('status-select'), ticket.status, ticket.ref);
  syncSelect($('priority-select'), ticket.priority, ticket.ref);
  // The API's rule (services/handoff/changeRights.ts), shown up front: while someone else chats with the customer (a
  // colleague, or an external agent hub), only they or a supervisor may change or escalate it; above your tier, status and priority are not yours.
  const chatting = ROLE_RANK[state.me.role] >= ROLE_RANK.supervisor ? ''
    : holder && !mine ? holder.name : handoff?.state === 'external' ? 'An external agent hub' : '';
  const askSupervisor = (what) => (chatting ? `${chatting} is chatting with the customer: add an internal note, or ask a supervisor to ${what}.` : '');
  lockControls(['status-select', 'status-apply', 'priority-select', 'priority-apply'], 'change-locked', belowTier
    ? `Escalated to the ${tier} tier: you can add notes, but only a ${tier} or above can change the status or priority.`
    : askSupervisor('change the status or priority'));
  lockControls(['escalate'], 'escalate-locked', askSupervisor('escalate it'));
  $('d-tier').textContent = ticket.tier || 'agent';
  $('d-assignee').textContent = ticket.assignee?.name || '—';
  setDue($('d-first'), ticket.firstResponseAt ? null : ticket.sla.firstResponseDueAt, ticket.firstResponseAt, 'first_response');
  setDue($('d-resolution'), ticket.resolvedAt ? null : ticket.sla.resolutionDueAt, ticket.resolvedAt, 'resolution');
  const others = ticket.otherOrderNumbers || [];
  $('d-order').textContent = (ticket.orderNumber || '—') + (others.length ? ` (also ${others.join(', ')})` : '');
  $('d-channel').textContent = channelName(ticket.channelId);
  // The opening mail's subject is the customer's own words: set as text, and the row shows only when there is one.
  $('d-subject').textContent = ticket.subject || '';
  $('d-subject').hidden = $('d-subject-label').hidden = !ticket.subject;
  // The customer writes in another language (set by the bot): the row shows only then, as text.
  $('d-language').textContent = ticket.language ? languageLabel(ticket.language) : '';
  $('d-language').hidden = $('d-language-label').hidden = !ticket.language;
  $('conv-channel').textContent = channelName(ticket.conversation?.channelId ?? ticket.channelId);
  renderReplyNote(ticket, replyWindowNow());
  syncSend();
  renderContact(ticket);
  $('d-description').textContent = ticket.description || 'No description yet.';
  // Tiers: an agent sends a ticket one tier up at most; supervisors anywhere. Never to oneself.
  const maxTier = ROLE_RANK[state.me.role] >= ROLE_RANK.supervisor ? ROLE_RANK.executive : ROLE_RANK[tier] + 1;
  const options = [
    ...['supervisor', 'executive'].filter((t) => ROLE_RANK[t] <= maxTier && t !== tier).map((t) => ({ value: `tier:${t}`, label: `Tier: ${t}` })),
    ...state.agents.filter((a) => a._id !== state.me._id).map((a) => ({ value: `agent:${a._id}`, label: `${a.name} (${a.role})` })),
  ];
  syncOptions($('transfer-select'), options, ticket.ref);
  $('audit').replaceChildren(...[...audit].reverse().map(auditItem));
}

/** Disables the controls with the reason as their tooltip and, since a disabled control cannot be focused, in the page's note too. */
function lockControls(ids, noteId, reason) {
  for (const id of ids) {
    $(id).disabled = Boolean(reason);
    $(id).title = reason;
  }
  $(noteId).textContent = reason;
  $(noteId).hidden = !reason;
}

/**
 * The chat is a live log (role=log): what is appended to it is read out, so a refresh appends only the lines that are
 * new. Anything else (another ticket, history that moved) is built aside and swapped in with a new log region, which
 * is not read out.
 * The agent's reading position is kept; new messages are followed only when already at the bottom.
 */
function renderTranscript(ref, transcript) {
  const list = $('transcript');
  const sameTicket = list.dataset.ref === ref;
  const stick = !sameTicket || atBottom(list);
  const scrollTop = list.scrollTop;
  const shown = sameTicket ? [...list.children] : [];
  const onlyAdded = sameTicket && shown.length <= transcript.length && shown.every((node, index) => node.dataset.key === entryKey(transcript[index]));
  if (onlyAdded) {
    for (const entry of transcript.slice(shown.length)) appendMessage(entry, false);
    list.scrollTop = stick ? list.scrollHeight : scrollTop;
    return;
  }
  const fresh = list.cloneNode(false);
  fresh.dataset.ref = ref;
  for (const entry of transcript) appendMessage(entry, false, fresh);
  const log = $('chat-log');
  const freshLog = log.cloneNode(false);
  freshLog.append(fresh);
  const hadFocus = document.activeElement === list;
  log.replaceWith(freshLog);
  if (hadFocus) fresh.focus();
  fresh.scrollTop = stick ? fresh.scrollHeight : scrollTop;
}

/** What makes a chat line the same line on the next refresh (a live event's time may differ from the stored one). */
function entryKey(entry) {
  return `${entry.direction}|${entry.actor?.kind ?? ''}|${entry.text}|${entry.files?.length ?? 0}`;
}

/** "es" → "Spanish (es)"; an unknown code is shown as it is. */
function languageLabel(code) {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

function appendMessage(entry, follow = true, list = $('transcript')) {
  const fromBot = entry.direction !== 'in' && entry.actor?.kind !== 'agent';
  const kind = entry.direction === 'in' ? 'in' : `out ${fromBot ? 'bot' : 'agent'}`;
  const li = el('li', `msg ${kind}`);
  const who = entry.direction === 'in' ? entry.actor?.name || 'Customer' : entry.actor?.kind === 'agent' ? entry.actor.name || 'Agent' : 'Bot';
  // Where the line came from when it is not the chat itself: an SMS reply, a mail in the thread.
  const home = state.view?.ticket.conversation?.channelId;
  const via = entry.channelId === 'sms' || entry.channelId === 'email' || (entry.channelId && home && entry.channelId !== home) ? channelName(entry.channelId) : '';
  const stick = follow && atBottom(list);
  // Only the bot writes **bold**; a customer's or agent's asterisks are their own words, shown as typed.
  const head = el('div', 'who', `${who} · `);
  if (via) head.append(el('span', 'via', via), ' · ');
  head.append(time(entry.at));
  li.dataset.channel = entry.channelId || '';
  li.dataset.key = entryKey(entry);
  li.append(head, ...(fromBot ? richText(entry.text) : [document.createTextNode(entry.text)]), ...(entry.files || []).map(fileItem));
  list.append(li);
  if (stick) list.scrollTop = list.scrollHeight;
}

/** Before anyone types: how a reply leaves (an e-mail in the thread) and whether Messenger/Instagram still take it. */
function renderReplyNote(ticket, window) {
  const note = $('reply-note');
  const channel = ticket.conversation?.channelId;
  let text = '';
  let level = '';
  if (window?.state === 'closed') {
    const since = window.sinceMs === null ? '' : ` The customer last wrote ${duration(window.sinceMs)} ago.`;
    text = `${window.channel}: the reply window is closed, a reply here cannot reach the customer (Meta allows 7 days after their last message).${since} Contact them by e-mail or phone, or wait until they write again.`;
    level = 'closed';
  } else if (window?.state === 'tagged') {
    text = `${window.channel}: the customer last wrote ${duration(window.sinceMs)} ago. Replies go with Meta's human-agent tag; the window closes in ${duration(window.closesInMs)} (${dateTime(window.closesAt)}).`;
    level = 'warn';
  } else if (channel === 'email') {
    const to = ticket.contact?.email ? ` to ${ticket.contact.email}` : '';
    text = `E-mail thread: your reply goes out as an e-mail${to}, in the customer's thread.`;
  }
  if (note.textContent !== text) note.textContent = text;
  // The reply box's description carries the notice; it is read out only when the window changes state on the open
  // ticket (now tagged, now closed), not as its minutes count on, nor when another ticket opens.
  if (note.dataset.ref === ticket.ref && note.dataset.level !== level && level) announce(text);
  note.dataset.ref = ticket.ref;
  note.dataset.level = level;
  note.className = `reply-note ${level}`;
  note.hidden = !text;
}

const WINDOW_STATES = ['open', 'tagged', 'closed'];

/**
 * The loaded reply window as it stands now: the page stays open for hours, so its deadlines are compared with the
 * server's clock as it moves on (this computer's clock plus the offset seen at load). It never reads more open than
 * the server said (a clock set back must not reopen it); a new customer message reloads the ticket and reopens it.
 */
function replyWindowNow() {
  const window = state.view?.replyWindow;
  if (!window?.lastCustomerMessageAt || !window.closesAt || !window.standardEndsAt) return window ?? null;
  const now = Date.now() + (state.serverOffsetMs ?? 0);
  const byClock = now >= Date.parse(window.closesAt) ? 'closed' : now >= Date.parse(window.standardEndsAt) ? 'tagged' : 'open';
  const stateNow = WINDOW_STATES[Math.max(WINDOW_STATES.indexOf(byClock), WINDOW_STATES.indexOf(window.state))];
  return { ...window, state: stateNow, sinceMs: now - Date.parse(window.lastCustomerMessageAt), closesInMs: Date.parse(window.closesAt) - now };
}

/** Called every second: the notice and Send follow the window's deadlines without a reload (the server still has the last word). */
function tickReplyWindow() {
  if (!state.view?.replyWindow || $('conv').hidden) return;
  renderReplyNote(state.view.ticket, replyWindowNow());
  syncSend();
}

/**
 * Send is off while a reply is in flight, over the limit, or after the channel's window closed, and says why.
 * Typing stays possible (nothing is lost); sending is not, until the customer writes again.
 */
function syncSend() {
  const closed = replyWindowNow()?.state === 'closed';
  const over = replyTooLong();
  $('reply-send').disabled = $('reply-text').disabled || state.sending || over || closed;
  $('reply-send').title = closed ? 'The channel no longer accepts replies to this customer' : over ? `Replies are limited to ${MAX_REPLY_CHARS} characters` : '';
}

function atBottom(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
}

/** Contact details, consent, source, priority reasons and the public post: what an agent needs to call back or reply. */
function renderContact(ticket) {
  const contact = ticket.contact || {};
  $('d-email').replaceChildren(contact.email ? Object.assign(el('a', '', contact.email), { href: `mailto:${contact.email}` }) : '—');
  $('d-phone').replaceChildren(contact.phone ? Object.assign(el('a', '', contact.phone), { href: `tel:${contact.phone}` }) : '—');
  // The SMS provider refused this phone for good: follow-ups never text it, and agents should not either.
  const SMS_BLOCKS = { opted_out: 'SMS: opted out', invalid_number: 'SMS: invalid number', not_mobile: 'SMS: not a mobile', unreachable: 'SMS: unreachable', blocked: 'SMS: blocked' };
  if (contact.phone && contact.smsBlocked) $('d-phone').append(el('span', 'sms-blocked', ` · ${SMS_BLOCKS[contact.smsBlocked.reason] || 'SMS: unusable'}`));
  // The carrier reported the last follow-up SMS as not delivered (it went again by another route if there was one).
  const undelivered = state.view?.smsUndelivered;
  if (contact.phone && undelivered) $('d-phone').append(el('span', 'sms-blocked', ` · last SMS not delivered${undelivered.code ? ` (error ${undelivered.code})` : ''}`));
  const METHODS = { email: 'e-mail', phone: 'phone', dm: `a message on ${channelName(ticket.conversation?.channelId ?? ticket.channelId)}` };
  $('d-consent').textContent = ticket.contact
    ? `${contact.consent ? 'agreed to be contacted' : 'no consent to contact outside the chat'}${contact.preferred ? ` · prefers ${METHODS[contact.preferred] || contact.preferred}` : ''}`
    : '—';
  $('d-source').textContent = { dm: 'direct message', public_post: 'public post', web: 'web', email: 'e-mail', sms: 'text message', api: 'API' }[ticket.source] || ticket.source || '—';
  $('d-reasons').replaceChildren(...(ticket.priorityReasons?.length ? ticket.priorityReasons.map((reason) => el('li', '', reason)) : [el('li', 'muted', 'none given')]));
  const post = ticket.publicPost;
  $('d-post-row').hidden = !post;
  $('d-post').replaceChildren();
  if (post) {
    const who = [post.authorHandle && `@${post.authorHandle.replace(/^@/, '')}`, post.authorName, post.followers !== undefined && `${post.followers.toLocaleString()} followers`].filter(Boolean).join(' · ');
    const link = webLink(post.url) ? Object.assign(el('a', '', `${post.platform} post`), { href: post.url, target: '_blank', rel: 'noopener noreferrer' }) : el('span', '', `${post.platform} post`);
    $('d-post').append(link, el('div', 'muted small', who), el('div', 'post-text', post.text));
  }
}

/** Only http(s) links become clickable: a `javascript:` or `data:` URL from a channel or an old record stays text. */
function webLink(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url);
}

/** A file the customer sent: its name and type, a link when the channel gave one (opened outside the console). */
function fileItem(file) {
  const label = `📎 ${file.name || 'file'} (${file.contentType})`;
  const row = el('div', 'file');
  row.append(webLink(file.url) ? Object.assign(el('a', '', label), { href: file.url, target: '_blank', rel: 'noopener noreferrer' }) : label);
  return row;
}

/** The bot's **bold** as <strong>; everything else stays text (never HTML from the transcript). */
function richText(text) {
  return text.split(/\*\*(.+?)\*\*/g).map((part, index) => (index % 2 ? el('strong', '', part) : document.createTextNode(part)));
}

function auditItem(event) {
  const li = el('li');
  const who = event.actor.name || event.actor.id;
  li.append(el('span', 'when', `${time(event.at)} `), `${who}: ${event.action.replace(/^ticket\.|^handoff\./, '').replace(/_/g, ' ')}`);
  const change = event.after && typeof event.after === 'object' ? Object.entries(event.after).map(([k, v]) => `${k} → ${v}`).join(', ') : '';
  if (change) li.append(el('div', 'muted', change));
  if (event.note) li.append(el('div', 'note', event.note));
  return li;
}

// ---------- actions ----------
/** Runs an action on the open ticket and redraws; false when it was refused (the reason is shown). */
async function act(run) {
  $('conv-error').textContent = '';
  try {
    await run();
    await Promise.all([refreshQueue(), state.selected && loadTicket(state.selected)]);
    return true;
  } catch (error) {
    if (error.status !== 401) $('conv-error').textContent = error.message;
    return false;
  }
}

/**
 * Where the keyboard goes once the ticket is redrawn after an action that hides its own button (Take over, Hand
 * back). The redraw showing the result may be a later reload than the action's own (a live event landing
 * meanwhile draws instead), so the target is picked after each draw until it exists; focus moves only if the
 * keyboard is still where the action left it (on the page itself, or on `from`).
 */
function focusAfterDraw(pick, from) {
  state.pendingFocus = { ref: state.selected, pick, from };
  applyPendingFocus();
}

function applyPendingFocus() {
  const pending = state.pendingFocus;
  if (!pending) return;
  const target = pending.ref === state.selected ? pending.pick() : null;
  if (pending.ref === state.selected && !target) return;
  state.pendingFocus = null;
  const active = document.activeElement;
  if (target && (!active || active === document.body || pending.from.some((node) => node.contains(active)))) target.focus();
}

const ticketPath = (suffix) => `/api/agent/tickets/${encodeURIComponent(state.selected)}/${suffix}`;

async function takeOver(force) {
  const taken = await act(() => api('POST', ticketPath('takeover'), { force }));
  // Only once the ticket is redrawn is the reply box enabled (and Take over hidden): then the keyboard moves to it.
  if (taken) focusAfterDraw(() => ($('takeover').hidden && !$('reply-text').disabled ? $('reply-text') : null), [$('takeover'), $('takeover-form')]);
  // Refused (someone else took it a moment ago, say): the confirmation is gone, so the keyboard goes back to Take over.
  else if (force && document.activeElement === document.body) ($('takeover').hidden || $('takeover').disabled ? $('conv-title') : $('takeover')).focus();
}
/**
 * Taking a colleague's conversation is confirmed in the page (not the browser's confirm()): the form names who is
 * chatting and what happens to them; Confirm or Enter takes over, Cancel or Escape gives the keyboard back to Take over.
 */
function closeTakeoverConfirm({ focusOpener = true } = {}) {
  if ($('takeover-form').hidden) return;
  const hadFocus = $('takeover-form').contains(document.activeElement);
  $('takeover-form').hidden = true;
  state.takeoverFrom = null;
  if (!focusOpener || !hadFocus) return;
  if (!$('takeover').hidden && !$('takeover').disabled) $('takeover').focus();
  else $('conv-title').focus();
}
$('takeover').addEventListener('click', async () => {
  const holder = state.view?.handoff?.state === 'held' ? state.view.handoff.holder : null;
  if (!holder) return takeOver(false);
  state.takeoverFrom = holder;
  $('takeover-form-title').textContent = `Take over from ${holder.name}?`;
  $('takeover-form-text').textContent = `${holder.name} is chatting with this customer. If you take over, ${holder.name} can no longer reply to them and is told you took the conversation.`;
  $('takeover-form').hidden = false;
  $('takeover-submit').focus();
});
$('takeover-cancel').addEventListener('click', () => closeTakeoverConfirm());
$('takeover-form').addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  closeTakeoverConfirm();
});
$('takeover-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  // One take-over at a time: a second Enter while the first is on its way sends nothing more.
  if ($('takeover-submit').disabled || !state.takeoverFrom) return;
  $('takeover-submit').disabled = true;
  // Hidden first so the keyboard lands on the reply box (or back on Take over) once the ticket is redrawn.
  closeTakeoverConfirm({ focusOpener: false });
  try {
    await takeOver(true);
  } finally {
    $('takeover-submit').disabled = false;
  }
});
$('handback').addEventListener('click', async () => {
  const handedBack = await act(() => api('POST', ticketPath('handback')));
  // Hand back hides itself: the keyboard goes on to Take over rather than falling to the top of the page.
  if (handedBack) focusAfterDraw(() => ($('handback').hidden ? (!$('takeover').hidden && !$('takeover').disabled ? $('takeover') : $('conv-title')) : null), [$('handback')]);
});
$('status-apply').addEventListener('click', () => act(() => api('POST', ticketPath('status'), { status: $('status-select').value })));
/**
 * A reason asked for in the ticket panel (not the browser's prompt(), which screen readers and tests handle badly):
 * the opener shows the form and focuses its field; Cancel or Escape closes it and gives the keyboard back to the opener.
 * An empty reason or a refusal from the server is said in the form (role=alert) and the form stays open.
 */
function reasonForm(key, opener, { missing, prepare, send }) {
  const form = $(`${key}-form`);
  const field = $(`${key}-reason`);
  const error = $(`${key}-form-error`);
  const showError = (message) => {
    error.textContent = message;
    markInvalid([field.id], Boolean(message));
  };
  const fail = (message) => {
    showError(message);
    field.focus();
  };
  const close = ({ focusOpener = true } = {}) => {
    form.hidden = true;
    field.value = '';
    showError('');
    if (!focusOpener) return;
    if (!opener.disabled && !opener.hidden) opener.focus();
    else $('conv-title').focus();
  };
  opener.addEventListener('click', () => {
    prepare?.();
    showError('');
    form.hidden = false;
    field.focus();
  });
  $(`${key}-cancel`).addEventListener('click', () => close());
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    close();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = field.value.trim();
    if (!reason) return fail(missing);
    const submit = $(`${key}-submit`);
    if (submit.disabled) return;
    submit.disabled = true;
    try {
      await send(reason);
    } catch (failure) {
      if (failure.status !== 401) fail(failure.message);
      return;
    } finally {
      submit.disabled = false;
    }
    close();
    $('conv-error').textContent = '';
    await Promise.all([refreshQueue(), state.selected && loadTicket(state.selected)]).catch(() => undefined);
  });
  return close;
}
const closeReasonForms = [
  reasonForm('priority', $('priority-apply'), {
    missing: 'Say why the priority is changing.',
    // The heading says what will happen: the priority picked in the list when the form opened.
    prepare: () => {
      state.priorityTarget = $('priority-select').value;
      $('priority-form-title').textContent = `Change priority to ${state.priorityTarget}`;
    },
    send: (reason) => api('POST', ticketPath('priority'), { priority: state.priorityTarget, reason }),
  }),
  reasonForm('escalate', $('escalate'), {
    missing: 'Say why this ticket needs the next tier.',
    send: (reason) => api('POST', ticketPath('escalate'), { reason }),
  }),
];
$('transfer').addEventListener('click', () =>
  act(() => {
    const [kind, value] = $('transfer-select').value.split(':');
    return api('POST', ticketPath('transfer'), kind === 'tier' ? { tier: value } : { agentId: value });
  }),
);
$('assign').addEventListener('click', () =>
  act(() => {
    const [kind, value] = $('transfer-select').value.split(':');
    if (kind !== 'agent') throw new Error('Pick a colleague to assign the ticket to');
    return api('POST', ticketPath('assign'), { agentId: value });
  }),
);
for (const visibility of ['internal', 'public']) {
  $(`note-${visibility}`).addEventListener('click', () =>
    act(async () => {
      const text = $('note-text').value.trim();
      if (!text) return;
      await api('POST', ticketPath('notes'), { visibility, text });
      $('note-text').value = '';
    }),
  );
}

$('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  // One send at a time: a second Enter while the first is in flight must not message the customer twice.
  if (state.sending) return;
  const text = $('reply-text').value.trim();
  if (!text) return;
  const length = [...text].length;
  if (length > MAX_REPLY_CHARS) {
    $('conv-error').textContent = `The reply is ${length} characters; the limit is ${MAX_REPLY_CHARS}. Shorten it or send it in parts.`;
    return;
  }
  const ref = state.selected;
  // Retrying the same draft reuses its id, so the server sends it at most once even if the first try did get through.
  if (state.draft?.ref !== ref || state.draft.text !== text) state.draft = { ref, text, id: crypto.randomUUID() };
  state.sending = true;
  $('reply-send').disabled = true;
  $('conv-error').textContent = '';
  try {
    await api('POST', ticketPath('messages'), { text, clientMessageId: state.draft.id });
    state.draft = null;
    if ($('reply-text').value.trim() === text) $('reply-text').value = '';
    updateCounter();
    if (ref === state.selected) appendMessage({ direction: 'out', actor: { kind: 'agent', name: state.me.name }, text, at: new Date().toISOString() });
    // A reload already under way may have read the chat before this reply was saved: read it again after it.
    scheduleRefresh(ref);
  } catch (error) {
    // The window closed while the agent typed: say so in plain words; the text stays in the box.
    $('conv-error').textContent = error.data?.error === 'CHANNEL_WINDOW_CLOSED'
      ? `Not sent — ${error.message} Your text is kept below.`
      : error.message;
    if (error.data?.error === 'CHANNEL_WINDOW_CLOSED' && ref === state.selected) await loadTicket(ref).catch(() => undefined);
  } finally {
    state.sending = false;
    syncSend();
    $('reply-text').focus();
  }
});
$('reply-text').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    if (!state.sending && !$('reply-send').disabled) $('reply-form').requestSubmit();
  }
});
$('reply-text').addEventListener('input', updateCounter);
attachSavedReplies({
  button: $('saved-replies'), picker: $('saved-picker'), filter: $('saved-filter'), list: $('saved-list'), empty: $('saved-empty'), textarea: $('reply-text'),
  context: () => ({ ticket: state.view?.ticket, me: state.me }),
  load: async () => (await api('GET', '/api/agent/saved-replies')).savedReplies,
});

/** The draft's length as the server counts it: code points of the trimmed text. */
function replyLength() {
  return [...$('reply-text').value.trim()].length;
}
function replyTooLong() {
  return replyLength() > MAX_REPLY_CHARS;
}
function updateCounter() {
  const length = replyLength();
  const over = length > MAX_REPLY_CHARS;
  $('reply-count').textContent = `${length} / ${MAX_REPLY_CHARS}`;
  $('reply-count').classList.toggle('over', over);
  $('reply-count').hidden = length < MAX_REPLY_CHARS * 0.8;
  if (over) $('reply-count').textContent += ' — too long to send';
  syncSend();
}
let lastTyping = 0;
$('reply-text').addEventListener('input', () => {
  if (Date.now() - lastTyping < 3000 || !state.selected) return;
  lastTyping = Date.now();
  api('POST', ticketPath('typing')).catch(() => undefined);
});

// ---------- timers and helpers ----------
function tickTimers(root = document) {
  const now = Date.now();
  for (const node of root.querySelectorAll('[data-since]')) node.textContent = `${node.dataset.label} ${duration(now - Date.parse(node.dataset.since))}`;
  for (const node of root.querySelectorAll('[data-due]')) {
    const left = Date.parse(node.dataset.due) - now;
    const label = node.dataset.kind === 'resolution' ? 'resolve' : 'reply';
    const level = slaClass(node.dataset.due);
    // Due soon and overdue are said in words (and marked), not by colour alone.
    node.textContent = left >= 0 ? `${label} in ${duration(left)}${level === 'soon' ? ' (due soon)' : ''}` : `⚠ ${label} overdue ${duration(-left)}`;
    node.className = `sla ${level}`;
  }
}
setInterval(() => {
  tickTimers();
  tickReplyWindow();
}, 1000);

function setDue(node, due, doneAt, kind) {
  node.replaceChildren();
  if (!due) {
    node.textContent = doneAt ? `met ${time(doneAt)}` : '—';
    return;
  }
  const span = el('span', 'sla');
  span.dataset.due = due;
  span.dataset.kind = kind;
  node.append(span);
  tickTimers(node);
}

function slaClass(due) {
  const left = Date.parse(due) - Date.now();
  return left < 0 ? 'breached' : left < SOON_MS ? 'soon' : 'ok';
}

function duration(ms) {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))}s`;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ${minutes % 60}m` : `${Math.floor(hours / 24)}d`;
}

const time = (at) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const dateTime = (at) => new Date(at).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

function el(tag, className = '', text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A live refresh must not undo a choice the agent is about to apply: only follow the server when untouched. */
function syncSelect(select, serverValue, ref) {
  const untouched = select.dataset.ref !== ref || select.value === select.dataset.server;
  select.dataset.ref = ref;
  select.dataset.server = serverValue;
  if (untouched) select.value = serverValue;
}

/** Rebuilds a select's options only when they changed, keeping the agent's pick for the same ticket. */
function syncOptions(select, options, ref) {
  const keep = select.dataset.ref === ref ? select.value : null;
  const signature = options.map((o) => `${o.value}=${o.label}`).join('|');
  if (select.dataset.options !== signature) {
    select.replaceChildren(...options.map((o) => Object.assign(el('option', '', o.label), { value: o.value })));
    select.dataset.options = signature;
  }
  if (keep && options.some((o) => o.value === keep)) select.value = keep;
  select.dataset.ref = ref;
}

function fillSelect(select, values, label = (v) => v) {
  select.replaceChildren(...values.map((value) => Object.assign(el('option', '', label(value)), { value })));
}

/** Reads a message out once through the page's assertive live region. */
function announce(message) {
  const line = el('div', '', message);
  $('announcer').append(line);
  setTimeout(() => line.remove(), 10_000);
}

/**
 * A toast is read out, stays while the pointer or the keyboard is on it (time to read, WCAG 2.2.1), and can be
 * dismissed with its button or Escape; dismissing it gives the keyboard back to where it came from.
 */
function toast(message, level) {
  const node = el('div', `toast ${level}`, message);
  const dismiss = el('button', 'toast-close');
  dismiss.type = 'button';
  dismiss.setAttribute('aria-label', 'Dismiss notification');
  node.append(dismiss);
  $('toasts').append(node);
  announce(message);
  let timer;
  let cameFrom = null;
  const leaveLater = () => {
    clearTimeout(timer);
    timer = setTimeout(close, 8000);
  };
  function close() {
    clearTimeout(timer);
    const hadFocus = node.contains(document.activeElement);
    node.remove();
    if (hadFocus) (cameFrom?.isConnected ? cameFrom : $('find-query')).focus();
  }
  dismiss.addEventListener('click', close);
  node.addEventListener('keydown', (event) => event.key === 'Escape' && close());
  node.addEventListener('mouseenter', () => clearTimeout(timer));
  node.addEventListener('mouseleave', () => node.contains(document.activeElement) || leaveLater());
  node.addEventListener('focusin', (event) => {
    if (!node.contains(event.relatedTarget)) cameFrom = event.relatedTarget;
    clearTimeout(timer);
  });
  node.addEventListener('focusout', (event) => node.contains(event.relatedTarget) || node.matches(':hover') || leaveLater());
  leaveLater();
}

boot();
