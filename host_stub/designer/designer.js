// The Actions palette: draws each action's form from its JSON schema and x-ui hints alone (labels,
// order, show_when, options_when, advanced, secret, accepts_credential, presets, buttons), checks
// values against the schema before anything is sent, and talks to rpa-host designer's API with the
// session secret in a header. A field's error shows once the field was touched, or when Test
// connection, a button or Add to bot is pressed. Actions go into the bot by Add to bot, by a
// double-click in the palette or by dragging them into the step list (pointer events, so mouse,
// pen and touch alike); steps are reordered by dragging, and a step clicked in the list is edited
// in the form. Nothing here knows a particular plugin.
'use strict';

// The server puts the session secret in the page (its cookie is HttpOnly); the address's one-time
// token was spent loading it.
const token = (document.querySelector('meta[name="designer-token"]') || {}).content || '';
const texts = {
  en: { title: 'Bot designer', language: 'Language', choose: 'Choose an action', bot: 'Bot', bot_file: 'Bot file',
        save: 'Save', save_anyway: 'Save anyway', run: 'Run', vault: 'Credential Vault', vault_add: 'Add a secret',
        store: 'Store', sign_in: 'Open the sign-in page', test: 'Test connection', add: 'Add to bot', advanced: 'Show advanced fields',
        string: 'String', credential: 'Credential', preset: 'Preset', none: '(none)', up: '↑', down: '↓',
        remove: 'Remove', required: 'is required', saved: 'Saved', running: 'Running…', done: 'Done',
        steps_hint: 'Double-click an action, or drag it here. Drag steps to reorder them.',
        secrets_warning: 'The bot file will hold typed secrets in clear text. Store them in the Credential Vault and pick them as credentials instead, or press Save anyway.' },
  ja: { title: 'ボット デザイナー', language: '言語', choose: 'アクションを選択してください', bot: 'ボット', bot_file: 'ボット ファイル',
        save: '保存', save_anyway: 'このまま保存', run: '実行', vault: '資格情報コンテナー', vault_add: 'シークレットを追加',
        store: '格納', sign_in: 'サインイン ページを開く', test: '接続テスト', add: 'ボットに追加', advanced: '詳細設定を表示',
        string: '文字列', credential: '資格情報', preset: 'プリセット', none: '(なし)', up: '↑', down: '↓',
        remove: '削除', required: 'は必須です', saved: '保存しました', running: '実行中…', done: '完了',
        steps_hint: 'アクションをダブルクリックするか、ここにドラッグします。ステップはドラッグで並べ替えられます。',
        secrets_warning: 'ボット ファイルに入力したシークレットが平文で保存されます。資格情報コンテナーに格納して資格情報として選択するか、「このまま保存」を押してください。' },
};
const state = { lang: 'en', actions: [], vault: [], action: null, values: {}, modes: {}, picks: {}, advanced: false,
                steps: [], confirmSecrets: false,
                touched: {}, revealAll: false,  // which fields show their errors
                editing: null };                // the step the form edits, or null (a new action)
const $ = (id) => document.getElementById(id);
const t = (key) => texts[state.lang][key] || texts.en[key] || key;
const label = (node, fallback) => (node && (node[state.lang] || node.en)) || fallback;

