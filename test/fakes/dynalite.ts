import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

/** A DynamoDB in memory on 127.0.0.1, with SDK clients pointed at it. Stop it in `after`. */
export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  createIssuesTable(name: string): Promise<void>;
  /** Hammer's API requests table (`api["ddb.table_name"]`): hash key request_id. */
  createApiRequestsTable(name: string): Promise<void>;
  /** Hammer's credentials table (`credentials["ddb.table_name"]`): hash key service. */
  createCredentialsTable(name: string): Promise<void>;
  createTable(input: CreateTableCommandInput): Promise<void>;
  stop(): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: TEST_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const createTable = (input: CreateTableCommandInput): Promise<void> => createTableWhenActive(client, input);
  return {
    endpoint,
    client,
    doc,
    createTable,
    createIssuesTable: (name) => createTable(issuesTableInput(name)),
    createApiRequestsTable: (name) => createTable(hashKeyTableInput(name, 'request_id')),
    createCredentialsTable: (name) => createTable(hashKeyTableInput(name, 'service')),
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Hammer's issues table: hash key account_id, range key issue_id. */
export function issuesTableInput(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'account_id', AttributeType: 'S' }, { AttributeName: 'issue_id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'account_id', KeyType: 'HASH' }, { AttributeName: 'issue_id', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

/** A table with one string hash key (Hammer's credentials and API requests tables). */
export function hashKeyTableInput(name: string, key: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

/**
 * Creates a table and waits until it is ACTIVE. dynalite answers CreateTable
 * with the table CREATING and makes it ACTIVE on a timer (createTableMs), as
 * DynamoDB does; until then every item call answers
 * ResourceNotFoundException. A caller of the real service waits the same way
 * (its waiter polls DescribeTable).
 */
export async function createTableWhenActive(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  await client.send(new CreateTableCommand(input));
  for (let attempt = 0; ; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (attempt >= 1000) throw new Error(`dynalite: table ${input.TableName} is still ${Table?.TableStatus ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
