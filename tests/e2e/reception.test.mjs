// The real app, built and started under Xvfb, driven through WebDriver:
// first-run set-up, a dossier received from an ID-card QR scan, the code
// on screen, and screenshots written to target/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { remote } from 'webdriverio';

const repo = resolve(import.meta.dirname, '../..');
const application = process.env.MOTCUA_APP ?? join(repo, 'target/debug/motcua-app');
const shots = join(repo, 'target/e2e');
const dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-'));
let driver;
let browser;
let firstCode = '';

async function waitForPort(port, ms) {
  const net = await import('node:net');
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((res) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`tauri-driver did not listen on ${port}`);
}

before(async () => {
  assert.ok(existsSync(application), `build the app first: ${application}`);
  mkdirSync(shots, { recursive: true });
  driver = spawn('tauri-driver', ['--port', '4444', '--native-port', '4445'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // The test hub serves plain HTTP on loopback: allowed for this window only.
    env: { ...process.env, MOTCUA_DATA_DIR: dataDir, MOTCUA_INSECURE_HTTP: '1' },
  });
  await waitForPort(4444, 20000);
  browser = await remote({
    hostname: '127.0.0.1',
    port: 4444,
    logLevel: 'warn',
    capabilities: { 'tauri:options': { application, args: ['--data-dir', dataDir] } },
  });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  driver?.kill('SIGTERM');
});

async function shot(name) {
  await browser.saveScreenshot(join(shots, name));
}

// The office's first admin (made at set-up) and a clerk the admin adds.
const ADMIN = { login: 'admin', password: 'quản-trị-Hòa-An' };
const CLERK = { login: 'lan.nt', name: 'Nông Thị Lan', password: 'tiếp-nhận-2026' };
// The CLI on the same data folder signs in as the admin, as scripts do.
const cliEnv = { ...process.env, MOTCUA_USER: ADMIN.login, MOTCUA_PASSWORD: ADMIN.password };

async function signIn(who) {
  await browser.$('#lock-screen').waitForExist({ timeout: 10000 });
  await browser.$('#sign-in-login').setValue(who.login);
  await browser.$('#sign-in-password').setValue(who.password);
  await browser.keys(['Enter']);
  await browser.$('#lock-screen').waitForExist({ timeout: 10000, reverse: true });
}

test('first run: the office and its first admin are set up', async () => {
  const name = await browser.$('#office_name');
  await name.waitForExist({ timeout: 20000 });
  await shot('setup-empty.png');
  // A wrong agency code and a short password are refused together, each
  // with a message under its field.
  await name.setValue('Trung tâm Phục vụ hành chính công xã Hòa An');
  // Since 1 July 2025 the unit sits under the commune's People's Committee.
  await browser.$('#parent_name').setValue('Ủy ban nhân dân xã Hòa An');
  await browser.$('#office_phone').setValue('0206 3852 123');
  await browser.$('#agency_code').setValue('H56');
  await browser.$('#place').setValue('Hòa An');
  await browser.$('#admin-login').setValue(ADMIN.login);
  await browser.$('#admin-name').setValue('Hoàng Văn Minh');
  await browser.$('#admin-password').setValue('ngắn');
  await browser.$('#admin-password-again').setValue('ngắn');
  await browser.$('#save-office').click();
  await browser.waitUntil(async () => (await browser.$$('.field-error')).length >= 2, { timeout: 5000 });
  const errors = await browser.$$('.field-error').map((e) => e.getText());
  assert.ok(errors.some((m) => /Mã định danh cơ quan/.test(m)), errors.join(' | '));
  assert.ok(errors.some((m) => /8 ký tự/.test(m)), errors.join(' | '));
  await shot('setup-errors.png');
  await browser.$('#agency_code').setValue('000.17.22.H56');
  await browser.$('#admin-password').setValue(ADMIN.password);
  await browser.$('#admin-password-again').setValue(ADMIN.password);
  await browser.$('#save-office').click();
  // The data is encrypted from the start: its recovery key is shown once.
  const key = await browser.$('#recovery-key');
  await key.waitForExist({ timeout: 10000 });
  assert.match((await key.getText()).replace(/\s/g, ''), /^[0-9a-f]{64}$/);
  // The sheet goes to a printer, or — with none here — a message says
  // what to do, and the key stays on screen.
  await browser.$('#recovery-print').click();
  const note = await browser.$('#recovery-note');
  await browser.waitUntil(async () => (await note.getText()) !== '', { timeout: 15000 });
  if (/form-error/.test(await note.getAttribute('class'))) assert.match(await note.getText(), /máy in|hệ thống in/);
  else assert.match(await note.getText(), /Đã gửi tờ khóa khôi phục tới máy in/);
  assert.ok(await key.isDisplayed());
  await shot('setup-recovery-key.png');
  await browser.$('#recovery-done').click();
  // The home screen is the due board; F2 opens reception.
  await browser.$('#board-overdue').waitForExist({ timeout: 10000 });
  await browser.keys(['F2']);
  await browser.$('#qr-input').waitForExist({ timeout: 10000 });
  assert.match(await browser.$('#status-line').getText(), /000\.17\.22\.H56/);
  assert.match(await browser.$('#status-clerk').getText(), /Hoàng Văn Minh/);
});

