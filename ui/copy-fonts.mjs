// The receipt preview uses the same Liberation Serif files as the PDF.
// They live once in assets/fonts; the UI build copies them in.
import { mkdirSync, copyFileSync, readdirSync } from 'node:fs';
const from = new URL('../assets/fonts/', import.meta.url);
const to = new URL('./public/fonts/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const f of readdirSync(from)) {
  if (f.endsWith('.ttf')) copyFileSync(new URL(f, from), new URL(f, to));
}
