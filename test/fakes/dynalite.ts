import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
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
  const createTable = async (input: CreateTableCommandInput): Promise<void> => {
    await client.send(new CreateTableCommand(input));
  };
  const createHashKeyTable = (name: string, key: string): Promise<void> => createTable({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return {
    endpoint,
    client,
    doc,
    createTable,
    createIssuesTable: (name) => createTable({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'account_id', AttributeType: 'S' }, { AttributeName: 'issue_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'account_id', KeyType: 'HASH' }, { AttributeName: 'issue_id', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
    createApiRequestsTable: (name) => createHashKeyTable(name, 'request_id'),
    createCredentialsTable: (name) => createHashKeyTable(name, 'service'),
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