test('accounts: the admin adds a clerk; Ctrl+L locks; the clerk signs in and sees a clerk\'s window', async () => {
  await browser.keys(['F9']);
  await browser.$('#users-table').waitForExist({ timeout: 5000 });
  await browser.$('#new-user-login').setValue(CLERK.login);
  await browser.$('#new-user-name').setValue(CLERK.name);
  await browser.$('#new-user-password').setValue(CLERK.password);
  await browser.$('#new-user-password-again').setValue(CLERK.password);
  await browser.$('#add-user-button').click();
  await browser.$(`#users-table tr[data-login="${CLERK.login}"]`).waitForExist({ timeout: 5000 });
  await shot('settings-users.png');
  // Ctrl+L locks the window; a wrong password is refused with a message.
  await browser.keys(['Control', 'l']);
  await browser.$('#lock-screen').waitForExist({ timeout: 5000 });
  await browser.$('#sign-in-login').setValue(CLERK.login);
  await browser.$('#sign-in-password').setValue('sai-mật-khẩu');
  await browser.keys(['Enter']);
  const err = await browser.$('#sign-in-form .form-error');
  await browser.waitUntil(async () => /không đúng/i.test(await err.getText()), { timeout: 5000 });
  await shot('lock-screen.png');
  await browser.$('#sign-in-password').setValue(CLERK.password);
  await browser.keys(['Enter']);
  await browser.$('#lock-screen').waitForExist({ timeout: 10000, reverse: true });
  assert.match(await browser.$('#status-clerk').getText(), new RegExp(CLERK.name));
  // A clerk has no reports tab and no admin settings.
  assert.ok(!(await browser.$('#tab-reports').isExisting()), 'reports are for leaders');
  await browser.keys(['F9']);
  await browser.$('#own-password-form').waitForExist({ timeout: 5000 });
  assert.ok(!(await browser.$('#users').isExisting()), 'accounts are the admin\'s');
  await browser.keys(['F2']);
  await browser.$('#qr-input').waitForExist({ timeout: 10000 });
});

