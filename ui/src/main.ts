import { api, asReport } from './api';
import type { Action, ActionRequest, AttentionItem, CalendarYear, DeskStatus, Dossier, DossierView, ErrorReport, Form, OfficeSetup, Paper, Procedure, ReceptionInput, SyncLogRow, SyncOverview } from './api';
import { clear, h, isoToVn, money, vnTime, vnToIso } from './dom';
import { t } from './messages';
import { renderReports } from './reports';

type Tab = 'board' | 'receive' | 'today' | 'search' | 'reports' | 'sync' | 'settings';

const root = document.getElementById('app') as HTMLElement;
let status: DeskStatus | null = null;
let procedures: Procedure[] = [];
let currentTab: Tab = 'receive';
let tabActions: { save?: () => void; print?: () => void } = {};

// ---------------------------------------------------------------- errors

/** Shows a core error: the message on top, each field's message under its input. */
function showErrors(form: HTMLElement, report: ErrorReport | null): void {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  const banner = form.querySelector('.form-error') as HTMLElement | null;
  if (!banner) return;
  if (!report) {
    banner.hidden = true;
    banner.textContent = '';
    return;
  }
  banner.hidden = false;
  banner.textContent = report.fields.length > 1 ? t.fixErrors : report.message;
  banner.dataset.code = report.code;
  let first: HTMLElement | null = null;
  for (const f of report.fields) {
    const input = f.field ? (form.querySelector(`[data-field="${CSS.escape(f.field)}"]`) as HTMLElement | null) : null;
    const msg = h('div', { class: 'field-error', role: 'alert' }, f.message);
    if (input) {
      input.classList.add('invalid');
      input.closest('label, .doc-row')?.append(msg);
      first ??= input;
    } else {
      banner.append(h('div', {}, f.message));
    }
  }
  first?.focus();
}

function fatal(report: ErrorReport): void {
  clear(root);
  root.append(
    h('main', { class: 'fatal' }, h('h1', {}, t.cannotOpen), h('p', { class: 'form-error', 'data-code': report.code }, report.message)),
  );
}

// ---------------------------------------------------------------- office form

function field(label: string, input: HTMLElement, wide = false): HTMLElement {
  return h('label', { class: wide ? 'field wide' : 'field' }, h('span', {}, label), input);
}

