// The office form: the first run's set-up and the settings' office section.
import { api, asReport } from '../api';
import type { OfficeSetup } from '../api';
import { clear, field, h } from '../dom';
import { showErrors } from '../errors';
import { t } from '../messages';
import { accountFields, showRecoveryKey } from './login';

/** `extra`: more fields before the button (the first run's admin). */
export function officeForm(
  initial: OfficeSetup | null,
  submitLabel: string,
  onSubmit: (s: OfficeSetup) => Promise<void>,
  extra: HTMLElement[] = [],
): HTMLElement {
  const name = h('input', { id: 'office_name', 'data-field': 'office_name', value: initial?.office_name ?? '', autocomplete: 'off' });
  const parent = h('input', { id: 'parent_name', 'data-field': 'parent_name', value: initial?.parent_name ?? '', autocomplete: 'off' });
  const phone = h('input', { id: 'office_phone', 'data-field': 'phone', value: initial?.phone ?? '', type: 'tel' });
  const email = h('input', { id: 'office_email', 'data-field': 'email', value: initial?.email ?? '', type: 'email' });
  const address = h('input', { id: 'office_address', 'data-field': 'address', value: initial?.address ?? '' });
  const code = h('input', { id: 'agency_code', 'data-field': 'agency_code', value: initial?.agency_code ?? '', placeholder: '000.17.22.H56' });
  const place = h('input', { id: 'place', 'data-field': 'place', value: initial?.place ?? '' });
  const counter = h('input', { id: 'counter', 'data-field': 'counter', type: 'number', min: 1, max: 9, value: initial?.counter ?? 1 });
  const morning = h('input', { id: 'morning', 'data-field': 'hours', value: initial?.morning ?? '07:00-11:30' });
  const afternoon = h('input', { id: 'afternoon', 'data-field': 'hours', value: initial?.afternoon ?? '13:30-17:00' });
  const saturday = h('input', { id: 'saturday_morning', type: 'checkbox', checked: initial?.saturday_morning ?? false });
  const cutoff = h('input', { id: 'same_day_cutoff', 'data-field': 'same_day_cutoff', value: initial?.same_day_cutoff ?? '15:00' });
  const submit = h('button', { type: 'submit', id: 'save-office', class: 'primary' }, submitLabel);
  const form = h(
    'form',
    { class: 'grid-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    field(t.parentName, parent, true),
    field(t.officeName, name, true),
    field(t.agencyCode, code),
    field(t.place, place),
    field(t.counter, counter),
    field(t.officeAddress, address),
    field(t.officePhone, phone),
    field(t.officeEmail, email),
    field(t.morning, morning),
    field(t.afternoon, afternoon),
    field(t.cutoff, cutoff),
    h('label', { class: 'check' }, saturday, h('span', {}, t.saturday)),
    ...extra,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      await onSubmit({
        office_name: name.value,
        parent_name: parent.value,
        phone: phone.value,
        email: email.value,
        address: address.value,
        agency_code: code.value,
        place: place.value,
        counter: Number(counter.value || 0),
        clerks: initial?.clerks ?? [],
        morning: morning.value,
        afternoon: afternoon.value,
        saturday_morning: saturday.checked,
        same_day_cutoff: cutoff.value,
        training: initial?.training ?? false,
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

export function renderSetup(root: HTMLElement, started: () => Promise<void>): void {
  clear(root);
  const admin = accountFields('admin', false);
  const adminPart = [h('h2', { class: 'wide' }, t.setupAdmin), h('p', { class: 'hint wide' }, t.setupAdminIntro), ...admin.nodes];
  const form = officeForm(
    null,
    t.saveSetup,
    async (setup) => {
      const made = await api.initOffice(setup, admin.read());
      showRecoveryKey(root, made.recovery_key, started);
    },
    adminPart,
  );
  root.append(h('main', { class: 'setup' }, h('h1', {}, t.setupTitle), h('p', {}, t.setupIntro), form));
  (form.querySelector('#office_name') as HTMLInputElement).focus();
}