async function api(method, path, body) {
  const response = await fetch(path, {
    method, headers: { 'X-Designer-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error || ('HTTP ' + response.status));
  return json;
}

// --- schema reading
function resolve(schema, root) {
  while (schema && schema.$ref) schema = schema.$ref.replace('#/', '').split('/').reduce((n, k) => n[k], root);
  return schema || {};
}
function ui(name) { return (state.action.schema['x-ui'].fields || {})[name] || {}; }
function fieldNames() {
  const schema = state.action.schema;
  const order = (schema['x-ui'] && schema['x-ui'].order) || [];
  return order.concat(Object.keys(schema.properties || {}).filter((n) => !order.includes(n)));
}
function current(name) {
  if (state.values[name] !== undefined) return state.values[name];
  return resolve(state.action.schema.properties[name], state.action.schema).default;
}
function matches(conditions) {
  return Object.entries(conditions || {}).every(([field, allowed]) => allowed.includes(current(field)));
}
function visible(name) { const hints = ui(name); return !hints.show_when || matches(hints.show_when); }
function advanced(name) { const hints = ui(name); return !!hints.advanced || (!!hints.advanced_when && matches(hints.advanced_when)); }
function allowedOptions(name, values) {
  const hints = ui(name);
  if (!hints.options_when) return values;
  for (const field of Object.keys(hints.show_when || {}))
    if (hints.options_when[current(field)]) return values.filter((v) => hints.options_when[current(field)].includes(v));
  return values;
}
function kindOf(schema) {
  if (schema.enum) return 'enum';
  if (schema.type === 'boolean') return 'boolean';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  if (schema.type === 'string') return 'string';
  return 'json';
}

// --- checks, from the schema (the plugin checks again when it runs)
function problem(name, value) {
  const root = state.action.schema;
  let schema = resolve(root.properties[name], root);
  if (value && typeof value === 'object' && value.credential) return null;
  if (schema.oneOf && typeof value === 'string') schema = resolve(schema.oneOf.find((s) => resolve(s, root).type === 'string') || {}, root);
  const invalid = schema['x-invalid'] || null;
  if (schema.enum && !schema.enum.includes(value)) return invalid || 'must be one of ' + schema.enum.join(', ');
  if (schema.type === 'integer' && (!Number.isInteger(value)))
    return invalid || 'must be a whole number';
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return invalid || 'must be at least ' + schema.minimum;
    if (schema.maximum !== undefined && value > schema.maximum) return invalid || 'must be at most ' + schema.maximum;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return invalid || 'must not be empty';
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return invalid || 'is too long';
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value))
      return schema['x-invalid-pattern'] || invalid || 'has a wrong form';
  }
  return null;
}
function bag() {
  const properties = {};
  for (const name of fieldNames()) if (visible(name) && state.values[name] !== undefined) properties[name] = state.values[name];
  return properties;
}
// The fields required now: the schema's own, and those of each oneOf / anyOf branch whose enum
// conditions the current values meet (a branch without conditions names alternatives, such as
// "a secret or a certificate": the plugin says which is missing).
function requiredNow() {
  const required = new Set();
  const walk = (schema) => {
    for (const name of schema.required || []) required.add(name);
    for (const branch of (schema.oneOf || []).concat(schema.anyOf || [])) {
      const conditions = Object.entries(branch.properties || {}).filter(([, s]) => s.enum);
      if (conditions.length && conditions.every(([field, s]) => s.enum.includes(current(field)))) walk(branch);
    }
  };
  walk(state.action.schema);
  return required;
}

// Checks every visible field; shows the errors of touched fields (all of them with `reveal`).
function check(reveal) {
  if (reveal) state.revealAll = true;
  let ok = true;
  const needed = requiredNow();
  const required = [...needed].filter((name) => current(name) === undefined);
  for (const name of fieldNames()) {
    const error = $('error-' + name);
    if (!error) continue;
    let text = '';
    if (visible(name)) {
      const value = state.values[name];
      if (value === undefined && required.includes(name)) text = label(ui(name).label, name) + ' ' + t('required');
      else if (value !== undefined) { const why = problem(name, value); if (why) text = label(ui(name).label, name) + ': ' + why; }
    }
    error.textContent = state.revealAll || state.touched[name] ? text : '';
    if (text) ok = false;
  }
  return ok;
}
// A field the user changed or left: its error may show from now on. The step being edited follows.
function touch(name) {
  state.touched[name] = true;
  if (state.editing) { state.editing.properties = bag(); drawSteps(); }
}

// --- drawing
function drawPalette() {
  const palette = $('palette');
  palette.textContent = '';
  const packages = {};
  for (const action of state.actions) (packages[action.package] = packages[action.package] || []).push(action);
  for (const [name, actions] of Object.entries(packages)) {
    const heading = document.createElement('h3');
    heading.textContent = name;
    palette.append(heading);
    for (const action of actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.id = 'action-' + action.package + '.' + action.name;
      button.textContent = state.lang === 'ja' ? action.label_ja : action.label_en;
      button.onclick = () => openForm(action, null);
      button.ondblclick = () => insertStep(action, state.steps.length);
      button.onpointerdown = (event) => startDrag(event, { kind: 'action', action, text: button.textContent });
      palette.append(button);
    }
  }
}

