/**
 * The real-time path's alert for a trail stopped or deleted, sent through
 * reporting's Slack client to the account's Slack owners (ticket_owners.json:
 * the top-level owners when slack.notify_default_owner, plus the account's),
 * as reporting's messages are. The bot token is read from the credentials
 * table when the first alert of an invocation needs it.
 */
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { awsErrorFields } from '../../library/aws/awsErrors.ts';
import type { CloudTrailApiCall } from '../../library/realtime/cloudTrailApiEvent.ts';
import { loggingAlertText, type LoggingAlerts } from '../../library/realtime/loggingAlert.ts';
import type { Log } from '../../library/runtime/logger.ts';
import type { CredentialsReader } from '../credentialsTable.ts';
import type { Notifier } from './slackNotifier.ts';

export interface SlackLoggingAlertsDeps {
  config: Pick<HammerConfig, 'slack' | 'ticketOwners' | 'credentialsTableName'>;
  readCredentials: CredentialsReader;
  createNotifier: (token: string) => Notifier;
  log: Log;
}

export class SlackLoggingAlerts implements LoggingAlerts {
  private notifier: Promise<Notifier | undefined> | undefined;

  constructor(private readonly deps: SlackLoggingAlertsDeps) {}

  async alert(call: CloudTrailApiCall, accountName: string): Promise<void> {
    const { config, log } = this.deps;
    const fields = { account_id: call.accountId, region: call.region, event_name: call.eventName, operation: 'chat.postMessage' };
    const owners = config.ticketOwners.slackRecipients({ accountId: call.accountId }, config.slack.notifyDefaultOwner);
    if (owners.length === 0) {
      log.warn('no Slack owners for the account (ticket_owners.json slack_owner); the alert is not sent', fields);
      return;
    }
    const notifier = await this.openNotifier();
    if (notifier === undefined) return;
    const delivered = await notifier.notifyOwners(owners, loggingAlertText(call, accountName), fields);
    log.info('sent the Slack alert', { ...fields, recipients: owners.length, delivered });
  }

  private openNotifier(): Promise<Notifier | undefined> {
    this.notifier ??= (async () => {
      const { config, log } = this.deps;
      try {
        const token = (await this.deps.readCredentials('slack'))?.api_token;
        if (typeof token === 'string' && token !== '') return this.deps.createNotifier(token);
        log.warn(`no Slack token in table ${config.credentialsTableName} (item service = "slack", credentials.api_token); alerts are not sent`, { operation: 'GetItem', error_code: 'CredentialsMissing' });
      } catch (err: unknown) {
        log.error('cannot read the Slack credentials; alerts are not sent', { ...awsErrorFields('GetItem', err), table: config.credentialsTableName });
      }
      return undefined;
    })();
    return this.notifier;
  }
}
