/**
 * Holders for the collections the DM core and the social archive keep (tickets, audit events, transcripts,
 * conversations, bot state, processed activity ids, archived posts and replies, listening alerts, crisis
 * reply log, held crisis replies). Other areas register their own next to their code.
 */
import type { Collection, Document } from '../store/types';
import type { SocialPostRecord, ReplyAuthorClaim, ReplyJob } from '../social/types';
import type { AuditRecord } from '../tickets/audit';
import type { Ticket, TranscriptEntry } from '../tickets/types';
import { TRANSCRIPT_ORDER } from '../tickets/transcriptOrder';
import type { TicketService } from '../tickets/ticketService';
import type { ConversationEntry } from '../conversations';
import type { ListeningAlert } from '../listening/alertTypes';
import { alertAsSeenBy, alertErasure, valuesPattern } from '../listening/alertPrivacy';
import { CRISIS_HELD_COLLECTION, type HeldReply } from '../listening/crisis';
import { escapeRegex } from '../store/regex';
import { ERASED, scrub, type PersonalDataHolder, type PersonalDataRegistry, type Subject } from './registry';

export interface CoreCollections {
  tickets: Collection<Ticket>;
  ticketService: TicketService;
  audit: Collection<AuditRecord>;
  transcripts: Collection<TranscriptEntry>;
  conversations: Collection<ConversationEntry>;
  botState: Collection<Document & { json: string }>;
  processedActivities: Collection<Document>;
  socialPosts: Collection<SocialPostRecord>;
  socialReplies: Collection<ReplyJob>;
  socialReplyAuthors: Collection<ReplyAuthorClaim>;
  alerts: Collection<ListeningAlert>;
  crisisReplies: Collection<Document & { postKey: string }>;
  crisisHeld: Collection<HeldReply>;
}

/**
 * The embedded engine appends updates to its file and rewrites it only when compacting: after an erasure
 * the file is compacted at once, so the old lines do not linger on disk (MongoDB has no such step).
 */
async function flush(...collections: Array<Collection<never>>): Promise<void> {
  for (const collection of collections) await (collection as Partial<{ compactDatafile(): Promise<void> }>).compactDatafile?.();
}

/** Runs an erasure, then flushes the collections it touched. */
function flushing(holder: PersonalDataHolder, ...collections: Array<Collection<never>>): PersonalDataHolder {
  return { ...holder, erase: async (subject, context) => { const count = await holder.erase(subject, context); await flush(...collections); return count; } };
}

const anyOf = (ids: string[]): RegExp => new RegExp(ids.map(escapeRegex).join('|'));

