/**
 * The baseline for bench/dmTurns.ts: a bare botbuilder echo bot on the same HTTP server module, body
 * limits and CloudAdapter as the real bot, so the difference between the two is our turn's own work.
 */
import { ActivityHandler, type TurnContext } from 'botbuilder';
import { createCloudAdapter } from '../bots/adapter';
import type { Config } from '../services/config';
import { messagesRoute } from '../services/http/messagesRoute';
import { OneAtATime } from '../services/oneAtATime';
import { createHttpServer } from '../services/http/server';
import { silentLogger } from '../services/log';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startEchoBot(config: Config): Promise<RunningServer> {
  const adapter = createCloudAdapter(config);
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
    await next();
  });
  const http = createHttpServer(silentLogger);
  messagesRoute((req, res) => adapter.process(req, res, (context: TurnContext) => bot.run(context)), config.maxBodyBytes, new OneAtATime())(http.server);
  const port = await http.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => http.close(1000) };
}
