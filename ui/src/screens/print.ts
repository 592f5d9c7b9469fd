// One print panel for every form: the preview exactly as it will print,
// paper and copies, and the print itself (F10).
import { api, asReport } from '../api';
import type { Form, Paper } from '../api';
import { clear, field, h } from '../dom';
import { t } from '../messages';
import { label, store } from '../store';

export function printPanel(box: HTMLElement, form: Form, code: string): void {
  clear(box);
  const paper = h('select', { id: 'paper' }, h('option', { value: 'a4' }, 'A4'), h('option', { value: 'a5' }, 'A5'));
  const copies = h('select', { id: 'copies' }, h('option', { value: '2' }, t.twoCopies), h('option', { value: '1' }, t.oneCopy));
  if (form === 'control') copies.value = '1';
  const preview = h('div', { class: 'preview', id: 'preview' });
  const note = h('div', { class: 'hint', id: 'print-note', role: 'status' });
  const printBtn = h('button', { type: 'button', id: 'print', class: 'primary' }, `${label('forms', form)} — F10`);
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
  store.keys.print = () => void print();
  box.append(h('div', { class: 'print-controls' }, field(t.paper, paper), field(t.copies, copies), printBtn), note, preview);
  void refresh();
}