export function registerCoreHolders(registry: PersonalDataRegistry, c: CoreCollections): void {
  const transcriptFilter = (s: Subject) => ({ $or: [{ ticketRef: { $in: s.ticketRefs } }, { conversationId: { $in: s.conversationIds } }] });
  const holders: PersonalDataHolder[] = [
    {
      name: 'tickets',
      find: (s) => c.tickets.find({ _id: { $in: s.ticketRefs } }),
      erase: async (s, ctx) => {
        let erased = 0;
        for (const ref of s.ticketRefs) {
          await c.ticketService.mutate(ref, ctx.actor, 'privacy.erased', (ticket) => ({ patch: erasedTicketPatch(ticket, s, ctx.pseudonym, ctx.at), after: { basis: ctx.reason } }));
          erased++;
        }
        return erased;
      },
    },
    {
      name: 'auditEvents',
      find: (s) => c.audit.find({ ticketRef: { $in: s.ticketRefs } }, { sort: { ticketRef: 1, seq: 1 } }),
      erase: async (s) => {
        let erased = 0;
        for (const event of await c.audit.find({ ticketRef: { $in: s.ticketRefs } })) {
          const before = scrub(event.before, s.values, 'before');
          const after = scrub(event.after, s.values, 'after');
          const note = event.note === undefined ? undefined : event.actor.kind === 'customer' ? ERASED : scrub(event.note, s.values, 'note');
          const customerActor = event.actor.kind === 'customer';
          if (before === event.before && after === event.after && note === event.note && !customerActor) continue;
          // The chain covers a digest of the content and of a customer actor's id, so both can go and it still verifies.
          const actor = customerActor && event.actorDigest ? { kind: 'customer', id: 'erased' } : { kind: event.actor.kind, id: event.actor.id };
          await c.audit.updateOne(
            { _id: event._id },
            { $set: { erased: true, actor, ...(before !== undefined && { before }), ...(after !== undefined && { after }), ...(note !== undefined && { note }) }, $unset: { actorSalt: '' } },
          );
          erased++;
        }
        return erased;
      },
    },
    {
      name: 'transcripts',
      find: (s) => c.transcripts.find(transcriptFilter(s), { sort: TRANSCRIPT_ORDER }),
      erase: (s, ctx) =>
        c.transcripts.updateMany(transcriptFilter(s), { $set: { text: ERASED, actor: { kind: 'customer', id: ctx.pseudonym } }, $unset: { files: '' } }).then(async (result) => {
          // Our own lines keep their speaker; only the text goes (it may quote the customer), and the customer's files.
          await c.transcripts.updateMany({ ...transcriptFilter(s), direction: 'out' }, { $set: { actor: { kind: 'bot', id: 'bot' } } });
          return result.modifiedCount;
        }),
    },
    {
      name: 'conversations',
      find: (s) => c.conversations.find({ conversationId: { $in: s.conversationIds } }),
      erase: (s) => c.conversations.deleteMany({ conversationId: { $in: s.conversationIds } }),
    },
    {
      name: 'botState',
      find: async (s) => (await c.botState.find(botStateFilter(s))).map((record) => ({ _id: record._id, state: JSON.parse(record.json) as unknown })),
      erase: (s) => c.botState.deleteMany(botStateFilter(s)),
    },
    {
      name: 'processedActivities',
      find: async () => [],
      erase: (s) => (s.conversationIds.length ? c.processedActivities.deleteMany({ _id: { $regex: anyOf(s.conversationIds) } }) : Promise.resolve(0)),
    },
    {
      /*
       * The record's `_id` (`platform:postId`) is kept on purpose, as the one identifier left: the platforms
       * redeliver, backfill and edit posts by that id, and without the key an erased post would be archived again
       * with its author and text (the erasure undone; postChanges leaves an erased post's text alone). It leads only
       * to the author's own public post, which they control: deleted there, the id leads nowhere. Everything else
       * (text, author, link, others in the thread) goes; reach alerts, reply jobs and crisis rows keep the same key.
       */
      name: 'socialPosts',
      find: (s) => c.socialPosts.find(postFilter(s)),
      erase: async (s, ctx) =>
        (
          await c.socialPosts.updateMany(postFilter(s), {
            $set: { text: ERASED, author: { id: ctx.pseudonym }, postId: ctx.pseudonym, 'triage.reason': ERASED, topics: { hashtags: [], products: [], subjects: [] } },
            // Others in the thread are other people's ids, kept only to address a reply that no longer goes out.
            $unset: { url: '', othersInThread: '' },
          })
        ).modifiedCount,
    },
    {
      name: 'socialReplies',
      find: (s) => c.socialReplies.find({ postKey: { $in: s.postKeys } }),
      erase: async (s) => {
        // A reply not sent yet would go out as "[erased]": it is cancelled, and its follow-up replies (which greet them by name) go.
        await c.socialReplies.updateMany({ postKey: { $in: s.postKeys }, status: 'pending' }, { $set: { status: 'cancelled', lastError: 'the author was erased' } });
        await c.socialReplies.updateMany({ postKey: { $in: s.postKeys }, status: 'sending' }, { $set: { cancelRequested: true } });
        return (await c.socialReplies.updateMany({ postKey: { $in: s.postKeys } }, { $set: { text: ERASED, targetId: ERASED }, $unset: { then: '', excludeUserIds: '' } })).modifiedCount;
      },
    },
    {
      // "Answered once already" claims are keyed '<platform>:<author id>': nothing to keep once the person is erased.
      name: 'socialReplyAuthors',
      find: (s) => c.socialReplyAuthors.find(replyAuthorFilter(s)),
      erase: (s) => c.socialReplyAuthors.deleteMany(replyAuthorFilter(s)),
    },
    {
      // Spike, reach and crisis alerts copy example posts (author, handle, text, link): see alertPrivacy.ts.
      name: 'listeningAlerts',
      find: async (s) => (await c.alerts.find(alertFilter(s))).map((alert) => alertAsSeenBy(alert, s)),
      erase: async (s) => {
        let erased = 0;
        // Also alerts whose summary or other people's examples only name them ("by @handle", "@handle same here").
        const quoting = valuesPattern(s.values);
        const filter = quoting ? { $or: [alertFilter(s), { summary: { $regex: quoting } }, { 'examples.text': { $regex: quoting } }] } : alertFilter(s);
        for (const alert of await c.alerts.find(filter)) {
          const fields = alertErasure(alert, s);
          if (!fields) continue;
          await c.alerts.updateOne({ _id: alert._id }, { $set: fields });
          erased++;
        }
        return erased;
      },
    },
    {
      name: 'crisisPublicReplies',
      find: (s) => c.crisisReplies.find({ postKey: { $in: s.postKeys } }),
      erase: (s) => c.crisisReplies.deleteMany({ postKey: { $in: s.postKeys } }),
    },
    {
      // Held crisis replies name posts only; erasing a post's author drops their held reply with it.
      name: CRISIS_HELD_COLLECTION,
      find: (s) => c.crisisHeld.find({ _id: { $in: s.postKeys } }),
      erase: (s) => c.crisisHeld.deleteMany({ _id: { $in: s.postKeys } }),
    },
  ];
  const touched: Record<string, Array<Collection<never>>> = {
    tickets: [c.tickets as Collection<never>, c.audit as Collection<never>],
    auditEvents: [c.audit as Collection<never>],
    transcripts: [c.transcripts as Collection<never>],
    conversations: [c.conversations as Collection<never>],
    botState: [c.botState as Collection<never>],
    processedActivities: [c.processedActivities as Collection<never>],
    socialPosts: [c.socialPosts as Collection<never>],
    socialReplies: [c.socialReplies as Collection<never>],
    socialReplyAuthors: [c.socialReplyAuthors as Collection<never>],
    listeningAlerts: [c.alerts as Collection<never>],
    crisisPublicReplies: [c.crisisReplies as Collection<never>],
    [CRISIS_HELD_COLLECTION]: [c.crisisHeld as Collection<never>],
  };
  for (const holder of holders) registry.register(flushing(holder, ...(touched[holder.name] ?? [])));
}

