/**
 * Alerts copy example posts (author, handle, text, link) at alert time, so they are a personal-data
 * holder of their own: a person's examples are shown to them, erased with them, and every alert's
 * examples age out with the archive. What the alert counted (topic, numbers, title) always stays.
 */
import { ERASED } from '../privacy/registry';
import { escapeRegex } from '../store/regex';
import type { AlertExample, ListeningAlert } from './alertTypes';

export interface AlertSubject {
  postKeys: string[];
  authorIds: string[];
  /** Literal values (handles, names) to take out of what remains. */
  values: string[];
}

export function isSubjectsExample(example: AlertExample, subject: AlertSubject): boolean {
  return subject.postKeys.includes(example.postKey) || subject.authorIds.includes(example.authorId);
}

/** Subject access: the alert with the person's own examples only; other people's posts are not theirs to see. */
export function alertAsSeenBy(alert: ListeningAlert, subject: AlertSubject): ListeningAlert {
  return { ...alert, examples: alert.examples.filter((example) => isSubjectsExample(example, subject)) };
}

/**
 * Erasure: the person's examples go; the words "@their_handle" go from the summary and from other people's
 * posts quoting them. Returns the fields to set, or null when the alert held nothing of theirs.
 */
export function alertErasure(alert: ListeningAlert, subject: AlertSubject): Pick<ListeningAlert, 'examples' | 'summary'> | null {
  const examples = alert.examples
    .filter((example) => !isSubjectsExample(example, subject))
    .map((example) => {
      const text = withoutValues(example.text, subject.values);
      return text === example.text ? example : { ...example, text };
    });
  const summary = withoutValues(alert.summary, subject.values);
  const changed = summary !== alert.summary || examples.length !== alert.examples.length || examples.some((example, i) => example !== alert.examples[i]);
  return changed ? { examples, summary } : null;
}

/** Retention: an old alert keeps what it counted, without anyone's posts (the summary of a reach alert names its author). */
export function alertAgedOut(alert: ListeningAlert): Pick<ListeningAlert, 'examples' | 'summary'> {
  const handles = alert.examples.flatMap((example) => (example.authorHandle ? [`@${example.authorHandle}`, example.authorHandle] : []));
  return { examples: [], summary: withoutValues(alert.summary, handles) };
}

/** The text with each value (3 characters or more, any letter case) replaced by the erased marker. */
export function withoutValues(text: string, values: string[]): string {
  const pattern = valuesPattern(values, 'gi');
  return pattern ? text.replace(pattern, ERASED) : text;
}

/**
 * Matches any of the values long enough to name someone (3 characters or more; shorter ones occur by chance),
 * longest first so a handle is replaced whole rather than by a prefix; undefined when none is usable.
 */
export function valuesPattern(values: string[], flags = 'i'): RegExp | undefined {
  const usable = values.filter((value) => value.length >= 3).sort((a, b) => b.length - a.length);
  return usable.length > 0 ? new RegExp(usable.map(escapeRegex).join('|'), flags) : undefined;
}
