// The window's shell: the first run, signing in and the lock (Ctrl+L, idle),
// the tabs and their keys, the status line, and the guard that asks before
// a half-filled reception is left.
// Each screen lives in screens/; what they share is in store.ts.
import { api, asReport } from './api';
import type { ErrorReport } from './api';
import { confirmLeave, escape, forgetDialogs } from './dialog';
import { clear, h } from './dom';
import { t } from './messages';
import { renderBoard, renderSearch, renderToday } from './screens/lists';
import { renderReception } from './screens/reception';
import { renderReports } from './screens/reports';
import { renderSettings } from './screens/settings';
import { renderFirstAdmin, showLockScreen } from './screens/login';
import { renderSetup } from './screens/setup';
import { refreshSync, renderSync, syncArea } from './screens/sync';
import { loadProcedures, loadStatus, may, setNavigator, store } from './store';
import type { Tab } from './store';

const root = document.getElementById('app') as HTMLElement;
let currentTab: Tab = 'board';

function fatal(report: ErrorReport): void {
  clear(root);
  root.append(
    h('main', { class: 'fatal' }, h('h1', {}, t.cannotOpen), h('p', { class: 'form-error', 'data-code': report.code }, report.message)),
  );
}

function statusLine(): HTMLElement {
  const o = store.status?.office;
  return h(
    'footer',
    { class: 'status', id: 'status-line' },
    h('span', {}, `${t.statusOffice}: ${o?.name ?? ''} (${o?.agency_code ?? ''})`),
    h('span', {}, `${t.statusCounter}: ${o?.counter ?? ''}`),
    h('span', { id: 'status-clerk' }, `${t.statusClerk}: ${store.status?.session?.full_name ?? ''}`),
    lockButton(),
    h('span', {}, `${t.statusCatalog}: ${store.status?.catalog?.label ?? ''}`),
    syncArea(),
    h('span', { class: 'keys' }, t.keys),
  );
}

function lockButton(): HTMLElement {
  const b = h('button', { type: 'button', id: 'lock-button', class: 'fit' }, t.lockButton);
  b.addEventListener('click', () => void lock());
  return b;
}

/** Signs out and covers the window; whoever signs in next carries on. */
async function lock(): Promise<void> {
  if (document.getElementById('lock-screen') || !store.status?.session) return;
  forgetDialogs();
  showLockScreen((same) => unlocked(same));
  await api.signOut().catch(() => undefined);
}

/** After a sign-in: the same person finds the screen as they left it. */
async function unlocked(samePerson: boolean): Promise<void> {
  await loadStatus();
  lastActivity = Date.now();
  store.auditWarning = await api.auditWarning().catch((e) => asReport(e).message);
  if (samePerson && root.querySelector('nav.tabs')) {
    const line = document.getElementById('status-line');
    line?.replaceWith(statusLine());
    return;
  }
  render(may('counter') ? 'board' : 'settings');
}

// The idle lock: any key, click or pointer move counts as use.
let lastActivity = Date.now();
for (const ev of ['keydown', 'mousedown', 'mousemove', 'wheel'] as const) {
  document.addEventListener(ev, () => (lastActivity = Date.now()), { passive: true, capture: true });
}
setInterval(() => {
  const minutes = store.status?.idle_lock_minutes ?? 0;
  if (minutes > 0 && store.status?.session && Date.now() - lastActivity > minutes * 60_000) void lock();
}, 5_000);

const TABS: [Tab, string, string][] = [
  ['board', t.tabBoard, 'F1'],
  ['receive', t.tabReceive, 'F2'],
  ['today', t.tabToday, 'F3'],
  ['search', t.tabSearch, 'F4'],
  ['reports', t.tabReports, 'F6'],
  ['sync', t.tabSync, 'F7'],
  ['settings', t.tabSettings, 'F9'],
];

/** Opens a screen; leaving a reception with typed data asks first. */
async function open(tab: Tab): Promise<void> {
  if (currentTab === 'receive' && store.unsaved && document.getElementById('reception-form')) {
    if (!(await confirmLeave())) {
      (document.querySelector('#reception-form .invalid, #reception-form input') as HTMLElement | null)?.focus();
      return;
    }
  }
  render(tab);
}

function render(tab: Tab): void {
  currentTab = tab;
  store.keys = {};
  store.unsaved = false;
  forgetDialogs();
  clear(root);
  const nav = h('nav', { class: 'tabs' });
  for (const [id, text, key] of TABS) {
    if (id === 'reports' && !may('reports')) continue;
    const b = h('button', { id: `tab-${id}`, class: id === tab ? 'active' : '', type: 'button' }, `${text} (${key})`);
    b.addEventListener('click', () => void open(id));
    nav.append(b);
  }
  const body = h('section', { class: 'body', id: `screen-${tab}` });
  const training = store.status?.office?.training ? [h('div', { class: 'training-banner', id: 'training-banner', role: 'note' }, t.trainingBanner)] : [];
  const audit = store.auditWarning ? [h('div', { class: 'audit-banner', id: 'audit-banner', role: 'alert' }, store.auditWarning)] : [];
  root.append(h('header', {}, h('strong', {}, t.appName), nav), ...audit, ...training, body, statusLine());
  switch (tab) {
    case 'board': void renderBoard(body); break;
    case 'receive': renderReception(body); break;
    case 'today': void renderToday(body); break;
    case 'search': renderSearch(body); break;
    case 'reports': renderReports(body); break;
    case 'sync': void renderSync(body); break;
    case 'settings': void renderSettings(body); break;
  }
  void refreshSync(currentTab);
}

const KEYS: Record<string, Tab> = { F1: 'board', F2: 'receive', F3: 'today', F4: 'search', F6: 'reports', F7: 'sync', F9: 'settings' };

document.addEventListener('keydown', (e) => {
  if (!store.status?.office || document.getElementById('lock-screen')) return;
  if (e.ctrlKey && (e.key === 'l' || e.key === 'L')) {
    e.preventDefault();
    void lock();
    return;
  }
  if (e.key === 'Escape') {
    if (escape()) e.preventDefault();
    return;
  }
  if (document.getElementById('leave-dialog')) return;
  if (KEYS[e.key] === 'reports' && !may('reports')) return;
  if (KEYS[e.key]) {
    e.preventDefault();
    void open(KEYS[e.key]);
  } else if (e.key === 'F8' && store.keys.save) {
    e.preventDefault();
    store.keys.save();
  } else if (e.key === 'F10' && store.keys.print) {
    e.preventDefault();
    store.keys.print();
  }
});

setInterval(() => {
  if (store.status?.office && store.status.session && !document.getElementById('lock-screen')) void refreshSync(currentTab);
}, 1500);

async function start(): Promise<void> {
  try {
    store.vocabulary = await api.vocabulary();
    const status = await loadStatus();
    if (status.locked_office) {
      // Sealed: nothing of the office can be read until someone signs in.
      clear(root);
      showLockScreen(() => start());
      return;
    }
    if (!status.office) {
      renderSetup(root, start);
      return;
    }
    if (status.needs_first_admin) {
      clear(root);
      renderFirstAdmin(root, start);
      return;
    }
    await loadProcedures();
    if (!status.session) {
      // Nothing of the office shows until someone signs in.
      clear(root);
      showLockScreen(() => unlocked(false));
      return;
    }
    // The trail's quick check: a broken chain stays on screen until fixed.
    store.auditWarning = await api.auditWarning().catch((e) => asReport(e).message);
    render('board');
  } catch (e) {
    fatal(asReport(e));
  }
}

setNavigator((tab) => void open(tab));

root.append(h('p', { class: 'loading' }, t.loading));
void start();