function officeForm(initial: OfficeSetup | null, submitLabel: string, onSubmit: (s: OfficeSetup) => Promise<void>): HTMLElement {
  const name = h('input', { id: 'office_name', 'data-field': 'office_name', value: initial?.office_name ?? '', autocomplete: 'off' });
  const code = h('input', { id: 'agency_code', 'data-field': 'agency_code', value: initial?.agency_code ?? '', placeholder: '000.17.22.H56' });
  const place = h('input', { id: 'place', 'data-field': 'place', value: initial?.place ?? '' });
  const counter = h('input', { id: 'counter', 'data-field': 'counter', type: 'number', min: 1, max: 9, value: initial?.counter ?? 1 });
  const clerks = h('textarea', { id: 'clerks', 'data-field': 'clerks', rows: 3 });
  clerks.value = (initial?.clerks ?? []).join('\n');
  const morning = h('input', { id: 'morning', 'data-field': 'hours', value: initial?.morning ?? '07:00-11:30' });
  const afternoon = h('input', { id: 'afternoon', 'data-field': 'hours', value: initial?.afternoon ?? '13:30-17:00' });
  const saturday = h('input', { id: 'saturday_morning', type: 'checkbox', checked: initial?.saturday_morning ?? false });
  const cutoff = h('input', { id: 'same_day_cutoff', 'data-field': 'same_day_cutoff', value: initial?.same_day_cutoff ?? '15:00' });
  const submit = h('button', { type: 'submit', id: 'save-office', class: 'primary' }, submitLabel);
  const form = h(
    'form',
    { class: 'grid-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    field(t.officeName, name, true),
    field(t.agencyCode, code),
    field(t.place, place),
    field(t.counter, counter),
    field(t.clerks, clerks, true),
    field(t.morning, morning),
    field(t.afternoon, afternoon),
    field(t.cutoff, cutoff),
    h('label', { class: 'check' }, saturday, h('span', {}, t.saturday)),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      await onSubmit({
        office_name: name.value,
        agency_code: code.value,
        place: place.value,
        counter: Number(counter.value || 0),
        clerks: clerks.value.split('\n').map((s) => s.trim()).filter(Boolean),
        morning: morning.value,
        afternoon: afternoon.value,
        saturday_morning: saturday.checked,
        same_day_cutoff: cutoff.value,
        training: false,
      });
      showErrors(form, null);
    } catch (e) {
      showErrors(form, asReport(e));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function renderSetup(): void {
  clear(root);
  const form = officeForm(null, t.saveSetup, async (setup) => {
    await api.initOffice(setup);
    await start();
  });
  root.append(h('main', { class: 'setup' }, h('h1', {}, t.setupTitle), h('p', {}, t.setupIntro), form));
  (form.querySelector('#office_name') as HTMLInputElement).focus();
}

// ---------------------------------------------------------------- shell

function statusLine(): HTMLElement {
  const o = status?.office;
  return h(
    'footer',
    { class: 'status', id: 'status-line' },
    h('span', {}, `${t.statusOffice}: ${o?.name ?? ''} (${o?.agency_code ?? ''})`),
    h('span', {}, `${t.statusCounter}: ${o?.counter ?? ''}`),
    h('span', { id: 'status-clerk' }, `${t.statusClerk}: ${status?.clerk ?? ''}`),
    h('span', {}, `${t.statusCatalog}: ${status?.catalog?.label ?? ''}`),
    syncArea(),
    h('span', { class: 'keys' }, t.keys),
  );
}

function renderMain(tab: Tab): void {
  currentTab = tab;
  tabActions = {};
  clear(root);
  const tabs: [Tab, string, string][] = [
    ['board', t.tabBoard, 'F1'],
    ['receive', t.tabReceive, 'F2'],
    ['today', t.tabToday, 'F3'],
    ['search', t.tabSearch, 'F4'],
    ['reports', t.tabReports, 'F6'],
    ['sync', t.tabSync, 'F7'],
    ['settings', t.tabSettings, 'F9'],
  ];
  const nav = h('nav', { class: 'tabs' });
  for (const [id, label, key] of tabs) {
    const b = h('button', { id: `tab-${id}`, class: id === tab ? 'active' : '', type: 'button' }, `${label} (${key})`);
    b.addEventListener('click', () => renderMain(id));
    nav.append(b);
  }
  const body = h('section', { class: 'body', id: `screen-${tab}` });
  const training = status?.office?.training ? [h('div', { class: 'training-banner', id: 'training-banner', role: 'note' }, t.trainingBanner)] : [];
  root.append(h('header', {}, h('strong', {}, t.appName), nav), ...training, body, statusLine());
  if (tab === 'board') void renderBoard(body);
  if (tab === 'receive') renderReception(body);
  if (tab === 'today') void renderToday(body);
  if (tab === 'search') renderSearch(body);
  if (tab === 'settings') void renderSettings(body);
  if (tab === 'sync') void renderSync(body);
  if (tab === 'reports') renderReports(body);
  void refreshSync();
}

// ---------------------------------------------------------------- sync status (always visible)

let lastOverview: SyncOverview | null = null;

function hhmm(iso: string | null | undefined): string {
  return iso ? iso.slice(11, 16) : '';
}

function syncArea(): HTMLElement {
  const text = h('button', { type: 'button', class: 'link', id: 'sync-text' }, status?.sync_label ?? '');
  text.addEventListener('click', () => renderMain('sync'));
  const bar = h('progress', { id: 'sync-progress', max: 1, value: 0, hidden: true });
  const now = h('button', { type: 'button', id: 'sync-now', class: 'small' }, t.syncNow);
  now.addEventListener('click', () => void syncNow(now));
  return h('span', { class: 'sync', id: 'sync-state', 'data-state': status?.sync ?? '' }, text, bar, now);
}

async function syncNow(button?: HTMLButtonElement): Promise<void> {
  try {
    await api.syncNow();
    await refreshSync();
  } catch (e) {
    const box = document.getElementById('sync-text');
    if (box) box.textContent = asReport(e).message;
    if (button) button.blur();
  }
}

/** Puts the worker's state in the status area: offline, syncing n of N, failed, done at HH:MM. */
function paintSync(o: SyncOverview): void {
  const area = document.getElementById('sync-state');
  const text = document.getElementById('sync-text');
  const bar = document.getElementById('sync-progress') as HTMLProgressElement | null;
  if (!area || !text || !bar) return;
  const s = o.status;
  const live = o.live;
  area.dataset.state = live.state;
  const parts: string[] = [];
  switch (live.state) {
    case 'not_configured': parts.push(t.syncNotConfigured); break;
    case 'training': parts.push(t.syncTraining); break;
    case 'idle': parts.push(s.last_success_at ? t.syncDoneAt(hhmm(s.last_success_at)) : t.syncIdle); break;
    case 'offline': parts.push(t.syncOffline); break;
    case 'syncing': {
      const p = live.progress;
      parts.push(p ? `${t.syncing}: ${t.syncPhase[p.phase]} ${p.done}/${p.total}` : t.syncing);
      break;
    }
    case 'failed': parts.push(`${t.syncFailed}: ${live.error?.message ?? ''}`); break;
    case 'done': parts.push(t.syncDoneAt(hhmm(live.last_report?.finished_at ?? s.last_success_at))); break;
  }
  if ((live.state === 'failed' || live.state === 'offline') && live.next_retry_at) parts.push(t.syncNextRetry(hhmm(live.next_retry_at)));
  if (live.state !== 'not_configured' && live.state !== 'training') parts.push(t.syncPending(Number(s.pending)));
  if (Number(s.attention) > 0) parts.push(t.syncAttention(Number(s.attention)));
  if (s.clock_warning) parts.push(s.clock_warning);
  if (live.reminder) parts.push(live.reminder);
  text.textContent = parts.join(' · ');
  text.title = live.error?.message ?? '';
  const p = live.progress;
  bar.hidden = live.state !== 'syncing';
  bar.max = Math.max(1, Number(p?.total ?? 1));
  bar.value = Number(p?.done ?? 0);
  const now = document.getElementById('sync-now') as HTMLButtonElement | null;
  if (now) now.disabled = live.state === 'syncing' || live.state === 'not_configured' || live.state === 'training';
}

async function refreshSync(): Promise<void> {
  try {
    const o = await api.syncOverview();
    const finished = lastOverview !== null && lastOverview.live.last_report?.run_id !== o.live.last_report?.run_id;
    lastOverview = o;
    paintSync(o);
    if (finished && currentTab === 'sync') {
      const body = document.getElementById('screen-sync');
      if (body) void renderSync(body);
    }
  } catch {
    // The status area keeps its last text; the next poll tries again.
  }
}

setInterval(() => {
  if (status?.office) void refreshSync();
}, 1500);

async function renderSync(body: HTMLElement): Promise<void> {
  let o: SyncOverview;
  let log: SyncLogRow[];
  let attention: AttentionItem[];
  try {
    [o, log, attention] = await Promise.all([api.syncOverview(), api.syncLog(), api.needsAttention()]);
  } catch (e) {
    clear(body);
    body.append(h('p', { class: 'form-error' }, asReport(e).message));
    return;
  }
  clear(body);
  const s = o.status;
  const now = h('button', { type: 'button', class: 'primary', id: 'sync-now-page' }, t.syncNow);
  now.addEventListener('click', () => void syncNow());
  const note = h('span', { class: 'hint', id: 'sync-page-note' });
  const retry = h('button', { type: 'button', id: 'retry-rejected', disabled: attention.length === 0 }, t.syncRetryRejected);
  retry.addEventListener('click', async () => {
    try {
      note.textContent = t.syncRequeued(await api.retryRejected());
    } catch (e) {
      note.textContent = asReport(e).message;
    }
  });
  const summary = h(
    'dl',
    { class: 'sync-summary' },
    h('dt', {}, t.syncHub), h('dd', {}, s.hub_url ?? t.syncNotConfigured),
    h('dt', {}, t.syncLastSuccess), h('dd', { id: 'sync-last-success' }, s.last_success_at ? vnTime(s.last_success_at) : t.syncNever),
    h('dt', {}, t.syncPendingLabel), h('dd', { id: 'sync-pending' }, String(s.pending)),
    h('dt', {}, t.syncAttentionTitle), h('dd', {}, String(s.attention)),
  );
  const attentionTable = attention.length === 0
    ? h('p', { class: 'hint', id: 'attention-empty' }, t.syncAttentionEmpty)
    : table(t.attentionCols, attention.map((a) => [a.dossier_code ?? '', a.event_kind, a.code, a.message, a.at ? vnTime(a.at) : '']), 'attention-list');
  const logTable = log.length === 0
    ? h('p', { class: 'hint' }, t.syncLogEmpty)
    : table(t.syncCols, log.map((r) => [
        vnTime(r.started_at), t.phases[r.phase] ?? r.phase, t.triggers[r.trigger] ?? r.trigger, t.outcomes[r.outcome] ?? r.outcome,
        String(r.sent), String(r.accepted), String(r.duplicate), String(r.rejected), String(r.pulled), String(r.applied), String(r.retries),
        r.error_text ?? '',
      ]), 'sync-log');
  body.append(
    h('h2', {}, t.tabSync),
    summary,
    h('div', { class: 'actions' }, now, retry, note),
    ...(s.clock_warning ? [h('p', { class: 'form-error', id: 'clock-skew' }, s.clock_warning)] : []),
    h('h3', {}, `${t.syncAttentionTitle} (${attention.length})`),
    attentionTable,
    h('h3', {}, t.syncLogTitle),
    logTable,
  );
}

function table(headers: readonly string[], rows: string[][], id: string): HTMLElement {
  return h(
    'table',
    { class: 'list', id },
    h('thead', {}, h('tr', {}, ...headers.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

// ---------------------------------------------------------------- reception

const FORMS: [string, string][] = [
  ['original', t.formOriginal],
  ['copy', t.formCopy],
  ['certified_copy', t.formCertified],
  ['present', t.formPresent],
];

function formSelect(value: string, fieldName: string): HTMLSelectElement {
  const s = h('select', { 'data-field': fieldName });
  for (const [v, label] of FORMS) s.append(h('option', { value: v, selected: v === value }, label));
  return s;
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

function timeLabel(p: Procedure): string {
  switch (p.time.unit) {
    case 'working_days':
      return `${p.time.value} ngày làm việc`;
    case 'calendar_days':
      return `${p.time.value} ngày`;
    case 'hours':
      return `${p.time.value} giờ làm việc`;
    default:
      return t.sameDay(status?.office?.hours.same_day_cutoff.slice(0, 5) ?? '15:00');
  }
}

function renderReception(body: HTMLElement): void {
  const qr = h('input', { id: 'qr-input', placeholder: t.qrPlaceholder, autocomplete: 'off', 'data-field': 'qr' });
  const qrNote = h('div', { class: 'hint', id: 'qr-note' });
  const filter = h('input', { id: 'procedure-filter', placeholder: t.procedureFilter, autocomplete: 'off' });
  const select = h('select', { id: 'procedure', 'data-field': 'procedure_code', size: 6 });
  const info = h('div', { class: 'procedure-info', id: 'procedure-info' });
  const docs = h('div', { class: 'docs', id: 'documents', 'data-field': 'documents', tabindex: -1 });

  const fillOptions = () => {
    const q = fold(filter.value.trim());
    clear(select);
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const p of procedures) {
      if (q && !fold(`${p.code} ${p.name} ${p.field}`).includes(q)) continue;
      let g = groups.get(p.field);
      if (!g) {
        g = h('optgroup', { label: p.field });
        groups.set(p.field, g);
        select.append(g);
      }
      g.append(h('option', { value: p.code }, `${p.name} — ${p.code}`));
    }
  };
  fillOptions();
  filter.addEventListener('input', fillOptions);
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter') {
      e.preventDefault();
      if (select.options.length > 0) {
        if (select.selectedIndex < 0) select.selectedIndex = 0;
        select.dispatchEvent(new Event('change'));
        select.focus();
      }
    }
  });

  const addDocRow = (name: string, form: string, count: number, checked: boolean, editable: boolean) => {
    const i = docs.querySelectorAll('.doc-row').length;
    const box = h('input', { type: 'checkbox', class: 'doc-check', checked });
    const nameEl = editable
      ? h('input', { class: 'doc-name', value: name, placeholder: t.otherDocument, 'data-field': `documents.${i}.name` })
      : h('span', { class: 'doc-name', 'data-field': `documents.${i}.name` }, name);
    const countEl = h('input', { type: 'number', class: 'doc-count', min: 1, max: 99, value: count, 'data-field': `documents.${i}.count`, 'aria-label': t.count });
    docs.append(h('div', { class: 'doc-row' }, box, nameEl, formSelect(form, `documents.${i}.form`), countEl));
  };

  const showProcedure = () => {
    const p = procedures.find((x) => x.code === select.value);
    clear(info);
    clear(docs);
    if (!p) return;
    const fees = p.fees.length === 0 ? t.noFees : p.fees.map((f) => `${f.name}: ${money(f.amount)}${f.note ? ` (${f.note})` : ''}`).join('; ');
    info.append(
      h('div', {}, h('strong', {}, p.name), ` — ${p.code} — ${p.field}`),
      h('div', {}, `${t.time}: ${timeLabel(p)}`),
      h('div', {}, `${t.fees}: ${fees}`),
    );
    if (!p.verified) info.append(h('div', { class: 'warn' }, t.unverified));
    docs.append(h('div', { class: 'hint' }, t.documentsHint));
    for (const d of p.documents) addDocRow(d.name, d.form, d.count, true, false);
  };
  select.addEventListener('change', showProcedure);
  select.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      (body.querySelector('#full_name') as HTMLInputElement).focus();
    }
  });

  const input = (id: string, fieldName: string, attrs: Record<string, string | number> = {}) =>
    h('input', { id, 'data-field': fieldName, autocomplete: 'off', ...attrs });
  const fullName = input('full_name', 'applicant.full_name');
  const idNumber = input('id_number', 'applicant.id_number', { inputmode: 'numeric', maxlength: 16 });
  const dob = input('date_of_birth', 'applicant.date_of_birth', { placeholder: t.datePlaceholder, inputmode: 'numeric' });
  const sex = h('select', { id: 'sex', 'data-field': 'applicant.sex' }, h('option', { value: '' }, '—'), h('option', { value: 'Nam' }, t.male), h('option', { value: 'Nữ' }, t.female));
  const phone = input('phone', 'applicant.phone', { inputmode: 'tel' });
  const email = input('email', 'applicant.email', { type: 'email' });
  const address = input('address', 'applicant.address');
  const sets = input('sets', 'sets', { type: 'number', min: 1, max: 20, value: 1 });
  const channel = h('select', { id: 'channel', 'data-field': 'channel' }, h('option', { value: 'counter' }, t.channelCounter), h('option', { value: 'post' }, t.channelPost));
  const note = h('textarea', { id: 'note', 'data-field': 'note', rows: 2 });
  const addDoc = h('button', { type: 'button', id: 'add-document' }, t.addDocument);
  addDoc.addEventListener('click', () => {
    addDocRow('', 'original', 1, true, true);
    (docs.querySelector('.doc-row:last-child .doc-name') as HTMLInputElement | null)?.focus();
  });
  const save = h('button', { type: 'submit', id: 'save', class: 'primary' }, t.save);

  qr.addEventListener('keydown', async (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    try {
      const card = await api.parseIdQr(qr.value);
      fullName.value = card.full_name;
      idNumber.value = card.id_number;
      dob.value = isoToVn(card.date_of_birth);
      sex.value = card.sex;
      address.value = card.address;
      qrNote.textContent = t.qrFilled;
      qrNote.className = 'hint ok';
      qr.value = '';
      filter.focus();
    } catch (err) {
      qrNote.textContent = asReport(err).message;
      qrNote.className = 'hint field-error';
      qr.select();
    }
  });

  const form = h(
    'form',
    { class: 'reception', id: 'reception-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert', id: 'form-error' }),
    h('label', { class: 'field wide qr' }, h('span', {}, t.qrLabel), qr, qrNote),
    h('fieldset', {}, h('legend', {}, t.procedure), filter, select, info),
    h(
      'fieldset',
      { class: 'grid' },
      h('legend', {}, t.applicantTitle),
      field(t.fullName, fullName, true),
      field(t.idNumber, idNumber),
      field(t.dateOfBirth, dob),
      field(t.sex, sex),
      field(t.phone, phone),
      field(t.email, email),
      field(t.address, address, true),
    ),
    h('fieldset', {}, h('legend', {}, t.documentsTitle), docs, addDoc),
    h('fieldset', { class: 'grid' }, field(t.sets, sets), field(t.channel, channel), field(t.note, note, true)),
    h('div', { class: 'actions' }, save),
  );

  const collect = (): ReceptionInput => ({
    procedure_code: select.value,
    applicant: {
      full_name: fullName.value,
      id_number: idNumber.value,
      date_of_birth: vnToIso(dob.value),
      sex: sex.value,
      phone: phone.value || null,
      email: email.value || null,
      address: address.value,
    },
    documents: [...docs.querySelectorAll('.doc-row')]
      .filter((row) => (row.querySelector('.doc-check') as HTMLInputElement).checked)
      .map((row) => {
        const n = row.querySelector('.doc-name') as HTMLElement;
        return {
          name: n instanceof HTMLInputElement ? n.value : (n.textContent ?? ''),
          form: (row.querySelector('select') as HTMLSelectElement).value,
          count: Number((row.querySelector('.doc-count') as HTMLInputElement).value || 0),
        };
      }),
    sets: Number(sets.value || 0),
    channel: channel.value,
    note: note.value || null,
    fees: null,
  });

  const submit = async () => {
    const ack = form.querySelector('#clock-ack') as HTMLInputElement | null;
    if (ack && !ack.checked) {
      showErrors(form, { code: 'clock_not_confirmed', message: t.clockAckRequired, fields: [] });
      ack.focus();
      return;
    }
    save.disabled = true;
    save.textContent = t.saving;
    try {
      const d = await api.receive(collect());
      showErrors(form, null);
      await renderSaved(body, d);
    } catch (e) {
      showErrors(form, asReport(e));
    } finally {
      save.disabled = false;
      save.textContent = t.save;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.ctrlKey) {
      e.preventDefault();
      void submit();
    }
  });
  tabActions.save = () => void submit();

  clear(body);
  body.append(form);
  qr.focus();
  // A PC clock earlier than the last recorded fact: a receipt would carry a wrong date.
  void api.clockWarning().then((warning) => {
    if (!warning) return;
    const ack = h('input', { type: 'checkbox', id: 'clock-ack' });
    form.prepend(h('div', { class: 'clock-warning', role: 'alert', id: 'clock-warning' }, h('p', {}, warning), h('label', {}, ack, ` ${t.clockAck}`)));
  }).catch(() => undefined);
}

