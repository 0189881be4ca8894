/**
 * A reference for bench/dmTurns.ts: the bare minimum of a dialog bot (one waterfall of text prompts,
 * one message per turn, no recognizers, middleware, tickets or transcript) on the same HTTP server
 * and adapter. With its state in memory it shows what botbuilder-dialogs alone costs; with its state
 * durable on the embedded store (our BotStateStorage over NeDB files) what any bot that survives a
 * restart costs, before doing any work of its own. With `withRecords`, it also writes what every tracked
 * turn must (our own middleware: the retry key, the transcript both ways, the conversation directory), on
 * the same store: the floor under any bot that keeps a record of what was said.
 */
import { ActivityHandler, ConversationState, MemoryStorage, type Storage, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { createCloudAdapter } from '../bots/adapter';
import { DropRetriedActivities, RecordConversation } from '../bots/middleware';
import { systemClock } from '../services/clock';
import type { Config } from '../services/config';
import { ConversationDirectory, type ConversationEntry } from '../services/conversations';
import { messagesRoute } from '../services/http/messagesRoute';
import { OneAtATime } from '../services/oneAtATime';
import { createHttpServer } from '../services/http/server';
import { silentLogger } from '../services/log';
import type { Database } from '../services/store/types';
import { Transcripts } from '../services/tickets/transcript';
import type { TranscriptEntry } from '../services/tickets/types';
import type { RunningServer } from './echoBot';

export async function startWaterfallBot(config: Config, storage: Storage = new MemoryStorage(), withRecords?: Database): Promise<RunningServer> {
  const adapter = createCloudAdapter(config);
  const state = new ConversationState(storage);
  if (withRecords) {
    const transcripts = withRecords.collection<TranscriptEntry>('transcripts');
    const conversations = withRecords.collection<ConversationEntry>('conversations');
    await Promise.all([...Transcripts.indexes(transcripts), ...ConversationDirectory.indexes(conversations)]);
    adapter
      .use(new DropRetriedActivities(withRecords.collection('processedActivities'), systemClock))
      .use(new RecordConversation(new Transcripts(transcripts, systemClock), new ConversationDirectory(conversations), state.createProperty('conversationData'), systemClock));
  }
  const dialogs = new DialogSet(state.createProperty('dialogState'));
  dialogs.add(new TextPrompt('text'));
  dialogs.add(
    new WaterfallDialog('report', [
      async (step) => step.prompt('text', 'Sorry to hear that. How can we reach you if this chat closes?'),
      async (step) => step.prompt('text', 'Shall I open a ticket?'),
      async (step) => {
        await step.context.sendActivity('Done. Your ticket is CS-7K3M9Q.');
        return step.endDialog();
      },
    ]),
  );
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const dialog = await dialogs.createContext(context);
    const result = await dialog.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dialog.beginDialog('report');
    await next();
  });
  const http = createHttpServer(silentLogger);
  const turn = async (context: TurnContext) => {
    await bot.run(context);
    await state.saveChanges(context);
  };
  messagesRoute((req, res) => adapter.process(req, res, turn), config.maxBodyBytes, new OneAtATime())(http.server);
  const port = await http.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => http.close(1000) };
}
