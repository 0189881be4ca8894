import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLocalDirectLine } from '../../services/http/localDirectLine';

describe('the local Direct Line behind the try-it page', () => {
  it('starts on another free port when its configured one is taken, instead of stopping the bot', async () => {
    const squatter = http.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    const directLine = await startLocalDirectLine(taken, 'http://127.0.0.1:9/api/messages');
    try {
      expect(directLine.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(directLine.url).not.toBe(`http://127.0.0.1:${taken}`);
      const answer = await fetch(`${directLine.url}/directline/conversations/none/activities`);
      expect(answer.status).toBeLessThan(500);
    } finally {
      await directLine.close();
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