async function renderSaved(body: HTMLElement, d: Dossier): Promise<void> {
  tabActions = {};
  const again = h('button', { type: 'button', id: 'new-dossier' }, t.newDossier);
  again.addEventListener('click', () => renderMain('receive'));
  const printBox = h('div', { class: 'print-box', id: 'print-box' });
  clear(body);
  body.append(
    h(
      'div',
      { class: 'saved' },
      h(
        'div',
        { class: 'saved-head' },
        h('h2', {}, t.savedTitle),
        h('div', { class: 'code-box' }, h('span', {}, t.dossierCode), h('strong', { id: 'result-code' }, d.code)),
        h('div', {}, `${t.receivedAt}: ${vnTime(d.received_at)}`),
        h('div', { id: 'result-due' }, `${t.dueAt}: `, h('strong', {}, vnTime(d.due_at))),
        h('div', {}, `${d.applicant.full_name} — ${d.procedure.name}`),
        again,
      ),
      printBox,
    ),
  );
  printPanel(printBox, 'receipt', d.code);
  (printBox.querySelector('#print') as HTMLElement | null)?.focus();
}

// ---------------------------------------------------------------- lists

function dossierTable(list: Dossier[], empty: string, onOpen: (d: Dossier) => void): HTMLElement {
  if (list.length === 0) return h('p', { class: 'empty' }, empty);
  const tbody = h('tbody');
  for (const d of list) {
    const row = h(
      'tr',
      { tabindex: 0, 'data-code': d.code },
      h('td', { class: 'mono' }, d.code),
      h('td', {}, d.applicant.full_name),
      h('td', {}, d.procedure.name),
      h('td', {}, vnTime(d.received_at)),
      h('td', {}, vnTime(d.due_at)),
      h('td', {}, t.statusLabels[d.status] ?? d.status),
    );
    row.addEventListener('click', () => onOpen(d));
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') onOpen(d);
    });
    tbody.append(row);
  }
  return h(
    'table',
    { class: 'list' },
    h('thead', {}, h('tr', {}, ...[t.colCode, t.colApplicant, t.colProcedure, t.colReceived, t.colDue, t.colStatus].map((c) => h('th', {}, c)))),
    tbody,
  );
}

