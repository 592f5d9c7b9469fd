// The reports screen: a period, its Biểu 06 table, the on-time rate, the
// Decision 766 figures and three charts a leader reads at a glance. Every
// number comes from the core (src/report/figures.rs); nothing is counted here.
import { api, asReport } from '../api';
import type { Definition, FlagCounts, Report } from '../api';
import type { Counts } from '../bindings/Counts';
import type { Indicator } from '../bindings/Indicator';
import { onEscape } from '../dialog';
import { clear, h } from '../dom';
import { decimal, isoToVn, periodOf, vnTime, vnToIso } from '../format';
import type { PeriodKind } from '../format';
import { t } from '../messages';
import { label } from '../store';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const COLORS = { early: '#2e7d32', onTime: '#81c784', late: '#c62828', counter: '#1a4f8b', post: '#e0a100', online: '#6a1b9a' };

/** Bars of the on-time rate per month (0–100 %), with the figure over each bar. */
function trendChart(r: Report): HTMLElement {
  const months = r.by_month;
  const w = 420, hgt = 180, pad = 28;
  const svg = s('svg', { viewBox: `0 0 ${w} ${hgt}`, width: w, height: hgt, class: 'chart', id: 'chart-trend', role: 'img' });
  svg.append(s('line', { x1: pad, y1: hgt - pad, x2: w - 4, y2: hgt - pad, stroke: '#888' }));
  const slot = months.length ? (w - pad - 8) / months.length : 0;
  months.forEach((m, i) => {
    const rate = m.on_time_rate ?? 0;
    const bh = ((hgt - 2 * pad) * rate) / 100;
    const x = pad + 4 + i * slot;
    const bw = Math.min(48, Math.max(4, slot * 0.7));
    svg.append(s('rect', { x: x + (slot * 0.7 - bw) / 2, y: hgt - pad - bh, width: bw, height: bh, fill: rate >= 95 ? COLORS.early : rate >= 80 ? COLORS.post : COLORS.late, 'data-month': m.month }));
    svg.append(s('text', { x: x + slot * 0.35, y: hgt - pad - bh - 4, 'text-anchor': 'middle', 'font-size': 10 }, m.on_time_rate === null ? '—' : decimal(m.on_time_rate, 1)));
    svg.append(s('text', { x: x + slot * 0.35, y: hgt - 10, 'text-anchor': 'middle', 'font-size': 10 }, `${m.month.slice(5)}/${m.month.slice(2, 4)}`));
  });
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, t.chartTrend), months.length ? svg : h('p', { class: 'hint' }, t.noData));
}

/** One stacked horizontal bar per row; `parts` in the order of `colors`. */
function stacked(id: string, rows: { label: string; parts: number[] }[], colors: string[], legend: string[]): SVGElement {
  const w = 520, rowH = 22, labelW = 200;
  const hgt = rows.length * rowH + 26;
  const svg = s('svg', { viewBox: `0 0 ${w} ${hgt}`, width: w, height: hgt, class: 'chart', id, role: 'img' });
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((a, b) => a + b, 0)));
  rows.forEach((r, i) => {
    const y = i * rowH + 4;
    const label = r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label;
    svg.append(s('text', { x: labelW - 6, y: y + 13, 'text-anchor': 'end', 'font-size': 10 }, label));
    let x = labelW;
    r.parts.forEach((p, j) => {
      const bw = ((w - labelW - 40) * p) / max;
      if (bw > 0) svg.append(s('rect', { x, y, width: bw, height: rowH - 6, fill: colors[j] }));
      x += bw;
    });
    svg.append(s('text', { x: x + 4, y: y + 13, 'font-size': 10 }, String(r.parts.reduce((a, b) => a + b, 0))));
  });
  let lx = labelW;
  legend.forEach((name, j) => {
    svg.append(s('rect', { x: lx, y: hgt - 16, width: 10, height: 10, fill: colors[j] }));
    svg.append(s('text', { x: lx + 14, y: hgt - 7, 'font-size': 10 }, name));
    lx += 90;
  });
  return svg;
}

function procedureChart(r: Report): HTMLElement {
  const top = [...r.by_procedure].sort((a, b) => b.resolved.total - a.resolved.total).slice(0, 10);
  const rows = top.map((p) => ({ label: p.name, parts: [p.resolved.early, p.resolved.on_time, p.resolved.late] }));
  return h(
    'figure',
    { class: 'chart-box wide' },
    h('figcaption', {}, t.chartProcedures),
    rows.length ? stacked('chart-procedures', rows, [COLORS.early, COLORS.onTime, COLORS.late], [t.legendEarly, t.legendOnTime, t.legendLate]) : h('p', { class: 'hint' }, t.noData),
  );
}

