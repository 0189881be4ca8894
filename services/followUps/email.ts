/** The e-mail route: a small port and its SMTP implementation (nodemailer over SMTP_URL). */
import nodemailer, { type Transporter } from 'nodemailer';
import { ChannelSendError } from '../conversations';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Becomes the Message-ID: a resend of the same follow-up is the same e-mail to servers and mail clients. */
  idempotencyKey: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId: string }>;
  close?(): void;
}

export interface SmtpOptions {
  url: string;
  from: string;
  timeoutMs: number;
}

export class SmtpEmailSender implements EmailSender {
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(private readonly options: SmtpOptions) {
    this.transport = nodemailer.createTransport({
      url: options.url,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    this.domain = /@([^>\s]+)/.exec(options.from)?.[1] ?? 'localhost';
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    const messageId = `<${message.idempotencyKey.replace(/[^A-Za-z0-9.:-]/g, '-')}@${this.domain}>`;
    try {
      await this.transport.sendMail({ from: this.options.from, to: message.to, subject: message.subject, text: message.text, messageId });
      return { messageId };
    } catch (error) {
      throw toEmailError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** 5xx replies are permanent (unknown mailbox, refused); 4xx and connection failures are worth a retry. */
export function toEmailError(error: unknown): ChannelSendError {
  const responseCode = (error as { responseCode?: number }).responseCode;
  const message = `e-mail not accepted: ${(error as { code?: string }).code ?? responseCode ?? 'error'}`;
  if (responseCode !== undefined && responseCode >= 500) return new ChannelSendError('gone', responseCode, message, { cause: error });
  return new ChannelSendError('transient', responseCode, message, { cause: error });
}
