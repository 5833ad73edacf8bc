/**
 * The identification Lambda's dependencies for tests: the real domain code,
 * DynamoDB through dynalite, AWS through FakeAws (aws-sdk-client-mock), a
 * recording log, and virtual time (no real waits).
 */
import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { loadConfig } from '../../config/loadConfig.ts';
import type { DescribeHandlerDeps } from '../../lambdas/cloudtrails-issues-identification/describe_cloudtrails.ts';
import { AccountCredentials } from '../../library/aws/accountCredentials.ts';
import { ApiRequestProgress } from '../../library/scan/apiRequestProgress.ts';
import { CallPacer } from '../../library/aws/callPacer.ts';
import { cachedCloudTrailClients } from '../../library/aws/cloudTrailClients.ts';
import { IssueStore } from '../../library/issues/issueStore.ts';
import { ScanMessagePublisher } from '../../library/scan/scanMessagePublisher.ts';
import { CLOUDTRAIL_RETRY_POLICY } from '../../library/aws/transientRetry.ts';
import { sampleConfigJson, writeConfigFolder } from './configFolder.ts';
import { TEST_CREDENTIALS } from '../fakes/dynalite.ts';
import { fakeAccessKeyId } from '../fakes/fakeAws.ts';
import { RecordingLog } from './recordingLog.ts';
import { VirtualTime } from './virtualTime.ts';

/** The account the Lambda runs in (the sample config's master). */
export const OWN_ACCOUNT = '123456789012';

/** Loads a config folder made of the sample config.json changed by `change`, and the given whitelists. */
export function testConfig(options: { change?: (config: Record<string, unknown>) => void; whitelist?: unknown; tempWhitelist?: unknown } = {}): HammerConfig {
  const configJson = sampleConfigJson();
  options.change?.(configJson);
  const files: Record<string, unknown> = { 'config.json': configJson };
  if (options.whitelist !== undefined) files['whitelist.json'] = options.whitelist;
  if (options.tempWhitelist !== undefined) files['temp_whitelist_issues.json'] = options.tempWhitelist;
  const folder = writeConfigFolder(files);
  try {
    return loadConfig(folder.dir);
  } finally {
    folder.remove();
  }
}

export interface IdentificationRig {
  deps: DescribeHandlerDeps;
  log: RecordingLog;
  time: VirtualTime;
}

export function identificationRig(options: { doc: DynamoDBDocumentClient; config: HammerConfig; time?: VirtualTime; regionConcurrency?: number; reserveMs?: number }): IdentificationRig {
  const log = new RecordingLog();
  const time = options.time ?? new VirtualTime();
  const { config, doc } = options;
  const sns = (region: string): SNSClient => new SNSClient({ region, credentials: TEST_CREDENTIALS });
  const deps: DescribeHandlerDeps = {
    config,
    region: 'eu-west-1',
    log,
    clock: time.date,
    store: new IssueStore(doc, config.cloudtrails.ddbTableName, time.date, log),
    progress: new ApiRequestProgress(doc, config.apiTableName, time.date, log),
    credentials: new AccountCredentials(new STSClient({ region: 'eu-west-1', credentials: TEST_CREDENTIALS }), time.date, { roleName: config.aws.roleNameIdentification }),
    cloudTrailClient: cachedCloudTrailClients({ ownCredentials: { accessKeyId: fakeAccessKeyId(OWN_ACCOUNT), secretAccessKey: 'own-secret' } }),
    publisher: new ScanMessagePublisher(sns, { log, sleep: time.sleep }),
    pacer: new CallPacer(10, async () => undefined),
    retryPolicy: CLOUDTRAIL_RETRY_POLICY,
    sleep: time.sleep,
    random: () => 0.5,
    regionConcurrency: options.regionConcurrency ?? 4,
    reserveMs: options.reserveMs ?? 60_000,
  };
  return { deps, log, time };
}

/** Every item of a table, as stored (no normalisation), sorted by key. */
export async function tableItems(doc: DynamoDBDocumentClient, tableName: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items.sort((a, b) => `${String(a.account_id)}/${String(a.issue_id)}`.localeCompare(`${String(b.account_id)}/${String(b.issue_id)}`));
}

/** Deletes every item of an issues table. */
export async function clearIssues(doc: DynamoDBDocumentClient, tableName: string): Promise<void> {
  for (const item of await tableItems(doc, tableName)) {
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { account_id: item.account_id, issue_id: item.issue_id } }));
  }
}