function actionFields(action: Action, v: DossierView): { fields: HTMLElement[]; build: () => ActionRequest } {
  const input = (id: string, value = '', attrs: Record<string, string> = {}) => h('input', { id, value, autocomplete: 'off', ...attrs });
  const area = (id: string) => h('textarea', { id, rows: 2, 'data-field': 'reason' });
  switch (action) {
    case 'handover': {
      const from = input('act-from', t.defaultFrom, { 'data-field': 'from' });
      const to = input('act-to', v.procedure.deciding_body, { 'data-field': 'to' });
      const note = input('act-note', '', { 'data-field': 'note' });
      return { fields: [field(t.actFrom, from), field(t.actTo, to), field(t.actNote, note, true)], build: () => ({ action: 'handover', from: from.value, to: to.value, note: note.value || null }) };
    }
    case 'supplement': {
      const reason = area('act-reason');
      const docs = h('textarea', { id: 'act-documents', rows: 3, 'data-field': 'documents' });
      return {
        fields: [field(t.actReason, reason, true), field(t.actDocuments, docs, true)],
        build: () => ({
          action: 'supplement',
          reason: reason.value,
          documents: docs.value.split('\n').map((n) => n.trim()).filter(Boolean).map((name) => ({ name, form: 'original', count: 1 })),
        }),
      };
    }
    case 'refuse':
    case 'withdraw': {
      const reason = area('act-reason');
      return { fields: [field(t.actReason, reason, true)], build: () => ({ action, reason: reason.value }) as ActionRequest };
    }
    case 'correct_result': {
      const reason = area('act-reason');
      return { fields: [field(t.actReason, reason, true)], build: () => ({ action: 'correct_result', reason: reason.value }) };
    }
    case 'correction_done': {
      const number = input('act-number', '', { 'data-field': 'number' });
      return { fields: [field(t.actNumber, number)], build: () => ({ action: 'correction_done', number: number.value }) };
    }
    case 'financial_obligation': {
      const note = area('act-reason');
      return { fields: [field(t.actReason, note, true)], build: () => ({ action: 'financial_obligation', note: note.value }) };
    }
    case 'extend': {
      const due = input('act-new-due', v.due_at.slice(0, 16), { 'data-field': 'new_due' });
      const reason = area('act-reason');
      return { fields: [field(t.actNewDue, due), field(t.actReason, reason, true)], build: () => ({ action: 'extend', new_due: due.value, reason: reason.value }) };
    }
    case 'result': {
      const number = input('act-number', '', { 'data-field': 'number' });
      const issuer = input('act-issuer', v.procedure.deciding_body, { 'data-field': 'issuer' });
      const on = input('act-issued-on', '', { placeholder: 'NNNN-TT-NN', 'data-field': 'issued_on' });
      return { fields: [field(t.actNumber, number), field(t.actIssuer, issuer), field(t.actIssuedOn, on)], build: () => ({ action: 'result', number: number.value, issuer: issuer.value, issued_on: on.value || null }) };
    }
    case 'return': {
      const name = input('act-to-name', v.applicant.full_name, { 'data-field': 'to' });
      const id = input('act-id-number', v.applicant.id_number, { 'data-field': 'id_number' });
      const how = h('select', { id: 'act-how' }, h('option', { value: 'counter' }, t.howCounter), h('option', { value: 'post' }, t.howPost));
      return { fields: [field(t.actToName, name), field(t.actIdNumber, id), field(t.actHow, how)], build: () => ({ action: 'return', to_name: name.value, id_number: id.value, how: how.value as 'counter' | 'post' }) };
    }
    default:
      return { fields: [], build: () => ({ action }) as ActionRequest };
  }
}

