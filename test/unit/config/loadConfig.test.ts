import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../../../config/configError.ts';
import { loadConfig } from '../../../config/loadConfig.ts';
import { sampleConfigJson, writeConfigFolder } from '../../helpers/configFolder.ts';

const test = suite('loadConfig');

function load(files: Record<string, unknown>) {
  const folder = writeConfigFolder(files);
  try {
    return loadConfig(folder.dir);
  } finally {
    folder.remove();
  }
}

function loadError(files: Record<string, unknown>): ConfigError {
  try {
    load(files);
  } catch (err: unknown) {
    assert.instance(err, ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function withCloudtrails(extra: Record<string, unknown>): Record<string, unknown> {
  const config = sampleConfigJson();
  config.cloudtrails = { ...(config.cloudtrails as object), ...extra };
  return config;
}

test('reads Hammer defaults when optional keys are missing', () => {
  const config = load({ 'config.json': { aws: { region: 'eu-west-1', accounts: { '210987654321': 'slave1' } }, cloudtrails: { 'ddb.table_name': 'hammer-cloudtrails' } } });
  assert.is(config.cloudtrails.enabled, true);
  assert.is(config.cloudtrails.reporting, false);
  assert.is(config.cloudtrails.topicName, 'hammer-describe-cloudtrails-lambda');
  assert.equal(config.cloudtrails.labels, ['cloudtrail-issue']);
  assert.equal(config.cloudtrails.issueEndpoints, ['s3', 'cloudwatch']);
  assert.is(config.cloudtrails.requireReadManagementEvents, false);
  assert.is(config.aws.roleNameIdentification, 'hammer-cloudsec-crossact-id');
  assert.is(config.aws.regions, undefined);
  assert.is(config.credentialsTableName, 'hammer-credentials');
  assert.is(config.apiTableName, 'hammer-api-requests');
  assert.is(config.jira.enabled, false);
  assert.is(config.slack.enabled, false);
  assert.is(config.slack.notifyDefaultOwner, true);
  assert.is(config.slack.apiUrl, 'https://slack.com/api');
  assert.is(config.reportingCron, '55 * * * *');
  assert.is(config.whitelist.has('210987654321', 'eu-west-1'), false);
  assert.equal(config.ticketOwners.slackOwners({ accountId: '210987654321' }), []);
});

for (const [value, expected] of [[true, true], [false, false], ['true', true], ['false', false], ['TRUE', true], ['False', false]] as const) {
  test(`reads cloudtrails.enabled ${JSON.stringify(value)} as ${expected}`, () => {
    assert.is(load({ 'config.json': withCloudtrails({ enabled: value }) }).cloudtrails.enabled, expected);
  });
}

test('rejects "enabled": "maybe" naming the file, the path and the value', () => {
  const err = loadError({ 'config.json': withCloudtrails({ enabled: 'maybe' }) });
  assert.is(err.file, 'config.json');
  assert.is(err.jsonPath, 'cloudtrails.enabled');
  assert.match(err.message, 'config.json: cloudtrails.enabled: expected a boolean or the string "true" or "false", found the string "maybe"');
});

test('rejects invalid JSON naming the file', () => {
  const err = loadError({ 'config.json': '{"aws": {"region": "eu-west-1",}, }' });
  assert.is(err.file, 'config.json');
  assert.match(err.message, /^config\.json: \(root\): expected valid JSON, found invalid JSON/);
});

test('rejects a config.json without aws.accounts', () => {
  const config = sampleConfigJson();
  delete (config.aws as Record<string, unknown>).accounts;
  const err = loadError({ 'config.json': config });
  assert.is(err.jsonPath, 'aws.accounts');
  assert.match(err.message, 'config.json: aws.accounts: expected an object, found nothing (the key is missing)');
});

test('rejects a wrong type naming the dotted key', () => {
  const err = loadError({ 'config.json': withCloudtrails({ 'ddb.table_name': 42 }) });
  assert.is(err.jsonPath, 'cloudtrails["ddb.table_name"]');
  assert.match(err.message, 'expected a non-empty string, found the number 42');
});

test('rejects an account id that is not 12 digits', () => {
  const config = sampleConfigJson();
  (config.aws as Record<string, unknown>).accounts = { '1234': 'short' };
  assert.is(loadError({ 'config.json': config }).jsonPath, 'aws.accounts["1234"]');
});

test('rejects aws.regions that is not a list of strings', () => {
  const config = sampleConfigJson();
  (config.aws as Record<string, unknown>).regions = ['eu-west-1', 7];
  assert.is(loadError({ 'config.json': config }).jsonPath, 'aws.regions[1]');
});

test('rejects a missing config folder naming it', () => {
  try {
    loadConfig('/nonexistent/hammer-config');
    assert.unreachable('should throw');
  } catch (err: unknown) {
    assert.instance(err, ConfigError);
    assert.match((err as Error).message, '/nonexistent/hammer-config');
  }
});

test('rejects a missing config.json naming the file', () => {
  const err = loadError({ 'whitelist.json': {} });
  assert.is(err.file, 'config.json');
  assert.match(err.message, 'no file at');
});

test('uses aws.regions without duplicates', () => {
  const config = sampleConfigJson();
  (config.aws as Record<string, unknown>).regions = ['eu-west-1', 'us-east-1', 'eu-west-1'];
  assert.equal(load({ 'config.json': config }).aws.regions, ['eu-west-1', 'us-east-1']);
});

test('checks every account of aws.accounts when cloudtrails.accounts is absent or empty', () => {
  const all = { '123456789012': 'master', '210987654321': 'slave1', '654321210987': 'slave2' };
  assert.equal(load({ 'config.json': sampleConfigJson() }).cloudtrails.accounts, all);
  assert.equal(load({ 'config.json': withCloudtrails({ accounts: [] }) }).cloudtrails.accounts, all);
});

test('checks only cloudtrails.accounts, naming unknown ones ""', () => {
  const config = load({ 'config.json': withCloudtrails({ accounts: ['210987654321', '999999999999'] }) });
  assert.equal(config.cloudtrails.accounts, { '210987654321': 'slave1', '999999999999': '' });
});

test('skips cloudtrails.ignore_accounts', () => {
  const config = load({ 'config.json': withCloudtrails({ ignore_accounts: ['123456789012'] }) });
  assert.equal(Object.keys(config.cloudtrails.accounts), ['210987654321', '654321210987']);
});

test('keeps unknown keys and ignores them', () => {
  const config = sampleConfigJson();
  config.s3_bucket_acl = { enabled: 'whatever', 'ddb.table_name': 1 };
  (config.cloudtrails as Record<string, unknown>).future_option = { nested: true };
  const loaded = load({ 'config.json': config });
  assert.equal(loaded.raw.s3_bucket_acl, { enabled: 'whatever', 'ddb.table_name': 1 });
});

test('rejects an unknown issue endpoint', () => {
  assert.is(loadError({ 'config.json': withCloudtrails({ issue_endpoints: ['s3', 'ftp'] }) }).jsonPath, 'cloudtrails.issue_endpoints[1]');
});

for (const [value, expected] of [[true, true], ['true', true], ['False', false], [null, false]] as const) {
  test(`reads cloudtrails.require_read_management_events ${JSON.stringify(value)} as ${expected}`, () => {
    assert.is(load({ 'config.json': withCloudtrails({ require_read_management_events: value }) }).cloudtrails.requireReadManagementEvents, expected);
  });
}

test('rejects a require_read_management_events that is neither a boolean nor "true"/"false"', () => {
  const err = loadError({ 'config.json': withCloudtrails({ require_read_management_events: 'yes' }) });
  assert.is(err.jsonPath, 'cloudtrails.require_read_management_events');
  assert.match(err.message, 'expected a boolean or the string "true" or "false", found the string "yes"');
});

test('leaves the Security Hub export off, with no region, when cloudtrails.securityhub is absent', () => {
  const cloudtrails = load({ 'config.json': sampleConfigJson() }).cloudtrails;
  assert.is(cloudtrails.securityhub, false);
  assert.is(cloudtrails.securityhubRegion, undefined);
});

for (const [value, expected] of [[true, true], ['TRUE', true], ['false', false], [false, false]] as const) {
  test(`reads cloudtrails.securityhub ${JSON.stringify(value)} as ${expected}`, () => {
    assert.is(load({ 'config.json': withCloudtrails({ securityhub: value }) }).cloudtrails.securityhub, expected);
  });
}

test('rejects a cloudtrails.securityhub that is neither a boolean nor "true"/"false"', () => {
  const err = loadError({ 'config.json': withCloudtrails({ securityhub: 1 }) });
  assert.is(err.jsonPath, 'cloudtrails.securityhub');
});

test('reads cloudtrails.securityhub_region, and an empty one as none', () => {
  assert.is(load({ 'config.json': withCloudtrails({ securityhub: true, securityhub_region: 'us-gov-west-1' }) }).cloudtrails.securityhubRegion, 'us-gov-west-1');
  assert.is(load({ 'config.json': withCloudtrails({ securityhub: true, securityhub_region: '' }) }).cloudtrails.securityhubRegion, undefined);
});

test('rejects a cloudtrails.securityhub_region that is not a region name', () => {
  const err = loadError({ 'config.json': withCloudtrails({ securityhub: true, securityhub_region: 'Ireland' }) });
  assert.is(err.jsonPath, 'cloudtrails.securityhub_region');
  assert.match(err.message, 'an AWS region name');
});

test('rejects a stale_delivery_hours of zero', () => {
  assert.is(loadError({ 'config.json': withCloudtrails({ stale_delivery_hours: 0 }) }).jsonPath, 'cloudtrails.stale_delivery_hours');
});

test('rejects an invalid Slack channel pattern', () => {
  const config = sampleConfigJson();
  (config.slack as Record<string, unknown>).channels = { '#alerts': ['ERROR|(unclosed'] };
  assert.is(loadError({ 'config.json': config }).jsonPath, 'slack.channels["#alerts"][0]');
});

test('requires jira.server when JIRA is enabled', () => {
  const config = sampleConfigJson();
  config.jira = { enabled: true };
  assert.is(loadError({ 'config.json': config }).jsonPath, 'jira.server');
});

test('files tickets with priority Major unless jira.priority names another', () => {
  assert.is(load({ 'config.json': sampleConfigJson() }).jira.priority, 'Major');
  const cloud = sampleConfigJson();
  cloud.jira = { ...(cloud.jira as object), priority: 'High' };
  assert.is(load({ 'config.json': cloud }).jira.priority, 'High');
  const empty = sampleConfigJson();
  empty.jira = { ...(empty.jira as object), priority: '' };
  assert.is(load({ 'config.json': empty }).jira.priority, 'Major');
});

test('rejects a jira.priority that is not a string', () => {
  const config = sampleConfigJson();
  config.jira = { ...(config.jira as object), priority: 3 };
  const err = loadError({ 'config.json': config });
  assert.is(err.jsonPath, 'jira.priority');
  assert.match(err.message, 'config.json: jira.priority: expected a string');
});

test('reads the whitelist of this module, skipping __comment__ keys', () => {
  const config = load({
    'config.json': sampleConfigJson(),
    'whitelist.json': {
      __comment__: 'top comment',
      cloudtrails: { __comment__: 'Detects issues with CloudTrail eu-west-1', '123456789012': ['eu-west-1', 'us-east-2'] },
      s3_bucket_acl: { '123456789012': ['bucket'] },
    },
  });
  assert.is(config.whitelist.has('123456789012', 'eu-west-1'), true);
  assert.is(config.whitelist.has('123456789012', 'us-east-1'), false);
  assert.is(config.whitelist.has('__comment__', 'eu-west-1'), false);
  assert.equal(config.whitelist.entries(), [['123456789012', ['eu-west-1', 'us-east-2']]]);
});

test('reads the temporary whitelist when present', () => {
  const config = load({ 'config.json': sampleConfigJson(), 'temp_whitelist_issues.json': { cloudtrails: { '210987654321': ['us-west-2'] } } });
  assert.is(config.tempWhitelist.has('210987654321', 'us-west-2'), true);
  assert.is(config.whitelist.has('210987654321', 'us-west-2'), false);
});

test('rejects a whitelist entry that is not a list of regions', () => {
  const err = loadError({ 'config.json': sampleConfigJson(), 'whitelist.json': { cloudtrails: { '123456789012': 5 } } });
  assert.is(err.file, 'whitelist.json');
  assert.is(err.jsonPath, 'cloudtrails["123456789012"]');
});

const owners = {
  bu: { media: { jira_owner: 'bu-owner', product: { news: { jira_owner: 'product-owner', jira_project: '' } } } },
  account: {
    '210987654321': { jira_project: 'SLAVE', jira_owner: '', jira_parent_ticket: '', slack_owner: '#slave-channel' },
    '654321210987': { slack_owner: ['carol', '#devops-channel'] },
  },
  jira_project: 'AWSSEC',
  jira_owner: 'Support-General',
  jira_parent_ticket: 'AWSSEC-1234',
  slack_owner: ['#devops-channel', 'bob'],
};

test('looks ticket properties up by bu/product, bu, account, then top level', () => {
  const { ticketOwners } = load({ 'config.json': sampleConfigJson(), 'ticket_owners.json': owners });
  assert.is(ticketOwners.jiraOwner({ bu: 'media', product: 'news', accountId: '210987654321' }), 'product-owner');
  assert.is(ticketOwners.jiraOwner({ bu: 'media', accountId: '210987654321' }), 'bu-owner');
  assert.is(ticketOwners.jiraProject({ bu: 'media', product: 'news', accountId: '210987654321' }), 'SLAVE');
  assert.is(ticketOwners.jiraProject({ accountId: '654321210987' }), 'AWSSEC');
});

test('treats an empty string as not set and falls through', () => {
  const { ticketOwners } = load({ 'config.json': sampleConfigJson(), 'ticket_owners.json': owners });
  assert.is(ticketOwners.jiraOwner({ accountId: '210987654321' }), 'Support-General');
  assert.is(ticketOwners.jiraParentTicket({ accountId: '210987654321' }), 'AWSSEC-1234');
});

test('reads slack owners as a string or a list', () => {
  const { ticketOwners } = load({ 'config.json': sampleConfigJson(), 'ticket_owners.json': owners });
  assert.equal(ticketOwners.slackOwners({ accountId: '210987654321' }), ['#slave-channel']);
  assert.equal(ticketOwners.slackOwners({ accountId: '654321210987' }), ['carol', '#devops-channel']);
  assert.equal(ticketOwners.slackOwners({ accountId: '123456789012' }), ['#devops-channel', 'bob']);
});

test('sends Slack reports to default and account owners without duplicates', () => {
  const { ticketOwners } = load({ 'config.json': sampleConfigJson(), 'ticket_owners.json': owners });
  assert.equal(ticketOwners.slackRecipients({ accountId: '654321210987' }, true), ['#devops-channel', 'bob', 'carol']);
  assert.equal(ticketOwners.slackRecipients({ accountId: '654321210987' }, false), ['carol', '#devops-channel']);
  assert.equal(ticketOwners.slackRecipients({ accountId: '123456789012' }, true), ['#devops-channel', 'bob']);
});

test('rejects a slack_owner that is neither a string nor a list', () => {
  const err = loadError({ 'config.json': sampleConfigJson(), 'ticket_owners.json': { account: { '210987654321': { slack_owner: 3 } } } });
  assert.is(err.file, 'ticket_owners.json');
  assert.is(err.jsonPath, 'account["210987654321"].slack_owner');
});

test('reads the sample environment config', () => {
  const config = loadConfig('deployment/terraform/accounts/sample/config');
  assert.is(config.cloudtrails.ddbTableName, 'hammer-cloudtrails');
  assert.is(config.cloudtrails.reporting, false);
  assert.is(Object.keys(config.aws.accounts).length, 3);
  assert.is(config.whitelist.has('123456789012', 'eu-west-1'), true);
  assert.is(config.ticketOwners.jiraOwner({ accountId: '123456789012' }), 'Support-Cloud');
});

test.run();
