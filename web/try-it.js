// The try-it page's Web Chat, as a file of its own: the page's Content-Security-Policy allows no inline script.
(function () {
  'use strict';
  const domain = document.querySelector('meta[name="directline"]').content;
  const directLine = window.WebChat.createDirectLine({ domain, webSocket: false, token: 'local' });
  const userId = 'web-' + (localStorage.getItem('tryItUser') || (() => { const id = Math.random().toString(36).slice(2, 10); localStorage.setItem('tryItUser', id); return id; })());
  window.WebChat.renderWebChat({ directLine, userID: userId, locale: 'en-US' }, document.getElementById('webchat'));
})();
