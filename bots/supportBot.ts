/**
 * The bot stays thin: greet, let interceptors (agent relay, follow-up replies, DM-link context) take a
 * turn when it is theirs, otherwise run the dialogs; save state at the end of every turn.
 */
import { ActivityHandler, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import type { ConversationData } from '../dialogs/dialogServices';
import { isGreetingOnly } from '../dialogs/intents';
import type { Opening } from '../dialogs/mainDialog';
import { say } from '../dialogs/messages';

/** Something that may own a turn before the dialogs see it; returns true when it handled the turn. */
export interface TurnInterceptor {
  readonly name: string;
  handle(context: TurnContext, data: ConversationData): Promise<boolean>;
  /** A photo or file without words; only interceptors that implement it see one (follow-ups: add it to the ticket). */
  handleAttachmentsOnly?(context: TurnContext, data: ConversationData): Promise<boolean>;
}

export interface SupportBotDeps {
  brandName: string;
  conversationState: BotState;
  userState?: BotState;
  dialogState: StatePropertyAccessor<DialogState>;
  conversationData: StatePropertyAccessor<ConversationData>;
  /** A main dialog with `opening` chooses the first greeting from the first message (MainDialog does). */
  mainDialog: Dialog & { opening?(context: TurnContext): Promise<Opening> };
  interceptors?: TurnInterceptor[];
}

export class SupportBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly interceptors: TurnInterceptor[];

  constructor(private readonly deps: SupportBotDeps) {
    super();
    this.dialogs = new DialogSet(deps.dialogState).add(deps.mainDialog);
    this.interceptors = deps.interceptors ?? [];

    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient.id);
      if (newcomers.length > 0) await this.greetOnce(context, newcomers[0].name);
      await next();
    });

    this.onMessage(async (context, next) => {
      if (!context.activity.text?.trim() && context.activity.attachments?.length) {
        await this.onAttachmentsOnly(context);
      } else if (!(await this.intercepted(context))) {
        const greeted = await this.greetOnce(context, context.activity.from.name, true);
        // "hi" on a new conversation is answered by the greeting's menu alone.
        if (!(greeted && isGreetingOnly(context.activity.text))) await this.runDialogs(context);
      }
      await next();
    });

    this.onEvent(async (context, next) => {
      await this.intercepted(context);
      await next();
    });

    // Reactions and unknown activity types need no answer; they must simply not break the conversation.
    this.onMessageReaction(async (_context, next) => next());
  }

  /** Registers an interceptor after construction (areas that are wired later); 'first' runs it before all others (the agent relay). */
  use(interceptor: TurnInterceptor, position: 'first' | 'last' = 'last'): void {
    if (position === 'first') this.interceptors.unshift(interceptor);
    else this.interceptors.push(interceptor);
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState?.saveChanges(context, false);
  }

  private async intercepted(context: TurnContext): Promise<boolean> {
    const data = await this.deps.conversationData.get(context, {});
    for (const interceptor of this.interceptors) {
      if (await interceptor.handle(context, data)) return true;
    }
    return false;
  }

  private async runDialogs(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.deps.mainDialog.id);
  }

  /** A message with only a photo or file: thank, and keep whatever the dialog was asking for. */
  private async onAttachmentsOnly(context: TurnContext): Promise<void> {
    const data = await this.deps.conversationData.get(context, {});
    for (const interceptor of this.interceptors) {
      if (await interceptor.handleAttachmentsOnly?.(context, data)) return;
    }
    await context.sendActivity(say.nonTextReceived);
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) await dc.repromptDialog();
    // With nothing under way a photo would get no question back: greet a newcomer, else ask for the words.
    else if (!(await this.greetOnce(context, context.activity.from.name))) await context.sendActivity(say.askAboutFile);
  }

  /** Returns true when this turn sent the greeting; `fromMessage`: the turn's text picks the greeting (a story gets no menu). */
  private async greetOnce(context: TurnContext, name: string | undefined, fromMessage = false): Promise<boolean> {
    const data = await this.deps.conversationData.get(context, {});
    if (data.greeted) return false;
    data.greeted = true;
    // A customer arriving from a public post is greeted with the context instead (by the DM-link interceptor).
    if (data.publicPost) return false;
    const opening = fromMessage ? await this.deps.mainDialog.opening?.(context) : undefined;
    const greeting = opening === 'problem' ? say.greetingForProblem : opening === 'request' ? say.greetingForRequest : say.greeting;
    await context.sendActivity(greeting(this.deps.brandName, name));
    return true;
  }
}
