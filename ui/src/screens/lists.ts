// The lists a clerk opens dossiers from: the due board (home screen),
// today's receptions, and search.
import { api, asReport } from '../api';
import type { Dossier } from '../api';
import { clear, field, h } from '../dom';
import { showErrors } from '../errors';
import { vnTime } from '../format';
import { t } from '../messages';
import { go, label } from '../store';
import { renderDetail } from './detail';

export function dossierTable(list: Dossier[], empty: string, onOpen: (d: Dossier) => void): HTMLElement {
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
      h('td', {}, label('statuses', d.status), ...d.flags.map((f) => h('span', { class: `flag f-${f}`, title: label('flags', f) }, '!'))),
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

export async function renderBoard(body: HTMLElement): Promise<void> {
  try {
    const b = await api.dueBoard();
    clear(body);
    const open = (d: Dossier) => void renderDetail(body, d.code, () => go('board'));
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

export async function renderToday(body: HTMLElement): Promise<void> {
  try {
    const list = await api.dossiersToday();
    clear(body);
    body.append(h('h2', {}, t.tabToday), dossierTable(list, t.todayEmpty, (d) => void renderDetail(body, d.code, () => go('today'))));
    (body.querySelector('tbody tr') as HTMLElement | null)?.focus();
  } catch (e) {
    body.append(h('p', { class: 'form-error' }, asReport(e).message));
  }
}

export function renderSearch(body: HTMLElement): void {
  const q = h('input', { id: 'search-input', autocomplete: 'off', 'data-field': 'query' });
  const go_ = h('button', { type: 'submit', class: 'primary' }, t.searchButton);
  const results = h('div', { id: 'search-results' });
  const form = h('form', { class: 'search' }, h('div', { class: 'form-error', hidden: true }), field(t.searchLabel, q, true), go_);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const list = await api.search(q.value);
      showErrors(form, null);
      clear(results);
      results.append(dossierTable(list, t.searchEmpty, (d) => void renderDetail(body, d.code, () => go('search'))));
    } catch (err) {
      showErrors(form, asReport(err));
    }
  });
  clear(body);
  body.append(form, results);
  q.focus();
}