function credentialPicker(name, value) {
  const box = document.createElement('span');
  box.className = 'credential';
  const split = state.vault.map((n) => n.split('/'));
  const chosen = state.picks[name] || (value && value.credential) || {};
  const pick = (part, options, selected, onchange) => {
    const select = document.createElement('select');
    select.id = 'cred-' + name + '-' + part;
    select.append(new Option(t('none'), ''));
    for (const option of [...new Set(options)]) select.append(new Option(option, option, false, option === selected));
    select.onchange = onchange;
    box.append(select);
    return select;
  };
  const update = () => {
    let [locker, credential, attribute] = ['locker', 'credential', 'attribute'].map((p) => $('cred-' + name + '-' + p).value);
    const before = state.picks[name] || {};
    if (locker !== before.locker) { credential = ''; attribute = ''; }  // a new locker: choose again below it
    else if (credential !== before.name) attribute = '';
    state.picks[name] = { locker, name: credential, attribute };
    state.values[name] = locker && credential && attribute ? { credential: { locker, name: credential, attribute } } : undefined;
    touch(name);
    drawForm();
  };
  pick('locker', split.map((s) => s[0]), chosen.locker, update);
  pick('credential', split.filter((s) => s[0] === chosen.locker).map((s) => s[1]), chosen.name, update);
  pick('attribute', split.filter((s) => s[0] === chosen.locker && s[1] === chosen.name).map((s) => s[2]), chosen.attribute, update);
  return box;
}

function input(name, schema, hints) {
  const kind = kindOf(schema);
  const value = state.values[name];
  if (kind === 'enum') {
    const options = allowedOptions(name, schema.enum);
    if (hints.widget === 'radio') {
      const group = document.createElement('span');
      for (const option of options) {
        const choice = document.createElement('label');
        const radio = document.createElement('input');
        radio.type = 'radio'; radio.name = name; radio.id = 'input-' + name + '-' + option; radio.value = option;
        radio.checked = current(name) === option;
        radio.onchange = () => { state.values[name] = option; touch(name); drawForm(); };
        choice.append(radio, ' ' + label((hints.options || {})[option], String(option)) + ' ');
        group.append(choice);
      }
      return group;
    }
    const select = document.createElement('select');
    select.id = 'input-' + name;
    select.append(new Option(t('none'), ''));
    for (const option of options) select.append(new Option(label((hints.options || {})[option], String(option)), option, false, value === option));
    select.onchange = () => { state.values[name] = select.value === '' ? undefined : select.value; touch(name); drawForm(); };
    return select;
  }
  if (kind === 'boolean') {
    const box = document.createElement('input');
    box.type = 'checkbox'; box.id = 'input-' + name; box.checked = !!current(name);
    box.onchange = () => { state.values[name] = box.checked; touch(name); drawForm(); };
    return box;
  }
  const field = document.createElement(kind === 'json' ? 'textarea' : 'input');
  field.id = 'input-' + name;
  if (kind !== 'json') field.type = kind === 'number' ? 'number' : hints.secret ? 'password' : 'text';
  if (schema.default !== undefined) field.placeholder = String(schema.default);
  field.value = value === undefined ? '' : kind === 'json' ? JSON.stringify(value) : String(value);
  field.onchange = () => {
    const text = field.value;
    if (text === '') state.values[name] = undefined;
    else if (kind === 'number') state.values[name] = Number(text);
    else if (kind === 'json') { try { state.values[name] = JSON.parse(text); } catch (e) { state.values[name] = text; } }
    else state.values[name] = text;
    touch(name);
    check();
  };
  field.onblur = () => { touch(name); check(); };
  return field;
}

