// The dossier page: its facts, its flags, its history, the actions its state
// allows (each a small form) and the forms that can be printed — both lists
// come from the core, as does every label.
import { api, asReport } from '../api';
import type { Action, ActionRequest, DossierView, Form } from '../api';
import { onEscape } from '../dialog';
import { clear, field, h } from '../dom';
import { showErrors } from '../errors';
import { vnTime } from '../format';
import { t } from '../messages';
import { label, store } from '../store';
import { printPanel } from './print';

function actionFields(action: Action, v: DossierView): { fields: HTMLElement[]; build: () => ActionRequest } {
  const input = (id: string, value = '', attrs: Record<string, string> = {}) => h('input', { id, value, autocomplete: 'off', ...attrs });
  const area = (id: string) => h('textarea', { id, rows: 2, 'data-field': 'reason' });
  switch (action) {
    case 'handover': {
      const from = input('act-from', store.status?.office?.name ?? '', { 'data-field': 'from' });
      const to = input('act-to', v.procedure.handover_to ?? v.procedure.deciding_body, { 'data-field': 'to' });
      const note = input('act-note', '', { 'data-field': 'note' });
      const stepDue = input('act-step-due', '', { 'data-field': 'step_due', type: 'date', max: v.due_at.slice(0, 10) });
      return {
        fields: [field(t.actFrom, from), field(t.actTo, to), field(t.actStepDue, stepDue), field(t.actNote, note, true)],
        build: () => ({ action: 'handover', from: from.value, to: to.value, note: note.value || null, step_due: stepDue.value || undefined }),
      };
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

/** The flags of a dossier and, when it differs, the due date it is judged by. */
function flagBlock(v: DossierView): HTMLElement | null {
  if (v.flags.length === 0) return null;
  return h(
    'div',
    { class: 'flags', id: 'flags', role: 'note' },
    ...v.flags.map((f) => h('span', { class: `badge flag f-${f}`, 'data-flag': f }, label('flags', f))),
    v.judged_due_at ? h('span', { class: 'hint', id: 'judged-due' }, `${t.judgedDue}: ${vnTime(v.judged_due_at)}`) : null,
  );
}

export async function renderDetail(body: HTMLElement, code: string, back: () => void, printNext?: Form, warnings: string[] = []): Promise<void> {
  let v: DossierView;
  try {
    v = await api.show(code);
  } catch (e) {
    body.append(h('p', { class: 'form-error' }, asReport(e).message));
    return;
  }
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  for (const e of v.events) {
    timeline.append(h('li', { 'data-kind': e.kind }, h('strong', {}, vnTime(e.occurred_at)), ` — ${label('events', e.kind)} — ${e.actor}`));
  }
  const panel = h('div', { class: 'action-panel', id: 'action-panel' });
  const printBox = h('div', { class: 'print-box', id: 'print-box' });
  const actions = h('div', { class: 'actions-row', id: 'actions' });
  let closePanel: () => void = () => undefined;
  if (v.actions.length === 0) actions.append(h('span', { class: 'hint' }, t.noActions));
  for (const action of v.actions) {
    const b = h('button', { type: 'button', id: `action-${action}` }, t.actionLabels[action] ?? action);
    b.addEventListener('click', () => {
      closePanel();
      const { fields, build } = actionFields(action, v);
      const submit = h('button', { type: 'submit', id: 'act-submit', class: 'primary' }, `${t.submitAction}: ${t.actionLabels[action]}`);
      const cancel = h('button', { type: 'button', id: 'act-cancel' }, t.cancel);
      const form = h('form', { class: 'grid-form', novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), ...fields, h('div', { class: 'actions' }, cancel, submit));
      // Escape (or Huỷ) leaves the action without recording anything.
      const unregister = onEscape(() => {
        clear(panel);
        b.focus();
      });
      closePanel = () => {
        unregister();
        clear(panel);
      };
      cancel.addEventListener('click', () => {
        closePanel();
        b.focus();
      });
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        submit.disabled = true;
        try {
          const outcome = await api.perform(v.code, build());
          closePanel();
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
  for (const f of v.forms) {
    const b = h('button', { type: 'button', id: `print-form-${f}` }, label('forms', f));
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
        h('span', { class: `badge s-${v.status}`, id: 'status-label' }, label('statuses', v.status)),
        h('span', { class: `badge t-${v.timeliness}`, id: 'timeliness-label' }, label('timeliness', v.timeliness)),
        backBtn),
      flagBlock(v),
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
  if (printNext && v.forms.includes(printNext)) printPanel(printBox, printNext, v.code);
}
