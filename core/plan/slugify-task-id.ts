import { TASK_ID_MAX_LENGTH } from './plan-schema.ts';

/** Cuts a slug to `max` characters, at a dash when one falls inside the kept part, never ending in a dash. */
function cutSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const head = slug.slice(0, max);
  // A dash right after the cut means the cut already falls on a word boundary. A boundary in the first
  // half would throw away most of the text, so then the word is cut instead.
  const boundary = slug[max] === '-' ? max : head.lastIndexOf('-');
  return (boundary >= max / 2 ? head.slice(0, boundary) : head).replace(/-+$/, '');
}

/**
 * A valid task id from free text: lowercase ASCII letters and digits, accents dropped, every other run of
 * characters one `-`, at most 40 characters (cut at a dash when that keeps at least half); `task` when nothing is left.
 */
export function slugifyTaskId(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cutSlug(slug, TASK_ID_MAX_LENGTH) || 'task';
}

/**
 * Slugs for several texts, made unique in order: the second `setup` becomes `setup-2`, the third `setup-3`,
 * shortening the base so the suffixed id still fits in 40 characters.
 */
export function uniqueTaskIds(texts: readonly string[]): string[] {
  const used = new Set<string>();
  return texts.map((text) => {
    const base = slugifyTaskId(text);
    let id = base;
    for (let n = 2; used.has(id); n++) {
      const suffix = `-${n}`;
      id = `${cutSlug(base, TASK_ID_MAX_LENGTH - suffix.length) || 'task'}${suffix}`;
    }
    used.add(id);
    return id;
  });
}
