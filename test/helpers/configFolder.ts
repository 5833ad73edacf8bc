import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A valid config.json for the cloudtrails module, as Hammer's sample writes it. */
export function sampleConfigJson(): Record<string, unknown> {
  return {
    jira: { enabled: false, server: 'https://issues.example.com', issue_type: 'Task', text_field_character_limit: 32767 },
    slack: { enabled: false, notify_default_owner: true, channels: {}, ignore: [], default_channel: '#hammer-dev' },
    aws: {
      region: 'eu-west-1',
      role_name_identification: 'hammer-cloudsec-crossact-id',
      accounts: { '123456789012': 'master', '210987654321': 'slave1', '654321210987': 'slave2' },
    },
    api: { 'ddb.table_name': 'hammer-api-requests' },
    credentials: { 'ddb.table_name': 'hammer-credentials' },
    whitelisting_procedure_url: '',
    cloudtrails: { enabled: true, 'ddb.table_name': 'hammer-cloudtrails', topic_name: 'hammer-describe-cloudtrails-lambda', reporting: false },
  };
}

/** A temporary config folder holding the given files (objects are written as JSON, strings as they are). */
export function writeConfigFolder(files: Record<string, unknown>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hammer-config-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