test('reception: scan the ID card, pick the procedure, save, see the code', async () => {
  const qr = await browser.$('#qr-input');
  await qr.click();
  // A keyboard-wedge scanner types the string and ends with Enter.
  // (Element Send Keys types each character as a key press, as the scanner does.)
  await qr.addValue('004301001234||Hoàng Thị Hường|02022001|Nữ|Tổ 5, phường Thục Phán, Cao Bằng|10102024');
  await browser.keys(['Enter']);
  try {
    await browser.waitUntil(async () => (await browser.$('#full_name').getValue()) === 'Hoàng Thị Hường', { timeout: 5000 });
  } catch (e) {
    await shot('reception-qr-failed.png');
    const note = await browser.$('#qr-note').getText();
    const typed = await browser.$('#qr-input').getValue();
    throw new Error(`the QR scan did not fill the form: note "${note}", field "${typed}"`);
  }
  assert.equal(await browser.$('#id_number').getValue(), '004301001234');
  assert.equal(await browser.$('#date_of_birth').getValue(), '02/02/2001');

  // Keyboard only: filter, Enter selects the first match, Enter goes on.
  await browser.$('#procedure-filter').setValue('xac nhan tinh trang hon nhan');
  await browser.keys(['Enter']);
  await browser.waitUntil(async () => (await browser.$('#procedure').getValue()) === '1.004873', { timeout: 5000 });
  await browser.keys(['Enter']);
  await browser.$('#phone').setValue('0912 345 678');
  await shot('reception-filled.png');
  await browser.keys(['F8']);
  const code = await browser.$('#result-code');
  await code.waitForExist({ timeout: 10000 });
  const text = await code.getText();
  assert.match(text, /^000\.17\.22\.H56-\d{6}-0001$/);
  firstCode = text;
  await browser.$('#preview svg').waitForExist({ timeout: 10000 });
  await shot('reception-saved.png');

  // The same dossier is there for the CLI, in the same data folder.
  const cli = join(repo, 'target/debug/motcua');
  assert.ok(existsSync(cli), `build the CLI first: ${cli}`);
  const out = JSON.parse(execFileSync(cli, ['--data-dir', dataDir, 'show', text, '--json'], { env: cliEnv }).toString());
  assert.equal(out.applicant.full_name, 'Hoàng Thị Hường');
  // Received by the clerk signed in at the window.
  assert.equal(out.received_by, CLERK.name);
});

test('a bad ID number is refused with a Vietnamese message and nothing is stored', async () => {
  await browser.keys(['F2']);
  await browser.$('#qr-input').waitForExist({ timeout: 5000 });
  await browser.$('#procedure-filter').setValue('2.000815');
  await browser.keys(['Enter']);
  await browser.$('#full_name').setValue('Nông Văn Dũng');
  await browser.$('#id_number').setValue('00409001234');
  await browser.$('#address').setValue('Hòa An');
  await browser.$('#save').click();
  const banner = await browser.$('#form-error');
  await banner.waitForDisplayed({ timeout: 5000 });
  const messages = await browser.$$('.field-error').map((e) => e.getText());
  assert.ok(messages.some((m) => /12 chữ số/.test(m)), messages.join(' | '));
  await shot('reception-errors.png');
  // Leaving a half-filled reception asks first: Escape stays, "Rời đi" leaves.
  await browser.keys(['F3']);
  await browser.$('#leave-dialog').waitForExist({ timeout: 5000 });
  await shot('reception-leave.png');
  await browser.keys(['Escape']);
  await browser.waitUntil(async () => !(await browser.$('#leave-dialog').isExisting()), { timeout: 5000 });
  assert.ok(await browser.$('#reception-form').isExisting(), 'still on the reception');
  assert.equal(await browser.$('#full_name').getValue(), 'Nông Văn Dũng', 'nothing typed was lost');
  await browser.keys(['F3']);
  await browser.$('#leave-yes').waitForExist({ timeout: 5000 });
  await browser.$('#leave-yes').click();
  await browser.$('#screen-today table').waitForExist({ timeout: 5000 });
  assert.equal((await browser.$$('#screen-today tbody tr')).length, 1);
});

