/**
 * The outbound alert webhook: Slack incoming webhooks (`text` + blocks) or Teams (Workflows "post to a
 * channel when a webhook request is received", an Adaptive Card message). Timeout per call, retries with
 * backoff on timeouts/429/5xx only; the alert id travels in the payload so a receiver can drop a retry's twin.
 */
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { DomainError } from '../errors';
import type { ListeningAlert } from './alertTypes';

export type WebhookFormat = 'slack' | 'teams';

export interface AlertWebhookOptions {
  url: string;
  format: WebhookFormat;
  timeoutMs: number;
  /** Link to the console's reports page, shown in the message. */
  consoleUrl?: string;
  attempts?: number;
  initialBackoffMs?: number;
}

class WebhookCallError extends Error {
  constructor(
    readonly retriable: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebhookCallError';
  }
}

export function alertLines(alert: ListeningAlert): string[] {
  const lines = [alert.summary];
  for (const example of alert.examples) {
    const reach = example.impressions ? `${example.impressions.toLocaleString('en')} impressions` : example.followers ? `${example.followers.toLocaleString('en')} followers` : '';
    lines.push(`• ${example.authorHandle ? `@${example.authorHandle}` : example.platform}${reach ? ` (${reach})` : ''}: "${example.text}"${example.url ? ` ${example.url}` : ''}`);
  }
  return lines;
}

export function webhookPayload(alert: ListeningAlert, format: WebhookFormat, consoleUrl?: string): unknown {
  const lines = alertLines(alert);
  if (format === 'slack') {
    return {
      text: `${alert.title}\n${lines.join('\n')}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: alert.title.slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 2900) } },
        slackContext(alert, consoleUrl),
      ],
    };
  }
  return teamsCard(
    alert,
    [
      { type: 'TextBlock', text: alert.title, weight: 'Bolder', size: 'Medium', wrap: true, color: alert.severity === 'crisis' ? 'Attention' : 'Warning' },
      ...lines.map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
    ],
    consoleUrl,
  );
}

/** The short follow-up when an alert's surge is over: one line, threaded by the alert id. */
export function subsidedPayload(alert: ListeningAlert, format: WebhookFormat, consoleUrl?: string): unknown {
  const line = alert.surge?.subsidedSummary ?? `Subsided: ${alert.title}`;
  if (format === 'slack') {
    return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line.slice(0, 2900) } }, slackContext(alert, consoleUrl)] };
  }
  return teamsCard(alert, [{ type: 'TextBlock', text: line, wrap: true, color: 'Good' }]);
}

/** Slack: the alert id (a receiver drops a retry's twin by it) and the link to the console. */
function slackContext(alert: ListeningAlert, consoleUrl?: string): unknown {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `alert ${alert._id}${consoleUrl ? ` · <${consoleUrl}|open the console>` : ''}` }] };
}

/** Teams: an Adaptive Card message with `body`, the alert id under it and, with `consoleUrl`, a button to the console. */
function teamsCard(alert: ListeningAlert, body: unknown[], consoleUrl?: string): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [...body, { type: 'TextBlock', text: `alert ${alert._id}`, isSubtle: true, size: 'Small' }],
          ...(consoleUrl && { actions: [{ type: 'Action.OpenUrl', title: 'Open the console', url: consoleUrl }] }),
        },
      },
    ],
  };
}

export class AlertWebhook {
  private readonly policy;

  constructor(private readonly options: AlertWebhookOptions) {
    this.policy = retry(
      handleWhen((error) => error instanceof WebhookCallError && error.retriable),
      { maxAttempts: (options.attempts ?? 3) - 1, backoff: new ExponentialBackoff({ initialDelay: options.initialBackoffMs ?? 500, maxDelay: 10_000 }) },
    );
  }

  async send(alert: ListeningAlert): Promise<void> {
    await this.sendBody(JSON.stringify(webhookPayload(alert, this.options.format, this.options.consoleUrl)), alert._id);
  }

  /** The follow-up once the surge is over; its own id, so a receiver dropping retry twins keeps both messages. */
  async sendSubsided(alert: ListeningAlert): Promise<void> {
    await this.sendBody(JSON.stringify(subsidedPayload(alert, this.options.format, this.options.consoleUrl)), `${alert._id}:subsided`);
  }

  private async sendBody(body: string, id: string): Promise<void> {
    try {
      await this.policy.execute(() => this.post(body, id));
    } catch (cause) {
      throw new DomainError('CHANNEL_UNREACHABLE', `The alert webhook did not accept ${id}`, { cause });
    }
  }

  private async post(body: string, alertId: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-alert-id': alertId },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (cause) {
      throw new WebhookCallError(true, 'alert webhook call failed or timed out', { cause });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    throw new WebhookCallError(response.status === 429 || response.status >= 500, `alert webhook answered ${response.status}`);
  }
}
