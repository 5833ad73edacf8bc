import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document client every component uses: plain JS values in and
 * out (None/null as NULL, maps as M), undefined attributes left out.
 */
export function createDocumentClient(region: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ region, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
