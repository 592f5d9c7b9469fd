import { expect, test } from 'vitest';
import { placeErrors } from './errors';
import { t } from './messages';

const fields = new Set(['applicant.id_number', 'applicant.phone', 'documents.0.count']);
const has = (name: string) => fields.has(name);

test('one error: its own message on top and under its field', () => {
  const p = placeErrors(
    { code: 'id_length', message: 'Số định danh cá nhân phải có đúng 12 chữ số.', fields: [{ field: 'applicant.id_number', code: 'id_length', message: 'Số định danh cá nhân phải có đúng 12 chữ số.' }] },
    has,
  );
  expect(p.banner).toBe('Số định danh cá nhân phải có đúng 12 chữ số.');
  expect([...p.byField.keys()]).toEqual(['applicant.id_number']);
  expect(p.unplaced).toEqual([]);
});

test('several errors: the banner says to fix the marked fields; each goes under its own', () => {
  const p = placeErrors(
    {
      code: 'invalid_input',
      message: 'x\ny',
      fields: [
        { field: 'applicant.phone', code: 'bad_phone', message: 'Số điện thoại sai.' },
        { field: 'documents.0.count', code: 'bad_count', message: 'Số lượng từ 1 đến 99.' },
        { field: 'applicant.phone', code: 'too_long', message: 'Quá dài.' },
      ],
    },
    has,
  );
  expect(p.banner).toBe(t.fixErrors);
  expect(p.byField.get('applicant.phone')).toEqual(['Số điện thoại sai.', 'Quá dài.']);
  expect(p.byField.get('documents.0.count')).toEqual(['Số lượng từ 1 đến 99.']);
});

test('an error of a field the form does not show is listed, never lost', () => {
  const p = placeErrors(
    {
      code: 'invalid_input',
      message: 'x',
      fields: [
        { field: 'procedure_code', code: 'procedure_unknown', message: 'Không có thủ tục.' },
        { field: null, code: 'clock_behind', message: 'Đồng hồ sai.' },
      ],
    },
    has,
  );
  expect(p.byField.size).toBe(0);
  expect(p.unplaced).toEqual(['Không có thủ tục.', 'Đồng hồ sai.']);
});