function drawForm() {
  const action = state.action;
  const form = $('form');
  form.textContent = '';
  $('outcome').textContent = '';
  if (!action) return;
  const root = action.schema;
  $('action-title').textContent = label(root['x-ui'] && root['x-ui'].label, action.name) + ' — ' + action.package;
  const toggle = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox'; box.id = 'show-advanced'; box.checked = state.advanced;
  box.onchange = () => { state.advanced = box.checked; drawForm(); };
  toggle.append(box, ' ' + t('advanced'));
  form.append(toggle);
  const presets = (root['x-ui'] && root['x-ui'].presets) || [];
  for (const name of fieldNames()) {
    const hints = ui(name);
    if (!visible(name) || (advanced(name) && !state.advanced)) continue;
    const schema = resolve(root.properties[name], root);
    const div = document.createElement('div');
    div.className = 'field' + (advanced(name) ? ' advanced' : '');
    div.id = 'field-' + name;
    const title = document.createElement('label');
    title.className = 'name'; title.id = 'label-' + name; title.htmlFor = 'input-' + name;
    title.textContent = label(hints.label, name);
    div.append(title);
    if (name === 'host' && presets.length) div.append(presetPicker(presets));
    if (hints.accepts_credential) {
      const mode = document.createElement('select');
      mode.id = 'mode-' + name; mode.className = 'mode';
      mode.append(new Option(t('string'), 'string'), new Option(t('credential'), 'credential'));
      mode.value = state.modes[name] || 'string';
      mode.onchange = () => { state.modes[name] = mode.value; state.values[name] = undefined; delete state.picks[name]; touch(name); drawForm(); };
      title.append(mode);
      div.append(mode.value === 'credential' ? credentialPicker(name, state.values[name])
                                             : input(name, { type: 'string' }, hints));
    } else {
      div.append(input(name, schema, hints));
    }
    if (hints.hint) { const hint = document.createElement('div'); hint.className = 'hint'; hint.textContent = label(hints.hint, ''); div.append(hint); }
    const error = document.createElement('div');
    error.className = 'error'; error.id = 'error-' + name;
    div.append(error);
    form.append(div);
  }
  drawButtons();
  check();
}

function presetPicker(presets) {
  const span = document.createElement('span');
  const select = document.createElement('select');
  select.id = 'preset';
  select.append(new Option(t('preset') + ': ' + t('none'), ''));
  presets.forEach((preset, i) => select.append(new Option(preset.name, String(i))));
  const note = document.createElement('div');
  note.className = 'hint'; note.id = 'preset-sign-in';
  select.onchange = () => {
    const preset = presets[Number(select.value)];
    if (!preset) return;
    const protocol = current('protocol') || Object.keys(preset).find((k) => preset[k] && preset[k].host);
    const server = preset[protocol] || {};
    if (server.host) state.values.host = server.host;
    if (server.port) state.values.port = server.port;
    touch('host');
    touch('port');
    if (preset.SMTP && preset.SMTP.host) {  // where the session sends
      state.values.smtp_host = preset.SMTP.host;
      state.values.smtp_port = preset.SMTP.port;
      touch('smtp_host');
      touch('smtp_port');
    }
    drawForm();
    $('preset-sign-in').textContent = label(preset.sign_in, '');
  };
  span.append(' ', select, note);
  return span;
}

function drawButtons() {
  const buttons = $('buttons');
  buttons.textContent = '';
  const root = state.action.schema;
  const add = (id, text, onclick) => {
    const button = document.createElement('button');
    button.type = 'button'; button.id = id; button.textContent = text; button.onclick = onclick;
    buttons.append(button);
  };
  for (const [key, button] of Object.entries((root['x-ui'] && root['x-ui'].buttons) || {}))
    if (matches(button.show_when)) add('button-' + key, label(button.label, key), () => runButton(button.action));
  add('button-test', t('test'), test);
  add('button-add', state.editing ? t('done') : t('add'), state.editing ? doneEditing : addStep);
}

