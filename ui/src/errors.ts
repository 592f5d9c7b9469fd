// How the core's {code, message, fields} lands on a form: the message on
// top, each field's message under its input. `placeErrors` is the pure
// part (errors.test.ts); `showErrors` puts it on the page.
import type { ErrorReport } from './api';
import { h } from './dom';
import { t } from './messages';

export interface Placement {
  /** The text above the form. */
  banner: string;
  /** Field name → its messages, for the fields the form has. */
  byField: Map<string, string[]>;
  /** Messages of fields the form does not show: listed in the banner. */
  unplaced: string[];
}

export function placeErrors(report: ErrorReport, hasField: (name: string) => boolean): Placement {
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const f of report.fields) {
    if (f.field && hasField(f.field)) {
      byField.set(f.field, [...(byField.get(f.field) ?? []), f.message]);
    } else {
      unplaced.push(f.message);
    }
  }
  return { banner: report.fields.length > 1 ? t.fixErrors : report.message, byField, unplaced };
}

/** Shows a core error on `form` (or clears it when `report` is null). */
export function showErrors(form: HTMLElement, report: ErrorReport | null): void {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  const banner = form.querySelector('.form-error') as HTMLElement | null;
  if (!banner) return;
  if (!report) {
    banner.hidden = true;
    banner.textContent = '';
    return;
  }
  const input = (name: string) => form.querySelector(`[data-field="${CSS.escape(name)}"]`) as HTMLElement | null;
  const placed = placeErrors(report, (name) => input(name) !== null);
  banner.hidden = false;
  banner.textContent = placed.banner;
  banner.dataset.code = report.code;
  let first: HTMLElement | null = null;
  for (const [name, messages] of placed.byField) {
    const el = input(name);
    if (!el) continue;
    el.classList.add('invalid');
    for (const m of messages) el.closest('label, .doc-row')?.append(h('div', { class: 'field-error', role: 'alert' }, m));
    first ??= el;
  }
  for (const m of placed.unplaced) banner.append(h('div', {}, m));
  first?.focus();
}
