/**
 * A fresh install has no agent account, and the console's sign-in alone does not say how to get one. This is the
 * one hint (start-up log, sign-in page, README say the same), given only while no account exists at all.
 */
import { configSchema } from '../config';
import type { AgentAccounts } from './accounts';
import { MIN_PASSWORD_LENGTH } from './accounts';

/**
 * How to create the first account. The bootstrap variables work in local mode only (wiring creates it there); on the
 * embedded store the CLI needs the bot stopped (the bot holds DATA_DIR and the CLI is refused).
 */
export function firstAccountHint(localMode: boolean, engine: 'nedb' | 'mongodb'): string {
  const stopFirst = engine === 'nedb' ? 'stop the bot, then run ' : '';
  const cli = `${stopFirst}npm run agent:add -- --email <e-mail> --name "<name>" --role supervisor (prints a one-time password)`;
  const bootstrap = `set ${configSchema.agentBootstrapEmail.env} and ${configSchema.agentBootstrapPassword.env} (${MIN_PASSWORD_LENGTH}+ characters) and restart`;
  return `No agent account exists yet, so nobody can sign in to /agent. Create the first supervisor: ${cli}${localMode ? `, or ${bootstrap}` : ''}.`;
}

/**
 * Whether no account exists. Accounts are disabled, never deleted, so once one exists the answer stays "no" and
 * the store is not asked again (the sign-in page asks without signing in).
 */
export function firstAccountCheck(accounts: Pick<AgentAccounts, 'count'>): () => Promise<boolean> {
  let someExist = false;
  return async () => {
    if (someExist) return false;
    someExist = (await accounts.count()) > 0;
    return !someExist;
  };
}
