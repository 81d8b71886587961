/* global window */
/**
 * Block Kit → HTML, as a Slack client draws it: the block and element types the bot uses, and
 * mrkdwn (*bold* _italic_ ~strike~ `code` ```pre``` > quotes, <url|text>, <@U…>, <#C…>, <!date^…>,
 * emoji shortcodes). Pure string building; every piece of text is HTML-escaped.
 */
(function () {
  'use strict';

  const EMOJI = {
    large_green_circle: '🟢', white_circle: '⚪', large_yellow_circle: '🟡', large_orange_circle: '🟠',
    red_circle: '🔴', large_blue_circle: '🔵', black_circle: '⚫', heavy_minus_sign: '➖', rotating_light: '🚨',
    information_source: 'ℹ️', mag: '🔍', mag_right: '🔎', test_tube: '🧪', hourglass: '⌛',
    hourglass_flowing_sand: '⏳', white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', warning: '⚠️',
    no_entry: '⛔', no_entry_sign: '🚫', lock: '🔒', key: '🔑', house: '🏠', bar_chart: '📊',
    chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', moneybag: '💰', money_with_wings: '💸',
    dollar: '💵', robot_face: '🤖', bulb: '💡', memo: '📝', link: '🔗', fire: '🔥', eyes: '👀',
    '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', tada: '🎉', rocket: '🚀', zap: '⚡',
    question: '❓', exclamation: '❗', bell: '🔔', repeat: '🔁', calendar: '📅', spiral_calendar_pad: '🗓️', gear: '⚙️',
    wrench: '🔧', hammer_and_wrench: '🛠️', shield: '🛡️', stopwatch: '⏱️', clock3: '🕒', arrow_right: '➡️',
    arrow_up: '⬆️', arrow_down: '⬇️', point_right: '👉', speech_balloon: '💬', page_facing_up: '📄',
    package: '📦', scroll: '📜', satellite: '📡', globe_with_meridians: '🌐', construction: '🚧',
    large_purple_circle: '🟣', small_red_triangle: '🔺', small_red_triangle_down: '🔻', sparkles: '✨',
    recycle: '♻️', inbox_tray: '📥', outbox_tray: '📤', busts_in_silhouette: '👥', bust_in_silhouette: '👤',
    grey_question: '❔', grey_exclamation: '❕', ballot_box_with_check: '☑️',
    white_large_square: '⬜', black_large_square: '⬛', large_blue_square: '🟦', large_red_square: '🟥',
    large_green_square: '🟩', large_yellow_square: '🟨', large_orange_square: '🟧', red_square: '🟥',
    stop_sign: '🛑', sos: '🆘', siren: '🚨', pager: '📟', telephone_receiver: '📞', email: '📧', envelope: '✉️',
    clipboard: '📋', pushpin: '📌', round_pushpin: '📍', paperclip: '📎', card_index: '📇', file_folder: '📁',
    mailbox: '📫', bookmark: '🔖', label: '🏷️', id: '🆔', new: '🆕', ok: '🆗', up: '🆙', cool: '🆒', free: '🆓',
    heavy_plus_sign: '➕', heavy_multiplication_x: '✖️', heavy_division_sign: '➗', arrows_counterclockwise: '🔄',
    hourglass_done: '⌛', timer_clock: '⏲️', alarm_clock: '⏰', watch: '⌚', date: '📅',
    chart: '💹', thinking_face: '🤔', raised_hands: '🙌', clap: '👏', pray: '🙏',
    wave: '👋', ok_hand: '👌', muscle: '💪', point_up: '☝️', point_down: '👇', point_left: '👈',
    radio_button: '🔘', large_blue_diamond: '🔷', large_orange_diamond: '🔶',
    small_blue_diamond: '🔹', small_orange_diamond: '🔸', lightning: '⚡', boom: '💥', skull: '💀', ghost: '👻',
    beetle: '🐞', bug: '🐛', ladybug: '🐞', lock_with_ink_pen: '🔏', closed_lock_with_key: '🔐', unlock: '🔓',
    microscope: '🔬', telescope: '🔭', crystal_ball: '🔮', dart: '🎯', checkered_flag: '🏁',
    triangular_flag_on_post: '🚩', white_flag: '🏳️', no_good: '🙅', ballot_box: '🗳️', floppy_disk: '💾',
    computer: '💻', desktop_computer: '🖥️', cloud: '☁️', sunny: '☀️', umbrella: '☂️', snowflake: '❄️',
    thermometer: '🌡️', droplet: '💧', ocean: '🌊', seedling: '🌱', herb: '🌿', fallen_leaf: '🍂',
    hammer: '🔨', nut_and_bolt: '🔩', toolbox: '🧰', magnet: '🧲', gem: '💎', money_mouth_face: '🤑',
    coin: '🪙', receipt: '🧾', chart_increasing: '📈', chart_decreasing: '📉', abacus: '🧮', 1234: '🔢',
    new_moon: '🌑', full_moon: '🌕', star: '⭐', star2: '🌟', dizzy: '💫', heart: '❤️', broken_heart: '💔',
    speaking_head_in_silhouette: '🗣️', loudspeaker: '📢', mega: '📣', mute: '🔇', sound: '🔉',
  };

  function esc(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  /** Slack sends &amp; &lt; &gt; in mrkdwn; show them as the characters they stand for. */
  function unescapeSlack(text) {
    return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }

  function emoji(text) {
    return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => (EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : whole));
  }

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

  function ordinal(n) {
    const s = ['th', 'st', 'nd', 'rd'];
    const v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }

  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  function pretty(date, fallback) {
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86400000);
    const tomorrow = new Date(today.getTime() + 86400000);
    if (sameDay(date, today)) return 'today';
    if (sameDay(date, yesterday)) return 'yesterday';
    if (sameDay(date, tomorrow)) return 'tomorrow';
    return fallback;
  }

  function ago(date) {
    const seconds = Math.round((Date.now() - date.getTime()) / 1000);
    const abs = Math.abs(seconds);
    const [n, unit] = abs < 60 ? [abs, 'second'] : abs < 3600 ? [Math.round(abs / 60), 'minute'] : abs < 86400 ? [Math.round(abs / 3600), 'hour'] : [Math.round(abs / 86400), 'day'];
    const label = `${n} ${unit}${n === 1 ? '' : 's'}`;
    return seconds >= 0 ? `${label} ago` : `in ${label}`;
  }

  /** `<!date^epoch^format|fallback>` in the reader's timezone, as Slack renders it. */
  function slackDate(epoch, format, fallback) {
    const date = new Date(Number(epoch) * 1000);
    if (Number.isNaN(date.getTime())) return esc(fallback || '');
    const time = date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
    const timeSecs = date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' });
    const month = MONTHS[date.getMonth()];
    const dateLong = `${date.toLocaleDateString('en-US', { weekday: 'long' })}, ${month} ${ordinal(date.getDate())}, ${date.getFullYear()}`;
    const dateFull = `${month} ${ordinal(date.getDate())}, ${date.getFullYear()}`;
    const dateShort = `${month.slice(0, 3)} ${date.getDate()}, ${date.getFullYear()}`;
    const pad = (n) => String(n).padStart(2, '0');
    const tokens = {
      date_num: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
      date: dateFull,
      date_short: dateShort,
      date_long: dateLong,
      date_pretty: pretty(date, dateFull),
      date_short_pretty: pretty(date, dateShort),
      date_long_pretty: pretty(date, dateLong),
      time,
      time_secs: timeSecs,
      ago: ago(date),
    };
    const text = String(format).replace(/\{([a-z_]+)\}/g, (whole, name) => (name in tokens ? tokens[name] : whole));
    return `<time datetime="${esc(date.toISOString())}" title="${esc(date.toString())}">${esc(text)}</time>`;
  }

  /** `<…>` control sequences: links, mentions, channels, special mentions, dates. */
  function controlSequence(inner, users) {
    const [target, label] = splitOnce(inner, '|');
    if (target.startsWith('@')) {
      const id = target.slice(1);
      const name = label || (users && users[id]) || id;
      return `<span class="mention${id === window.PREVIEW_USER_ID ? ' me' : ''}" data-user="${esc(id)}">@${esc(name)}</span>`;
    }
    if (target.startsWith('#')) return `<span class="mention channel">#${esc(label || target.slice(1))}</span>`;
    if (target.startsWith('!date^')) {
      const [, epoch, format, link] = target.split('^');
      const rendered = slackDate(epoch, format || '{date_short} {time}', label);
      return link ? `<a href="${esc(link)}" target="_blank" rel="noopener">${rendered}</a>` : rendered;
    }
    if (target.startsWith('!subteam^')) return `<span class="mention">@${esc(label || target.slice(9))}</span>`;
    if (target.startsWith('!')) return `<span class="mention">@${esc(target.slice(1))}</span>`;
    const href = unescapeSlack(target);
    const safe = /^(https?:|mailto:)/i.test(href) ? href : '#';
    return `<a href="${esc(safe)}" target="_blank" rel="noopener">${esc(unescapeSlack(label || target))}</a>`;
  }

  function splitOnce(text, separator) {
    const i = text.indexOf(separator);
    return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
  }

  /**
   * mrkdwn to HTML. Code (fenced and inline) and `<…>` sequences are cut out first so nothing
   * inside them is formatted; the rest is escaped, then bold, italic, strike, quotes and emoji.
   */
  function mrkdwn(source, users) {
    const slots = [];
    const hold = (html) => `\uE000${slots.push(html) - 1}\uE000`;
    let text = String(source);
    text = text.replace(/```([\s\S]*?)```/g, (whole, code) => hold(`<pre class="pre">${esc(unescapeSlack(code.replace(/^\n/, '').replace(/\n$/, '')))}</pre>`));
    text = text.replace(/`([^`\n]+)`/g, (whole, code) => hold(`<code>${esc(unescapeSlack(code))}</code>`));
    text = text.replace(/<([^<>\n]+)>/g, (whole, inner) => hold(controlSequence(inner, users)));
    text = esc(unescapeSlack(text));
    const before = '(^|[\\s(\\[{>"\'“‘\uE000])';
    const after = '(?=$|[\\s)\\]}.,;:!?"\'”’\uE000<-])';
    text = text.replace(new RegExp(`${before}\\*(?!\\s)([^*\\n]+?)\\*${after}`, 'g'), '$1<b>$2</b>');
    text = text.replace(new RegExp(`${before}_(?!\\s)([^_\\n]+?)_${after}`, 'g'), '$1<i>$2</i>');
    text = text.replace(new RegExp(`${before}~(?!\\s)([^~\\n]+?)~${after}`, 'g'), '$1<s>$2</s>');
    text = emoji(text);
    // Quote lines (`> …`, escaped by now) become one blockquote per run of lines.
    const lines = text.split('\n');
    const out = [];
    let quote = [];
    for (const line of lines) {
      if (line.startsWith('&gt; ') || line === '&gt;') quote.push(line.replace(/^&gt; ?/, ''));
      else {
        if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
        quote = [];
        out.push(line);
      }
    }
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    const isPre = (slot) => /^<pre/.test(slots[Number(slot.slice(1, -1))]);
    text = out
      .join('\n')
      .replace(/\n/g, '<br>')
      .replace(/<\/blockquote><br>/g, '</blockquote>')
      .replace(/<br>(\uE000\d+\uE000)/g, (m, slot) => (isPre(slot) ? slot : m))
      .replace(/(\uE000\d+\uE000)<br>/g, (m, slot) => (isPre(slot) ? slot : m));
    return text.replace(/\uE000(\d+)\uE000/g, (whole, i) => slots[Number(i)]);
  }

  /** Standard Markdown of a `markdown` block, in the small subset Slack documents. */
  function markdown(source, users) {
    const converted = String(source)
      .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
      .replace(/\[([^\]\n]+)\]\((https?:[^)\s]+)\)/g, '<$2|$1>')
      .replace(/^#{1,6}\s+(.*)$/gm, '*$1*')
      .replace(/^[-*]\s+/gm, '• ');
    return mrkdwn(converted, users);
  }

  function textObject(obj, users) {
    if (!obj) return '';
    if (obj.type === 'mrkdwn') return mrkdwn(obj.text || '', users);
    const plain = esc(obj.text || '');
    return obj.emoji === false ? plain : emoji(plain);
  }

  function buttonHtml(el, ctx) {
    const style = el.style === 'primary' ? ' primary' : el.style === 'danger' ? ' danger' : '';
    const label = textObject(el.text, ctx.users);
    if (el.url) return `<a class="btn${style}" href="${esc(el.url)}" target="_blank" rel="noopener">${label}</a>`;
    return `<button type="button" class="btn${style}" data-action-id="${esc(el.action_id || '')}" data-block-id="${esc(ctx.blockId || '')}" data-value="${esc(el.value === undefined ? '' : el.value)}"${ctx.interactive ? '' : ' disabled'}>${label}</button>`;
  }

  function optionLabel(option, users) {
    return textObject(option.text, users);
  }

  function selectHtml(el, ctx) {
    const options = (el.options || []).concat(...(el.option_groups || []).map((g) => g.options || []));
    const placeholder = el.placeholder ? `<option value="">${esc(el.placeholder.text)}</option>` : '';
    const initial = el.initial_option && el.initial_option.value;
    return `<select class="select" data-action-id="${esc(el.action_id || '')}" data-block-id="${esc(ctx.blockId || '')}" data-type="${esc(el.type)}">${placeholder}${options
      .map((o) => `<option value="${esc(o.value)}"${o.value === initial ? ' selected' : ''}>${esc(o.text && o.text.text)}</option>`)
      .join('')}</select>`;
  }

  function elementHtml(el, ctx) {
    switch (el.type) {
      case 'button':
        return buttonHtml(el, ctx);
      case 'image':
        return `<img class="el-image" src="${esc(el.image_url || '')}" alt="${esc(el.alt_text || '')}">`;
      case 'static_select':
      case 'overflow':
        return selectHtml(el, ctx);
      case 'mrkdwn':
      case 'plain_text':
        return textObject(el, ctx.users);
      default:
        return `<span class="unsupported">[${esc(el.type)}]</span>`;
    }
  }

  function richElements(elements, users) {
    return (elements || [])
      .map((e) => {
        switch (e.type) {
          case 'text': {
            let html = emoji(esc(e.text || '')).replace(/\n/g, '<br>');
            const s = e.style || {};
            if (s.code) html = `<code>${html}</code>`;
            if (s.bold) html = `<b>${html}</b>`;
            if (s.italic) html = `<i>${html}</i>`;
            if (s.strike) html = `<s>${html}</s>`;
            return html;
          }
          case 'link':
            return `<a href="${esc(e.url)}" target="_blank" rel="noopener">${esc(e.text || e.url)}</a>`;
          case 'user':
            return controlSequence(`@${e.user_id}`, users);
          case 'channel':
            return controlSequence(`#${e.channel_id}`, users);
          case 'emoji':
            return EMOJI[e.name] ? `<span class="emoji">${EMOJI[e.name]}</span>` : `:${esc(e.name)}:`;
          case 'date':
            return slackDate(e.timestamp, e.format, e.fallback);
          default:
            return '';
        }
      })
      .join('');
  }

  function richText(block, users) {
    return (block.elements || [])
      .map((part) => {
        switch (part.type) {
          case 'rich_text_section':
            return `<div>${richElements(part.elements, users)}</div>`;
          case 'rich_text_preformatted':
            return `<pre class="pre">${richElements(part.elements, users)}</pre>`;
          case 'rich_text_quote':
            return `<blockquote>${richElements(part.elements, users)}</blockquote>`;
          case 'rich_text_list': {
            const tag = part.style === 'ordered' ? 'ol' : 'ul';
            return `<${tag} class="rt-list">${(part.elements || []).map((item) => `<li>${richElements(item.elements, users)}</li>`).join('')}</${tag}>`;
          }
          default:
            return '';
        }
      })
      .join('');
  }

  function inputHtml(block, ctx) {
    const el = block.element || {};
    const id = esc(block.block_id || '');
    const action = esc(el.action_id || '');
    const label = `<label class="input-label">${esc(block.label && block.label.text)}${block.optional ? ' <span class="muted">(optional)</span>' : ''}</label>`;
    const hint = block.hint ? `<div class="hint">${esc(block.hint.text)}</div>` : '';
    const error = ctx.errors && ctx.errors[block.block_id] ? `<div class="input-error">${esc(ctx.errors[block.block_id])}</div>` : '';
    let control;
    switch (el.type) {
      case 'plain_text_input': {
        const attrs = `data-input="plain_text_input" data-block-id="${id}" data-action-id="${action}" placeholder="${esc(el.placeholder ? el.placeholder.text : '')}"${el.max_length ? ` maxlength="${el.max_length}"` : ''}`;
        control = el.multiline ? `<textarea rows="4" ${attrs}>${esc(el.initial_value || '')}</textarea>` : `<input ${attrs} value="${esc(el.initial_value || '')}">`;
        break;
      }
      case 'checkboxes':
      case 'radio_buttons': {
        const type = el.type === 'checkboxes' ? 'checkbox' : 'radio';
        const initial = new Set((el.initial_options || (el.initial_option ? [el.initial_option] : [])).map((o) => o.value));
        control = `<div class="choices" data-input="${esc(el.type)}" data-block-id="${id}" data-action-id="${action}">${(el.options || [])
          .map(
            (o) =>
              `<label class="choice"><input type="${type}" name="${id}" value="${esc(o.value)}"${initial.has(o.value) ? ' checked' : ''}> <span>${optionLabel(o, ctx.users)}${o.description ? `<span class="muted"> ${esc(o.description.text)}</span>` : ''}</span></label>`,
          )
          .join('')}</div>`;
        break;
      }
      case 'static_select':
        control = selectHtml(el, { ...ctx, blockId: block.block_id }).replace('<select class="select"', `<select class="select" data-input="static_select"`);
        break;
      default:
        control = `<span class="unsupported">[${esc(el.type)} input]</span>`;
    }
    return `<div class="block input" data-block-id="${id}">${label}${control}${hint}${error}</div>`;
  }

  function blockHtml(block, ctx) {
    const c = { ...ctx, blockId: block.block_id };
    switch (block.type) {
      case 'section': {
        const text = block.text ? `<div class="section-text">${textObject(block.text, ctx.users)}</div>` : '';
        const fields = Array.isArray(block.fields) && block.fields.length ? `<div class="fields">${block.fields.map((f) => `<div class="field">${textObject(f, ctx.users)}</div>`).join('')}</div>` : '';
        const accessory = block.accessory ? `<div class="accessory">${elementHtml(block.accessory, c)}</div>` : '';
        return `<div class="block section${accessory ? ' with-accessory' : ''}"><div class="section-body">${text}${fields}</div>${accessory}</div>`;
      }
      case 'header':
        return `<div class="block header">${textObject(block.text, ctx.users)}</div>`;
      case 'divider':
        return '<hr class="block divider">';
      case 'context':
        return `<div class="block context">${(block.elements || []).map((e) => `<span class="context-el">${elementHtml(e, c)}</span>`).join('')}</div>`;
      case 'actions':
        return `<div class="block actions">${(block.elements || []).map((e) => elementHtml(e, c)).join('')}</div>`;
      case 'image':
        return `<figure class="block image">${block.title ? `<figcaption>${textObject(block.title, ctx.users)}</figcaption>` : ''}<img src="${esc(block.image_url || (block.slack_file && block.slack_file.url) || '')}" alt="${esc(block.alt_text || '')}"></figure>`;
      case 'rich_text':
        return `<div class="block rich-text">${richText(block, ctx.users)}</div>`;
      case 'markdown':
        return `<div class="block markdown">${markdown(block.text || '', ctx.users)}</div>`;
      case 'input':
        return inputHtml(block, c);
      case 'table': {
        const rows = (block.rows || []).map((row) => `<tr>${row.map((cell) => `<td>${cell.type === 'rich_text' ? richText(cell, ctx.users) : esc(cell.text || '')}</td>`).join('')}</tr>`).join('');
        return `<div class="block table-wrap"><table class="table">${rows}</table></div>`;
      }
      default:
        return `<div class="block unsupported">This client cannot show a <code>${esc(block.type)}</code> block.</div>`;
    }
  }

  /** Legacy attachments (alarm posts use them): a coloured bar, title, text and footer, as Slack draws them. */
  function renderAttachments(attachments, ctx) {
    return (attachments || [])
      .map((a) => {
        const color = /^#[0-9a-f]{3,6}$/i.test(a.color || '') ? a.color : '#dddddd';
        const title = a.title ? `<div class="attachment-title">${esc(a.title)}</div>` : '';
        const text = a.text ? `<div class="attachment-text">${mrkdwn(a.text, ctx.users)}</div>` : '';
        const footer = a.footer ? `<div class="attachment-footer">${esc(a.footer)}</div>` : '';
        return `<div class="attachment" style="border-left-color:${color}">${title}${text}${footer}</div>`;
      })
      .join('');
  }

  /** A message's or view's blocks; a message without blocks shows its text, as Slack does. */
  function renderBlocks(blocks, ctx, fallbackText) {
    if (!blocks || blocks.length === 0) return fallbackText ? `<div class="block section"><div class="section-text">${mrkdwn(fallbackText, ctx.users)}</div></div>` : '';
    return blocks.map((b) => blockHtml(b, ctx)).join('');
  }

  window.BlockKit = { renderBlocks, renderAttachments, mrkdwn, esc, EMOJI };
})();
