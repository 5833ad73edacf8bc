// The keys of reporting at scale: cloudtrails.reporting_concurrency,
// jira.project_concurrency, slack.digest_threshold.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../../../config/configError.ts';
import { loadConfig } from '../../../config/loadConfig.ts';
import { sampleConfigJson, writeConfigFolder } from '../../helpers/configFolder.ts';

const test = suite('reportingScaleConfig');

function load(sections: { cloudtrails?: Record<string, unknown>; jira?: Record<string, unknown>; slack?: Record<string, unknown> }) {
  const json = sampleConfigJson();
  for (const [section, extra] of Object.entries(sections)) json[section] = { ...(json[section] as object), ...extra };
  const folder = writeConfigFolder({ 'config.json': json });
  try {
    return loadConfig(folder.dir);
  } finally {
    folder.remove();
  }
}

test('without the keys: 8 issues at once, 4 per JIRA project, no digest', () => {
  const config = load({});
  assert.equal([config.cloudtrails.reportingConcurrency, config.jira.projectConcurrency, config.slack.digestThreshold], [8, 4, undefined]);
});

test('reads the keys as set; a digest threshold of 0 is off', () => {
  const config = load({ cloudtrails: { reporting_concurrency: 1 }, jira: { project_concurrency: 2 }, slack: { digest_threshold: 200 } });
  assert.equal([config.cloudtrails.reportingConcurrency, config.jira.projectConcurrency, config.slack.digestThreshold], [1, 2, 200]);
  assert.is(load({ slack: { digest_threshold: 0 } }).slack.digestThreshold, undefined);
});

test('a value that is not a whole number in range names config.json and the key', () => {
  const cases: Array<[Parameters<typeof load>[0], string]> = [
    [{ cloudtrails: { reporting_concurrency: 0 } }, 'cloudtrails.reporting_concurrency'],
    [{ cloudtrails: { reporting_concurrency: 2.5 } }, 'cloudtrails.reporting_concurrency'],
    [{ jira: { project_concurrency: '4' } }, 'jira.project_concurrency'],
    [{ slack: { digest_threshold: -1 } }, 'slack.digest_threshold'],
  ];
  for (const [sections, key] of cases) {
    try {
      load(sections);
      assert.unreachable(`${key} accepted`);
    } catch (err: unknown) {
      assert.instance(err, ConfigError);
      assert.match(String((err as Error).message), 'config.json');
      assert.match(String((err as Error).message), key);
    }
  }
});

test.run();
