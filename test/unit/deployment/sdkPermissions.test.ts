/**
 * deployment/terraform/sdkPermissions.mjs: the AWS permissions a handler's
 * code needs, from the commands its reachable code creates. The Terraform
 * checks compare them with the role policies of the offline plan; these tests
 * pin the derivation on small fixture sources.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveSdkPermissions, iamActionOf, SdkPermissionError } from '../../../deployment/terraform/sdkPermissions.mjs';

const test = suite('sdkPermissions');
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'sdkPermissions');
const TABLES = { 'store.ts': 'things' };

function derive(entries: Record<string, string>) {
  return deriveSdkPermissions({ root: fixtures, folders: ['.'], entries, tableOfModule: TABLES });
}

test('counts only the methods a handler reaches, not every method of a class its bundle holds', () => {
  const permissions = derive({ reader: 'reader_handler.ts', lister: 'lister_handler.ts' });

  assert.equal(permissions.reader?.permissions, ['dynamodb:GetItem table/things', 'sns:Publish']);
  assert.equal(permissions.lister?.permissions, ['dynamodb:Query table/things', 'sts:AssumeRole']);
});

test('a method called through an interface counts the implementing class method, PublishBatch as sns:Publish', () => {
  const calls = derive({ reader: 'reader_handler.ts' }).reader?.calls ?? [];

  assert.ok(calls.some((call) => call.permission === 'sns:Publish' && call.command === '@aws-sdk/client-sns PublishBatchCommand' && call.module === 'publisher.ts'));
});

test('a method reached through a standard-library type such as Pick<> is counted', () => {
  assert.equal(derive({ picked: 'picked_handler.ts' }).picked?.permissions, ['dynamodb:Query table/things']);
});

test('a DynamoDB command in a module with no table named is an error naming the file and line', () => {
  try {
    derive({ unmapped: 'unmapped_handler.ts' });
    assert.unreachable('an unmapped DynamoDB command must be refused');
  } catch (err: unknown) {
    assert.instance(err, SdkPermissionError);
    assert.match((err as Error).message, 'unmapped_handler.ts:6: PutCommand sends a DynamoDB request');
  }
});

test('an aggregated client, whose calls cannot be seen as commands, is refused', () => {
  assert.throws(() => derive({ aggregated: 'aggregated_handler.ts' }), (err: Error) => err instanceof SdkPermissionError && err.message.includes('@aws-sdk/client-sns SNS is used'));
});

test('maps commands to IAM actions: client commands by name, lib-dynamodb document commands to their operation', () => {
  assert.is(iamActionOf('@aws-sdk/client-cloudtrail', 'GetEventSelectorsCommand'), 'cloudtrail:GetEventSelectors');
  assert.is(iamActionOf('@aws-sdk/client-ec2', 'DescribeRegionsCommand'), 'ec2:DescribeRegions');
  assert.is(iamActionOf('@aws-sdk/lib-dynamodb', 'UpdateCommand'), 'dynamodb:UpdateItem');
  assert.throws(() => iamActionOf('@aws-sdk/lib-dynamodb', 'TransactWriteCommand'), /no IAM action known/);
});

test.run();