function botStateFilter(s: Subject) {
  const ids = [...s.conversationIds, ...s.identities.map((identity) => `/users/${identity.userId}`)];
  return ids.length ? { _id: { $regex: anyOf(ids) } } : { _id: { $in: [] } };
}

function postFilter(s: Subject) {
  return { $or: [{ _id: { $in: s.postKeys } }, { ticketRef: { $in: s.ticketRefs } }, ...(s.scope === 'customer' ? [{ 'author.id': { $in: s.authorIds } }] : [])] };
}

function replyAuthorFilter(s: Subject) {
  const authors = s.scope === 'customer' && s.authorIds.length ? [{ _id: { $regex: new RegExp(`:(${s.authorIds.map(escapeRegex).join('|')})$`) } }] : [];
  return { $or: [{ postKey: { $in: s.postKeys } }, ...authors] };
}

function alertFilter(s: Subject) {
  return { $or: [{ 'examples.postKey': { $in: s.postKeys } }, { 'examples.authorId': { $in: s.authorIds } }] };
}

function erasedTicketPatch(ticket: Ticket, s: Subject, pseudonym: string, at: Date): Partial<Ticket> {
  const patch: Partial<Ticket> = {
    customer: { channelId: ticket.customer.channelId, userId: pseudonym },
    erasedAt: at,
  };
  if (ticket.contact) patch.contact = { consent: false };
  if (ticket.description !== undefined) patch.description = ERASED;
  if (ticket.subject !== undefined) patch.subject = ERASED;
  if (ticket.orderNumber !== undefined) patch.orderNumber = ERASED;
  if (ticket.otherOrderNumbers) patch.otherOrderNumbers = ticket.otherOrderNumbers.map(() => ERASED);
  if (ticket.humanRequested) patch.humanRequested = { at: ticket.humanRequested.at, reason: ERASED };
  if (ticket.publicPost) {
    const { platform, postedAt, followers, impressions } = ticket.publicPost;
    patch.publicPost = { platform, postId: pseudonym, text: ERASED, authorId: pseudonym, postedAt, ...(followers !== undefined && { followers }), ...(impressions !== undefined && { impressions }) };
  }
  if (ticket.conversation) {
    const { channelId, serviceUrl, botId } = ticket.conversation;
    patch.conversation = { channelId, serviceUrl, botId, conversationId: pseudonym, userId: pseudonym };
  }
  // Fields other areas add (CSAT comments, follow-up texts…) are scrubbed by key and by value.
  const known = new Set(['_id', 'ref', 'customer', 'contact', 'description', 'subject', 'orderNumber', 'otherOrderNumbers', 'humanRequested', 'publicPost', 'conversation', 'createdAt', 'updatedAt', 'version', 'sla', 'status', 'priority', 'erasedAt',
    'priorityReasons', 'channelId', 'source', 'openedBy', 'firstResponseAt', 'resolvedAt', 'closedAt', 'reopenCount', 'assignee', 'heldBy', 'tier', 'escalatedAt', 'escalatedFor']);
  for (const [key, value] of Object.entries(ticket)) {
    if (known.has(key)) continue;
    const cleaned = scrub(value, s.values, key);
    if (cleaned !== value) (patch as Record<string, unknown>)[key] = cleaned;
  }
  // Nobody may write to an erased customer again: no more follow-ups, by any route.
  const followUp = (patch as { followUp?: Record<string, unknown> }).followUp ?? (ticket as { followUp?: Record<string, unknown> }).followUp;
  if (followUp) {
    const { nextAt: _noMore, ...rest } = followUp;
    (patch as Record<string, unknown>).followUp = { ...rest, optedOut: true, optedOutAt: at };
  }
  return patch;
}

