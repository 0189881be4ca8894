// Saved replies in the reply box: a picker (type to filter, ↑/↓, Enter inserts, Esc closes) that puts the chosen text,
// its placeholders filled from the open ticket, into the draft at the cursor. It never sends: the agent reviews first.

const KEYS = ['customer_first_name', 'ticket_ref', 'agent_first_name', 'order_number'];
const PLACEHOLDER = new RegExp(`\\{(${KEYS.join('|')})\\}`, 'g');
// Stands for a placeholder left empty while the spaces around it are tidied; never in a saved reply's own text.
const GAP = '\u0000';

const firstName = (name) => (typeof name === 'string' ? name.trim().split(/\s+/)[0] : '');

/** Only what the ticket view already shows the agent: the customer's name in the header, the reference, the order row. */
export function placeholderValues(ticket, me) {
  return {
    customer_first_name: firstName(ticket?.customer?.name),
    ticket_ref: ticket?.ref ?? '',
    agent_first_name: firstName(me?.name),
    order_number: ticket?.orderNumber ?? '',
  };
}

/** Known placeholders filled; an empty one leaves no stray space ("Hi {customer_first_name}," → "Hi,"); others stay as typed. */
export function fillPlaceholders(text, values) {
  return text
    .replace(/\u0000/g, '')
    .replace(PLACEHOLDER, (_, key) => String(values[key] ?? '').replace(/\u0000/g, '').trim() || GAP)
    .replace(new RegExp(`[ \\t]*${GAP}+(?=[,.!?;:])`, 'g'), '')
    .replace(new RegExp(`^[ \\t]*${GAP}+[ \\t]*`, 'gm'), '')
    .replace(new RegExp(GAP, 'g'), '')
    .replace(/ {2,}/g, ' ')
    .replace(/ +$/gm, '');
}

/**
 * Wires the "Saved replies" button to its picker. `context()` gives the open ticket and the signed-in agent;
 * `load()` fetches the list (fresh on every opening, so a supervisor's change shows without a reload).
 */
export function attachSavedReplies({ button, picker, filter, list, empty, textarea, context, load }) {
  let replies = [];
  let shown = [];
  let active = 0;

  async function open() {
    if (textarea.disabled) return;
    picker.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    filter.value = '';
    empty.textContent = 'Loading…';
    render();
    filter.focus();
    try {
      replies = await load();
      empty.textContent = 'No saved reply matches.';
    } catch (error) {
      replies = [];
      empty.textContent = error.message;
    }
    render();
  }

  function close(refocus = true) {
    if (picker.hidden) return;
    picker.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (refocus) textarea.focus();
  }

  function render() {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    shown = replies.filter((reply) => words.every((word) => `${reply.title}\n${reply.text}`.toLowerCase().includes(word)));
    active = Math.min(active, Math.max(shown.length - 1, 0));
    list.replaceChildren(...shown.map((reply, index) => {
      const li = document.createElement('li');
      li.id = `saved-reply-${index}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(index === active));
      li.className = index === active ? 'active' : '';
      const title = document.createElement('div');
      title.className = 'saved-title';
      title.textContent = reply.title;
      const preview = document.createElement('div');
      preview.className = 'saved-preview';
      preview.textContent = reply.text;
      li.append(title, preview);
      // mousedown, not click: the filter keeps focus until the reply is in.
      li.addEventListener('mousedown', (event) => {
        event.preventDefault();
        insert(reply);
      });
      return li;
    }));
    empty.hidden = shown.length > 0;
    if (shown.length) filter.setAttribute('aria-activedescendant', `saved-reply-${active}`);
    else filter.removeAttribute('aria-activedescendant');
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  }

  function insert(reply) {
    const { ticket, me } = context();
    if (!ticket || textarea.disabled) return close();
    const text = fillPlaceholders(reply.text, placeholderValues(ticket, me));
    close(false);
    textarea.focus();
    textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end');
    // The console's counter and Send state follow the draft's input events.
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }

  // The filter keeps focus on a press of the button, so a second press closes the picker instead of reopening it.
  button.addEventListener('mousedown', (event) => !picker.hidden && event.preventDefault());
  button.addEventListener('click', () => (picker.hidden ? open() : close()));
  filter.addEventListener('input', () => {
    active = 0;
    render();
  });
  filter.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!shown.length) return;
      active = (active + (event.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length;
      render();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (shown[active]) insert(shown[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  filter.addEventListener('blur', () => setTimeout(() => picker.contains(document.activeElement) || close(false), 0));
  return { close };
}