/** The forms that exist for a dossier as it stands. */
function formsFor(v: DossierView): Form[] {
  const forms: Form[] = ['receipt', 'control'];
  if (v.supplement) forms.push('supplement');
  if (v.extension) forms.push('extension');
  if (v.status === 'not_accepted') forms.push('refusal');
  if (v.status === 'withdrawn' || v.status === 'stopped') forms.push('stop');
  if (v.returned) forms.push('return');
  return forms;
}

/** The form an action produces, printed right after it. */
const FORM_OF: Partial<Record<Action, Form>> = {
  supplement: 'supplement',
  supplement_complete: 'receipt',
  refuse: 'refusal',
  extend: 'extension',
  withdraw: 'stop',
  close_unsupplemented: 'stop',
  return: 'return',
  handover: 'control',
};

function printPanel(box: HTMLElement, form: Form, code: string): void {
  clear(box);
  const paper = h('select', { id: 'paper' }, h('option', { value: 'a4' }, 'A4'), h('option', { value: 'a5' }, 'A5'));
  const copies = h('select', { id: 'copies' }, h('option', { value: '2' }, t.twoCopies), h('option', { value: '1' }, t.oneCopy));
  if (form === 'control') copies.value = '1';
  const preview = h('div', { class: 'preview', id: 'preview' });
  const note = h('div', { class: 'hint', id: 'print-note', role: 'status' });
  const printBtn = h('button', { type: 'button', id: 'print', class: 'primary' }, `${t.formLabels[form]} — F10`);
  const refresh = async () => {
    try {
      const pages = await api.formPreview(form, code, paper.value as Paper, Number(copies.value));
      clear(preview);
      for (const svg of pages) {
        const page = h('div', { class: 'page' });
        page.innerHTML = svg; // produced by the core from escaped text
        preview.append(page);
      }
    } catch (e) {
      note.textContent = asReport(e).message;
    }
  };
  const print = async () => {
    printBtn.disabled = true;
    try {
      const r = await api.printForm(form, code, paper.value as Paper, Number(copies.value));
      note.className = 'hint ok';
      note.textContent = r.printer ? `${t.printed} (${r.printer}): ${r.archived}` : `${t.savedOnly} ${r.archived}`;
    } catch (e) {
      note.className = 'hint field-error';
      note.textContent = asReport(e).message;
    } finally {
      printBtn.disabled = false;
    }
  };
  paper.addEventListener('change', refresh);
  copies.addEventListener('change', refresh);
  printBtn.addEventListener('click', () => void print());
  tabActions.print = () => void print();
  box.append(h('div', { class: 'print-controls' }, field(t.paper, paper), field(t.copies, copies), printBtn), note, preview);
  void refresh();
}