/** For another area's collection keyed by ticket (`ticketRef`): personal fields and values scrubbed in place. */
export function ticketKeyedHolder(name: string, collection: Collection<Document & { ticketRef?: string }>): PersonalDataHolder {
  return flushing({
    name,
    find: (s) => collection.find({ ticketRef: { $in: s.ticketRefs } }),
    erase: async (s, ctx) => {
      let erased = 0;
      for (const doc of await collection.find({ ticketRef: { $in: s.ticketRefs } })) {
        const { _id, ...fields } = doc;
        const patch: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(fields)) {
          const cleaned = key === 'conversationId' && typeof value === 'string' && s.conversationIds.includes(value) ? ctx.pseudonym : scrub(value, s.values, key);
          if (cleaned !== value) patch[key] = cleaned;
        }
        if (Object.keys(patch).length === 0) continue;
        await collection.updateOne({ _id }, { $set: patch });
        erased++;
      }
      return erased;
    },
  }, collection as Collection<never>);
}

/** For a collection keyed `${channelId}:${userId}` (per-customer settings such as a time zone): deleted. */
export function identityKeyedHolder(name: string, collection: Collection<Document>): PersonalDataHolder {
  const filter = (s: Subject) => ({ _id: { $in: s.identities.map((identity) => `${identity.channelId}:${identity.userId}`) } });
  return flushing({ name, find: (s) => collection.find(filter(s)), erase: (s) => collection.deleteMany(filter(s)) }, collection as Collection<never>);
}