function channelChart(r: Report): HTMLElement {
  const c = r.received;
  const rows = [{ label: t.periodLabel, parts: [c.counter, c.post, c.online] }];
  return h(
    'figure',
    { class: 'chart-box' },
    h('figcaption', {}, t.chartChannels),
    stacked('chart-channels', rows, [COLORS.counter, COLORS.post, COLORS.online], [label('channels', 'counter'), label('channels', 'post'), label('channels', 'online')]),
  );
}

function rate(v: number | null): string {
  return v === null ? t.noData : `${decimal(v, 2)} %`;
}

function card(id: string, title: string, value: string, note: string): HTMLElement {
  return h('div', { class: 'card', id }, h('div', { class: 'card-title' }, title), h('div', { class: 'card-value' }, value), h('div', { class: 'hint' }, note));
}

function romanOf(n: number): string {
  const table: [number, string][] = [[10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, r] of table) while (n >= v) { out += r; n -= v; }
  return out;
}

function countCells(c: Counts): string[] {
  return [
    c.received.total, c.received.online, c.received.counter + c.received.post, c.received.carried_over,
    c.resolved.total, c.resolved.early, c.resolved.on_time, c.resolved.late,
    c.pending.total, c.pending.within_due, c.pending.overdue,
  ].map(String).concat(c.on_time_rate === null ? '' : decimal(c.on_time_rate, 2));
}

function bieu06(r: Report): HTMLElement {
  const body = h('tbody', {});
  const row = (no: string, name: string, c: Counts, cls: string) =>
    body.append(h('tr', { class: cls }, h('td', {}, no), h('td', {}, name), ...countCells(c).map((v) => h('td', { class: 'num' }, v))));
  row('', t.reportTotal, { received: r.received, resolved: r.resolved, pending: r.pending, on_time_rate: r.on_time_rate, average_processing_days: r.average_processing_days, average_working_days: r.average_working_days }, 'total');
  r.by_field.forEach((f, i) => {
    row(romanOf(i + 1), f.field, f, 'group');
    r.by_procedure.filter((p) => p.field === f.field).forEach((p, j) => row(String(j + 1), `${p.name} (${p.code})`, p, ''));
  });
  return h('table', { class: 'list report', id: 'report-table' }, h('thead', {}, h('tr', {}, ...t.reportCols.map((c) => h('th', {}, c)))), body);
}

function indicatorValue(i: Indicator): string {
  if (i.value === null) return t.noData;
  return i.unit === '%' ? `${decimal(i.value, 2)} %` : `${decimal(i.value, 1)} ${i.unit}`;
}

function indicators(r: Report): HTMLElement {
  const rows = Object.values(r.indicators).map((i) => {
    const note = i.no_data ?? (i.numerator !== null && i.denominator !== null ? `${i.numerator}/${i.denominator}. ${i.definition}` : i.definition);
    return h('tr', { 'data-code': i.code, class: i.value === null ? 'no-data' : '' }, h('td', {}, i.code), h('td', {}, i.name), h('td', { class: 'num' }, indicatorValue(i)), h('td', {}, note));
  });
  return h('table', { class: 'list', id: 'indicators' }, h('thead', {}, h('tr', {}, ...t.indicatorCols.map((c) => h('th', {}, c)))), h('tbody', {}, ...rows));
}

/** The dossiers the rules flagged in the period: late extensions, late
 * supplement requests, events dated by a wrong clock. */
function flagsLine(f: FlagCounts): HTMLElement {
  const parts: [keyof FlagCounts, number][] = [
    ['late_extension', f.late_extension],
    ['late_supplement_request', f.late_supplement_request],
    ['clock_suspect', f.clock_suspect],
  ];
  return h(
    'div',
    { class: 'report-flags', id: 'report-flags' },
    h('strong', {}, `${t.flagsTitle}: `),
    ...parts.map(([key, n]) => h('span', { class: n > 0 ? 'flag-count warn' : 'flag-count', 'data-flag': key }, `${label('flags', key)}: ${n}`)),
  );
}

function definitions(list: Definition[]): HTMLElement {
  return h('dl', { class: 'definitions', id: 'definitions' }, ...list.flatMap((d) => [h('dt', {}, d.term), h('dd', {}, d.text)]));
}

