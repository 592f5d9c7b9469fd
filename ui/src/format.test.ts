import { describe, expect, test } from 'vitest';
import { addDays, backupIsStale, calendarMove, decimal, fold, hhmm, isoToVn, periodOf, vnTime, vnToday, vnToIso } from './format';

describe('numbers as Vietnamese paper writes them', () => {
  test('a decimal comma, as on the printed report', () => {
    expect(decimal(93.333, 2)).toBe('93,33');
    expect(decimal(4.7, 1)).toBe('4,7');
    expect(decimal(100, 2)).toBe('100,00');
  });
});

describe('dates as the clerk reads and types them', () => {
  test('Vietnam times are shown as HH:MM dd/mm/yyyy', () => {
    expect(vnTime('2026-11-26T09:30:00+07:00')).toBe('09:30 26/11/2026');
    expect(vnTime('không phải ngày')).toBe('không phải ngày');
    expect(hhmm('2026-11-26T16:05:00+07:00')).toBe('16:05');
    expect(hhmm(null)).toBe('');
  });

  test('dd/mm/yyyy typed with / . or - becomes ISO; anything else goes to the core as typed', () => {
    expect(vnToIso('2/3/2001')).toBe('2001-03-02');
    expect(vnToIso(' 02.03.2001 ')).toBe('2001-03-02');
    expect(vnToIso('02-03-2001')).toBe('2001-03-02');
    expect(vnToIso('31/02/2026')).toBe('2026-02-31');
    expect(vnToIso('hôm qua')).toBe('hôm qua');
    expect(isoToVn('2001-03-02')).toBe('02/03/2001');
    expect(isoToVn('2001-3-2')).toBe('2001-3-2');
  });

  test("today is Vietnam's, whatever the PC's zone", () => {
    // 2026-11-30 18:30 UTC is already 1 December in Vietnam.
    expect(vnToday(Date.UTC(2026, 10, 30, 18, 30))).toEqual([2026, 12, 1]);
    expect(vnToday(Date.UTC(2026, 10, 30, 16, 59))).toEqual([2026, 11, 30]);
  });
});

describe('report periods', () => {
  const today: [number, number, number] = [2026, 11, 30];
  test('month, quarter, half and year end on their last day', () => {
    expect(periodOf('month', today)).toEqual(['2026-11-01', '2026-11-30']);
    expect(periodOf('quarter', today)).toEqual(['2026-10-01', '2026-12-31']);
    expect(periodOf('half', today)).toEqual(['2026-06-01', '2026-11-30']);
    expect(periodOf('year', today)).toEqual(['2026-01-01', '2026-12-31']);
  });
  test('February and the turn of the year', () => {
    expect(periodOf('month', [2028, 2, 10])).toEqual(['2028-02-01', '2028-02-29']);
    expect(periodOf('half', [2027, 3, 1])).toEqual(['2026-10-01', '2027-03-31']);
    expect(periodOf('quarter', [2027, 1, 5])).toEqual(['2027-01-01', '2027-03-31']);
  });
});

describe('the calendar grid moves by arrow keys', () => {
  test('a day, a week, a month', () => {
    expect(calendarMove('2026-12-31', 'ArrowRight')).toBe('2027-01-01');
    expect(calendarMove('2026-03-01', 'ArrowLeft')).toBe('2026-02-28');
    expect(calendarMove('2026-01-03', 'ArrowUp')).toBe('2025-12-27');
    expect(calendarMove('2026-02-25', 'ArrowDown')).toBe('2026-03-04');
    expect(calendarMove('2026-03-31', 'PageUp')).toBe('2026-02-28');
    expect(calendarMove('2026-01-31', 'PageDown')).toBe('2026-02-28');
    expect(calendarMove('2026-05-15', 'Enter')).toBeNull();
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

test('filtering ignores diacritics and đ', () => {
  expect(fold('Xác nhận tình trạng hôn nhân')).toBe('xac nhan tinh trang hon nhan');
  expect(fold('Đăng ký khai tử')).toBe('dang ky khai tu');
  expect(fold('Đăng ký khai tử'.normalize('NFD'))).toBe('dang ky khai tu');
});

describe('the backup warning in settings', () => {
  const now = Date.parse('2026-11-30T18:00:00+07:00');
  test('none yet, or older than 2 days, is warned about', () => {
    expect(backupIsStale(null, now)).toBe(true);
    expect(backupIsStale('2026-11-28T17:59:00+07:00', now)).toBe(true);
    expect(backupIsStale('không phải ngày', now)).toBe(true);
  });
  test('one from the last 2 days is not', () => {
    expect(backupIsStale('2026-11-30T08:00:00+07:00', now)).toBe(false);
    expect(backupIsStale('2026-11-28T18:00:00+07:00', now)).toBe(false);
  });
});
