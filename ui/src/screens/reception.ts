// Reception: the ID card's QR fills the applicant, the clerk picks the
// procedure and the documents, F8 saves — the core issues the code and the
// due date — and the receipt's print panel opens.
import { api, asReport } from '../api';
import type { Dossier, Procedure, ReceptionInput } from '../api';
import { clear, field, h } from '../dom';
import { showErrors } from '../errors';
import { fold, isoToVn, money, vnTime, vnToIso } from '../format';
import { t } from '../messages';
import { go, store } from '../store';
import { printPanel } from './print';

const DOCUMENT_FORMS: [string, string][] = [
  ['original', t.formOriginal],
  ['copy', t.formCopy],
  ['certified_copy', t.formCertified],
  ['present', t.formPresent],
];

function formSelect(value: string, fieldName: string): HTMLSelectElement {
  const s = h('select', { 'data-field': fieldName });
  for (const [v, text] of DOCUMENT_FORMS) s.append(h('option', { value: v, selected: v === value }, text));
  return s;
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
      return t.sameDay(store.status?.office?.hours.same_day_cutoff.slice(0, 5) ?? '15:00');
  }
}

export function renderReception(body: HTMLElement): void {
  store.unsaved = false;
  const qr = h('input', { id: 'qr-input', placeholder: t.qrPlaceholder, autocomplete: 'off', 'data-field': 'qr' });
  const qrNote = h('div', { class: 'hint', id: 'qr-note' });
  const filter = h('input', { id: 'procedure-filter', placeholder: t.procedureFilter, autocomplete: 'off' });
  const select = h('select', { id: 'procedure', 'data-field': 'procedure_code', size: 6 });
  const info = h('div', { class: 'procedure-info', id: 'procedure-info' });
  // What per-copy and per-page fees are counted on (certified copies).
  const copies = h('input', { id: 'fee-copies', type: 'number', min: 1, max: 999, value: 1, 'data-field': 'fee_counts.0' });
  const pages = h('input', { id: 'fee-pages', type: 'number', min: 1, max: 9999, value: 1, 'data-field': 'fee_counts.0' });
  const counted = h('fieldset', { class: 'grid', hidden: true }, h('legend', {}, t.feeCounts), field(t.feeCopies, copies), field(t.feePages, pages));
  const docs = h('div', { class: 'docs', id: 'documents', 'data-field': 'documents', tabindex: -1 });

  const fillOptions = () => {
    const q = fold(filter.value.trim());
    clear(select);
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const p of store.procedures) {
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
    const p = store.procedures.find((x) => x.code === select.value);
    clear(info);
    clear(docs);
    if (!p) return;
    // An unchecked fee is never shown as free: the receipt prints "Theo quy định hiện hành".
    const fees = !p.checked.fees
      ? t.feesUnconfirmed
      : p.fees.length === 0
        ? t.noFees
        : p.fees.map((f) => `${f.name}: ${money(f.amount)}${f.note ? ` (${f.note})` : ''}`).join('; ');
    info.append(
      h('div', {}, h('strong', {}, p.name), ` — ${p.code} — ${p.field}`),
      h('div', {}, `${t.time}: ${timeLabel(p)}`),
      h('div', {}, `${t.fees}: ${fees}`),
    );
    counted.hidden = !p.fees.some((f) => f.basis === 'per_copy' || f.basis === 'per_page');
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
  const choice = (id: string, fieldName: string, options: [string, string][]) =>
    h('select', { id, 'data-field': fieldName }, ...options.map(([value, text]) => h('option', { value }, text)));
  const channel = choice('channel', 'channel', [
    ['counter', t.channelCounter],
    ['post', t.channelPost],
  ]);
  const note = h('textarea', { id: 'note', 'data-field': 'note', rows: 2 });
  // Who applies: a citizen (the default), an organisation or a foreigner;
  // each shows its own identifying fields.
  const kind = choice('applicant_kind', 'applicant.kind', [
    ['citizen', t.kindCitizen],
    ['organisation', t.kindOrganisation],
    ['foreigner', t.kindForeigner],
  ]);
  const orgName = input('org_name', 'applicant.name');
  const taxCode = input('tax_code', 'applicant.tax_code', { inputmode: 'numeric', maxlength: 16 });
  const repName = input('rep_name', 'applicant.representative.full_name');
  const repId = input('rep_id', 'applicant.representative.id_number', { inputmode: 'numeric', maxlength: 16 });
  const repPosition = input('rep_position', 'applicant.representative.position');
  const passport = input('passport_number', 'applicant.passport_number', { maxlength: 20 });
  const nationality = input('nationality', 'applicant.nationality');
  const shown = {
    citizen: [field(t.fullName, fullName, true), field(t.idNumber, idNumber), field(t.dateOfBirth, dob), field(t.sex, sex)],
    organisation: [field(t.orgName, orgName, true), field(t.taxCode, taxCode), field(t.repName, repName), field(t.repId, repId), field(t.repPosition, repPosition)],
    foreigner: [field(t.passport, passport), field(t.nationality, nationality)],
  };
  const showKind = () => {
    const k = kind.value as keyof typeof shown;
    for (const el of [...shown.organisation, ...shown.foreigner]) el.hidden = true;
    for (const el of shown.citizen) el.hidden = k === 'organisation';
    // A foreigner has a name, a date of birth and a sex, but no personal ID number.
    shown.citizen[1].hidden = k !== 'citizen';
    for (const el of shown[k] ?? []) el.hidden = false;
  };
  kind.addEventListener('change', showKind);
  showKind();
  // Someone else handing the dossier in (an authorised person).
  const hasSubmitter = h('input', { id: 'has_submitter', type: 'checkbox' });
  const subName = input('submitter_name', 'submitter.full_name');
  const subId = input('submitter_id', 'submitter.id_number', { inputmode: 'numeric', maxlength: 16 });
  const subPhone = input('submitter_phone', 'submitter.phone', { inputmode: 'tel' });
  const subRelation = input('submitter_relation', 'submitter.relation', { value: t.relationDefault });
  const submitterFields = h('div', { class: 'grid', hidden: true }, field(t.submitterName, subName), field(t.submitterId, subId), field(t.phone, subPhone), field(t.relation, subRelation));
  hasSubmitter.addEventListener('change', () => {
    submitterFields.hidden = !hasSubmitter.checked;
  });
  // Where the result goes, whatever way the dossier came in.
  const delivery = choice('result_delivery', 'result_delivery', [
    ['counter', t.deliveryCounter],
    ['post', t.deliveryPost],
    ['online', t.deliveryOnline],
  ]);
  const deliveryAddress = input('delivery_address', 'delivery_address', { placeholder: t.deliveryAddressHint });
  const deliveryAddressField = field(t.deliveryAddress, deliveryAddress, true);
  deliveryAddressField.hidden = true;
  delivery.addEventListener('change', () => {
    deliveryAddressField.hidden = delivery.value !== 'post';
  });
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
      kind.value = 'citizen';
      showKind();
      fullName.value = card.full_name;
      idNumber.value = card.id_number;
      dob.value = isoToVn(card.date_of_birth);
      sex.value = card.sex;
      address.value = card.address;
      store.unsaved = true;
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
      field(t.applicantKind, kind),
      ...shown.citizen,
      ...shown.organisation,
      ...shown.foreigner,
      field(t.phone, phone),
      field(t.email, email),
      field(t.address, address, true),
    ),
    h('fieldset', {}, h('legend', {}, t.documentsTitle), docs, addDoc),
    counted,
    h('fieldset', {}, h('label', { class: 'check' }, hasSubmitter, h('span', {}, t.hasSubmitter)), submitterFields),
    h('fieldset', { class: 'grid' }, field(t.sets, sets), field(t.channel, channel), field(t.resultDelivery, delivery), deliveryAddressField, field(t.note, note, true)),
    h('div', { class: 'actions' }, save),
  );
  // Anything typed (the QR field aside, which only fills others) is work
  // the clerk would lose by leaving.
  form.addEventListener('input', (e) => {
    if (e.target !== qr) store.unsaved = true;
  });
  form.addEventListener('change', (e) => {
    if (e.target !== qr) store.unsaved = true;
  });

  const collect = (): ReceptionInput => ({
    procedure_code: select.value,
    applicant: {
      kind: kind.value,
      name: orgName.value || undefined,
      tax_code: taxCode.value || undefined,
      representative: kind.value === 'organisation' ? { full_name: repName.value, id_number: repId.value || null, position: repPosition.value || null } : undefined,
      passport_number: passport.value || undefined,
      nationality: nationality.value || undefined,
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
    fee_counts: counted.hidden ? [] : [{ copies: Number(copies.value || 0), pages: Number(pages.value || 0) }],
    submitter: hasSubmitter.checked ? { full_name: subName.value, id_number: subId.value, phone: subPhone.value || null, relation: subRelation.value } : undefined,
    result_delivery: delivery.value,
    delivery_address: delivery.value === 'post' ? deliveryAddress.value || undefined : undefined,
  });

  const submit = async () => {
    save.disabled = true;
    save.textContent = t.saving;
    try {
      const d = await api.receive(collect());
      showErrors(form, null);
      store.unsaved = false;
      renderSaved(body, d);
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
  store.keys.save = () => void submit();

  clear(body);
  body.append(form);
  qr.focus();
  // A PC clock earlier than the last recorded fact: the core refuses to
  // record; say so before the clerk types a whole dossier.
  void api.clockWarning().then((warning) => {
    if (!warning) return;
    form.prepend(h('div', { class: 'clock-warning', role: 'alert', id: 'clock-warning' }, h('p', {}, warning)));
  }).catch(() => undefined);
}

function renderSaved(body: HTMLElement, d: Dossier): void {
  store.keys = {};
  const again = h('button', { type: 'button', id: 'new-dossier' }, t.newDossier);
  again.addEventListener('click', () => go('receive'));
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
