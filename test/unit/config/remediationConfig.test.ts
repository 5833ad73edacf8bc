import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../../../config/configError.ts';
import { loadConfig } from '../../../config/loadConfig.ts';
import { sampleConfigJson, writeConfigFolder } from '../../helpers/configFolder.ts';

const test = suite('remediation config keys');

/** config.json's sections, to change in place. */
interface Sections {
  aws: Record<string, unknown>;
  cloudtrails: Record<string, unknown>;
  root: Record<string, unknown>;
}

function load(change: (c: Sections) => void) {
  const config = sampleConfigJson();
  change({ aws: config.aws as Record<string, unknown>, cloudtrails: config.cloudtrails as Record<string, unknown>, root: config });
  const folder = writeConfigFolder({ 'config.json': config });
  try {
    return loadConfig(folder.dir);
  } finally {
    folder.remove();
  }
}

function loadError(change: (c: Sections) => void): ConfigError {
  try {
    load(change);
  } catch (err: unknown) {
    assert.instance(err, ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

test('with no remediation key set, remediation is off, for no account, after Hammer\'s 365 days, through Hammer\'s reporting role', () => {
  const config = load(() => undefined);
  assert.is(config.cloudtrails.remediation, false);
  assert.equal(config.cloudtrails.remediationAccounts, {});
  assert.is(config.cloudtrails.remediationRetentionPeriod, 365);
  assert.is(config.aws.roleNameReporting, 'hammer-cloudsec-crossact-ec2');
  assert.is(config.remediationCron, '45 10 * * *');
});

test('reads the keys as Hammer\'s sample config writes them, names from aws.accounts, ignore_accounts left out', () => {
  const config = load((c) => {
    c.aws.role_name_reporting = 'hammer-cloudsec-crossact-ec2-custom';
    c.root.cronjobs = { reporting: '55 * * * *', remediation: '45 10 * * 1' };
    c.cloudtrails.remediation = 'TRUE';
    c.cloudtrails.remediation_accounts = ['210987654321', '654321210987', '999999999999'];
    c.cloudtrails.ignore_accounts = ['654321210987'];
    c.cloudtrails.remediation_retention_period = 21;
  });
  assert.is(config.cloudtrails.remediation, true);
  assert.equal(config.cloudtrails.remediationAccounts, { '210987654321': 'slave1', '999999999999': '' });
  assert.is(config.cloudtrails.remediationRetentionPeriod, 21);
  assert.is(config.aws.roleNameReporting, 'hammer-cloudsec-crossact-ec2-custom');
  assert.is(config.remediationCron, '45 10 * * 1');
});

test('an empty remediation_accounts list means no account (not all of them, as Hammer\'s other modules read it)', () => {
  assert.equal(load((c) => { c.cloudtrails.remediation_accounts = []; }).cloudtrails.remediationAccounts, {});
});

test('a retention period of 0 remediates as soon as the issue is reported', () => {
  assert.is(load((c) => { c.cloudtrails.remediation_retention_period = 0; }).cloudtrails.remediationRetentionPeriod, 0);
});

test('rejects remediation "maybe", a negative or fractional retention period and a malformed account id, naming the key', () => {
  assert.match(loadError((c) => { c.cloudtrails.remediation = 'maybe'; }).message, 'config.json: cloudtrails.remediation: expected a boolean or the string "true" or "false", found the string "maybe"');
  assert.is(loadError((c) => { c.cloudtrails.remediation_retention_period = -1; }).jsonPath, 'cloudtrails.remediation_retention_period');
  assert.match(loadError((c) => { c.cloudtrails.remediation_retention_period = 1.5; }).message, 'a whole number of days >= 0');
  assert.match(loadError((c) => { c.cloudtrails.remediation_retention_period = '30'; }).message, 'cloudtrails.remediation_retention_period: expected a number >= 0, found the string "30"');
  const badAccount = loadError((c) => { c.cloudtrails.remediation_accounts = ['210987654321', '2109876543']; });
  assert.is(badAccount.jsonPath, 'cloudtrails.remediation_accounts[1]');
  assert.match(badAccount.message, 'a 12-digit AWS account id');
  assert.is(loadError((c) => { c.cloudtrails.remediation_accounts = '210987654321'; }).jsonPath, 'cloudtrails.remediation_accounts');
});

test.run();
