/** Synthetic complaint streams with a seeded random source, so every run sees the same traffic. */
import type { ListenedPost } from '../../../services/listening/spikes';
import { topicsOfPost } from '../../../services/listening/topics';

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function poisson(lambda: number, random: () => number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > limit);
  return k - 1;
}

const EVERYDAY = [
  'my parcel is late again',
  'still waiting for my refund',
  'the courier left my package at the wrong door',
  'order arrived damaged and support is slow',
  'the app will not let me track my delivery',
  'charged twice for one order',
  'wrong size delivered, how do I return it',
];

let counter = 0;

export function everydayPost(at: Date, random: () => number, vocabulary = { products: [], keywords: [] }): ListenedPost {
  const text = EVERYDAY[Math.floor(random() * EVERYDAY.length)]!;
  const id = `p${++counter}`;
  return { key: `x:${id}`, platform: 'x', postId: id, text, authorId: `u${id}`, authorHandle: `user${id}`, followers: Math.floor(random() * 2000), at, topics: topicsOfPost(text, vocabulary) };
}

export function outagePost(at: Date, followers = 100): ListenedPost {
  const text = 'Cannot log in to pay, checkout broken for hours #AcmeDown';
  const id = `o${++counter}`;
  return { key: `x:${id}`, platform: 'x', postId: id, text, authorId: `u${id}`, authorHandle: `angry${id}`, followers, at, topics: topicsOfPost(text, { products: [], keywords: [] }) };
}
