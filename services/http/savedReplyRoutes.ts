/**
 * Saved replies in the agent API: every agent lists them (the console's picker), supervisors create, change and
 * delete them. Changes go to the log with ids only: the texts are the team's wording, not an account event.
 */
import { SAVED_REPLY_LIMITS } from '../agents/savedReplies';
import type { AgentApiDeps, ApiRoute, FieldSpec } from './agentRoutes';
import { NotFound } from './apiErrors';

const BODY: Record<string, FieldSpec> = {
  title: { type: 'string', required: true, maxLength: SAVED_REPLY_LIMITS.title },
  text: { type: 'string', required: true, maxLength: SAVED_REPLY_LIMITS.text },
};

const missing = () => new NotFound('SAVED_REPLY_NOT_FOUND', 'There is no saved reply with that id');

export function savedReplyRoutes(deps: Pick<AgentApiDeps, 'savedReplies' | 'logger'>): ApiRoute[] {
  const { savedReplies: replies, logger } = deps;
  const logged = (action: string, by: string, savedReplyId: string) => logger.info({ action, by, savedReplyId }, 'saved reply changed');
  return [
    {
      method: 'get', path: '/api/agent/saved-replies', role: 'agent', summary: 'Saved replies for the reply box, by title (placeholders such as {customer_first_name} are filled by the console)',
      run: async () => ({ savedReplies: await replies.list() }),
    },
    {
      method: 'post', path: '/api/agent/saved-replies', role: 'supervisor', summary: 'Create a saved reply (title up to 80 characters, text up to 2000)',
      body: BODY,
      run: async ({ principal, body }) => {
        const savedReply = await replies.create({ title: String(body.title), text: String(body.text) }, principal.agent);
        logged('savedReply.created', principal.agent._id, savedReply._id);
        return { savedReply };
      },
    },
    {
      method: 'post', path: '/api/agent/saved-replies/:id', role: 'supervisor', summary: 'Change a saved reply (send both title and text)',
      body: BODY,
      run: async ({ principal, params, body }) => {
        const savedReply = await replies.update(params.id, { title: String(body.title), text: String(body.text) }, principal.agent);
        if (!savedReply) throw missing();
        logged('savedReply.updated', principal.agent._id, savedReply._id);
        return { savedReply };
      },
    },
    {
      method: 'post', path: '/api/agent/saved-replies/:id/delete', role: 'supervisor', summary: 'Delete a saved reply',
      run: async ({ principal, params }) => {
        if (!(await replies.remove(params.id))) throw missing();
        logged('savedReply.deleted', principal.agent._id, params.id);
        return { ok: true };
      },
    },
  ];
}
