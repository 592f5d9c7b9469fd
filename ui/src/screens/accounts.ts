// Accounts in the settings: everyone changes their own password; the admin
// adds clerks, disables, enables, unlocks and resets them, and sets the
// idle lock. Each change is an office event in the trail (the core's).
import { api, asReport } from '../api';
import type { Account } from '../api';
import { clear, field, h } from '../dom';
import { showErrors } from '../errors';
import { backupIsStale, vnTime } from '../format';
import { t } from '../messages';
import { label, loadStatus, store } from '../store';
import { accountFields } from './login';

/** A small form with the core's errors shown on it. */
function form(id: string, children: HTMLElement[], submit: () => Promise<string | void>): HTMLFormElement {
  const note = h('span', { class: 'hint' });
  const f = h('form', { class: 'grid-form', id, novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), ...children, note);
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = f.querySelector('button[type=submit]') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    try {
      note.textContent = (await submit()) ?? t.saved;
      showErrors(f, null);
    } catch (err) {
      note.textContent = '';
      showErrors(f, asReport(err));
    } finally {
      if (button) button.disabled = false;
    }
  });
  return f;
}

/** The signed-in person's own password. */
export function ownPasswordForm(): HTMLElement {
  const password = h('input', { id: 'own-password', 'data-field': 'password', type: 'password', autocomplete: 'new-password' });
  const again = h('input', { id: 'own-password-again', 'data-field': 'password_again', type: 'password', autocomplete: 'new-password' });
  return form(
    'own-password-form',
    [field(t.newPassword, password), field(t.passwordAgain, again), h('div', { class: 'actions' }, h('button', { type: 'submit' }, t.changeOwnPassword))],
    async () => {
      if (password.value !== again.value) {
        throw { code: 'passwords_differ', message: t.passwordsDiffer, fields: [{ field: 'password_again', code: 'passwords_differ', message: t.passwordsDiffer }] };
      }
      await api.setPassword(store.status?.session?.login ?? '', password.value);
      password.value = '';
      again.value = '';
    },
  );
}

function state(a: Account): string {
  if (a.disabled) return t.userDisabled;
  if (a.locked_until && new Date(a.locked_until) > new Date()) return t.userLocked(vnTime(a.locked_until));
  return t.userActive;
}

/** The admin's list of accounts with their actions, and the add form. */
export async function usersSection(): Promise<HTMLElement> {
  const box = h('div', { id: 'users' });
  const list = h('div', {});
  const message = h('p', { class: 'hint', id: 'users-message' });
  const refresh = async (): Promise<void> => {
    clear(list);
    let users: Account[];
    try {
      users = await api.users();
    } catch (e) {
      list.append(h('p', { class: 'form-error' }, asReport(e).message));
      return;
    }
    const rows = users.map((a) => {
      const act = (text: string, id: string, run: () => Promise<unknown>) => {
        const b = h('button', { type: 'button', id: `${id}-${a.login}` }, text);
        b.addEventListener('click', async () => {
          try {
            await run();
            message.textContent = t.saved;
            await refresh();
          } catch (e) {
            message.textContent = asReport(e).message;
          }
        });
        return b;
      };
      const actions = h('td', { class: 'row-actions' });
      actions.append(a.disabled ? act(t.enableUser, 'enable', () => api.setUserEnabled(a.login, true)) : act(t.disableUser, 'disable', () => api.setUserEnabled(a.login, false)));
      if (a.locked_until) actions.append(act(t.unlockUser, 'unlock', () => api.unlockUser(a.login)));
      const reset = h('button', { type: 'button', id: `reset-${a.login}` }, t.resetPassword);
      reset.addEventListener('click', () => openReset(a.login));
      actions.append(reset);
      return h(
        'tr',
        { 'data-login': a.login },
        h('td', {}, a.login),
        h('td', {}, a.full_name),
        h('td', {}, a.roles.map((r) => label('roles', r)).join(', ')),
        h('td', {}, state(a)),
        actions,
      );
    });
    list.append(
      h('table', { class: 'list', id: 'users-table' }, h('thead', {}, h('tr', {}, ...t.usersCols.map((c) => h('th', {}, c)))), h('tbody', {}, ...rows)),
    );
  };
  // One reset form under the list, opened for the account whose button was pressed.
  let resetLogin = '';
  const resetTitle = h('span', { id: 'reset-title' });
  const resetPassword = h('input', { id: 'reset-password', 'data-field': 'password', type: 'password', autocomplete: 'new-password' });
  const resetForm = form('reset-form', [h('h3', { class: 'wide' }, resetTitle), field(t.newPassword, resetPassword), h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'reset-button' }, t.resetPassword))], async () => {
    await api.setPassword(resetLogin, resetPassword.value);
    resetPassword.value = '';
    resetForm.hidden = true;
    message.textContent = t.saved;
  });
  resetForm.hidden = true;
  const openReset = (login: string): void => {
    resetLogin = login;
    resetTitle.textContent = t.resetPasswordFor(login);
    showErrors(resetForm, null);
    resetForm.hidden = false;
    resetPassword.focus();
  };
  const fields = accountFields('new-user', true);
  const add = form('add-user-form', [...fields.nodes, h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'add-user-button' }, t.addUser))], async () => {
    await api.addUser(fields.read());
    (add.querySelectorAll('input:not([type=checkbox])') as NodeListOf<HTMLInputElement>).forEach((i) => (i.value = ''));
    await refresh();
  });
  await refresh();
  box.append(list, message, resetForm, h('h3', {}, t.addUser), add);
  return box;
}

