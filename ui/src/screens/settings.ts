// Settings: one's own password and the printers for everyone; accounts,
// the idle lock, sync with the province, the year calendar and the office
// itself for the admin.
import { api, asReport } from '../api';
import type { Paper, SyncOverview } from '../api';
import { clear, field, h } from '../dom';
import { showErrors } from '../errors';
import { t } from '../messages';
import { go, loadStatus, may, store } from '../store';
import { backupSection, idleLockForm, ownPasswordForm, usersSection } from './accounts';
import { renderCalendar } from './calendar';
import { officeForm } from './setup';
import { refreshSync } from './sync';

export async function renderSettings(body: HTMLElement): Promise<void> {
  clear(body);
  const o = store.status?.office;
  const officeSection = officeForm(
    o
      ? {
          office_name: o.name,
          parent_name: o.parent_name,
          phone: o.phone,
          email: o.email,
          address: o.address,
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
      await loadStatus();
      go('settings');
    },
  );
  const printers = h('div', { class: 'printers' });
  const calendar = h('div', { class: 'calendar', id: 'calendar' });
  body.append(h('h2', {}, t.settingsMe), ownPasswordForm(), h('h2', {}, t.settingsPrinters), printers);
  // The rest is the admin's: accounts, the idle lock, sync, calendar, office.
  if (may('admin')) {
    body.append(
      h('h2', {}, t.settingsUsers),
      await usersSection(),
      idleLockForm(),
      h('h2', {}, t.settingsBackup),
      await backupSection(),
      h('h2', {}, t.settingsSync),
      await syncSettings(),
      h('h2', {}, t.settingsCalendar),
      calendar,
      h('h2', {}, t.settingsOffice),
      officeSection,
    );
    void renderCalendar(calendar);
  }
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
    printers.append(h('p', { class: 'form-error', id: 'printers-error' }, asReport(e).message));
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
  const go_ = h('button', { type: 'submit', id: 'enroll-button', class: 'primary fit' }, t.enrollButton);
  const result = h('p', { class: 'hint', id: 'enroll-result' }, o?.status.enrolled ? t.enrolledAlready(o.status.hub_url ?? '') : '');
  const form = h('form', { class: 'grid-form', id: 'enroll-form', novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), field(t.hubUrl, hub, true), field(t.enrollCode, code), go_, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    go_.disabled = true;
    try {
      const answer = await api.enroll(hub.value, code.value);
      showErrors(form, null);
      code.value = '';
      result.textContent = t.enrolled(answer.office_name, answer.counter);
      await loadStatus();
      void refreshSync();
    } catch (err) {
      showErrors(form, asReport(err));
    } finally {
      go_.disabled = false;
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
