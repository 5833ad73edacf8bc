import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsErrorFields, isConditionFailed } from '../aws/awsErrors.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Log } from '../runtime/logger.ts';

/**
 * Progress of scans asked through Hammer's API, in the API requests table
 * (`api["ddb.table_name"]`, hash key `request_id`): each region whose check
 * ended adds one to `progress` and sets `updated` to epoch seconds, as
 * Hammer's `DDB.track_progress` does. The item must exist (the API writes it
 * with `progress: 0` and `total`); a stray request id creates nothing.
 */
export class ApiRequestProgress {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  /** Adds `regions` to the request's progress; logs and returns false when it cannot. Never throws. */
  async add(requestId: string, regions: number, where: Record<string, unknown> = {}): Promise<boolean> {
    if (regions <= 0) return true;
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { request_id: requestId },
        UpdateExpression: 'ADD #progress :regions SET #updated = :now',
        ConditionExpression: 'attribute_exists(request_id)',
        ExpressionAttributeNames: { '#progress': 'progress', '#updated': 'updated' },
        ExpressionAttributeValues: { ':regions': regions, ':now': Math.floor(this.clock().getTime() / 1000) },
      }));
      return true;
    } catch (err: unknown) {
      if (isConditionFailed(err)) {
        this.log.warn('API request not found, progress not recorded', { ...where, request_id: requestId, table: this.tableName, operation: 'UpdateItem', error_code: 'ConditionalCheckFailedException' });
      } else {
        this.log.error('API request progress not recorded', { ...where, request_id: requestId, table: this.tableName, ...awsErrorFields('UpdateItem', err) });
      }
      return false;
    }
  }
}
