/**
 * Local mode only: a Direct Line emulator (the `offline-directline` package) in this process, so the
 * try-it page works with no Azure account. Its conversations' serviceUrl points back at it, so the bot
 * replies there exactly as it would to a real channel.
 */
import type { AddressInfo } from 'node:net';
import type { Server as NodeServer } from 'node:http';

// Untyped CommonJS packages that offline-directline brings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require('express') as () => { use(router: unknown): void; listen(port: number, host: string, cb: () => void): NodeServer };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getRouter } = require('offline-directline') as { getRouter(serviceUrl: string, botUrl: string): unknown };

export interface LocalDirectLine {
  url: string;
  close(): Promise<void>;
}

export async function startLocalDirectLine(port: number, botMessagesUrl: string): Promise<LocalDirectLine> {
  const app = express();
  const listen = (at: number) =>
    new Promise<NodeServer>((resolve, reject) => {
      const listening = app.listen(at, '127.0.0.1', () => resolve(listening));
      listening.once('error', reject);
    });
  // The page learns the address from the bot, so a busy default port is no reason to refuse to start.
  const server = await listen(port).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || port === 0) throw error;
    return listen(0);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.use(getRouter(url, botMessagesUrl));
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
