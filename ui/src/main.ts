// The window's shell: the first run, the tabs and their keys, the status
// line, and the guard that asks before a half-filled reception is left.
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
import { renderSetup } from './screens/setup';
import { refreshSync, renderSync, syncArea } from './screens/sync';
import { loadProcedures, loadStatus, setNavigator, store } from './store';
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
    h('span', { id: 'status-clerk' }, `${t.statusClerk}: ${store.status?.clerk ?? ''}`),
    h('span', {}, `${t.statusCatalog}: ${store.status?.catalog?.label ?? ''}`),
    syncArea(),
    h('span', { class: 'keys' }, t.keys),
  );
}

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
  if (!store.status?.office) return;
  if (e.key === 'Escape') {
    if (escape()) e.preventDefault();
    return;
  }
  if (document.getElementById('leave-dialog')) return;
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
  if (store.status?.office) void refreshSync(currentTab);
}, 1500);

async function start(): Promise<void> {
  try {
    store.vocabulary = await api.vocabulary();
    const status = await loadStatus();
    if (!status.office) {
      renderSetup(root, start);
      return;
    }
    await loadProcedures();
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
