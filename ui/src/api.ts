// Typed calls into the Tauri commands (src-tauri/src/main.rs). The types are
// generated from the Rust ones into ./bindings by ts-rs.
import { invoke } from '@tauri-apps/api/core';
import type { DeskStatus } from './bindings/DeskStatus';
import type { Office } from './bindings/Office';
import type { OfficeSetup } from './bindings/OfficeSetup';
import type { Procedure } from './bindings/Procedure';
import type { IdCardQr } from './bindings/IdCardQr';
import type { ReceptionInput } from './bindings/ReceptionInput';
import type { Dossier } from './bindings/Dossier';
import type { DossierView } from './bindings/DossierView';
import type { PrintOutcome } from './bindings/PrintOutcome';
import type { Paper } from './bindings/Paper';
import type { ErrorReport } from './bindings/ErrorReport';
import type { PrinterChoice } from './bindings/PrinterChoice';
import type { CalendarYear } from './bindings/CalendarYear';
import type { DueBoard } from './bindings/DueBoard';
import type { ActionRequest } from './bindings/ActionRequest';
import type { ActionOutcome } from './bindings/ActionOutcome';
import type { Form } from './bindings/Form';
import type { Action } from './bindings/Action';
import type { SyncOverview } from './bindings/SyncOverview';
import type { SyncLogRow } from './bindings/SyncLogRow';
import type { AttentionItem } from './bindings/AttentionItem';
import type { EnrollResponse } from './bindings/EnrollResponse';
import type { Report } from './bindings/Report';
import type { ReportFiles } from './bindings/ReportFiles';
import type { Definition } from './bindings/Definition';
import type { Vocabulary } from './bindings/Vocabulary';
import type { Flag } from './bindings/Flag';
import type { FlagCounts } from './bindings/FlagCounts';
import type { Account } from './bindings/Account';
import type { NewAccount } from './bindings/NewAccount';
import type { Role } from './bindings/Role';
import type { Session } from './bindings/Session';
import type { SetUp } from './bindings/SetUp';
import type { OfficeLabel } from './bindings/OfficeLabel';
import type { BackupMade } from './bindings/BackupMade';
import type { BackupStatus } from './bindings/BackupStatus';

export type { Account, NewAccount, Role, Session, SetUp, OfficeLabel, BackupMade, BackupStatus };
export type { SyncOverview, SyncLogRow, AttentionItem, EnrollResponse, Report, ReportFiles, Definition, Vocabulary, Flag, FlagCounts };
export type { Action, ActionOutcome, ActionRequest, DueBoard, Form, CalendarYear, PrinterChoice, DeskStatus, Office, OfficeSetup, Procedure, IdCardQr, ReceptionInput, Dossier, DossierView, PrintOutcome, Paper, ErrorReport };


/** Every failure reaches the UI as the core's {code, message, fields}. */
export function asReport(e: unknown): ErrorReport {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const r = e as ErrorReport;
    return { code: r.code, message: r.message, fields: r.fields ?? [] };
  }
  return { code: 'unexpected', message: String(e), fields: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asReport(e);
  }
}

export const api = {
  status: () => call<DeskStatus>('status'),
  initOffice: (setup: OfficeSetup, admin: NewAccount) => call<SetUp>('init_office', { setup, admin }),
  takeRecoveryKey: () => call<string | null>('take_recovery_key'),
  printRecoverySheet: (key: string) => call<string>('print_recovery_sheet', { key }),
  updateOffice: (setup: OfficeSetup) => call<Office>('update_office', { setup }),
  signIn: (login: string, password: string) => call<Session>('sign_in', { login, password }),
  signOut: () => call<void>('sign_out'),
  users: () => call<Account[]>('users'),
  addUser: (account: NewAccount) => call<Account>('add_user', { account }),
  setUserEnabled: (login: string, enabled: boolean) => call<Account>('set_user_enabled', { login, enabled }),
  setPassword: (login: string, password: string) => call<Account>('set_password', { login, password }),
  unlockUser: (login: string) => call<Account>('unlock_user', { login }),
  setIdleLock: (minutes: number) => call<number>('set_idle_lock', { minutes }),
  backupNow: () => call<BackupMade>('backup_now'),
  backupStatus: () => call<BackupStatus>('backup_status'),
  setSecondBackupDir: (dir: string) => call<BackupStatus>('set_second_backup_dir', { dir }),
  procedures: () => call<Procedure[]>('procedures'),
  parseIdQr: (raw: string) => call<IdCardQr>('parse_id_qr', { raw }),
  vocabulary: () => call<Vocabulary>('vocabulary'),
  receive: (input: ReceptionInput) => call<Dossier>('receive', { input }),
  dossiersToday: () => call<Dossier[]>('dossiers_today'),
  search: (query: string) => call<Dossier[]>('search', { query }),
  show: (code: string) => call<DossierView>('show', { code }),
  printers: () => call<PrinterChoice>('printers'),
  choosePrinter: (paper: Paper, name: string | null) => call<void>('choose_printer', { paper, name }),
  dueBoard: () => call<DueBoard>('due_board'),
  perform: (code: string, request: ActionRequest) => call<ActionOutcome>('perform', { code, request }),
  formPreview: (form: Form, code: string, paper: Paper, copies: number) =>
    call<string[]>('form_preview', { form, code, paper, copies }),
  printForm: (form: Form, code: string, paper: Paper, copies: number) =>
    call<PrintOutcome>('print_form', { form, code, paper, copies }),
  calendarYear: (year: number) => call<CalendarYear>('calendar_year', { year }),
  setCalendarDay: (date: string, kind: 'off' | 'working' | null, reason: string) =>
    call<CalendarYear>('set_calendar_day', { date, kind, reason }),
  syncOverview: () => call<SyncOverview>('sync_overview'),
  syncNow: () => call<void>('sync_now'),
  syncLog: () => call<SyncLogRow[]>('sync_log'),
  needsAttention: () => call<AttentionItem[]>('needs_attention'),
  retryRejected: () => call<number>('retry_rejected'),
  enroll: (hubUrl: string, code: string) => call<EnrollResponse>('enroll', { hubUrl, code }),
  setDayEnd: (at: string) => call<string>('set_day_end', { at }),
  clockWarning: () => call<string | null>('clock_warning'),
  auditWarning: () => call<string | null>('audit_warning'),
  report: (from: string, to: string) => call<Report>('report', { from, to }),
  exportReport: (from: string, to: string) => call<ReportFiles>('export_report', { from, to }),
  reportDefinitions: () => call<Definition[]>('report_definitions'),
};
