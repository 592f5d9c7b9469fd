// A few DOM helpers: elements are built in code, text always via textContent.
type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A labelled input of a form. */
export function field(label: string, input: HTMLElement, wide = false): HTMLElement {
  return h('label', { class: wide ? 'field wide' : 'field' }, h('span', {}, label), input);
}

/** A plain table of text cells. */
export function table(headers: readonly string[], rows: string[][], id: string): HTMLElement {
  return h(
    'table',
    { class: 'list', id },
    h('thead', {}, h('tr', {}, ...headers.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}