async function renderDetail(body: HTMLElement, code: string, back: () => void, printNext?: Form, warnings: string[] = []): Promise<void> {
  let v: DossierView;
  try {
    v = await api.show(code);
  } catch (e) {
    body.append(h('p', { class: 'form-error' }, asReport(e).message));
    return;
  }
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  for (const e of v.events) {
    timeline.append(h('li', { 'data-kind': e.kind }, h('strong', {}, vnTime(e.occurred_at)), ` — ${t.eventLabels[e.kind] ?? e.kind} — ${e.actor}`));
  }
  const panel = h('div', { class: 'action-panel', id: 'action-panel' });
  const printBox = h('div', { class: 'print-box', id: 'print-box' });
  const actions = h('div', { class: 'actions-row', id: 'actions' });
  if (v.actions.length === 0) actions.append(h('span', { class: 'hint' }, t.noActions));
  for (const action of v.actions) {
    const b = h('button', { type: 'button', id: `action-${action}` }, t.actionLabels[action] ?? action);
    b.addEventListener('click', () => {
      clear(panel);
      const { fields, build } = actionFields(action, v);
      const submit = h('button', { type: 'submit', id: 'act-submit', class: 'primary' }, `${t.submitAction}: ${t.actionLabels[action]}`);
      const cancel = h('button', { type: 'button' }, t.cancel);
      cancel.addEventListener('click', () => clear(panel));
      const form = h('form', { class: 'grid-form', novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), ...fields, h('div', { class: 'actions' }, cancel, submit));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        submit.disabled = true;
        try {
          const outcome = await api.perform(v.code, build());
          await renderDetail(body, v.code, back, FORM_OF[action], outcome.warnings);
        } catch (e) {
          showErrors(form, asReport(e));
        } finally {
          submit.disabled = false;
        }
      });
      panel.append(h('h3', {}, t.actionLabels[action] ?? action), form);
      (form.querySelector('input, textarea, select') as HTMLElement | null)?.focus();
    });
    actions.append(b);
  }
  const prints = h('div', { class: 'actions-row', id: 'prints' });
  for (const f of formsFor(v)) {
    const b = h('button', { type: 'button', id: `print-form-${f}` }, t.formLabels[f]);
    b.addEventListener('click', () => printPanel(printBox, f, v.code));
    prints.append(b);
  }
  const backBtn = h('button', { type: 'button' }, t.back);
  backBtn.addEventListener('click', back);
  clear(body);
  body.append(
    h(
      'div',
      { class: 'detail' },
      h('div', { class: 'detail-head' },
        h('h2', { id: 'detail-code' }, v.code),
        h('span', { class: `badge s-${v.status}`, id: 'status-label' }, t.statusLabels[v.status] ?? v.status),
        h('span', { class: `badge t-${v.timeliness}`, id: 'timeliness-label' }, t.timelinessLabels[v.timeliness] ?? v.timeliness),
        backBtn),
      ...warnings.map((w) => h('p', { class: 'warn', role: 'alert' }, w)),
      h('p', {}, `${v.applicant.full_name} — ${v.applicant.id_number} — ${v.applicant.address}`),
      h('p', {}, `${v.procedure.name} (${v.procedure.code}) — ${v.procedure.deciding_body}`),
      h('p', {}, `${t.receivedAt}: ${vnTime(v.received_at)} — ${t.dueAt}: `, h('strong', { id: 'detail-due' }, vnTime(v.due_at))),
      h('div', { class: 'detail-cols' },
        h('div', {}, h('h3', {}, t.timeline), timeline),
        h('div', {}, h('h3', {}, t.actionsTitle), actions, panel, h('h3', {}, t.printsTitle), prints)),
      printBox,
    ),
  );
  if (printNext && formsFor(v).includes(printNext)) printPanel(printBox, printNext, v.code);
}

async function renderBoard(body: HTMLElement): Promise<void> {
  try {
    const b = await api.dueBoard();
    clear(body);
    const open = (d: Dossier) => void renderDetail(body, d.code, () => renderMain('board'));
    const section = (id: string, title: string, list: Dossier[]) =>
      h('section', { class: `board-section ${id}`, id: `board-${id}` }, h('h3', {}, `${title} (${list.length})`), dossierTable(list, t.boardEmpty, open));
    body.append(
      h('h2', {}, t.tabBoard),
      section('overdue', t.boardOverdue, b.overdue),
      section('today', t.boardToday, b.due_today),
      section('tomorrow', t.boardTomorrow, b.due_tomorrow),
      section('supplement', t.boardSupplement, b.supplement_expiring),
      section('collection', t.boardCollection, b.awaiting_collection),
    );
  } catch (e) {
    body.append(h('p', { class: 'form-error' }, asReport(e).message));
  }
}

