/**
 * The production Notifier, loaded when it first sends: the Slack client
 * (slackNotifier.ts, with axios and its redirect and proxy packages) is about
 * 100 KB of the reporting, remediation and real-time bundles and some 8 ms of
 * their cold starts (issue 12), while many invocations send nothing (Slack
 * off, no token, nothing new, remediation off). The notifier is made once, on
 * the first `notifyOwners`, from the options given here, exactly as
 * `SlackNotifier.create` would have made it up front; in the bundles the
 * dynamic import keeps that code unevaluated until then.
 *
 * It keeps the Notifier's promise never to throw: should the client fail to
 * load or be made, the message is logged as not sent (error, `operation`
 * `LoadSlackClient`), 0 is returned, and the next message tries again.
 */
import type { Log, LogFields } from '../../library/runtime/logger.ts';
import type { Notifier, SlackNotifierOptions } from './slackNotifier.ts';

export function lazySlackNotifier(options: SlackNotifierOptions, log: Log, load: () => Promise<typeof import('./slackNotifier.ts')> = () => import('./slackNotifier.ts')): Notifier {
  let notifier: Promise<Notifier> | undefined;
  return {
    async notifyOwners(owners: readonly string[], text: string, fields: LogFields = {}): Promise<number> {
      notifier ??= load().then(({ SlackNotifier }) => SlackNotifier.create(options, log));
      let ready: Notifier;
      try {
        ready = await notifier;
      } catch (err: unknown) {
        notifier = undefined;
        log.error('could not load the Slack client: message not sent', {
          ...fields,
          operation: 'LoadSlackClient',
          error_code: err instanceof Error ? err.name : 'UnknownError',
          error_message: err instanceof Error ? err.message : String(err),
        });
        return 0;
      }
      return ready.notifyOwners(owners, text, fields);
    },
  };
}
