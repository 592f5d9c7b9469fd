// Pure helpers for dates, money and text as the clerk reads and types them.
// No DOM here: every function is unit-tested (format.test.ts).

/** `2026-11-26T09:30:00+07:00` → `09:30 26/11/2026` (already Vietnam time). */
export function vnTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[4]}:${m[5]} ${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** `HH:MM` of an RFC 3339 time, empty when there is none. */
export function hhmm(iso: string | null | undefined): string {
  return iso ? iso.slice(11, 16) : '';
}

/** A number as Vietnamese paper writes it, with a decimal comma: `93,33`
 * (the core's `text::vn_number`). */
export function decimal(v: number, places: number): string {
  return v.toFixed(places).replace('.', ',');
}

export function money(amount: number): string {
  return `${amount.toLocaleString('vi-VN')} đồng`;
}

/** Clerks type dates as dd/mm/yyyy; the core takes yyyy-mm-dd. Anything
 * else is passed on unchanged so the core's message explains it. */
export function vnToIso(s: string): string {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(s);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : s.trim();
}

export function isoToVn(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : s;
}

/** Lower case without diacritics, đ as d: how the clerk types to filter. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The day `n` days after an ISO date (negative: before), in ISO. */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Today in Vietnam time as [year, month (1–12), day], whatever the PC's zone. */
export function vnToday(nowMs: number = Date.now()): [number, number, number] {
  const d = new Date(nowMs + 7 * 3600 * 1000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year' | 'custom';

/** First and last day (ISO) of a preset period around `today` (Vietnam date).
 * The last day of a month is day 0 of the next. */
export function periodOf(kind: PeriodKind, today: [number, number, number] = vnToday()): [string, string] {
  const [y, m] = today;
  const iso = (yy: number, mm: number, dd: number) => new Date(Date.UTC(yy, mm - 1, dd)).toISOString().slice(0, 10);
  switch (kind) {
    case 'quarter': {
      const q = Math.floor((m - 1) / 3) * 3 + 1;
      return [iso(y, q, 1), iso(y, q + 3, 0)];
    }
    case 'half':
      return [iso(y, m - 5, 1), iso(y, m + 1, 0)];
    case 'year':
      return [iso(y, 1, 1), iso(y, 12, 31)];
    default:
      return [iso(y, m, 1), iso(y, m + 1, 0)];
  }
}

/** Where an arrow key moves the focus in the year's calendar grid (a day
 * left or right, a week up or down, a month with Page keys), or null. */
export function calendarMove(date: string, key: string): string | null {
  switch (key) {
    case 'ArrowLeft':
      return addDays(date, -1);
    case 'ArrowRight':
      return addDays(date, 1);
    case 'ArrowUp':
      return addDays(date, -7);
    case 'ArrowDown':
      return addDays(date, 7);
    case 'PageUp':
    case 'PageDown': {
      const [y, m, d] = date.split('-').map(Number);
      const step = key === 'PageUp' ? -1 : 1;
      const last = new Date(Date.UTC(y, m - 1 + step + 1, 0)).getUTCDate();
      const target = new Date(Date.UTC(y, m - 1 + step, Math.min(d, last)));
      return target.toISOString().slice(0, 10);
    }
    default:
      return null;
  }
}

/** A backup is due a warning when there is none, or the last one is more
 * than 2 days (48 hours) old. */
export function backupIsStale(lastAt: string | null, nowMs: number = Date.now()): boolean {
  if (!lastAt) return true;
  const made = new Date(lastAt).getTime();
  return Number.isNaN(made) || nowMs - made > 2 * 86_400_000;
}
