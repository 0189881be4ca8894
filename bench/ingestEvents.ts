/** The signed X webhook events both sides of the ingest bench use (the bench and its load process). */
export const SECRET = 'bench-consumer-secret';
export const BRAND = '2244994945';
const TEXTS = [
  '@AcmeSupport SMS says my parcel was delivered and collected by me personally. It wasn\'t. Still nothing.',
  'RT @someone: @AcmeSupport this is going viral',
  'Thanks @AcmeSupport, parcel arrived early, love it!',
  '@AcmeSupport my refund never arrived, order AB-2024117',
  '@AcmeSupport where is my order? #LateAgain',
];

/** Event i; every 20th is a redelivery of an earlier one (exercises dedupe). */
export function event(i: number): string {
  const id = i % 20 === 19 ? i - 7 : i;
  return JSON.stringify({
    for_user_id: BRAND,
    tweet_create_events: [{
      id_str: String(1_500_000_000_000_000_000n + BigInt(id)),
      text: TEXTS[id % TEXTS.length],
      user: { id_str: String(10_000 + (id % 5000)), name: 'Sam Lee', screen_name: `fan${id % 5000}`, followers_count: id % 10_000 },
      in_reply_to_user_id_str: BRAND,
      entities: { hashtags: [], user_mentions: [{ id_str: BRAND }] },
      lang: 'en',
      timestamp_ms: String(Date.now()),
    }],
  });
}
