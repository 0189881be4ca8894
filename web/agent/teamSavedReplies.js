/* Team page: the saved replies agents insert in the console (list, add, edit, delete). Supervisors and up; text only, never HTML. */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const { api, whoAmI, table, when } = window.StaffPage;
  const { button, labelled, confirmAction } = window.TeamPage;
  let replies = [];
  let editing = null;

  function say(message, kind) {
    $('saved-message').textContent = message;
    $('saved-message').className = kind || '';
  }

  function render() {
    if (!replies.length) {
      table($('saved-replies'), [['Title', 'Text', 'Changed', ''], ['No saved replies yet.', '', '', '']]);
      return;
    }
    table($('saved-replies'), [
      ['Title', 'Text', 'Changed', ''],
      ...replies.map((reply) => {
        const actions = document.createElement('div');
        actions.className = 'actions';
        actions.append(
          labelled(button('Edit', () => startEdit(reply)), `Edit ${reply.title}`),
          labelled(button('Delete', () => remove(reply), 'small secondary'), `Delete ${reply.title}`),
        );
        const text = document.createElement('div');
        text.className = 'saved-text';
        text.textContent = reply.text;
        return [reply.title, text, when(reply.updatedAt), actions];
      }),
    ]);
  }

  async function load() {
    try {
      replies = (await api('GET', '/api/agent/saved-replies')).savedReplies;
      render();
    } catch (error) {
      say(error.message, 'error');
    }
  }

  function startEdit(reply) {
    editing = reply;
    $('saved-title').value = reply.title;
    $('saved-body').value = reply.text;
    $('saved-submit').textContent = 'Save changes';
    $('saved-cancel').hidden = false;
    $('saved-title').focus();
  }

  function stopEdit() {
    editing = null;
    $('saved-form').reset();
    $('saved-submit').textContent = 'Add saved reply';
    $('saved-cancel').hidden = true;
  }

  async function save(event) {
    event.preventDefault();
    const body = { title: $('saved-title').value.trim(), text: $('saved-body').value.trim() };
    if (!body.title || !body.text) return say('A saved reply needs a title and a text.', 'error');
    try {
      if (editing) await api('POST', `/api/agent/saved-replies/${encodeURIComponent(editing._id)}`, body);
      else await api('POST', '/api/agent/saved-replies', body);
      say(editing ? `Saved “${body.title}”.` : `Added “${body.title}”.`, 'ok');
      stopEdit();
      await load();
    } catch (error) {
      say(error.message, 'error');
    }
  }

  async function remove(reply) {
    if (!(await confirmAction('Delete this saved reply?', `“${reply.title}” is removed for everyone.`, 'Delete'))) return;
    try {
      await api('POST', `/api/agent/saved-replies/${encodeURIComponent(reply._id)}/delete`);
      if (editing?._id === reply._id) stopEdit();
      say(`Deleted “${reply.title}”.`, 'ok');
      await load();
    } catch (error) {
      say(error.message, 'error');
    }
  }

  async function start() {
    const answer = await whoAmI();
    if (!answer || !['supervisor', 'executive'].includes(answer.agent.role)) return;
    $('saved-form').addEventListener('submit', save);
    $('saved-cancel').addEventListener('click', stopEdit);
    await load();
    document.body.dataset.savedRepliesReady = 'true';
  }

  document.addEventListener('DOMContentLoaded', start);
})();
