// The sync status area (always visible in the footer) and the sync page:
// where the last run stopped, what waits to be sent, what needs a person.
import { api, asReport } from '../api';
import type { AttentionItem, SyncLogRow, SyncOverview } from '../api';
import { clear, h, table } from '../dom';
import { hhmm, vnTime } from '../format';
import { t } from '../messages';
import { go, refreshCatalog, store } from '../store';

let lastOverview: SyncOverview | null = null;

export function syncArea(): HTMLElement {
  const text = h('button', { type: 'button', class: 'link', id: 'sync-text' }, store.status?.sync_label ?? '');
  text.addEventListener('click', () => go('sync'));
  const bar = h('progress', { id: 'sync-progress', max: 1, value: 0, hidden: true });
  const now = h('button', { type: 'button', id: 'sync-now', class: 'small' }, t.syncNow);
  now.addEventListener('click', () => void syncNow(now));
  return h('span', { class: 'sync', id: 'sync-state', 'data-state': store.status?.sync ?? '' }, text, bar, now);
}

async function syncNow(button?: HTMLButtonElement): Promise<void> {
  try {
    await api.syncNow();
    await refreshSync();
  } catch (e) {
    const box = document.getElementById('sync-text');
    if (box) box.textContent = asReport(e).message;
    if (button) button.blur();
  }
}

/** The status area's words for the worker's state. */
export function syncWords(o: SyncOverview): string {
  const s = o.status;
  const live = o.live;
  const parts: string[] = [];
  switch (live.state) {
    case 'not_configured': parts.push(t.syncNotConfigured); break;
    case 'training': parts.push(t.syncTraining); break;
    case 'idle': parts.push(s.last_success_at ? t.syncDoneAt(hhmm(s.last_success_at)) : t.syncIdle); break;
    case 'offline': parts.push(t.syncOffline); break;
    case 'syncing': {
      const p = live.progress;
      parts.push(p ? `${t.syncing}: ${t.syncPhase[p.phase]} ${p.done}/${p.total}` : t.syncing);
      break;
    }
    case 'failed': parts.push(`${t.syncFailed}: ${live.error?.message ?? ''}`); break;
    case 'done': parts.push(t.syncDoneAt(hhmm(live.last_report?.finished_at ?? s.last_success_at))); break;
  }
  if ((live.state === 'failed' || live.state === 'offline') && live.next_retry_at) parts.push(t.syncNextRetry(hhmm(live.next_retry_at)));
  if (live.state !== 'not_configured' && live.state !== 'training') parts.push(t.syncPending(Number(s.pending)));
  if (Number(s.attention) > 0) parts.push(t.syncAttention(Number(s.attention)));
  if (s.clock_warning) parts.push(s.clock_warning);
  if (live.reminder) parts.push(live.reminder);
  return parts.join(' · ');
}

function paintSync(o: SyncOverview): void {
  const area = document.getElementById('sync-state');
  const text = document.getElementById('sync-text');
  const bar = document.getElementById('sync-progress') as HTMLProgressElement | null;
  if (!area || !text || !bar) return;
  const live = o.live;
  area.dataset.state = live.state;
  text.textContent = syncWords(o);
  text.title = live.error?.message ?? '';
  const p = live.progress;
  bar.hidden = live.state !== 'syncing';
  bar.max = Math.max(1, Number(p?.total ?? 1));
  bar.value = Number(p?.done ?? 0);
  const now = document.getElementById('sync-now') as HTMLButtonElement | null;
  if (now) now.disabled = live.state === 'syncing' || live.state === 'not_configured' || live.state === 'training';
}

/** Polled by the shell: repaints the status area; after a run that ended,
 * reloads the catalog if the province sent a new one, and the sync page. */
export async function refreshSync(currentTab?: string): Promise<void> {
  try {
    const o = await api.syncOverview();
    const finished = lastOverview !== null && lastOverview.live.last_report?.run_id !== o.live.last_report?.run_id;
    lastOverview = o;
    paintSync(o);
    if (finished) {
      await refreshCatalog();
      if (currentTab === 'sync') {
        const body = document.getElementById('screen-sync');
        if (body) void renderSync(body);
      }
    }
  } catch {
    // The status area keeps its last text; the next poll tries again.
  }
}

export async function renderSync(body: HTMLElement): Promise<void> {
  let o: SyncOverview;
  let log: SyncLogRow[];
  let attention: AttentionItem[];
  try {
    [o, log, attention] = await Promise.all([api.syncOverview(), api.syncLog(), api.needsAttention()]);
  } catch (e) {
    clear(body);
    body.append(h('p', { class: 'form-error' }, asReport(e).message));
    return;
  }
  clear(body);
  const s = o.status;
  const now = h('button', { type: 'button', class: 'primary', id: 'sync-now-page' }, t.syncNow);
  now.addEventListener('click', () => void syncNow());
  const note = h('span', { class: 'hint', id: 'sync-page-note' });
  const retry = h('button', { type: 'button', id: 'retry-rejected', disabled: attention.length === 0 }, t.syncRetryRejected);
  retry.addEventListener('click', async () => {
    try {
      note.textContent = t.syncRequeued(await api.retryRejected());
    } catch (e) {
      note.textContent = asReport(e).message;
    }
  });
  const summary = h(
    'dl',
    { class: 'sync-summary' },
    h('dt', {}, t.syncHub), h('dd', {}, s.hub_url ?? t.syncNotConfigured),
    h('dt', {}, t.syncLastSuccess), h('dd', { id: 'sync-last-success' }, s.last_success_at ? vnTime(s.last_success_at) : t.syncNever),
    h('dt', {}, t.syncPendingLabel), h('dd', { id: 'sync-pending' }, String(s.pending)),
    h('dt', {}, t.syncAttentionTitle), h('dd', {}, String(s.attention)),
  );
  const attentionTable = attention.length === 0
    ? h('p', { class: 'hint', id: 'attention-empty' }, t.syncAttentionEmpty)
    : table(t.attentionCols, attention.map((a) => [a.dossier_code ?? '', a.event_kind, a.code, a.message, a.at ? vnTime(a.at) : '']), 'attention-list');
  const logTable = log.length === 0
    ? h('p', { class: 'hint' }, t.syncLogEmpty)
    : table(t.syncCols, log.map((r) => [
        vnTime(r.started_at), t.phases[r.phase] ?? r.phase, t.triggers[r.trigger] ?? r.trigger, t.outcomes[r.outcome] ?? r.outcome,
        String(r.sent), String(r.accepted), String(r.duplicate), String(r.rejected), String(r.pulled), String(r.applied), String(r.retries),
        r.error_text ?? '',
      ]), 'sync-log');
  body.append(
    h('h2', {}, t.tabSync),
    summary,
    h('div', { class: 'actions' }, now, retry, note),
    ...(s.clock_warning ? [h('p', { class: 'form-error', id: 'clock-skew' }, s.clock_warning)] : []),
    h('h3', {}, `${t.syncAttentionTitle} (${attention.length})`),
    attentionTable,
    h('h3', {}, t.syncLogTitle),
    logTable,
  );
}