test('an organisation files through its director and asks for the result by post', async () => {
  await browser.keys(['F2']);
  await browser.$('#qr-input').waitForExist({ timeout: 5000 });
  await browser.$('#applicant_kind').selectByAttribute('value', 'organisation');
  // The organisation's own fields replace the personal ones.
  await browser.$('#org_name').waitForDisplayed({ timeout: 5000 });
  assert.ok(!(await browser.$('#id_number').isDisplayed()), 'no personal ID number for an organisation');
  await browser.$('#org_name').setValue('Hợp tác xã Nông nghiệp Trùng Khánh');
  await browser.$('#tax_code').setValue('4800123456');
  await browser.$('#rep_name').setValue('Lương Văn Hùng');
  await browser.$('#rep_position').setValue('Giám đốc');
  await browser.$('#address').setValue('Xóm Pác Rằng, xã Trùng Khánh, tỉnh Cao Bằng');
  await browser.$('#procedure-filter').setValue('2.000884');
  await browser.keys(['Enter']);
  await browser.waitUntil(async () => (await browser.$('#procedure').getValue()) === '2.000884', { timeout: 5000 });
  // Filed at the counter, the result by post.
  await browser.$('#result_delivery').selectByAttribute('value', 'post');
  await browser.$('#delivery_address').waitForDisplayed({ timeout: 5000 });
  await browser.$('#delivery_address').setValue('Số 5, phố Kim Đồng, phường Thục Phán');
  await shot('reception-organisation.png');
  await browser.keys(['F8']);
  const code = await browser.$('#result-code');
  await code.waitForExist({ timeout: 10000 });
  const text = await code.getText();
  const cli = join(repo, 'target/debug/motcua');
  const out = JSON.parse(execFileSync(cli, ['--data-dir', dataDir, 'show', text, '--json'], { env: cliEnv }).toString());
  assert.equal(out.applicant.kind, 'organisation');
  assert.equal(out.applicant.id_number, '4800123456');
  assert.equal(out.applicant.representative.full_name, 'Lương Văn Hùng');
  assert.equal(out.channel, 'counter');
  assert.equal(out.result_delivery, 'post');
  assert.equal(out.delivery_address, 'Số 5, phố Kim Đồng, phường Thục Phán');
  await browser.$('#preview svg').waitForExist({ timeout: 10000 });
  // The receipt's header: the parent body over the unit.
  const preview = await browser.$('#preview').getText();
  assert.match(preview.replace(/\s+/g, ' '), /ỦY BAN NHÂN DÂN XÃ HÒA AN/);
  assert.match(preview, /Tổ chức:/);
  await shot('reception-organisation-saved.png');
});

test('settings: the admin signs in again; the printers and the office are shown', async () => {
  await browser.keys(['Control', 'l']);
  await signIn(ADMIN);
  // The day's backup is made by itself once the office is open (the sync
  // worker's tick); rotation keeps the newest of the day.
  const backups = () => (existsSync(join(dataDir, 'backups')) ? readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith('.mcbak')) : []);
  await browser.waitUntil(() => backups().length === 1, { timeout: 30000, timeoutMsg: 'no daily backup' });
  await browser.keys(['F9']);
  await browser.$('#users-table').waitForExist({ timeout: 5000 });
  await browser.$('#printer-a4').waitForExist({ timeout: 5000 });
  assert.equal(await browser.$('#agency_code').getValue(), '000.17.22.H56');
  const state = await browser.$('#backup-state');
  await state.waitForExist({ timeout: 5000 });
  assert.match(await state.getText(), /Bản sao lưu gần nhất/);
  // One click makes another, into backups/ in the data folder.
  await browser.$('#backup-now').click();
  await browser.waitUntil(async () => /Đã sao lưu/.test(await browser.$('#backup-note').getText()), { timeout: 15000 });
  assert.match(await browser.$('#backup-note').getText(), /backups\/motcua-\d{4}-\d{2}-\d{2}-\d{6}\.mcbak/);
  assert.match(await state.getAttribute('class'), /hint/);
  assert.equal(backups().length, 1);
  await shot('settings.png');
});

