/**
 * `npm run agent:add -- --email asha@example.com --name "Asha Patel" --role supervisor [--password-stdin]`
 * Creates an agent account in the configured store (the same DATA_DIR / MONGODB_URI as the bot). Without
 * --password-stdin a strong password is generated and printed once; it is never logged or stored in clear.
 * Offboarding: `npm run agent:add -- --disable asha@example.com` disables the account and ends its sessions.
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../clock';
import { loadConfig } from '../config';
import { databaseOptionsOf, openDatabase } from '../store/openDatabase';
import type { Database } from '../store/types';
import { AgentAccounts, type AgentAccount, generatePassword, isRole, ROLES } from './accounts';
import type { AgentSession } from './auth';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'agent' }, 'password-stdin': { type: 'boolean', default: false }, disable: { type: 'string' } },
  });
  if (values.disable) return disable(values.disable);
  if (!values.email || !values.name || !isRole(values.role)) {
    console.error(`Usage: npm run agent:add -- --email <e-mail> --name "<name>" --role <${ROLES.join('|')}> [--password-stdin]\n       npm run agent:add -- --disable <e-mail>`);
    process.exit(2);
  }
  const { email, name, role } = values;
  await withStore(async (db) => {
    const collection = db.collection<AgentAccount>('agentAccounts');
    await Promise.all(AgentAccounts.indexes(collection));
    const generated = !values['password-stdin'];
    const password = generated ? generatePassword() : await readStdin();
    // A generated password passes through the operator's hands: its owner replaces it at the first sign-in.
    const agent = await new AgentAccounts(collection, systemClock).create({ email, name, role, password, temporary: generated });
    console.log(`Created ${agent.role} ${agent.name} <${agent.email}> (${agent._id}).`);
    if (generated) console.log(`Password (shown once; they choose their own at the first sign-in): ${password}`);
  });
}

/** Disables the account with this e-mail and deletes its sessions (a running console notices within 15 s). */
function disable(email: string): Promise<void> {
  return withStore(async (db) => {
    const accounts = db.collection<AgentAccount>('agentAccounts');
    const account = await accounts.findOne({ email: email.trim().toLowerCase() });
    if (!account) {
      console.error(`No account with the e-mail ${email}.`);
      process.exitCode = 1;
      return;
    }
    await new AgentAccounts(accounts, systemClock).setDisabled(account._id, true);
    await db.collection<AgentSession>('agentSessions').deleteMany({ agentId: account._id });
    console.log(`Disabled ${account.name} (${account._id}); their sessions are signed out and their API tokens stop working.`);
  });
}

/** The configured store (the same DATA_DIR / MONGODB_URI as the bot), closed afterwards. */
async function withStore(work: (db: Database) => Promise<void>): Promise<void> {
  // A CLI is a second entry point: like index.ts it hands the environment to the config module.
  const config = loadConfig(process.env);
  const db = await openDatabase(databaseOptionsOf(config));
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
