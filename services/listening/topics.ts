/**
 * What a public post is about, as spike topics: hashtags, configured products and keywords, and the
 * plain terms it uses (frequent terms are found per window by counting these).
 */
import { escapeRegex } from '../store/regex';

export type TopicKind = 'overall' | 'hashtag' | 'product' | 'keyword' | 'term';

export interface TopicVocabulary {
  products: string[];
  keywords: string[];
}

export const OVERALL_TOPIC = 'all complaints';

const STOPWORDS = new Set(
  ('the and for you your with this that have has had was were are not but our out can cant can\'t will just from they them ' +
    'what when where who why how been being get got its it\'s about into than then there their would could should very ' +
    'still again also only even more most some such any all one two now today yesterday really please thanks thank ' +
    'hello dont don\'t didnt didn\'t im i\'m ive i\'ve doesnt isnt wasnt me my mine we us http https www com amp rt via ' +
    'day days week time going gonna want need here over after before because same every other').split(/\s+/),
);

/** A topic's stable id: "#outage", "product:acme one", "keyword:refund", "term:delivered", or the overall count. */
export function topicId(kind: TopicKind, value: string): string {
  if (kind === 'overall') return OVERALL_TOPIC;
  if (kind === 'hashtag') return `#${value}`;
  return `${kind}:${value}`;
}

export function kindOfTopic(topic: string): TopicKind {
  if (topic === OVERALL_TOPIC) return 'overall';
  if (topic.startsWith('#')) return 'hashtag';
  const kind = topic.slice(0, topic.indexOf(':'));
  return kind === 'product' || kind === 'keyword' ? kind : 'term';
}

/** A topic in words for alerts and holding statements ("#outage", "Acme One", "refund"). */
export function topicLabel(topic: string): string {
  const kind = kindOfTopic(topic);
  return kind === 'overall' || kind === 'hashtag' ? topic : topic.slice(topic.indexOf(':') + 1);
}

const containsPhrase = (haystack: string, phrase: string): boolean => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegex(phrase)}($|[^\\p{L}\\p{N}])`, 'u').test(haystack);

/** Every topic the post belongs to, without duplicates; `extraHashtags` come from the platform's own entities. */
export function topicsOfPost(text: string, vocabulary: TopicVocabulary, extraHashtags: string[] = []): string[] {
  const lower = text.toLowerCase();
  const topics = new Set<string>();
  for (const match of lower.matchAll(/#([\p{L}\p{N}_]{2,60})/gu)) topics.add(topicId('hashtag', match[1]!));
  for (const tag of extraHashtags) topics.add(topicId('hashtag', tag.toLowerCase().replace(/^#/, '')));
  for (const product of vocabulary.products) if (containsPhrase(lower, product)) topics.add(topicId('product', product));
  for (const keyword of vocabulary.keywords) if (containsPhrase(lower, keyword)) topics.add(topicId('keyword', keyword));
  const withoutTagsAndLinks = lower.replace(/https?:\/\/\S+/g, ' ').replace(/[#@][\p{L}\p{N}_]+/gu, ' ');
  for (const match of withoutTagsAndLinks.matchAll(/\p{L}[\p{L}'-]{3,29}/gu)) {
    const word = match[0].replace(/['-]+$/, '');
    if (word.length >= 4 && !STOPWORDS.has(word)) topics.add(topicId('term', word));
  }
  return [...topics];
}