export function renderReports(body: HTMLElement): void {
  clear(body);
  const kind = h('select', { id: 'period-kind' });
  for (const k of ['month', 'quarter', 'half', 'year', 'custom']) kind.append(h('option', { value: k }, t.periods[k]));
  const [f0, t0] = periodOf('month');
  const from = h('input', { id: 'period-from', 'data-field': 'from', value: isoToVn(f0), placeholder: 'dd/mm/yyyy', size: 10, disabled: true });
  const to = h('input', { id: 'period-to', 'data-field': 'to', value: isoToVn(t0), placeholder: 'dd/mm/yyyy', size: 10, disabled: true });
  const show = h('button', { type: 'submit', class: 'primary', id: 'show-report' }, t.showReport);
  const exportBtn = h('button', { type: 'button', id: 'export-report' }, t.exportReport);
  const how = h('button', { type: 'button', id: 'how-counted' }, t.howCounted);
  const note = h('p', { class: 'hint', id: 'report-note' });
  const out = h('div', { id: 'report-out' });
  const defs = h('div', { id: 'definitions-box', hidden: true });
  const form = h('form', { class: 'period', novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), h('label', { class: 'field' }, h('span', {}, t.periodLabel), kind), h('label', { class: 'field' }, h('span', {}, t.periodFrom), from), h('label', { class: 'field' }, h('span', {}, t.periodTo), to), show, exportBtn, how);
  kind.addEventListener('change', () => {
    const custom = kind.value === 'custom';
    from.disabled = !custom;
    to.disabled = !custom;
    if (!custom) {
      const [a, b] = periodOf(kind.value as PeriodKind);
      from.value = isoToVn(a);
      to.value = isoToVn(b);
      void load();
    }
  });
  const banner = form.querySelector('.form-error') as HTMLElement;
  const fail = (e: unknown) => {
    banner.hidden = false;
    banner.textContent = asReport(e).message;
  };
  const load = async () => {
    banner.hidden = true;
    try {
      const r = await api.report(vnToIso(from.value), vnToIso(to.value));
      clear(out);
      note.textContent = t.asOf(vnTime(r.as_of));
      const c = r.received;
      out.append(
        h('div', { class: 'cards' },
          card('card-received', t.cardReceived, String(c.total), t.cardReceivedNote(c.counter + c.post + c.online, c.carried_over)),
          card('card-resolved', t.cardResolved, String(r.resolved.total), t.cardResolvedNote(r.resolved.early, r.resolved.on_time, r.resolved.late)),
          card('card-pending', t.cardPending, String(r.pending.total), t.cardPendingNote(r.pending.within_due, r.pending.overdue)),
          card('card-rate', t.cardRate, rate(r.on_time_rate), r.on_time_rate !== null ? `${r.resolved.early + r.resolved.on_time}/${r.resolved.total}` : ''),
        ),
        flagsLine(r.flags),
        h('div', { class: 'charts' }, trendChart(r), channelChart(r), procedureChart(r)),
        h('h3', {}, t.indicatorsTitle),
        indicators(r),
        h('h3', {}, t.reportTable),
        c.total === 0 ? h('p', { class: 'hint' }, t.reportEmpty) : bieu06(r),
      );
    } catch (e) {
      fail(e);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  exportBtn.addEventListener('click', async () => {
    try {
      const files = await api.exportReport(vnToIso(from.value), vnToIso(to.value));
      note.textContent = t.exported([files.xlsx, files.pdf].filter((f): f is string => !!f));
    } catch (e) {
      fail(e);
    }
  });
  let unregister: () => void = () => undefined;
  const toggle = (open: boolean) => {
    defs.hidden = !open;
    how.textContent = open ? t.hideHowCounted : t.howCounted;
    unregister();
    if (open) {
      // Escape folds the definitions away again.
      unregister = onEscape(() => {
        defs.hidden = true;
        how.textContent = t.howCounted;
        how.focus();
      });
    }
  };
  how.addEventListener('click', async () => {
    if (defs.hidden && !defs.firstChild) {
      try {
        defs.append(h('h3', {}, t.howCounted), definitions(await api.reportDefinitions()));
      } catch (e) {
        fail(e);
      }
    }
    toggle(defs.hidden);
  });
  body.append(h('h2', {}, t.tabReports), form, note, defs, out);
  void load();
}
