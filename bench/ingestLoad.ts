/**
 * The ingest bench's load generator, run as its own process so signing, fetch and JSON on the client
 * side do not eat the server's CPU (the figure is the server's, not the pair's).
 * Run: `node --import tsx bench/ingestLoad.ts <baseUrl> <total> [inFlight=32] [firstEvent=1000000]`;
 * prints one JSON line: { sent, seconds, perSecond, non200 }.
 */
import { Agent } from 'node:http';
import { request } from 'node:http';
import { signXBody } from '../services/social/x/signature';
import { event, SECRET } from './ingestEvents';

const [baseUrl, totalArg, inFlightArg, firstArg] = process.argv.slice(2);
const total = Number(totalArg);
const inFlight = Number(inFlightArg ?? 32);
const first = Number(firstArg ?? 1_000_000);
const target = new URL('/api/social/x/webhook', baseUrl);
// Keep-alive sockets, one per request in flight: what a webhook sender with a connection pool does.
const agent = new Agent({ keepAlive: true, maxSockets: inFlight });

function post(raw: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(raw), 'x-twitter-webhooks-signature': signXBody(SECRET, raw) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(raw);
  });
}

async function main(): Promise<void> {
  let next = 0;
  let non200 = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      if ((await post(event(first + next++))) !== 200) non200++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  console.log(JSON.stringify({ sent: total, seconds, perSecond: Math.round(total / seconds), non200 }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