async function renderToday(body: HTMLElement): Promise<void> {
  try {
    const list = await api.dossiersToday();
    clear(body);
    body.append(h('h2', {}, t.tabToday), dossierTable(list, t.todayEmpty, (d) => void renderDetail(body, d.code, () => renderMain('today'))));
    (body.querySelector('tbody tr') as HTMLElement | null)?.focus();
  } catch (e) {
    body.append(h('p', { class: 'form-error' }, asReport(e).message));
  }
}

function renderSearch(body: HTMLElement): void {
  const q = h('input', { id: 'search-input', autocomplete: 'off', 'data-field': 'query' });
  const go = h('button', { type: 'submit', class: 'primary' }, t.searchButton);
  const results = h('div', { id: 'search-results' });
  const form = h('form', { class: 'search' }, h('div', { class: 'form-error', hidden: true }), field(t.searchLabel, q, true), go);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const list = await api.search(q.value);
      showErrors(form, null);
      clear(results);
      results.append(dossierTable(list, t.searchEmpty, (d) => void renderDetail(body, d.code, () => renderMain('search'))));
    } catch (err) {
      showErrors(form, asReport(err));
    }
  });
  clear(body);
  body.append(form, results);
  q.focus();
}

// ---------------------------------------------------------------- settings

async function renderSettings(body: HTMLElement): Promise<void> {
  clear(body);
  const o = status?.office;
  const officeSection = officeForm(
    o
      ? {
          office_name: o.name,
          agency_code: o.agency_code,
          place: o.place,
          counter: o.counter,
          clerks: o.clerks,
          morning: `${o.hours.morning_open.slice(0, 5)}-${o.hours.morning_close.slice(0, 5)}`,
          afternoon: `${o.hours.afternoon_open.slice(0, 5)}-${o.hours.afternoon_close.slice(0, 5)}`,
          saturday_morning: o.hours.saturday_morning,
          same_day_cutoff: o.hours.same_day_cutoff.slice(0, 5),
          training: o.training,
        }
      : null,
    t.saveSetup,
    async (setup) => {
      await api.updateOffice(setup);
      status = await api.status();
      renderMain('settings');
    },
  );
  const clerk = h('select', { id: 'clerk' });
  for (const c of o?.clerks ?? []) clerk.append(h('option', { value: c, selected: c === status?.clerk }, c));
  const clerkNote = h('span', { class: 'hint' });
  clerk.addEventListener('change', async () => {
    try {
      await api.setClerk(clerk.value);
      status = await api.status();
      const line = document.getElementById('status-clerk');
      if (line) line.textContent = `${t.statusClerk}: ${status.clerk ?? ''}`;
      clerkNote.textContent = t.saved;
    } catch (e) {
      clerkNote.textContent = asReport(e).message;
    }
  });
  const printers = h('div', { class: 'printers' });
  const calendar = h('div', { class: 'calendar', id: 'calendar' });
  body.append(
    h('h2', {}, t.settingsClerk),
    h('div', {}, clerk, clerkNote),
    h('h2', {}, t.settingsSync),
    await syncSettings(),
    h('h2', {}, t.settingsPrinters),
    printers,
    h('h2', {}, t.settingsCalendar),
    calendar,
    h('h2', {}, t.settingsOffice),
    officeSection,
  );
  void renderCalendar(calendar, Number(vnYear()));
  try {
    const choice = await api.printers();
    if (choice.available.length === 0) printers.append(h('p', { class: 'hint' }, t.noPrintersFound));
    for (const [paper, current] of [['a4', choice.a4], ['a5', choice.a5]] as [Paper, string | null][]) {
      const s = h('select', { id: `printer-${paper}` }, h('option', { value: '' }, t.noPrinter));
      for (const p of choice.available) s.append(h('option', { value: p, selected: p === current }, p));
      s.addEventListener('change', () => void api.choosePrinter(paper, s.value || null));
      printers.append(field(`${t.printerFor} ${paper.toUpperCase()}`, s));
    }
  } catch (e) {
    printers.append(h('p', { class: 'form-error' }, asReport(e).message));
  }
}

/** Enrollment (hub address + one-time code) and the day's-end time. */
async function syncSettings(): Promise<HTMLElement> {
  let o: SyncOverview | null = null;
  try {
    o = await api.syncOverview();
  } catch {
    o = null;
  }
  const hub = h('input', { id: 'hub-url', 'data-field': 'hub_url', value: o?.status.hub_url ?? '', placeholder: 'https://motcua.caobang.gov.vn' });
  const code = h('input', { id: 'enroll-code', 'data-field': 'code', autocomplete: 'off', placeholder: 'K7QX-3MWA-PZ9C' });
  const go = h('button', { type: 'submit', id: 'enroll-button', class: 'primary fit' }, t.enrollButton);
  const result = h('p', { class: 'hint', id: 'enroll-result' }, o?.status.enrolled ? t.enrolledAlready(o.status.hub_url ?? '') : '');
  const form = h('form', { class: 'grid-form', id: 'enroll-form', novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), field(t.hubUrl, hub, true), field(t.enrollCode, code), go, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    go.disabled = true;
    try {
      const answer = await api.enroll(hub.value, code.value);
      showErrors(form, null);
      code.value = '';
      result.textContent = t.enrolled(answer.office_name, answer.counter);
      status = await api.status();
      void refreshSync();
    } catch (err) {
      showErrors(form, asReport(err));
    } finally {
      go.disabled = false;
    }
  });
  const dayEnd = h('input', { id: 'day-end', 'data-field': 'day_end_at', value: o?.status.day_end_at ?? '16:30', size: 5 });
  const saveEnd = h('button', { type: 'submit' }, t.saveDayEnd);
  const endNote = h('span', { class: 'hint' });
  const endForm = h('form', { class: 'inline-form', novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), field(t.dayEnd, dayEnd), saveEnd, endNote);
  endForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      dayEnd.value = await api.setDayEnd(dayEnd.value);
      showErrors(endForm, null);
      endNote.textContent = t.saved;
    } catch (err) {
      showErrors(endForm, asReport(err));
    }
  });
  return h('div', { class: 'sync-settings' }, form, endForm);
}