test('settings: the year calendar shows holidays and swaps, and an admin can mark a day', async () => {
  await browser.keys(['F9']);
  const cal = await browser.$('#calendar .months');
  await cal.waitForExist({ timeout: 5000 });
  // Go to 2026 whatever the current year is.
  for (let i = 0; i < 5; i++) {
    const y = Number(await browser.$('#cal-year').getText());
    if (y === 2026) break;
    await browser.$(y > 2026 ? '#cal-prev' : '#cal-next').click();
    await browser.waitUntil(async () => Number(await browser.$('#cal-year').getText()) !== y, { timeout: 5000 });
  }
  const cls = async (d) => browser.$(`[data-date="${d}"]`).getAttribute('class');
  assert.match(await cls('2026-02-17'), /\boff\b/, 'Tết');
  assert.match(await cls('2026-04-27'), /\boff\b/, 'Hùng Kings compensated');
  assert.match(await cls('2026-01-10'), /\bworking\b/, 'swapped Saturday');
  assert.match(await cls('2026-12-01'), /\bnormal\b/);
  assert.match(await browser.$('[data-date="2026-02-17"]').getAttribute('title'), /Tết/);

  // The grid is one Tab stop; arrow keys move the day, a week, a month.
  await browser.$('[data-date="2026-11-30"]').click();
  await browser.keys(['ArrowRight']);
  assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-date')), '2026-12-01');
  await browser.keys(['ArrowDown']);
  assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-date')), '2026-12-08');
  assert.equal((await browser.$$('#calendar .day[tabindex="0"]')).length, 1, 'one Tab stop');
  assert.match(await browser.$('#cal-detail').getText(), /8\/12\/2026/);

  await browser.$('[data-date="2026-12-01"]').click();
  await browser.$('#cal-reason').setValue('Nghỉ phòng chống bão theo lệnh của tỉnh');
  await browser.$('#cal-set-off').click();
  await browser.waitUntil(async () => /\boff\b/.test(await cls('2026-12-01')), { timeout: 5000 });
  await shot('settings-calendar.png');
  await browser.$('[data-date="2026-12-01"]').click();
  await browser.$('#cal-unset').click();
  await browser.waitUntil(async () => /\bnormal\b/.test(await cls('2026-12-01')), { timeout: 5000 });
});

test('lifecycle: supplement, supplement complete, result, return — with the timeline', async () => {
  await browser.keys(['F2']);
  await browser.$('#qr-input').waitForExist({ timeout: 5000 });
  await browser.$('#procedure-filter').setValue('1.004873');
  await browser.keys(['Enter']);
  await browser.$('#full_name').setValue('Lương Văn Pình');
  await browser.$('#id_number').setValue('004087001122');
  await browser.$('#date_of_birth').setValue('12/05/1987');
  await browser.$('#sex').selectByAttribute('value', 'Nam');
  await browser.$('#address').setValue('Thôn Nà Rụa, xã Hòa An');
  await browser.keys(['F8']);
  const codeEl = await browser.$('#result-code');
  await codeEl.waitForExist({ timeout: 10000 });
  const code = await codeEl.getText();

  await browser.keys(['F4']);
  await browser.$('#search-input').setValue('luong van pinh');
  await browser.keys(['Enter']);
  const row = await browser.$(`tr[data-code="${code}"]`);
  await row.waitForExist({ timeout: 5000 });
  await row.$('td').click();
  await browser.$('#detail-code').waitForExist({ timeout: 5000 });

  const act = async (action, fill) => {
    await browser.$(`#action-${action}`).click();
    if (fill) await fill();
    await browser.$('#act-submit').click();
    await browser.waitUntil(async () => !(await browser.$('#act-submit').isExisting()), { timeout: 5000 });
  };
  // Escape leaves an action without recording anything.
  await browser.$('#action-refuse').click();
  await browser.$('#act-submit').waitForExist({ timeout: 5000 });
  await browser.keys(['Escape']);
  await browser.waitUntil(async () => !(await browser.$('#act-submit').isExisting()), { timeout: 5000 });
  assert.equal(await browser.$('#status-label').getText(), 'Đã tiếp nhận');
  await act('supplement', async () => {
    await browser.$('#act-reason').setValue('Thiếu giấy xác nhận thông tin cư trú');
    await browser.$('#act-documents').setValue('Giấy xác nhận thông tin về cư trú');
  });
  assert.equal(await browser.$('#status-label').getText(), 'Yêu cầu bổ sung');
  await browser.$('#preview svg').waitForExist({ timeout: 5000 });
  await act('supplement_complete');
  assert.equal(await browser.$('#status-label').getText(), 'Đang giải quyết');
  await act('result', async () => {
    await browser.$('#act-number').setValue('31/XNHN');
  });
  await act('return');
  assert.equal(await browser.$('#status-label').getText(), 'Đã trả kết quả');
  const kinds = await browser.$$('#timeline li').map((li) => li.getAttribute('data-kind'));
  assert.deepEqual(kinds, ['received', 'supplement_requested', 'supplement_completed', 'result_ready', 'result_returned']);
  await shot('lifecycle-timeline.png');
  // Only a correction of the result may follow a return.
  const offered = await browser.$$('#actions button').map((b) => b.getAttribute('id'));
  assert.deepEqual(offered, ['action-correct_result']);
});

