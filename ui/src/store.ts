// What every screen shares: the office's status, the procedure catalog and
// the labels from the core's message catalog; and how to move between
// screens. A sync that brings a new catalog refreshes the procedures here,
// so the reception screen offers them at once.
import { api } from './api';
import type { DeskStatus, Procedure, Vocabulary } from './api';

export type Tab = 'board' | 'receive' | 'today' | 'search' | 'reports' | 'sync' | 'settings';

export const store = {
  status: null as DeskStatus | null,
  procedures: [] as Procedure[],
  vocabulary: null as Vocabulary | null,
  /** What the current screen does on F8 (save) and F10 (print). */
  keys: {} as { save?: () => void; print?: () => void },
  /** Set by the reception form: leaving it now would lose what was typed. */
  unsaved: false,
  /** What the trail's check at start found wrong, shown on every screen. */
  auditWarning: null as string | null,
};

let navigate: (tab: Tab) => void = () => undefined;

/** Installed by the shell; screens call `go` to change screen. */
export function setNavigator(f: (tab: Tab) => void): void {
  navigate = f;
}

export function go(tab: Tab): void {
  navigate(tab);
}

export async function loadStatus(): Promise<DeskStatus> {
  store.status = await api.status();
  return store.status;
}

export async function loadProcedures(): Promise<void> {
  store.procedures = await api.procedures();
}

/** Reloads the procedures when the catalog version changed (after a sync). */
export async function refreshCatalog(): Promise<boolean> {
  const before = store.status?.catalog?.id;
  const status = await loadStatus();
  if (status.catalog?.id === before) return false;
  await loadProcedures();
  return true;
}

/** What the signed-in person may do: the roles are cumulative
 * (clerk < leader < admin), as the core checks them. */
export function may(need: 'counter' | 'reports' | 'admin'): boolean {
  const roles = store.status?.session?.roles ?? [];
  if (need === 'admin') return roles.includes('admin');
  if (need === 'reports') return roles.includes('leader') || roles.includes('admin');
  return roles.length > 0;
}

/** A label from the core's catalog, or the key itself while none is loaded. */
export function label(kind: keyof Vocabulary, key: string): string {
  return store.vocabulary?.[kind]?.[key] ?? key;
}