// ---------------------------------------------------------------- calendar

/** The current year in Vietnam time, whatever zone the PC is set to. */
function vnYear(): number {
  return new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
}

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

async function renderCalendar(box: HTMLElement, year: number, selected?: string): Promise<void> {
  let data: CalendarYear;
  try {
    data = await api.calendarYear(year);
  } catch (e) {
    clear(box);
    box.append(h('p', { class: 'form-error' }, asReport(e).message));
    return;
  }
  draw(box, data, selected);
}

function draw(box: HTMLElement, data: CalendarYear, selected?: string): void {
  clear(box);
  const year = data.year;
  const off = new Map(data.days_off.map((d) => [d.date, d]));
  const working = new Map(data.working_days.map((d) => [d.date, d]));
  const prev = h('button', { type: 'button', id: 'cal-prev' }, t.prevYear);
  const next = h('button', { type: 'button', id: 'cal-next' }, t.nextYear);
  prev.addEventListener('click', () => void renderCalendar(box, year - 1));
  next.addEventListener('click', () => void renderCalendar(box, year + 1));
  const detail = h('div', { class: 'cal-detail', id: 'cal-detail', role: 'status' });
  box.append(
    h('p', { class: 'hint' }, t.calendarIntro),
    h(
      'div',
      { class: 'cal-head' },
      prev,
      h('strong', { id: 'cal-year' }, String(year)),
      next,
      h('span', {}, `${t.tet}: ${data.tet ? data.tet.split('-').reverse().join('/') : ''}`),
      h('span', { class: 'legend off' }, t.legendOff),
      h('span', { class: 'legend working' }, t.legendWorking),
      h('span', { class: 'legend weekend' }, t.legendWeekend),
    ),
  );
  const months = h('div', { class: 'months' });
  const names = t.weekdays.split(',');
  const cells: HTMLElement[] = [];
  for (let m = 1; m <= 12; m++) {
    const grid = h('div', { class: 'month-grid' });
    for (const n of names) grid.append(h('span', { class: 'wd' }, n));
    const first = new Date(Date.UTC(year, m - 1, 1));
    const lead = (first.getUTCDay() + 6) % 7;
    for (let i = 0; i < lead; i++) grid.append(h('span', {}));
    const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
    for (let d = 1; d <= days; d++) {
      const date = isoDate(year, m, d);
      const dow = (lead + d - 1) % 7;
      const mark = off.get(date) ?? working.get(date);
      const kind = off.has(date) ? 'off' : working.has(date) ? 'working' : dow >= 5 ? 'weekend' : 'normal';
      const title = mark ? `${mark.reason} — ${mark.source}` : kind === 'weekend' ? t.dayWeekend : t.dayNormal;
      const cell = h('button', { type: 'button', class: `day ${kind}${date === selected ? ' selected' : ''}`, 'data-date': date, title, 'aria-label': `${d}/${m}/${year}: ${title}` }, String(d));
      const show = () => {
        clear(detail);
        const reason = h('input', { id: 'cal-reason', placeholder: t.reason, value: mark?.by_admin ? mark.reason : '' });
        const note = h('span', { class: 'hint' });
        const act = (k: 'off' | 'working' | null) => async () => {
          try {
            const next = await api.setCalendarDay(date, k, reason.value);
            draw(box, next, date);
            (box.querySelector(`[data-date="${date}"]`) as HTMLElement | null)?.focus();
          } catch (e) {
            note.textContent = asReport(e).message;
            note.className = 'field-error';
          }
        };
        const bOff = h('button', { type: 'button', id: 'cal-set-off' }, t.setOff);
        const bWork = h('button', { type: 'button', id: 'cal-set-working' }, t.setWorking);
        const bUnset = h('button', { type: 'button', id: 'cal-unset', disabled: !mark?.by_admin }, t.unset);
        bOff.addEventListener('click', act('off'));
        bWork.addEventListener('click', act('working'));
        bUnset.addEventListener('click', act(null));
        detail.append(h('strong', {}, `${d}/${m}/${year}`), h('span', {}, ` — ${title}`), h('div', { class: 'cal-edit' }, reason, bOff, bWork, bUnset, note));
      };
      cell.addEventListener('focus', show);
      cell.addEventListener('click', show);
      cells.push(cell);
      grid.append(cell);
    }
    months.append(h('div', { class: 'month' }, h('div', { class: 'month-name' }, `${t.monthName} ${m}`), grid));
  }
  box.append(months, detail);
  if (selected) (box.querySelector(`[data-date="${selected}"]`) as HTMLElement | null)?.dispatchEvent(new Event('click'));
}

// ---------------------------------------------------------------- start

document.addEventListener('keydown', (e) => {
  if (!status?.office) return;
  const go: Record<string, Tab> = { F1: 'board', F2: 'receive', F3: 'today', F4: 'search', F6: 'reports', F7: 'sync', F9: 'settings' };
  if (go[e.key]) {
    e.preventDefault();
    renderMain(go[e.key]);
  } else if (e.key === 'F8' && currentTab === 'receive' && tabActions.save) {
    e.preventDefault();
    tabActions.save();
  } else if (e.key === 'F10' && tabActions.print) {
    e.preventDefault();
    tabActions.print();
  }
});

async function start(): Promise<void> {
  try {
    status = await api.status();
    if (!status.office) {
      renderSetup();
      return;
    }
    procedures = await api.procedures();
    renderMain('board');
  } catch (e) {
    fatal(asReport(e));
  }
}

root.append(h('p', { class: 'loading' }, t.loading));
void start();
