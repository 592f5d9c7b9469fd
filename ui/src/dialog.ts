// Dialogs the keyboard can leave: Escape closes the one on top (an action
// form, the "how it is counted" panel, the leave-reception question).
import { h } from './dom';
import { t } from './messages';

const open: (() => void)[] = [];

/** Registers a dialog's closing; returns the function that unregisters it. */
export function onEscape(close: () => void): () => void {
  open.push(close);
  return () => {
    const i = open.lastIndexOf(close);
    if (i >= 0) open.splice(i, 1);
  };
}

/** Closes the dialog on top, if any; true when one was closed. */
export function escape(): boolean {
  const close = open.pop();
  close?.();
  return close !== undefined;
}

/** Asks before leaving a half-filled form. Resolves true to leave. Enter
 * on the focused "stay" keeps the form; Escape keeps it too. */
export function confirmLeave(): Promise<boolean> {
  return new Promise((resolve) => {
    const stay = h('button', { type: 'button', id: 'leave-no', class: 'primary' }, t.leaveStay);
    const leave = h('button', { type: 'button', id: 'leave-yes' }, t.leaveGo);
    const box = h(
      'div',
      { class: 'modal', id: 'leave-dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'leave-title' },
      h('div', { class: 'modal-box' }, h('p', { id: 'leave-title' }, t.leaveQuestion), h('div', { class: 'actions' }, stay, leave)),
    );
    const done = (answer: boolean) => {
      unregister();
      box.remove();
      resolve(answer);
    };
    const unregister = onEscape(() => {
      box.remove();
      resolve(false);
    });
    stay.addEventListener('click', () => done(false));
    leave.addEventListener('click', () => done(true));
    document.body.append(box);
    stay.focus();
  });
}

/** A new screen: dialogs of the old one are gone with it. */
export function forgetDialogs(): void {
  open.length = 0;
}
