// Signing in: the lock screen every session starts and ends on (Ctrl+L,
// or the idle lock), the first admin of an office set up before accounts,
// and the account fields the set-up and the settings share.
import { api, asReport } from '../api';
import type { NewAccount, Role } from '../api';
import { clear, field, h } from '../dom';
import { showErrors } from '../errors';
import { t } from '../messages';
import { label, store } from '../store';

export interface AccountFields {
  /** The fields, ready to put in a form. */
  nodes: HTMLElement[];
  /** The account as typed, or a report when the two passwords differ. */
  read: () => NewAccount;
  first: HTMLInputElement;
}

/** Login, full name, password twice and (optionally) the roles. */
export function accountFields(prefix: string, withRoles: boolean): AccountFields {
  const login = h('input', { id: `${prefix}-login`, 'data-field': 'login', autocomplete: 'off', spellcheck: 'false' });
  const name = h('input', { id: `${prefix}-name`, 'data-field': 'full_name', autocomplete: 'off' });
  const password = h('input', { id: `${prefix}-password`, 'data-field': 'password', type: 'password', autocomplete: 'new-password' });
  const again = h('input', { id: `${prefix}-password-again`, 'data-field': 'password_again', type: 'password', autocomplete: 'new-password' });
  const roles = (['clerk', 'leader', 'admin'] as Role[]).map((r) => {
    const box = h('input', { type: 'checkbox', id: `${prefix}-role-${r}`, value: r, checked: r === 'clerk' });
    return { r, box, node: h('label', { class: 'check' }, box, h('span', {}, label('roles', r))) };
  });
  const nodes = [field(t.login, login), field(t.fullName, name), field(t.password, password), field(t.passwordAgain, again)];
  if (withRoles) nodes.push(h('div', { class: 'field wide roles', 'data-field': 'roles' }, h('span', {}, t.roles), ...roles.map((x) => x.node)));
  return {
    nodes,
    first: login,
    read: () => {
      if (password.value !== again.value) {
        throw { code: 'passwords_differ', message: t.passwordsDiffer, fields: [{ field: 'password_again', code: 'passwords_differ', message: t.passwordsDiffer }] };
      }
      return {
        login: login.value,
        full_name: name.value,
        roles: withRoles ? roles.filter((x) => x.box.checked).map((x) => x.r) : ['admin'],
        password: password.value,
      };
    },
  };
}

/**
 * Covers the window until someone signs in. What was on screen stays under
 * it: the same person carries on where they were; `onSignedIn` learns
 * whether it was someone else, and the cover lifts once it has drawn.
 */
export function showLockScreen(onSignedIn: (samePerson: boolean) => Promise<void>): void {
  if (document.getElementById('lock-screen')) return;
  const before = store.status?.session?.login ?? null;
  const login = h('input', { id: 'sign-in-login', 'data-field': 'login', autocomplete: 'username', spellcheck: 'false', value: '' });
  const password = h('input', { id: 'sign-in-password', 'data-field': 'password', type: 'password', autocomplete: 'current-password' });
  const submit = h('button', { type: 'submit', id: 'sign-in-button', class: 'primary' }, t.signInButton);
  const form = h(
    'form',
    { class: 'grid-form', id: 'sign-in-form', novalidate: true },
    h('div', { class: 'form-error', hidden: true, role: 'alert' }),
    field(t.login, login),
    field(t.signInPassword, password),
    h('div', { class: 'actions' }, submit),
  );
  const office = store.status?.office ?? store.status?.locked_office;
  const lockedNote = before ? h('p', { class: 'hint', id: 'locked-note' }, t.lockedBy(store.status?.session?.full_name ?? before)) : null;
  const screen = h(
    'div',
    { class: 'lock-screen', id: 'lock-screen', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'sign-in-title' },
    h(
      'main',
      { class: 'setup' },
      h('h1', { id: 'sign-in-title' }, t.signInTitle),
      h('p', {}, office ? `${office.name} — ${t.statusCounter} ${office.counter}` : ''),
      h('p', { class: 'hint' }, t.signInIntro),
      lockedNote,
      form,
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const session = await api.signIn(login.value, password.value);
      // The cover stays until the screen under it is drawn, so a key pressed
      // right after signing in acts on what the clerk sees.
      try {
        await onSignedIn(session.login === before);
      } finally {
        screen.remove();
      }
    } catch (err) {
      password.value = '';
      showErrors(form, asReport(err));
      (login.value ? password : login).focus();
    } finally {
      submit.disabled = false;
    }
  });
  document.body.append(screen);
  login.focus();
}

/** An office from before accounts makes its first admin here. */
export function renderFirstAdmin(root: HTMLElement, done: () => Promise<void>): void {
  const fields = accountFields('first-admin', false);
  const submit = h('button', { type: 'submit', id: 'first-admin-button', class: 'primary' }, t.createFirstAdmin);
  const form = h('form', { class: 'grid-form', id: 'first-admin-form', novalidate: true }, h('div', { class: 'form-error', hidden: true, role: 'alert' }), ...fields.nodes, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api.addUser(fields.read());
      // Making the first admin sealed the folder: its recovery key, once.
      const key = await api.takeRecoveryKey();
      if (key) showRecoveryKey(root, key, done);
      else await done();
    } catch (err) {
      showErrors(form, asReport(err));
    } finally {
      submit.disabled = false;
    }
  });
  root.append(h('main', { class: 'setup' }, h('h1', {}, t.firstAdminTitle), h('p', {}, t.firstAdminIntro), form));
  fields.first.focus();
}

/**
 * The recovery key, shown once after set-up: in groups of four, with what
 * it is for; the clerk confirms it was written down before going on.
 */
export function showRecoveryKey(root: HTMLElement, key: string, done: () => Promise<void>): void {
  clear(root);
  const groups = key.match(/.{1,4}/g) ?? [key];
  const go = h('button', { type: 'button', id: 'recovery-done', class: 'primary' }, t.recoveryDone);
  go.addEventListener('click', () => void done());
  const print = h('button', { type: 'button', id: 'recovery-print' }, t.recoveryPrint);
  const note = h('p', { class: 'hint', id: 'recovery-note', role: 'status' });
  print.addEventListener('click', async () => {
    print.disabled = true;
    try {
      note.className = 'hint';
      note.textContent = t.recoveryPrinted(await api.printRecoverySheet(key));
    } catch (err) {
      note.className = 'form-error';
      note.textContent = asReport(err).message;
    } finally {
      print.disabled = false;
    }
  });
  root.append(
    h(
      'main',
      { class: 'setup recovery' },
      h('h1', {}, t.recoveryTitle),
      h('p', {}, t.recoveryIntro),
      h('pre', { id: 'recovery-key', class: 'recovery-key' }, `${groups.slice(0, 8).join(' ')}\n${groups.slice(8).join(' ')}`),
      h('p', { class: 'hint' }, t.recoveryUse),
      note,
      h('div', { class: 'actions' }, print, go),
    ),
  );
  go.focus();
}
