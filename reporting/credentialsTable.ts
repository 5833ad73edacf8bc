/**
 * The credentials table (`credentials["ddb.table_name"]`, hash key `service`):
 * items `{service: "jira" | "slack" | "api", credentials: {...}}`, as Hammer's
 * ddb_inject_credentials.py writes them.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsErrorCode } from '../library/aws/awsErrors.ts';

export type CredentialsService = 'jira' | 'slack' | 'api';

/** The `credentials` map of one service's item, or undefined when there is no item (or no map). */
export type CredentialsReader = (service: CredentialsService) => Promise<Record<string, unknown> | undefined>;

export class CredentialsReadError extends Error {
  override readonly name = 'CredentialsReadError';
  constructor(readonly tableName: string, readonly service: CredentialsService, readonly errorCode: string, options?: { cause?: unknown }) {
    super(`could not read the ${service} credentials from table ${tableName}: ${errorCode}`, options);
  }
}

export function credentialsTableReader(doc: DynamoDBDocumentClient, tableName: string): CredentialsReader {
  return async (service) => {
    let item: Record<string, unknown> | undefined;
    try {
      const response = await doc.send(new GetCommand({ TableName: tableName, Key: { service }, ConsistentRead: true }));
      item = response.Item;
    } catch (err: unknown) {
      throw new CredentialsReadError(tableName, service, awsErrorCode(err), { cause: err });
    }
    const credentials = item?.credentials;
    return typeof credentials === 'object' && credentials !== null && !Array.isArray(credentials) ? (credentials as Record<string, unknown>) : undefined;
  };
}
