/**
 * The production Notifier, loaded when it first sends: the Slack client
 * (slackNotifier.ts, with axios and its redirect and proxy packages) is about
 * 100 KB of the reporting, remediation and real-time bundles and some 8 ms of
 * their cold starts (issue 12), while many invocations send nothing (Slack
 * off, no token, nothing new, remediation off). The notifier is made once, on
 * the first `notifyOwners`, from the options given here, exactly as
 * `SlackNotifier.create` would have made it up front; in the bundles the
 * dynamic import keeps that code unevaluated until then.
 */
import type { Log, LogFields } from '../../library/runtime/logger.ts';
import type { Notifier, SlackNotifierOptions } from './slackNotifier.ts';

export function lazySlackNotifier(options: SlackNotifierOptions, log: Log): Notifier {
  let notifier: Promise<Notifier> | undefined;
  return {
    async notifyOwners(owners: readonly string[], text: string, fields?: LogFields): Promise<number> {
      notifier ??= import('./slackNotifier.ts').then(({ SlackNotifier }) => SlackNotifier.create(options, log));
      return (await notifier).notifyOwners(owners, text, fields);
    },
  };
}