test('reports: this month in figures, the 766 indicators, charts, export and how it is counted', async () => {
  await browser.keys(['F6']);
  const received = await browser.$('#card-received .card-value');
  await received.waitForExist({ timeout: 10000 });
  assert.equal(Number(await received.getText()), 3, 'the three dossiers received today are counted');
  await browser.$('#chart-trend').waitForExist({ timeout: 5000 });
  await browser.$('#chart-procedures').waitForExist({ timeout: 5000 });
  // Digitisation has no data yet: said so, never 0 %.
  assert.equal(await browser.$('#indicators tr[data-code="4.2"] td:nth-child(3)').getText(), 'Chưa có dữ liệu');
  assert.match(await browser.$('#report-table').getText(), /Tổng cộng/);
  await shot('reports.png');
  await browser.$('#how-counted').click();
  await browser.$('#definitions').waitForExist({ timeout: 5000 });
  assert.match(await browser.$('#definitions').getText(), /Đúng hạn/);
  await browser.$('#export-report').click();
  await browser.waitUntil(async () => /\.xlsx/.test(await browser.$('#report-note').getText()), { timeout: 10000 });
  const files = (await browser.$('#report-note').getText()).replace(/^Đã ghi: /, '').split(' ; ');
  for (const f of files) assert.ok(existsSync(f), f);
  // A custom period typed the clerk's way; a wrong date is refused with a message.
  await browser.$('#period-kind').selectByAttribute('value', 'custom');
  await browser.$('#period-from').setValue('31/02/2026');
  await browser.$('#show-report').click();
  await browser.waitUntil(async () => (await browser.$('form.period .form-error').getText()).length > 0, { timeout: 5000 });
  await browser.$('#period-from').setValue('01/01/2026');
  await browser.$('#show-report').click();
  await browser.waitUntil(async () => !(await browser.$('form.period .form-error').isDisplayed()), { timeout: 5000 });
});

// Sync with a real hub (motcua-hub on the PostgreSQL that scripts/test-all
// started): enroll in settings, sync, the province decides, sync again, the
// dossier page shows the result.
const hubBin = join(repo, 'target/debug/motcua-hub');
const hubPort = 47811;
let hub;

// A database of its own in the cluster DATABASE_URL points at, so runs never meet.
let hubDatabase;
function hubCli(args) {
  if (!hubDatabase) {
    const name = `motcua_e2e_${Date.now()}`;
    execFileSync('psql', [process.env.DATABASE_URL, '-qc', `CREATE DATABASE ${name}`]);
    hubDatabase = process.env.DATABASE_URL.replace(/\/[^/]*$/, `/${name}`);
  }
  return execFileSync(hubBin, ['--database-url', hubDatabase, ...args]).toString();
}

after(() => hub?.kill('SIGTERM'));