/** Minutes of no use before the window locks itself. */
export function idleLockForm(): HTMLElement {
  const minutes = h('input', { id: 'idle-lock', 'data-field': 'idle_lock_minutes', type: 'number', min: 0, max: 240, value: store.status?.idle_lock_minutes ?? 10, size: 4 });
  return form('idle-lock-form', [field(t.idleLock, minutes), h('div', { class: 'actions' }, h('button', { type: 'submit' }, t.saveIdleLock))], async () => {
    minutes.value = String(await api.setIdleLock(Number(minutes.value || 0)));
    await loadStatus();
  });
}

/** Days between an RFC 3339 time and now (by the PC's clock). */
/** The backups: when the last one was made (a warning past 2 days), the
 * second folder (a USB drive), and "back up now". */
export async function backupSection(): Promise<HTMLElement> {
  const box = h('div', { id: 'backup' });
  const state = h('p', { id: 'backup-state' });
  const show = (s: { last_at: string | null; folder: string }) => {
    const stale = backupIsStale(s.last_at);
    state.className = stale ? 'form-error' : 'hint';
    state.textContent = s.last_at ? t.backupLast(vnTime(s.last_at), s.folder) : t.backupNever;
    if (stale && s.last_at) state.textContent += ` ${t.backupStale}`;
  };
  let status;
  try {
    status = await api.backupStatus();
  } catch (e) {
    box.append(h('p', { class: 'form-error' }, asReport(e).message));
    return box;
  }
  show(status);
  const second = h('input', { id: 'backup-second-dir', 'data-field': 'second_dir', value: status.second_dir ?? '', placeholder: '/media/usb/motcua' });
  const dirForm = form('backup-dir-form', [field(t.backupSecondDir, second), h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'backup-dir-save' }, t.backupSaveDir))], async () => {
    show(await api.setSecondBackupDir(second.value));
  });
  const now = h('button', { type: 'button', id: 'backup-now', class: 'primary fit' }, t.backupNow);
  const note = h('p', { class: 'hint', id: 'backup-note' });
  now.addEventListener('click', async () => {
    now.disabled = true;
    try {
      const made = await api.backupNow();
      note.textContent = t.backupDone(made.file, made.dossiers);
      show(await api.backupStatus());
    } catch (e) {
      note.textContent = asReport(e).message;
    } finally {
      now.disabled = false;
    }
  });
  box.append(state, now, note, dirForm);
  return box;
}
