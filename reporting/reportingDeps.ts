/**
 * The production dependencies of a reporting run, shared by the Lambda
 * handler and the command: the issues table and the credentials table through
 * one DynamoDB document client, JIRA through reporting/jira, Slack through
 * its Web API.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HammerConfig } from '../config/hammerConfig.ts';
import { systemClock, type Clock } from '../library/runtime/clock.ts';
import { IssueStore } from '../library/issues/issueStore.ts';
import type { Log } from '../library/runtime/logger.ts';
import { runtimeRegion } from '../library/runtime/lambdaRuntime.ts';
import { productionCheckedAccounts } from '../library/scan/checkedAccounts.ts';
import { credentialsTableReader } from './credentialsTable.ts';
import { jiraTrackerFactory } from './jiraTrackerFactory.ts';
import type { ReportingDeps } from './reportingRun.ts';
import type { FindingsExport } from './securityhub/findingsExport.ts';
import type { ProductionSecurityHubInput } from './securityhub/securityHubProduction.ts';
import { lazySlackNotifier } from './slack/lazySlackNotifier.ts';
import type { Sleep } from './slack/slackWebApi.ts';

export interface ProductionReportingInput {
  config: HammerConfig;
  doc: DynamoDBDocumentClient;
  log: Log;
  clock?: Clock;
  /** How JIRA and Slack wait before a retry (Retry-After); default a real timer. */
  sleep?: Sleep;
  /** The region the AWS clients use (the organisation's accounts, with aws.organization); default aws.region. */
  region?: string;
}

export function productionReportingDeps(input: ProductionReportingInput): ReportingDeps {
  const { config, doc, log, sleep } = input;
  const clock = input.clock ?? systemClock;
  const store = new IssueStore(doc, config.cloudtrails.ddbTableName, clock, log);
  return {
    config,
    log,
    store,
    readCredentials: credentialsTableReader(doc, config.credentialsTableName),
    createTracker: jiraTrackerFactory(sleep === undefined ? undefined : { sleep }),
    createNotifier: ({ slack, token, log: notifierLog }) => lazySlackNotifier({ apiUrl: slack.apiUrl, token, ...(sleep === undefined ? {} : { sleep }) }, notifierLog),
    ...(config.aws.organization === undefined ? {} : { checkedAccounts: productionCheckedAccounts(config, input.region ?? config.aws.region, log) }),
    ...(config.cloudtrails.securityhub ? { exportFindings: lazySecurityHubExport({ config, store, log, clock, region: runtimeRegion(config.aws.region) }) } : {}),
  };
}

/**
 * The Security Hub export, its module (and the Security Hub and STS
 * clients) loaded on the first run that needs it and kept for the process.
 * A build whose config has cloudtrails.securityhub off holds a stub there
 * instead (build.mjs), so only deployments that use the export carry the client.
 */
function lazySecurityHubExport(input: ProductionSecurityHubInput): FindingsExport {
  let loaded: Promise<FindingsExport> | undefined;
  return async (accounts, options) => {
    loaded ??= import('./securityhub/securityHubProduction.ts').then((module) => module.productionSecurityHubExport(input));
    return (await loaded)(accounts, options);
  };
}
