/**
 * The e-mail route: a small port and its SMTP implementation (nodemailer's SMTPConnection over SMTP_URL).
 * The connection is driven step by step so a failure can be placed: before the message data was handed
 * over (nothing can have arrived: retry or fall back) or after it (the server may have it: never resend).
 */
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ChannelSendError } from '../conversations';
import { OutcomeUnknownError } from './outcomeUnknown';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Becomes the Message-ID: a resend of the same follow-up is the same e-mail to servers and mail clients. */
  idempotencyKey: string;
}

export interface EmailSendOptions {
  /** Aborted when the caller stops waiting; the sender then rejects, saying whether the data had left. */
  signal?: AbortSignal;
}

export interface EmailSender {
  send(message: EmailMessage, options?: EmailSendOptions): Promise<{ messageId: string }>;
  close?(): void;
}

export interface SmtpOptions {
  url: string;
  from: string;
  timeoutMs: number;
}

/** `<CS-ACPGT2.1@acme.example>`: the key as an RFC 5322 dot-atom (':' and other specials become '.'). */
function messageIdFor(idempotencyKey: string, domain: string): string {
  const local = idempotencyKey.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+/g, '.').replace(/^\.+|\.+$/g, '');
  return `<${local || 'followup'}@${domain}>`;
}

export class SmtpEmailSender implements EmailSender {
  private readonly connectionOptions: SMTPConnection.Options;
  private readonly auth: SMTPConnection.Credentials | undefined;
  private readonly domain: string;
  private readonly fromAddress: string;
  private readonly open = new Set<SMTPConnection>();

  constructor(private readonly options: SmtpOptions) {
    const { auth, ...fromUrl } = parseConnectionUrl(options.url);
    this.connectionOptions = {
      ...fromUrl,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      logger: false,
    };
    this.auth = auth && 'user' in auth && auth.user ? (auth as SMTPConnection.Credentials) : undefined;
    this.fromAddress = /<([^>]+)>/.exec(options.from)?.[1] ?? options.from.trim();
    this.domain = /@([^>\s]+)/.exec(options.from)?.[1] ?? 'localhost';
  }

  async send(message: EmailMessage, options: EmailSendOptions = {}): Promise<{ messageId: string }> {
    const messageId = messageIdFor(message.idempotencyKey, this.domain);
    const raw = await new MailComposer({ from: this.options.from, to: message.to, subject: message.subject, text: message.text, messageId }).compile().build();
    let dataHandedOver = false;
    // Read only when the server has said 354 to DATA: its first read marks the point of no return.
    const body = new Readable({
      read() {
        dataHandedOver = true;
        this.push(raw);
        this.push(null);
      },
    });
    const connection = new SMTPConnection(this.connectionOptions);
    this.open.add(connection);
    try {
      await this.transaction(connection, { from: this.fromAddress, to: [message.to] }, body, options.signal);
      connection.quit();
      return { messageId };
    } catch (error) {
      connection.close();
      throw toEmailError(error, dataHandedOver);
    } finally {
      this.open.delete(connection);
    }
  }

  close(): void {
    for (const connection of this.open) connection.close();
  }

  /** connect → (login) → MAIL/RCPT/DATA + body; rejects at once when the caller's signal aborts. */
  private transaction(connection: SMTPConnection, envelope: SMTPConnection.Envelope, body: Readable, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const abort = () => reject(new SmtpAbort());
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      const done = (error?: unknown) => {
        signal?.removeEventListener('abort', abort);
        if (error) reject(error);
        else resolve();
      };
      // Errors also arrive as events (e.g. a timeout while idle); the callbacks below carry the same error.
      connection.on('error', () => undefined);
      connection.connect((connectError) => {
        if (connectError) return done(connectError);
        const sendMessage = () => connection.send(envelope, body, (sendError) => done(sendError ?? undefined));
        if (!this.auth) return sendMessage();
        connection.login(this.auth, (loginError) => (loginError ? done(loginError) : sendMessage()));
      });
    });
  }
}

/** The caller stopped waiting (the notifier's deadline). */
class SmtpAbort extends Error {
  readonly code = 'ETIMEDOUT';
  constructor() {
    super('e-mail send stopped at the deadline');
    this.name = 'SmtpAbort';
  }
}

/**
 * After the data was handed over, a failure without a server reply (timeout, dropped connection) leaves the
 * outcome unknown. Otherwise: 5xx replies are permanent (unknown mailbox, refused); 4xx, timeouts and
 * connection failures before the data left are worth a retry or another route.
 */
export function toEmailError(error: unknown, dataHandedOver = false): Error {
  const { code, responseCode, command } = error as { code?: string; responseCode?: number; command?: string };
  if (dataHandedOver && responseCode === undefined) {
    return new OutcomeUnknownError(`mail server did not confirm the message: ${code ?? 'error'}`, { cause: error });
  }
  const message = `e-mail not accepted: ${code ?? responseCode ?? 'error'}${command ? ` (at ${command})` : ''}`;
  if (responseCode !== undefined && responseCode >= 500) return new ChannelSendError('gone', responseCode, message, { cause: error });
  return new ChannelSendError('transient', responseCode, message, { cause: error });
}
