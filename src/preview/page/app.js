/* global window, document, fetch, EventSource */
/**
 * The preview page: follows the preview server's state (Server-Sent Events) and renders the channel,
 * the open thread, the modal and the App Home tab from the Block Kit the bot sent. Every click is
 * posted to the preview server, which sends it to the bot as Slack would (signed).
 */
(function () {
  'use strict';
  const { renderBlocks, renderAttachments, mrkdwn, esc } = window.BlockKit;
  const $ = (id) => document.getElementById(id);

  let state = null;
  let scenarios = [];
  let openThread = null;
  let shownModal = '';
  let shownViewId = '';

  async function post(path, body) {
    // The server answers only its own page: this page's token goes with every POST.
    const token = document.querySelector('meta[name="firebreak-token"]').content;
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-firebreak-token': token }, body: JSON.stringify({ ...body, scenario: $('scenario').value }) });
    if (!res.ok) {
      const detail = await res.json().catch(() => ({}));
      showNote(`The preview could not do that: ${detail.error || res.status}`);
    }
  }

  function showNote(text) {
    const note = $('scenario-note');
    note.textContent = text;
    note.classList.add('error');
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  }

  function refusalHtml(refusal, what) {
    const problems = refusal.problems.length ? `<ul>${refusal.problems.map((p) => `<li><code>${esc(p)}</code></li>`).join('')}</ul>` : '';
    return `<div class="refused" role="alert"><strong>Slack refused ${esc(what)}:</strong> <code>${esc(refusal.method)}</code> → <code>${esc(refusal.error)}</code>${problems}</div>`;
  }

  function filesHtml(files) {
    return files
      .map((f) =>
        f.image
          ? `<figure class="file image-file"><figcaption>${esc(f.title)}</figcaption><img src="${esc(f.url)}" alt="${esc(f.title)}"></figure>`
          : `<div class="file text-file"><div class="file-head"><span class="file-icon">📄</span><div><div class="file-title">${esc(f.title)}</div><div class="muted">${esc(f.name)} · ${Math.max(1, Math.round(f.bytes / 1024))} KB</div></div><a class="btn small" href="${esc(f.url)}" target="_blank" rel="noopener">Open</a></div><pre class="pre snippet">${esc(f.preview || '')}</pre></div>`,
      )
      .join('');
  }

  function replies(message) {
    return state.messages.filter((m) => m.threadTs === message.ts && m.key !== message.key);
  }

  function messageHtml(message, options) {
    const ctx = { users: state.users, interactive: true };
    const body = message.refused ? refusalHtml(message.refused, 'this message') : `${renderBlocks(message.blocks, ctx, message.text)}${renderAttachments(message.attachments, ctx)}`;
    const updateRefused = message.updateRefused ? refusalHtml(message.updateRefused, 'an update to this message') : '';
    const files = message.files ? filesHtml(message.files) : '';
    const ephemeral = message.ephemeral ? '<div class="ephemeral-tag">👁 Only visible to you</div>' : '';
    const count = options.thread ? 0 : replies(message).length;
    const thread = count ? `<button type="button" class="replies" data-open-thread="${esc(message.ts)}">${count} ${count === 1 ? 'reply' : 'replies'}</button>` : '';
    const sender = message.fromUser ? state.user.name : message.fromApp || 'firebreak';
    const tag = message.fromUser ? '' : ' <span class="app-tag">APP</span>';
    // The message menu's "Troubleshoot this" (a message shortcut), on messages the bot did not post.
    const menu = !options.thread && (message.fromUser || message.fromApp) ? `<button type="button" class="shortcut-btn" data-shortcut-key="${esc(message.key)}" title="More actions → Troubleshoot this">⋯ Troubleshoot this</button>` : '';
    const avatar = message.fromUser ? 'you' : message.fromApp ? 'aws' : 'fb';
    return `<article class="message${message.ephemeral ? ' ephemeral' : ''}" data-key="${esc(message.key)}" data-ts="${esc(message.ts)}">
      <div class="avatar${message.fromUser ? ' user' : message.fromApp ? ' other-app' : ''}" aria-hidden="true">${avatar}</div>
      <div class="message-main">
        ${ephemeral}
        <div class="message-head"><strong>${esc(sender)}</strong>${tag} <span class="muted">${time(message.at)}</span>${menu}</div>
        <div class="message-body">${body}${files}${updateRefused}</div>
        ${thread}
      </div>
    </article>`;
  }

  function renderChannel() {
    const list = $('messages');
    const top = state.messages.filter((m) => !m.threadTs && !m.dm);
    const notes = state.notes.map((n) => ({ note: n }));
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    const intro = `<div class="intro"><h1># incident-preview</h1><p>This page is drawn from what the bot sent to a local stand-in for Slack's Web API. Type <code>/troubleshoot api-gw a1b2c3d4e5 --since 2h</code> below; pick a sandbox scenario beside it.</p></div>`;
    const items = [...top.map((m) => ({ at: m.at, html: messageHtml(m, { thread: false }) })), ...notes.map(({ note }) => ({ at: note.at, html: `<div class="preview-note">${esc(note.text)}</div>` }))];
    items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    list.innerHTML = intro + items.map((i) => i.html).join('');
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  /** The request the bot would have sent for the investigation this thread is about, if any. */
  function modelRequestsHtml(parent) {
    const blocks = JSON.stringify(parent.blocks);
    const mine = state.modelRequests.filter((r) => r.investigationId && blocks.includes(r.investigationId));
    if (!mine.length) return '';
    const last = mine[mine.length - 1];
    return `<details class="model-request" open><summary>Preview only, not in Slack: what the bot would have sent to <code>${esc(last.modelId)}</code> (~${last.tokensEstimate} tokens)</summary><pre class="pre">${esc(last.text)}</pre></details>`;
  }

  function renderThread() {
    const pane = $('thread');
    const app = $('app');
    if (!openThread) {
      pane.classList.add('hidden');
      app.classList.remove('thread-open');
      return;
    }
    const parent = state.messages.find((m) => m.ts === openThread && !m.threadTs);
    if (!parent) return;
    pane.classList.remove('hidden');
    app.classList.add('thread-open');
    const body = $('thread-body');
    const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 60;
    const list = replies(parent);
    body.innerHTML = `${messageHtml(parent, { thread: true })}<div class="reply-count">${list.length} ${list.length === 1 ? 'reply' : 'replies'}</div>${list.map((m) => messageHtml(m, { thread: true })).join('')}${modelRequestsHtml(parent)}`;
    if (atBottom) body.scrollTop = body.scrollHeight;
  }

  function renderHome() {
    const home = state.home;
    const el = $('home');
    const ctx = { users: state.users, interactive: true };
    let html = '<div class="home-head"><div class="avatar big" aria-hidden="true">fb</div><div><h2>firebreak</h2><div class="muted">Home</div></div></div>';
    if (home.refused) html += refusalHtml(home.refused, 'the Home view');
    if (home.published) html += `<div class="home-view">${renderBlocks(home.view.blocks || [], ctx)}</div>`;
    else
      html += `<div class="empty-home">${home.opened ? 'The bot has not published a Home view: it sent no <code>views.publish</code> when this tab was opened (<code>app_home_opened</code>).' : 'Opening…'}</div>`;
    // The app's Messages tab: what the bot sent to you alone (the bundle download).
    const dms = state.messages.filter((m) => m.dm);
    if (dms.length) html += `<h3 class="dm-head">Messages (only you)</h3><div class="dm-list">${dms.map((m) => messageHtml(m, { thread: true })).join('')}</div>`;
    el.innerHTML = html;
  }

  function modalValues(form) {
    const values = {};
    const put = (blockId, actionId, value) => {
      values[blockId] = values[blockId] || {};
      values[blockId][actionId] = value;
    };
    form.querySelectorAll('[data-input]').forEach((el) => {
      const blockId = el.dataset.blockId;
      const actionId = el.dataset.actionId;
      switch (el.dataset.input) {
        case 'plain_text_input':
          put(blockId, actionId, { type: 'plain_text_input', value: el.value === '' ? null : el.value });
          break;
        case 'checkboxes':
          put(blockId, actionId, { type: 'checkboxes', selected_options: [...el.querySelectorAll('input:checked')].map((i) => ({ value: i.value })) });
          break;
        case 'radio_buttons': {
          const picked = el.querySelector('input:checked');
          put(blockId, actionId, { type: 'radio_buttons', selected_option: picked ? { value: picked.value } : null });
          break;
        }
        case 'static_select':
          put(blockId, actionId, { type: 'static_select', selected_option: el.value ? { value: el.value } : null });
          break;
      }
    });
    return values;
  }

  function renderModal() {
    const backdrop = $('modal-backdrop');
    const modal = state.modal;
    if (!modal) {
      backdrop.classList.add('hidden');
      shownModal = '';
      shownViewId = '';
      return;
    }
    const view = modal.view || {};
    // Re-render only when the view changed, so typing is not lost on unrelated updates.
    const signature = JSON.stringify([modal.viewId, view, modal.errors, modal.refused]);
    if (signature === shownModal) return;
    shownModal = signature;
    // Same view again (errors from a submission): keep what the person entered, as Slack does.
    const kept = shownViewId === modal.viewId ? modalValues($('modal')) : null;
    shownViewId = modal.viewId;
    backdrop.classList.remove('hidden');
    const ctx = { users: state.users, interactive: true, errors: modal.errors || {} };
    const general = modal.errors && modal.errors[''] ? `<div class="input-error">${esc(modal.errors[''])}</div>` : '';
    $('modal').innerHTML = `<header class="modal-head"><h2>${esc(view.title ? view.title.text : '')}</h2><button type="button" class="back" data-close-modal aria-label="Close">×</button></header>
      <div class="modal-body">${modal.refused ? refusalHtml(modal.refused, 'this view') : ''}${renderBlocks(view.blocks || [], ctx)}${general}</div>
      <footer class="modal-foot">${view.close ? `<button type="button" class="btn" data-close-modal>${esc(view.close.text)}</button>` : ''}${view.submit ? `<button type="submit" class="btn primary">${esc(view.submit.text)}</button>` : ''}</footer>`;
    if (kept) restoreValues($('modal'), kept);
  }

  function restoreValues(form, values) {
    form.querySelectorAll('[data-input]').forEach((el) => {
      const entry = values[el.dataset.blockId] && values[el.dataset.blockId][el.dataset.actionId];
      if (!entry) return;
      if (el.dataset.input === 'plain_text_input' || el.dataset.input === 'static_select') {
        el.value = entry.value !== undefined ? entry.value || '' : entry.selected_option ? entry.selected_option.value : '';
        return;
      }
      const picked = new Set((entry.selected_options || (entry.selected_option ? [entry.selected_option] : [])).map((o) => o.value));
      el.querySelectorAll('input').forEach((input) => {
        input.checked = picked.has(input.value);
      });
    });
  }

  function renderBadge() {
    const badge = $('model-badge');
    badge.textContent = state.modelConfigured ? 'Bedrock configured' : 'No model configured';
    badge.className = `badge ${state.modelConfigured ? 'ok' : 'off'}`;
  }

  function render() {
    if (!state) return;
    renderBadge();
    renderChannel();
    renderThread();
    renderHome();
    renderModal();
    document.body.dataset.version = String(state.version);
  }

  function setTab(name) {
    document.querySelectorAll('[data-tab]').forEach((el) => el.classList.toggle('active', el.dataset.tab === name));
    $('channel-pane').classList.toggle('hidden', name !== 'channel');
    $('home-pane').classList.toggle('hidden', name !== 'home');
    if (name === 'home') {
      openThread = null;
      render();
      void post('/do/home', {});
    }
  }

  document.addEventListener('click', (event) => {
    const target = event.target.closest('button, [data-open-thread]');
    if (!target) return;
    if (target.dataset.tab) return setTab(target.dataset.tab);
    if (target.dataset.openThread) {
      openThread = target.dataset.openThread;
      return render();
    }
    if (target.hasAttribute('data-close-modal')) return void post('/do/close', {});
    if (target.dataset.shortcutKey) return void post('/do/shortcut', { key: target.dataset.shortcutKey });
    if (target.dataset.actionId !== undefined && target.classList.contains('btn')) {
      const message = target.closest('[data-key]');
      if (!message) return;
      target.disabled = true;
      void post('/do/action', { key: message.dataset.key, actionId: target.dataset.actionId, blockId: target.dataset.blockId, value: target.dataset.value }).finally(() => {
        target.disabled = false;
      });
    }
  });

  $('thread-close').addEventListener('click', () => {
    openThread = null;
    render();
  });

  $('modal').addEventListener('submit', (event) => {
    event.preventDefault();
    void post('/do/submit', { values: modalValues($('modal')) });
  });

  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('command').value.trim();
    if (!text) return;
    $('scenario-note').classList.remove('error');
    updateScenarioNote();
    void post('/do/command', { text });
  });

  $('post-summary').addEventListener('click', () => void post('/do/summary', {}));
  $('post-sample').addEventListener('click', () => void post('/do/sample', { id: $('sample').value }));
  $('fire-alarm').addEventListener('click', () => void post('/do/alarm', { alarm: $('alarm').value, state: 'ALARM' }));
  $('recover-alarm').addEventListener('click', () => void post('/do/alarm', { alarm: $('alarm').value, state: 'OK' }));

  function updateScenarioNote() {
    const picked = scenarios.find((s) => s.name === $('scenario').value);
    $('scenario-note').textContent = picked ? `${picked.name}: ${picked.description} (API id ${picked.apiId})` : '';
    // The scenario's CloudWatch alarms: fired as the EventBridge rule would deliver them.
    const alarms = (picked && picked.alarms) || [];
    $('alarm').innerHTML = alarms.map((name) => `<option value="${esc(name)}">${esc(name)}</option>`).join('');
    $('alarm-row').classList.toggle('hidden', alarms.length === 0);
  }

  $('scenario').addEventListener('change', () => {
    const picked = scenarios.find((s) => s.name === $('scenario').value);
    const input = $('command');
    if (picked) input.value = input.value.replace(/(api-gw\s+)[a-z0-9]{10}\b/, `$1${picked.apiId}`);
    updateScenarioNote();
  });

  async function start() {
    const listing = await (await fetch('/scenarios')).json();
    scenarios = listing.scenarios;
    $('sample').innerHTML = (listing.samples || []).map((m) => `<option value="${esc(m.id)}">${esc(m.label)}</option>`).join('');
    $('scenario').innerHTML = scenarios.map((s) => `<option value="${esc(s.name)}"${s.name === listing.selected ? ' selected' : ''}>${esc(s.name)}</option>`).join('');
    $('scenario').dispatchEvent(new window.Event('change'));
    const events = new EventSource('/events');
    events.onmessage = (event) => {
      state = JSON.parse(event.data);
      window.PREVIEW_USER_ID = state.user.id;
      render();
    };
  }

  window.previewMrkdwn = mrkdwn;
  void start();
})();
