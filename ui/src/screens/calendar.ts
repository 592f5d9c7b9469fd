// The settings' year calendar: official days off and swapped working days,
// and the admin's own marks. The grid is one Tab stop: arrow keys move a
// day or a week, Page Up/Down a month; the focused day's detail shows below.
import { api, asReport } from '../api';
import type { CalendarYear } from '../api';
import { clear, h } from '../dom';
import { calendarMove, isoDate, vnToday } from '../format';
import { t } from '../messages';

export async function renderCalendar(box: HTMLElement, year: number = vnToday()[0], selected?: string): Promise<void> {
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
  const months = h('div', { class: 'months', role: 'grid', 'aria-label': `${t.settingsCalendar} ${year}` });
  const names = t.weekdays.split(',');
  const [ty, tm, td] = vnToday();
  const focusDate = selected ?? (ty === year ? isoDate(ty, tm, td) : isoDate(year, 1, 1));
  const show = (date: string) => {
    const [, m, d] = date.split('-').map(Number);
    const cell = box.querySelector(`[data-date="${date}"]`) as HTMLElement | null;
    const mark = off.get(date) ?? working.get(date);
    const title = cell?.title ?? '';
    clear(detail);
    const reason = h('input', { id: 'cal-reason', placeholder: t.reason, value: mark?.by_admin ? mark.reason : '' });
    const note = h('span', { class: 'hint' });
    const act = (k: 'off' | 'working' | null) => async () => {
      try {
        const again = await api.setCalendarDay(date, k, reason.value);
        draw(box, again, date);
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
  /** Moves the grid's one Tab stop to `date` (and the focus, when asked). */
  const rove = (date: string, focus: boolean) => {
    const cell = box.querySelector(`[data-date="${date}"]`) as HTMLElement | null;
    if (!cell) return;
    box.querySelectorAll('.day[tabindex="0"]').forEach((c) => c.setAttribute('tabindex', '-1'));
    cell.setAttribute('tabindex', '0');
    if (focus) cell.focus();
  };
  for (let m = 1; m <= 12; m++) {
    const grid = h('div', { class: 'month-grid', role: 'rowgroup' });
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
      const cell = h(
        'button',
        {
          type: 'button',
          role: 'gridcell',
          tabindex: date === focusDate ? 0 : -1,
          class: `day ${kind}${date === selected ? ' selected' : ''}`,
          'data-date': date,
          title,
          'aria-label': `${d}/${m}/${year}: ${title}`,
        },
        String(d),
      );
      cell.addEventListener('focus', () => {
        rove(date, false);
        show(date);
      });
      cell.addEventListener('click', () => {
        rove(date, false);
        show(date);
      });
      cell.addEventListener('keydown', (e) => {
        const target = calendarMove(date, e.key);
        if (!target) return;
        e.preventDefault();
        if (target.startsWith(String(year))) rove(target, true);
      });
      grid.append(cell);
    }
    months.append(h('div', { class: 'month' }, h('div', { class: 'month-name' }, `${t.monthName} ${m}`), grid));
  }
  box.append(months, detail);
  if (selected) show(selected);
}
