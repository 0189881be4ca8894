/** What the customer is told about people joining and leaving their conversation, in one place. */

const firstName = (name: string) => name.split(/\s+/)[0];
const listOf = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

export const handoffSay = {
  /** `when`: promisedWait's "within about 20 minutes", or "when the team is back on Monday at 08:00" near closing. */
  queued: (ref: string, position: number, when: string) =>
    `I've asked a person to take over ticket **${ref}**. You're number ${position} in line; someone should be with you ${when}. ` +
    `You don't need to repeat anything: they will see this conversation.`,
  stillWaiting: (position: number, when: string) =>
    `Thanks, the team will see that. You're number ${position} in line; someone should be with you ${when}.`,
  outsideHours: (ref: string, backAt: string) =>
    `I've asked a person to take over ticket **${ref}**. Our team is away right now; they're back ${backAt} and will reply here then. ` +
    `You don't need to repeat anything: they will see this conversation.`,
  joined: (agentName: string) => `You're chatting with ${firstName(agentName)} from the support team.`,
  transferredTo: (agentName: string) => `I'm passing you to my colleague ${firstName(agentName)}, who will continue from here.`,
  transferredToTier: 'I\'m passing your conversation to a senior colleague. They can see everything so far and will be with you shortly.',
  handedBack: (agentName: string, ref: string) =>
    `${firstName(agentName)} has handed you back to the automated assistant. Ticket **${ref}** stays on file. ` +
    `Say "status" for an update, tell me if there's anything else, or say "agent" to reach a person again.`,
  idleReturned: (position: number, when: string) =>
    `Sorry, your support colleague had to step away. You're back in line at number ${position}; the next person free will pick up ${when}.`,
  /** Every message while waiting gets at least this, even when the place in line is not repeated. */
  addedWhileWaiting: (ref: string, noted: string[]) =>
    `Thanks, I've added that to ticket **${ref}**${noted.length ? ` (with your ${listOf(noted)})` : ''}; the team will see it.`,
  /** "thanks!" after a person handed back: a short answer, not the whole menu again. */
  courtesyAfterHandBack: (ref: string) =>
    `You're welcome! Ticket **${ref}** stays on file. Say "status" for an update, or "agent" to reach a person again.`,
  leftQueue: (ref: string) =>
    `Okay, I've taken you out of the queue. Ticket **${ref}** stays open and the team can still see it. Say "agent" any time to wait for a person again.`,
  escalated: (ref: string) =>
    `A senior colleague now has ticket **${ref}** and will make sure it's handled. You don't need to do anything.`,
  /** Escalated past the tier of the person chatting: they leave, and nobody senior has joined yet. */
  escalatedFromChat: (agentName: string, ref: string) =>
    `${firstName(agentName)} has passed ticket **${ref}** to a senior colleague, who will continue this conversation here. ` +
    `You don't need to repeat anything: they can see everything so far.`,
  /** As `escalatedFromChat`, when someone other than the person chatting escalated it (a supervisor, the SLA sweep): nobody is named. */
  escalatedMovingOn: (ref: string) =>
    `Your conversation about ticket **${ref}** is moving to a senior colleague, who will continue it here. ` +
    `You don't need to repeat anything: they can see everything so far.`,
  hubConnecting: (ref: string) =>
    `I'm connecting you with our support team about ticket **${ref}**. They will see this conversation, so you don't need to repeat anything.`,
  /** The hub's agent finished (`completed`): as `handedBack`, without a name, as the hub does not tell us who it was. */
  hubCompleted: (ref: string) =>
    `Our support team has handed you back to the automated assistant. Ticket **${ref}** stays on file. ` +
    `Say "status" for an update, tell me if there's anything else, or say "agent" to reach a person again.`,
  hubFailed: (ref: string) =>
    `I couldn't reach the support team just now. Ticket **${ref}** is on file and a person will reply here as soon as possible.`,
};
