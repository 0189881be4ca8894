/**
 * The Bot Framework adapter and its authentication: one of the few files a move to the Microsoft 365
 * Agents SDK rewrites. An empty app id is local mode: unauthenticated activities are accepted, as the
 * Emulator expects; with an app id, inbound JWTs are enforced by the SDK.
 */
import {
  type BotAdapter,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type StatePropertyAccessor,
  type TurnContext,
  type ConversationState,
} from 'botbuilder';
import { DialogContextError } from 'botbuilder-dialogs';
import type { Config } from '../services/config';
import { OutcomeUnknownError } from '../services/followUps/outcomeUnknown';
import type { Logger } from '../services/log';
import { say } from '../dialogs/messages';

export function createCloudAdapter(config: Config): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  };
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
}

/**
 * One turn-error handler for every adapter (CloudAdapter, the platform-DM adapters): log it, tell the customer
 * plainly, and clear the broken dialog stack so the next message starts cleanly. Tickets live in the store and are untouched.
 */
export function installTurnErrorHandler(
  adapter: BotAdapter,
  logger: Logger,
  conversationState: ConversationState,
  dialogState: StatePropertyAccessor,
): void {
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    if (sourceOf(error) instanceof OutcomeUnknownError) {
      // The channel is slow, the dialog is fine: keep it where its last completed turn left it, and do not wait on the channel again.
      logger.warn({ channelId: context.activity.channelId }, 'the channel did not answer a reply in time; turn ended without saving');
      return;
    }
    logger.error({ err: error, channelId: context.activity.channelId, activityType: context.activity.type }, 'turn failed');
    try {
      if (context.activity.type === 'message') await context.sendActivity(say.turnError);
      await dialogState.delete(context);
      await conversationState.saveChanges(context, true);
    } catch (cleanupError) {
      logger.error({ err: cleanupError }, 'could not clean up after a failed turn');
    }
  };
}

/** The error a dialog step threw: the dialog system wraps it, once per dialog it passes through. */
function sourceOf(error: unknown): unknown {
  while (error instanceof DialogContextError) error = error.error;
  return error;
}