function show(outcome) {
  $('outcome').textContent = outcome.status + (outcome.code ? ' (' + outcome.code + ')' : '') + ': ' + (outcome.message || '');
}
async function test() {
  if (!check(true)) return;
  $('outcome').textContent = t('running');
  try { show(await api('POST', '/api/test', { action: state.action.id, properties: bag() })); }
  catch (e) { $('outcome').textContent = e.message; }
}
// A button's action (Authorize) may ask the host to open a sign-in page: while it waits, the page
// offers that address as a link, to open in this browser.
async function runButton(actionId) {
  if (!check(true)) return;
  $('outcome').textContent = t('running');
  const link = $('sign-in-link');
  let waiting = true;
  const poll = async () => {
    while (waiting) {
      try {
        const offered = await api('GET', '/api/sign-in');
        if (offered.url && waiting) { link.href = offered.url; link.hidden = false; }
      } catch (e) { /* the next poll tries again */ }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  poll();
  try { show(await api('POST', '/api/invoke', { action: actionId, properties: bag() })); }
  catch (e) { $('outcome').textContent = e.message; }
  waiting = false;
  link.hidden = true;
}
function addStep() {
  if (!check(true)) return;
  state.steps.push({ action: state.action.package + '.' + state.action.name, properties: bag() });
  state.confirmSecrets = false;
  drawSteps();
}

// The form for `action`, empty, or editing `step` (its properties become the form's values).
function openForm(action, step) {
  state.action = action;
  state.editing = step;
  state.values = step ? JSON.parse(JSON.stringify(step.properties)) : {};
  state.modes = {};
  state.picks = {};
  for (const [name, value] of Object.entries(state.values))
    if (value && typeof value === 'object' && value.credential) {
      state.modes[name] = 'credential';
      state.picks[name] = Object.assign({}, value.credential);
    }
  state.touched = {};
  state.revealAll = false;
  drawForm();
  drawSteps();
}
const actionOf = (step) => state.actions.find((a) => a.package + '.' + a.name === step.action);
// A step for `action` at `index` of the bot, opened in the form to fill in.
function insertStep(action, index) {
  const step = { action: action.package + '.' + action.name, properties: {} };
  state.steps.splice(Math.max(0, Math.min(index, state.steps.length)), 0, step);
  state.confirmSecrets = false;
  openForm(action, step);
}
function moveStep(from, to) {
  const [step] = state.steps.splice(from, 1);
  state.steps.splice(to > from ? to - 1 : to, 0, step);
  state.confirmSecrets = false;
  drawSteps();
}
function doneEditing() {
  if (!check(true)) return;
  state.editing.properties = bag();
  state.editing = null;
  state.action = null;
  $('action-title').textContent = t('choose');
  $('buttons').textContent = '';
  drawForm();
  drawSteps();
}

// --- dragging into and within the step list, with pointer events
let drag = null;  // { kind: 'action' | 'step', action | from, text, x, y, ghost }
function startDrag(event, what) {
  if (event.button !== 0) return;
  drag = Object.assign({ x: event.clientX, y: event.clientY, ghost: null }, what);
}
// Where a drop at the pointer would go in the step list, or null outside it.
function dropIndex(event) {
  const zone = $('bot-drop').getBoundingClientRect();
  if (event.clientX < zone.left || event.clientX > zone.right || event.clientY < zone.top || event.clientY > zone.bottom)
    return null;
  const items = [...$('steps').children];
  const before = items.findIndex((item) => { const box = item.getBoundingClientRect(); return event.clientY < box.top + box.height / 2; });
  return before < 0 ? items.length : before;
}
function markDrop(index) {
  [...$('steps').children].forEach((item, i) => {
    item.classList.toggle('drop-before', i === index);
    item.classList.toggle('drop-after', index === state.steps.length && i === state.steps.length - 1);
  });
  $('bot-drop').classList.toggle('drop-here', index !== null);
}
document.addEventListener('pointermove', (event) => {
  if (!drag) return;
  if (!drag.ghost) {
    if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < 5) return;  // a click, so far
    drag.ghost = document.createElement('div');
    drag.ghost.className = 'drag-ghost';
    drag.ghost.id = 'drag-ghost';
    drag.ghost.textContent = drag.text;
    document.body.append(drag.ghost);
    document.body.classList.add('dragging');
  }
  drag.ghost.style.left = event.clientX + 10 + 'px';
  drag.ghost.style.top = event.clientY + 10 + 'px';
  markDrop(dropIndex(event));
});
document.addEventListener('pointerup', (event) => {
  const done = drag;
  drag = null;
  if (!done || !done.ghost) return;
  done.ghost.remove();
  document.body.classList.remove('dragging');
  const index = dropIndex(event);
  markDrop(null);
  if (index === null) return;
  if (done.kind === 'action') insertStep(done.action, index);
  else if (index !== done.from && index !== done.from + 1) moveStep(done.from, index);
});
document.addEventListener('pointercancel', () => {
  if (drag && drag.ghost) drag.ghost.remove();
  drag = null;
  document.body.classList.remove('dragging');
  markDrop(null);
});

// --- the bot
function drawSteps() {
  const list = $('steps');
  list.textContent = '';
  state.steps.forEach((step, i) => {
    const item = document.createElement('li');
    item.id = 'step-' + i;
    item.className = step === state.editing ? 'editing' : '';
    const name = document.createElement('span');
    name.className = 'step-name';
    name.id = 'step-name-' + i;
    name.textContent = step.action + ' ' + (step.properties.session_name || '') + ' ';
    name.onclick = () => { const action = actionOf(step); if (action) openForm(action, step); };
    name.onpointerdown = (event) => startDrag(event, { kind: 'step', from: i, text: name.textContent });
    item.append(name);
    const move = (text, id, to) => {
      const b = document.createElement('button'); b.type = 'button'; b.textContent = text; b.id = id;
      b.onclick = () => { to(); state.confirmSecrets = false; drawSteps(); };
      item.append(b);
    };
    move(t('up'), 'step-up-' + i, () => { if (i > 0) [state.steps[i - 1], state.steps[i]] = [state.steps[i], state.steps[i - 1]]; });
    move(t('down'), 'step-down-' + i, () => { if (i + 1 < state.steps.length) [state.steps[i + 1], state.steps[i]] = [state.steps[i], state.steps[i + 1]]; });
    move(t('remove'), 'step-remove-' + i, () => {
      state.steps.splice(i, 1);
      if (step === state.editing) { state.editing = null; drawButtons(); }
    });
    list.append(item);
  });
  $('save').textContent = state.confirmSecrets ? t('save_anyway') : t('save');
  $('save-warning').hidden = !state.confirmSecrets;
  $('save-warning').textContent = t('secrets_warning');
}
function typedSecrets() {
  return state.steps.some((step) => {
    const action = actionOf(step);
    const fields = (action && action.schema['x-ui'] && action.schema['x-ui'].fields) || {};
    return Object.entries(step.properties).some(([name, value]) => (fields[name] || {}).secret && typeof value === 'string');
  });
}
async function save() {
  if (typedSecrets() && !state.confirmSecrets) { state.confirmSecrets = true; drawSteps(); return; }
  try {
    const saved = await api('POST', '/api/bot/save', { path: $('bot-path').value, steps: state.steps });
    $('run-output').textContent = t('saved') + ': ' + saved.path;
    state.confirmSecrets = false;
    drawSteps();
  } catch (e) { $('run-output').textContent = e.message; }
}
async function run() {
  $('run-output').textContent = t('running');
  try { const ran = await api('POST', '/api/bot/run', { path: $('bot-path').value }); $('run-output').textContent = ran.output; }
  catch (e) { $('run-output').textContent = e.message; }
}

// --- the vault (names only; a value goes to the host once)
async function loadVault() {
  try { state.vault = (await api('GET', '/api/vault')).names; } catch (e) { state.vault = []; }
  const list = $('vault-names');
  list.textContent = '';
  for (const name of state.vault) { const item = document.createElement('li'); item.textContent = name; list.append(item); }
}
async function store() {
  const value = $('vault-value');
  try {
    await api('POST', '/api/vault', { locker: $('vault-locker').value, credential: $('vault-credential').value,
                                      attribute: $('vault-attribute').value, value: value.value });
  } catch (e) { $('run-output').textContent = e.message; }
  value.value = '';
  await loadVault();
  if (state.action) drawForm();
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t(node.dataset.text);
  drawPalette();
  if (state.action) drawForm();
  drawSteps();
}

async function start() {
  $('language').onchange = () => { state.lang = $('language').value; translate(); };
  $('save').onclick = save;
  $('run').onclick = run;
  $('vault-store').onclick = store;
  state.actions = (await api('GET', '/api/actions')).actions;
  await loadVault();
  translate();
  document.body.dataset.ready = 'true';
}
start().catch((e) => { $('outcome').textContent = e.message; });