test('sync: enroll with the hub, send the day, receive the result the province recorded', async () => {
  assert.ok(process.env.DATABASE_URL, 'DATABASE_URL (scripts/test-all starts PostgreSQL)');
  assert.ok(existsSync(hubBin), `build the hub first: ${hubBin}`);
  hubCli(['office', 'add', '--agency-code', '000.17.22.H56', '--name', 'UBND xã Hòa An']);
  const { code } = JSON.parse(hubCli(['enroll-code', '--office', '000.17.22.H56', '--counter', '1', '--json']));
  hub = spawn(hubBin, ['serve', '--database-url', hubDatabase, '--listen', `127.0.0.1:${hubPort}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(hubPort, 20000);

  // Before enrollment the status area says so.
  await browser.keys(['F9']);
  const url = await browser.$('#hub-url');
  await url.waitForExist({ timeout: 5000 });
  await browser.waitUntil(async () => (await browser.$('#sync-state').getAttribute('data-state')) === 'not_configured', { timeout: 10000 });
  // A wrong code is refused with a message; the right one enrolls.
  await url.setValue(`http://127.0.0.1:${hubPort}`);
  await browser.$('#enroll-code').setValue('AAAA-BBBB-CCCC');
  await browser.$('#enroll-button').click();
  const err = await browser.$('#enroll-form .form-error');
  await browser.waitUntil(async () => (await err.getText()).length > 0, { timeout: 15000 });
  assert.match(await err.getText(), /mã/i);
  await browser.$('#enroll-code').setValue(code);
  await browser.$('#enroll-button').click();
  await browser.waitUntil(async () => /Đã đăng ký/.test(await browser.$('#enroll-result').getText()), { timeout: 15000 });
  await shot('settings-sync.png');

  // The worker syncs at once after enrollment; the status area says when.
  await browser.waitUntil(async () => (await browser.$('#sync-state').getAttribute('data-state')) === 'done', { timeout: 30000 });
  assert.match(await browser.$('#sync-text').getText(), /Đã đồng bộ lúc \d\d:\d\d · 0 mục chờ gửi/);
  const dossiers = JSON.parse(execFileSync('psql', [hubDatabase, '-tAc', 'SELECT json_agg(code) FROM dossiers']).toString());
  assert.ok(dossiers.includes(firstCode), `the hub holds ${firstCode}`);

  // The province decides; "Đồng bộ ngay" brings it to the counter.
  hubCli(['dossier', firstCode, 'handover', '--from', 'Bộ phận Một cửa', '--to', 'Công chức Tư pháp - Hộ tịch']);
  hubCli(['dossier', firstCode, 'result', '--number', '88/XNTTHN', '--issuer', 'UBND xã Hòa An']);
  await browser.keys(['F7']);
  await browser.$('#sync-now-page').waitForExist({ timeout: 5000 });
  await browser.$('#sync-now-page').click();
  const cli = join(repo, 'target/debug/motcua');
  const statusOf = () => JSON.parse(execFileSync(cli, ['--data-dir', dataDir, 'show', firstCode, '--json'], { env: cliEnv }).toString()).status;
  await browser.waitUntil(async () => statusOf() === 'processed', { timeout: 30000, timeoutMsg: 'the result did not arrive' });
  await browser.waitUntil(async () => (await browser.$('#sync-state').getAttribute('data-state')) === 'done', { timeout: 10000 });
  await browser.keys(['F7']);
  await browser.$('#sync-log').waitForExist({ timeout: 5000 });
  assert.match(await browser.$('#sync-log').getText(), /Bấm tay/);
  await shot('sync-page.png');
  await browser.keys(['F4']);
  await browser.$('#search-input').setValue(firstCode);
  await browser.keys(['Enter']);
  const row = await browser.$(`tr[data-code="${firstCode}"]`);
  await row.waitForExist({ timeout: 5000 });
  await row.$('td').click();
  await browser.$('#detail-code').waitForExist({ timeout: 5000 });
  assert.equal(await browser.$('#status-label').getText(), 'Đã có kết quả');
  await shot('sync-result-on-dossier.png');
});

test('restarted: the sealed folder opens on the sign-in screen, and only with a password', async () => {
  await browser.reloadSession();
  const screen = await browser.$('#lock-screen');
  await screen.waitForExist({ timeout: 20000 });
  assert.match(await screen.getText(), /Trung tâm Phục vụ hành chính công xã Hòa An — Quầy 1/);
  assert.ok(!(await browser.$('nav.tabs').isExisting()), 'nothing of the office shows before signing in');
  await shot('restart-sign-in.png');
  await signIn(ADMIN);
  await browser.$('#board-overdue').waitForExist({ timeout: 10000 });
  assert.match(await browser.$('#status-clerk').getText(), /Hoàng Văn Minh/);
  await browser.keys(['F3']);
  await browser.$('#screen-today table').waitForExist({ timeout: 5000 });
});
